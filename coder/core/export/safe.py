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


def neutralise_frame(frame):
    """A copy of ``frame`` with every text cell and column name neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out
