"""Reconciling two coders: the segments where they differ, and recording a consensus.

    items = disagreements(project, "ana", "ben", "lc-eng-p05-interview")
    decide(project, items[0], "a")        # the consensus coder takes ana's codes there

A segment is listed when the two coders' sets of codes overlapping it differ
(exact codes: a parent on one side and its child on the other is a
difference).  A decision sets the consensus coder's codes on that segment to
one side's, both sides' (union) or neither's, through the ordinary coding log
(``codings/consensus.jsonl``), so it can be undone, exported and compared like
any coder's work.  Codes added for the consensus take the chosen coder's span
clipped to the segment, so a decision never reaches into other segments;
a consensus coding that already extends beyond the segment and is decided
against is removed as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from coder.core.coding import Coding
from coder.core.errors import CoderError
from coder.core.transcript import Segment

if TYPE_CHECKING:
    from coder.core.project import Project

CONSENSUS = "consensus"
Choice = Literal["a", "b", "both", "neither"]
CHOICES: tuple[str, ...] = ("a", "b", "both", "neither")


@dataclass(frozen=True)
class SegmentCodings:
    """One segment and every coding of the two coders and the consensus overlapping it."""

    transcript: str
    segment: Segment
    a: tuple[Coding, ...]
    b: tuple[Coding, ...]
    consensus: tuple[Coding, ...]

    @property
    def codes_a(self) -> frozenset[str]:
        return frozenset(c.code for c in self.a)

    @property
    def codes_b(self) -> frozenset[str]:
        return frozenset(c.code for c in self.b)

    @property
    def codes_consensus(self) -> frozenset[str]:
        return frozenset(c.code for c in self.consensus)

    @property
    def differs(self) -> bool:
        return self.codes_a != self.codes_b

    def codes_for(self, choice: str) -> frozenset[str]:
        if choice == "a":
            return self.codes_a
        if choice == "b":
            return self.codes_b
        if choice == "both":
            return self.codes_a | self.codes_b
        if choice == "neither":
            return frozenset()
        raise CoderError(f"unknown decision '{choice}'", hint="one of: " + ", ".join(CHOICES))


def _overlapping(codings: list[Coding], seg: Segment) -> tuple[Coding, ...]:
    return tuple(c for c in codings if c.start < seg.end and seg.start < c.end)


def segment_codings(
    project: "Project", coder_a: str, coder_b: str, transcript_id: str, *, consensus: str = CONSENSUS
) -> list[SegmentCodings]:
    """Every segment of the transcript with the codings overlapping it (agreeing ones too)."""
    transcript = project.transcript(transcript_id)
    known = set(project.store.coders)
    by: dict[str, list[Coding]] = {}
    for name in (coder_a, coder_b, consensus):
        by[name] = project.codings(name, transcript_id) if name in known else []
    return [
        SegmentCodings(transcript_id, seg, _overlapping(by[coder_a], seg), _overlapping(by[coder_b], seg),
                       _overlapping(by[consensus], seg))
        for seg in transcript.segments
    ]


def disagreements(
    project: "Project", coder_a: str, coder_b: str, transcript_id: str, *, consensus: str = CONSENSUS
) -> list[SegmentCodings]:
    """The segments of one transcript where the two coders' codes differ, in text order."""
    items = segment_codings(project, coder_a, coder_b, transcript_id, consensus=consensus)
    return [item for item in items if item.differs]


def decide(project: "Project", item: SegmentCodings, choice: str, *, consensus: str = CONSENSUS) -> list[str]:
    """Make the consensus coder's codes on ``item``'s segment those of ``choice``.

    Returns what was done, one line per coding added or removed (empty when the
    consensus already matched).  Each change is durable before the next is made.
    """
    wanted = item.codes_for(choice)
    seg = item.segment
    done: list[str] = []
    current = {c.code: c for c in item.consensus}
    for coding in item.consensus:
        if coding.code not in wanted:
            project.remove(consensus, coding.id)
            done.append(f"removed {coding.code}")
    sources = ([*item.a, *item.b] if choice != "b" else [*item.b, *item.a])
    for code in sorted(wanted - current.keys()):
        source = next(c for c in sources if c.code == code)
        start, end = max(source.start, seg.start), min(source.end, seg.end)
        project.apply(consensus, item.transcript, code, start, end)
        done.append(f"added {code}")
    return done
