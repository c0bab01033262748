"""Searching every transcript at once: a phrase (whitespace- and case-insensitive,
see :mod:`coder.core.search`) or a regular expression, in participants' turns or everyone's."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from coder.core.errors import CoderError
from coder.core.search import phrase_pattern
from coder.core.transcript import Transcript, Turn

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


# Characters that a case-insensitive pattern matches to another whose lower case differs
# (``re``'s extra case equivalences, e.g. the long s and ``s``, dotless i and ``i``): a text
# holding one is searched with the case-insensitive pattern itself.  Capital sigma lowers by its
# place in a word (``σ`` or a final ``ς``): a text holding one is searched the same way.
FOLDS_APART = frozenset("\u03a3\u0131\u017f\u00b5\u03bc\u0345\u03b9\u1fbe\u0390\u1fd3\u03b0\u1fe3\u03b2\u03d0"
                        "\u03b5\u03f5\u03b8\u03d1\u03ba\u03f0\u03c0\u03d6\u03c1\u03f1\u03c2\u03c3\u03c6"
                        "\u03d5\u1e61\u1e9b\ufb05\ufb06")


def lowered(text: str) -> str | None:
    """``text`` in lower case when a phrase can be found in it by plain matching at the same
    positions (no character changes length or folds apart); else None."""
    if not text.isascii() and any(c in text for c in FOLDS_APART):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def _plain(pattern: str, regex: bool) -> re.Pattern[str] | None:
    """A phrase's pattern for lower-cased text (ten times faster than a case-insensitive one)."""
    words = pattern.split()
    if regex or not words or any(lowered(w) is None for w in words):
        return None
    return re.compile(r"\s+".join(re.escape(w.lower()) for w in words))


def search_transcripts(transcripts: list[Transcript], pattern: str, regex: bool = False,
                       speakers: str = "participants", lower=None) -> "Hits":
    """Every match, transcript by transcript in order.  With ``speakers="participants"``
    only matches inside a participant's turn count (in a transcript naming no
    participant at all, every turn is a participant's, as for coding progress).
    ``lower``: a transcript's :func:`lowered` text (kept by the caller), for phrases.
    The matches are found at once; each is put in its sentence when it is read."""
    if speakers not in SPEAKERS:
        raise CoderError(f"--speakers must be one of {', '.join(SPEAKERS)}, not '{speakers}'")
    compiled = compile_pattern(pattern, regex)
    if compiled is None:
        return Hits([])
    plain = _plain(pattern, regex) if lower is not None else None
    found: list[tuple[Transcript, int, int, Turn | None]] = []
    for t in transcripts:
        low = lower(t) if plain is not None else None
        for m in plain.finditer(low) if low is not None else compiled.finditer(t.text):
            start, end = m.span()
            if start == end:
                continue
            turn = t.turn_at(start)
            if speakers == "participants" and (turn is None or not t.participant_turn(turn)):
                continue
            found.append((t, start, end, turn))
    return Hits(found)


class Hits(Sequence):
    """The matches of a search, each made a :class:`SearchHit` (in its sentence) when read:
    a screen shows a page of what may be thousands, the command line writes them all."""

    def __init__(self, found: list[tuple[Transcript, int, int, Turn | None]]) -> None:
        self._found = found
        self._built: dict[int, SearchHit] = {}
        self._ends: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._found)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]
        hit = self._built.get(i)
        if hit is None:
            hit = self._built[i] = self._hit(*self._found[i])
        return hit

    def per_transcript(self) -> dict[str, int]:
        """Hits per transcript, in order."""
        out: dict[str, int] = {}
        for t, *_ in self._found:
            out[t.id] = out.get(t.id, 0) + 1
        return out

    def _hit(self, t: Transcript, start: int, end: int, turn: Turn | None) -> SearchHit:
        ends = self._ends.get(t.id)
        if ends is None:
            ends = self._ends[t.id] = [s.end for s in t.segments]
        i = bisect.bisect_right(ends, start)  # the first sentence ending after the match starts
        seg = t.segments[i] if i < len(t.segments) and t.segments[i].start < end else None
        a, b = (seg.start, max(seg.end, end)) if seg else (start, end)
        return SearchHit(t.id, start, end, turn.speaker if turn else "", (turn.participant_id or "") if turn else "",
                         t.quote(start, end), t.quote(min(a, start), start), t.quote(end, max(b, end)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Hits({len(self)} matches)"
