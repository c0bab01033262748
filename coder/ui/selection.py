"""The selection on the coding screen: whole sentences, optionally trimmed to words."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from coder.core.transcript import Segment

_WORD = re.compile(r"\S+")
# A word that ends a clause: a comma, semicolon, colon or sentence mark, perhaps before a closing quote or bracket.
_CLAUSE_END = re.compile(r"[,;:.!?…]['\"’”)\]]*$")


@dataclass(frozen=True)
class Selection:
    """Sentences ``anchor``..``cursor`` (indices into the segments), less ``trim_start``/``trim_end`` words."""

    anchor: int = 0
    cursor: int = 0
    trim_start: int = 0
    trim_end: int = 0

    @property
    def first(self) -> int:
        return min(self.anchor, self.cursor)

    @property
    def last(self) -> int:
        return max(self.anchor, self.cursor)

    @property
    def extended(self) -> bool:
        return self.anchor != self.cursor

    @property
    def trimmed(self) -> bool:
        return bool(self.trim_start or self.trim_end)

    def span(self, text: str, segments: tuple[Segment, ...] | list[Segment]) -> tuple[int, int]:
        """Character span of the selection in ``text``."""
        if not segments:
            return (0, 0)
        start, end = segments[self.first].start, segments[self.last].end
        if not self.trimmed:
            return start, end
        words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
        if not words:
            return start, end
        keep = words[self.trim_start : len(words) - self.trim_end] or [words[min(self.trim_start, len(words) - 1)]]
        return keep[0][0], keep[-1][1]

    @classmethod
    def covering(cls, start: int, end: int, text: str, segments) -> "Selection":
        """The selection that shows ``text[start:end]``: its sentences, trimmed to its words."""
        if not segments:
            return cls()
        starts = [s.start for s in segments]
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(first, bisect.bisect_right(starts, max(start, end - 1)) - 1)
        words = [(m.start(), m.end()) for m in _WORD.finditer(text, segments[first].start, segments[last].end)]
        before = sum(1 for _, e in words if e <= start)
        after = sum(1 for s, _ in words if s >= end)
        if before + after >= len(words):
            before = after = 0
        return cls(first, last, before, after)

    def moved_to(self, index: int) -> "Selection":
        return Selection(index, index)

    def extended_to(self, index: int) -> "Selection":
        return Selection(self.anchor, index)

    def trim(self, side: int, text: str, segments) -> "Selection":
        """One more word off the start (side 0) or the end (side 1); never empty."""
        start, end = segments[self.first].start, segments[self.last].end
        words = len(_WORD.findall(text, start, end))
        if self.trim_start + self.trim_end + 1 >= words:
            return self
        return replace(self, trim_start=self.trim_start + 1) if side == 0 else replace(self, trim_end=self.trim_end + 1)

    def grow(self, side: int) -> "Selection":
        """Give back one trimmed word at the start (side 0) or the end (side 1)."""
        if side == 0:
            return replace(self, trim_start=max(0, self.trim_start - 1))
        return replace(self, trim_end=max(0, self.trim_end - 1))

    def trim_clause(self, side: int, text: str, segments) -> "Selection":
        """Trim the start on to the next clause (side 0), or the end back to the previous clause
        boundary (side 1): a word ending in a comma, semicolon, colon or full stop.  Unchanged when
        the selection holds no such boundary short of its last word."""
        start, end = segments[self.first].start, segments[self.last].end
        words = _WORD.findall(text, start, end)
        first, last = self.trim_start, len(words) - 1 - self.trim_end
        breaks = [i for i in range(first, last) if _CLAUSE_END.search(words[i])]
        if not breaks:
            return self
        if side == 0:
            return replace(self, trim_start=breaks[0] + 1)
        return replace(self, trim_end=len(words) - 1 - breaks[-1])

    def untrimmed(self) -> "Selection":
        return replace(self, trim_start=0, trim_end=0)
