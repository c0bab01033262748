"""Units of agreement, and which units each coder coded with each code.

A unit is a set of spans of transcript text:

* ``segment``: one sentence (:attr:`Transcript.segments`);
* ``turn``: one speaker turn (:attr:`Transcript.turns`);
* ``participant``: every turn of one participant, across all the transcripts
  compared (turns of interviewers and unlinked speakers belong to no unit).

A unit is *coded with X by coder A* when one of A's codings of X, or of a
descendant of X, overlaps one of the unit's spans by at least one character.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from coder.core.codebook import Codebook
from coder.core.coding import Coding
from coder.core.errors import CoderError
from coder.core.transcript import Transcript

UnitKind = Literal["segment", "turn", "participant"]
UNIT_KINDS: tuple[str, ...] = ("segment", "turn", "participant")


@dataclass(frozen=True)
class Unit:
    id: str  # "<transcript>#<segment id>", "<transcript>#turn-<n>" or a participant id
    spans: tuple[tuple[str, int, int], ...]  # (transcript id, start, end)


def build_units(transcripts: Iterable[Transcript], kind: str) -> list[Unit]:
    """The units of ``kind`` in ``transcripts`` (in transcript order, then text order)."""
    if kind not in UNIT_KINDS:
        raise CoderError(f"unknown unit '{kind}'", hint="use one of: " + ", ".join(UNIT_KINDS))
    units: list[Unit] = []
    by_participant: dict[str, list[tuple[str, int, int]]] = {}
    for t in transcripts:
        if kind == "segment":
            units += [Unit(f"{t.id}#{s.id}", ((t.id, s.start, s.end),)) for s in t.segments if s.end > s.start]
        elif kind == "turn":
            units += [Unit(f"{t.id}#turn-{u.index + 1}", ((t.id, u.start, u.end),)) for u in t.turns if u.end > u.start]
        else:
            for turn in t.turns:
                if turn.participant_id and turn.end > turn.start:
                    by_participant.setdefault(turn.participant_id, []).append((t.id, turn.start, turn.end))
    if kind == "participant":
        units = [Unit(pid, tuple(spans)) for pid, spans in sorted(by_participant.items())]
    return units


class SpanIndex:
    """Finds the units overlapping a span quickly (spans of one transcript do not overlap)."""

    def __init__(self, units: Sequence[Unit]) -> None:
        per: dict[str, list[tuple[int, int, int]]] = {}
        for i, unit in enumerate(units):
            for tid, start, end in unit.spans:
                per.setdefault(tid, []).append((start, end, i))
        self._spans = {tid: sorted(spans) for tid, spans in per.items()}
        self._ends = {tid: [e for _, e, _ in spans] for tid, spans in self._spans.items()}

    def overlapping(self, transcript: str, start: int, end: int) -> set[int]:
        spans = self._spans.get(transcript)
        if not spans:
            return set()
        out: set[int] = set()
        # spans are sorted and disjoint, so their ends are sorted too
        for j in range(bisect.bisect_right(self._ends[transcript], start), len(spans)):
            s, e, i = spans[j]
            if s >= end:
                break
            if e > start:
                out.add(i)
        return out


def credited_codes(codebook: Codebook, code: str, selected: frozenset[str]) -> set[str]:
    """The selected codes a coding of ``code`` counts for: the code itself and its ancestors."""
    resolved = codebook.resolve(code)
    if resolved is None:
        return set()
    return {c for c in codebook.path(resolved) if c in selected}


def coded_units(
    index: SpanIndex, codings: Iterable[Coding], codebook: Codebook, selected: frozenset[str]
) -> dict[str, set[int]]:
    """Per selected code, the indices of the units coded with it (or a descendant)."""
    out: dict[str, set[int]] = {c: set() for c in selected}
    for coding in codings:
        credited = credited_codes(codebook, coding.code, selected)
        if not credited:
            continue
        hit = index.overlapping(coding.transcript, coding.start, coding.end)
        for code in credited:
            out[code] |= hit
    return out
