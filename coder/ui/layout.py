"""Wrapping a transcript into screen lines, without Textual.

The transcript view draws lines from a :class:`Layout`: a header line per
speaker turn, the turn's text wrapped to the available width, and a blank line
between turns.  Each text line knows the character span it shows, so the view
can map a position to a line (to scroll to the cursor) and a line to positions
(to draw highlights), and a click back to a position.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rich.cells import cell_len

from coder.core.transcript import Transcript

HEADER, TEXT, BLANK, GAP = "header", "text", "blank", "gap"
_WORD = re.compile(r"\S+\s*|\s+")
_BLANK_LINE = re.compile(r"[ \t]*\n(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Line:
    kind: str  # HEADER, TEXT, BLANK or GAP ("…" between filtered passages)
    turn: int
    start: int = 0  # TEXT: span of transcript.text shown on this line
    end: int = 0


class Layout:
    """The lines of one transcript at one width, optionally only some spans of it."""

    def __init__(self, transcript: Transcript, width: int, spans: list[tuple[int, int]] | None = None) -> None:
        self.width = max(8, width)
        self.lines: list[Line] = []
        text = transcript.text
        by_turn: dict[int, list[tuple[int, int]]] = {}
        if spans is None:
            for turn in transcript.turns:
                by_turn[turn.index] = [(turn.start, turn.end)]
        else:
            for start, end in sorted(spans):
                turn = transcript.turn_at(start)
                if turn is None:
                    continue
                passages = by_turn.setdefault(turn.index, [])
                # Spans with only spaces between them (consecutive sentences) read as one passage.
                if passages and not text[passages[-1][1]:start].strip():
                    passages[-1] = (passages[-1][0], max(end, passages[-1][1]))
                else:
                    passages.append((start, min(end, turn.end)))
        for index in sorted(by_turn):
            if self.lines:
                self.lines.append(Line(BLANK, index))
            self.lines.append(Line(HEADER, index))
            turn = transcript.turns[index]
            for n, (start, end) in enumerate(by_turn[index]):
                if n or (spans is not None and start > turn.start):
                    self.lines.append(Line(GAP, index))
                self.lines.extend(Line(TEXT, index, s, e) for s, e in wrap(text, start, end, self.width))
            if spans is not None and by_turn[index][-1][1] < turn.end:
                self.lines.append(Line(GAP, index))
        self._text_rows = [i for i, line in enumerate(self.lines) if line.kind == TEXT]
        self._text_starts = [self.lines[i].start for i in self._text_rows]
        self._header_rows = {line.turn: i for i, line in enumerate(self.lines) if line.kind == HEADER}

    def __len__(self) -> int:
        return len(self.lines)

    def row_of(self, pos: int) -> int:
        """The row of the text line showing ``pos`` (or the nearest one before it)."""
        if not self._text_rows:
            return 0
        i = max(0, bisect.bisect_right(self._text_starts, pos) - 1)
        return self._text_rows[i]

    def header_row(self, turn: int) -> int | None:
        return self._header_rows.get(turn)

    def rows_between(self, start: int, end: int) -> range:
        """Rows whose text overlaps ``[start, end)``."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return range(first, last + 1)


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` into spans of at most ``width`` cells.

    A blank line inside the span starts a new line; a single line break is a
    space (hard-wrapped transcripts reflow to the width, as the words are read,
    see :meth:`Transcript.quote`).  A word wider than the line is split.
    Trailing spaces stay on the line they follow (they are not drawn).
    """
    out: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text, start, end):
        line_start = para_start
        used = 0
        for m in _WORD.finditer(text, para_start, para_end):
            word = m.group()
            stripped = word.rstrip()
            w = len(stripped) if stripped.isascii() else cell_len(stripped)
            if used and used + w > width:
                out.append((line_start, m.start()))
                line_start, used = m.start(), 0
            while w > width:  # a very long word: split it
                cut = line_start + width
                out.append((line_start, cut))
                line_start = cut
                w -= width
            used += w + (len(word) - len(stripped))
        if line_start < para_end or not out or out[-1][1] < para_start:
            out.append((line_start, para_end))
    return out


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` between blank lines."""
    out = []
    pos = start
    for brk in _BLANK_LINE.finditer(text, start, end):
        if brk.start() > pos:
            out.append((pos, brk.start()))
        pos = brk.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, start)]
