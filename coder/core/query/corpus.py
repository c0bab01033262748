"""Searching every transcript at once: a phrase (whitespace- and case-insensitive,
see :mod:`coder.core.search`) or a regular expression, in participants' turns or everyone's."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from coder.core.errors import CoderError
from coder.core.search import phrase_pattern
from coder.core.transcript import Transcript

SPEAKERS = ("participants", "all")


@dataclass(frozen=True)
class SearchHit:
    transcript: str
    start: int
    end: int
    speaker: str
    participant_id: str  # empty for interviewer turns
    text: str  # the match as read (line breaks inside a turn read as spaces)
    before: str  # the rest of the sentence before the match
    after: str


def compile_pattern(pattern: str, regex: bool = False) -> re.Pattern[str] | None:
    if not regex:
        return phrase_pattern(pattern)
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise CoderError(f"bad regular expression '{pattern}': {exc}",
                         hint="leave out --regex to search for the words as written") from None


def search_transcripts(transcripts: list[Transcript], pattern: str, regex: bool = False,
                       speakers: str = "participants") -> list[SearchHit]:
    """Every match, transcript by transcript in order.  With ``speakers="participants"``
    only matches inside a participant's turn count (in a transcript naming no
    participant at all, every turn is a participant's, as for coding progress)."""
    if speakers not in SPEAKERS:
        raise CoderError(f"--speakers must be one of {', '.join(SPEAKERS)}, not '{speakers}'")
    compiled = compile_pattern(pattern, regex)
    if compiled is None:
        return []
    hits: list[SearchHit] = []
    for t in transcripts:
        names = any(tr.participant_id for tr in t.turns)
        ends = None
        for m in compiled.finditer(t.text):
            start, end = m.span()
            if start == end:
                continue
            turn = t.turn_at(start)
            if speakers == "participants" and names and (turn is None or turn.participant_id is None):
                continue
            ends = ends if ends is not None else [s.end for s in t.segments]
            i = bisect.bisect_right(ends, start)  # the first sentence ending after the match starts
            seg = t.segments[i] if i < len(t.segments) and t.segments[i].start < end else None
            a, b = (seg.start, max(seg.end, end)) if seg else (start, end)
            hits.append(SearchHit(t.id, start, end, turn.speaker if turn else "",
                                  (turn.participant_id or "") if turn else "", t.quote(start, end),
                                  t.quote(min(a, start), start), t.quote(end, max(b, end))))
    return hits
