"""A transcript as coder sees it: text, speaker turns, segments.

Positions are Unicode code points from 0, end-exclusive (Python slicing, and
REFI-QDA's ``startPosition``/``endPosition``), into :attr:`Transcript.text`,
the LF-normalised text the researcher reads:

* ``.txt`` / ``.md``: the file body after the YAML front matter, as it is.
* ``.vtt`` / ``.srt`` / ``.docx``: one paragraph per turn, ``Speaker: words``,
  turns separated by a blank line (timestamps are kept on the turn).

Turns hold speaker and optional times; segments are spaCy sentences within a
turn.  Segment ids are derived from the sentence text (and its occurrence
number), so they stay stable when the file is reloaded or edited elsewhere.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from coder.core.text import flow


def content_hash(text: str) -> str:
    """The hash that anchors codings to one version of a transcript."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Segment:
    """One sentence within a turn."""

    id: str
    start: int
    end: int
    turn: int  # index into Transcript.turns
    text: str


@dataclass(frozen=True)
class Turn:
    """One speaker's contribution: ``text[start:end]`` is what they said."""

    index: int
    speaker: str
    start: int
    end: int
    start_time: float | None = None  # seconds from the start of the recording
    end_time: float | None = None
    participant_id: str | None = None  # who the speaker is, when known


@dataclass(frozen=True)
class Transcript:
    id: str  # stable id: the file name without suffix, relative to transcripts/
    path: Path
    format: str  # "txt", "md", "vtt", "srt", "docx"
    text: str
    turns: tuple[Turn, ...]
    segments: tuple[Segment, ...]
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def hash(self) -> str:
        return content_hash(self.text)

    @cached_property
    def _turn_starts(self) -> list[int]:
        return [t.start for t in self.turns]

    @property
    def words(self) -> int:
        return sum(len(self.text[t.start : t.end].split()) for t in self.turns)

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))

    def by_participant(self, segment: Segment) -> bool:
        """Whether a participant said ``segment`` (not an interviewer)."""
        return self.participant_turn(self.turns[segment.turn])

    def participant_turn(self, turn: Turn) -> bool:
        """Whether ``turn`` is a participant's: linked to one, or, in a transcript that links no
        speaker to a participant, any turn whose speaker is not an interviewer (``Interviewer``,
        ``Facilitator``…, or the metadata's ``interviewers``)."""
        if self._names_participants:
            return turn.participant_id is not None
        return turn.index not in self._interviewer_turns

    @cached_property
    def _names_participants(self) -> bool:
        return any(t.participant_id for t in self.turns)

    @cached_property
    def _interviewer_turns(self) -> frozenset[int]:
        from coder.core.transcript_meta import Metadata

        meta = Metadata(dict(self.meta))
        return frozenset(t.index for t in self.turns if t.speaker and meta.is_interviewer(t.speaker))

    @cached_property
    def participant_segments(self) -> tuple[Segment, ...]:
        """The participants' segments: what coding progress counts."""
        return tuple(s for s in self.segments if self.by_participant(s))

    def turn_at(self, pos: int) -> Turn | None:
        """The turn containing ``pos`` (or None between turns)."""
        i = bisect.bisect_right(self._turn_starts, pos) - 1
        if i >= 0 and self.turns[i].start <= pos < max(self.turns[i].end, self.turns[i].start + 1):
            return self.turns[i]
        return None

    def quote(self, start: int, end: int) -> str:
        """``text[start:end]`` as it is read, shown, searched, embedded and exported:
        a line break inside a turn is a space (see :func:`coder.core.text.flow`);
        what lies between turns (a speaker label, a blank line) is kept as written.

        This is the one display form of a span; positions always stay those of
        :attr:`text`, and the coding log keeps the exact slice.
        """
        raw = self.text[start:end]
        if "\n" not in raw:
            return raw
        out: list[str] = []
        pos = start
        i = max(0, bisect.bisect_right(self._turn_starts, start) - 1)
        for turn in self.turns[i:]:
            if turn.start >= end:
                break
            a, b = max(turn.start, pos), min(turn.end, end)
            if a >= b:
                continue
            out += [self.text[pos:a], flow(self.text[a:b])]
            pos = b
        out.append(self.text[pos:end])
        return "".join(out)

    def segments_in(self, start: int, end: int) -> list[Segment]:
        """Segments overlapping ``[start, end)``."""
        return [s for s in self.segments if s.start < end and start < s.end]
