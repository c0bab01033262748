"""Finding words in a transcript, as a researcher reads them.

A search ignores case and treats any run of whitespace (spaces, tabs, line
breaks, blank lines) as one space, on both sides: ``computer corner`` finds
``Computer\\ncorner`` in a hard-wrapped file.  Matches are spans of the
transcript's own text (code points, end-exclusive), so they can be shown and
selected where they are.
"""

from __future__ import annotations

import re


def phrase_pattern(query: str) -> re.Pattern[str] | None:
    """The pattern of ``query`` (None for a query with no words)."""
    words = query.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def find_phrase(text: str, query: str) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of ``query`` in ``text``, in order, as ``(start, end)``."""
    pattern = phrase_pattern(query)
    return [m.span() for m in pattern.finditer(text)] if pattern else []
