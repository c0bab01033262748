"""Spreadsheet-formula neutralising ("CSV injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can be run as a formula when a CSV is opened in a spreadsheet.  Every
such text cell (and column name) in every exported table is written with a
leading apostrophe ``'``, which spreadsheets show as plain text.  Numbers are
left alone: only text is ever prefixed.  A quote that starts with a dash,
e.g. ``- and then we...``, is therefore exported as ``'- and then we...``.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"

RULE = ("text cells starting with " + ", ".join(repr(t) for t in TRIGGERS)
        + f" are written with a leading {PREFIX!r} so spreadsheets never run them as formulas")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in TRIGGERS:
        return PREFIX + value
    return value


def neutralise_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with every text cell neutralised (new lists; the input is left alone)."""
    triggers = frozenset(TRIGGERS)
    return [[PREFIX + v if v.__class__ is str and v[:1] in triggers else v for v in row] for row in rows]
