"""Placing REFI-QDA selections on coder's LF-normalised text.

coder reads every transcript with line endings normalised to ``\\n``.  A
source text with Windows line endings (``\\r\\n``) is counted differently by
different programs: NVivo and MAXQDA count ``\\r\\n`` as two characters (the
file's own code points), ATLAS.ti as one (as if already normalised).  For each
such source, both readings are tried and the one under which the selections'
names match the text they point at wins; with no evidence either way, the
program named in the project's ``origin`` decides, and otherwise the file's own
code points (two characters) are assumed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from coder.core.refi.model import RefiSelection
from coder.core.text import normalise_newlines

# C0 controls the transcript reader refuses as binary; replaced by spaces (positions unchanged).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_ONE_CHAR_PROGRAMS = ("atlas",)


@dataclass(frozen=True)
class PlacedText:
    text: str  # LF-normalised
    crlf_as_two: bool | None  # how positions were read; None when the text had no CRLF
    controls_replaced: int

    def mapper(self, raw: str):
        """A function from a selection position to a position in :attr:`text`."""
        if not self.crlf_as_two:
            return lambda p: p
        crs = [m.start() for m in re.finditer("\r\n", raw)]
        return lambda p: p - bisect.bisect_left(crs, p)


_LINE_PREFIX = re.compile(r"^line:\d+\s*")  # how qc (and coder) name a selection by its line


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _evidence(text: str, selections: Sequence[RefiSelection], mapping) -> int:
    """How many selections' names match the text they point at (positive) or fall off the end (negative)."""
    score = 0
    for sel in selections:
        start, end = mapping(sel.start), mapping(sel.end)
        if not (0 <= start < end <= len(text)):
            score -= 1
            continue
        name = _flat(_LINE_PREFIX.sub("", sel.name)).rstrip(".…").strip()
        if len(name) < 4:
            continue
        quote = _flat(text[start:end])
        if quote.startswith(name) or name.startswith(quote) or (len(name) >= 12 and name in quote):
            score += 1
    return score


def place_text(raw: str, selections: Sequence[RefiSelection], origin: str = "") -> PlacedText:
    """The transcript text for a raw source text, and how its selections' positions are to be read."""
    text = normalise_newlines(raw)
    text, controls = _CONTROL.subn(" ", text)
    if "\r\n" not in raw:
        return PlacedText(text, None, controls)
    two = PlacedText(text, True, controls)
    one = PlacedText(text, False, controls)
    s_two = _evidence(text, selections, two.mapper(raw))
    s_one = _evidence(text, selections, one.mapper(raw))
    if s_two != s_one:
        return two if s_two > s_one else one
    if any(p in origin.casefold() for p in _ONE_CHAR_PROGRAMS):
        return one
    return two
