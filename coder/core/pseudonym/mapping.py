"""Replacements in one text, and the exact offset mapping they define.

A replacement swaps ``text[start:end]`` for new words; positions outside every
replaced span move by the change in length before them, and a position inside a
replaced span moves to that span's start (for a start) or its end (for an end),
so a coding that cut through an identifier covers its whole replacement.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    original: str
    replacement: str


class Mapping:
    def __init__(self, text: str, replacements: list[Replacement]) -> None:
        reps = sorted(replacements, key=lambda r: r.start)
        for a, b in zip(reps, reps[1:]):
            if b.start < a.end:
                raise ValueError(f"overlapping replacements at {a.start} and {b.start}")
        self.replacements = reps
        out, pos = [], 0
        self._starts, self._new_starts, self._new_ends = [], [], []
        shift = 0
        for r in reps:
            out += [text[pos:r.start], r.replacement]
            self._starts.append(r.start)
            self._new_starts.append(r.start + shift)
            shift += len(r.replacement) - (r.end - r.start)
            self._new_ends.append(r.end + shift)
            pos = r.end
        out.append(text[pos:])
        self.text = "".join(out)

    def start(self, pos: int) -> int:
        """Where a span starting at ``pos`` starts in the new text."""
        i = bisect.bisect_right(self._starts, pos) - 1  # the last replacement starting at or before pos
        if i < 0:
            return pos
        r = self.replacements[i]
        return self._new_starts[i] if pos < r.end else pos + self._new_ends[i] - r.end

    def end(self, pos: int) -> int:
        """Where a span ending (exclusive) at ``pos`` ends in the new text."""
        i = bisect.bisect_left(self._starts, pos) - 1  # the last replacement starting before pos
        if i < 0:
            return pos
        r = self.replacements[i]
        return self._new_ends[i] if pos < r.end else pos + self._new_ends[i] - r.end

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), self.end(end)
