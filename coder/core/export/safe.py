"""Spreadsheet-formula neutralising ("CSV injection").

A text cell can be run as a formula when the file is opened in a spreadsheet if
its first visible character is ``=``, ``+``, ``-`` or ``@``, or one of their
look-alikes that spreadsheets accept in their place: the full-width forms
``＝ ＋ － ＠`` (which Excel and LibreOffice read as the ASCII signs, as an East
Asian keyboard types them), the small and other compatibility forms that
Unicode NFKC folds to those four, and the minus sign ``−``.  Leading
whitespace does not protect a cell (an import that trims spaces exposes the
sign), and a cell that starts with a tab or carriage return is guarded too.

* **CSV** has no types, so such a cell (or column name) is written with a
  leading apostrophe ``'``, which spreadsheets show as plain text: a quote
  that starts with a dash, ``- and then we...``, is exported as
  ``'- and then we...``.
* **XLSX** stores the cell as text and marks it with the "quote prefix"
  style, so Excel and LibreOffice show it exactly as written, with no
  apostrophe, and keep it text when it is edited.

Numbers are left alone: only text is ever guarded.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SIGNS = frozenset("=+-@")
CONTROL_STARTS = ("\t", "\r")
MINUS_SIGN = "\u2212"
PREFIX = "'"

RULE = ("text cells whose first visible character is =, +, - or @ (or a full-width or other look-alike of "
        "them, such as ＝ ＋ － ＠ −, even after leading spaces), or that start with a tab or carriage return, "
        f"are written with a leading {PREFIX!r} in CSV and as quote-prefixed text in XLSX, so spreadsheets "
        "never run them as formulas")


def is_risky(value: Any) -> bool:
    """Whether a spreadsheet could read this cell as a formula."""
    if value.__class__ is not str or not value:
        return False
    if value.startswith(CONTROL_STARTS):
        return True
    first = value.lstrip()[:1]
    if not first:
        return False
    return first in SIGNS or first == MINUS_SIGN or (
        not first.isascii() and unicodedata.normalize("NFKC", first)[:1] in SIGNS)


def neutralise(value: Any) -> Any:
    """The value as written to CSV: risky text gets a leading apostrophe."""
    return PREFIX + value if is_risky(value) else value


def neutralise_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with every text cell neutralised (new lists; the input is left alone)."""
    return [[neutralise(v) if v.__class__ is str else v for v in row] for row in rows]
