"""User text on screen: shown exactly as written, never read as markup.

Transcript words, quotes, code names, memos, coder and file names (and error
messages that quote them) may hold square brackets (``[laughs]``, ``[Now]``),
``$`` or backslashes.  Textual reads a plain ``str`` given to a widget, a border
title, a palette line or a table cell as markup, where ``[/laughs]`` crashes and
``[@click=app.quit]`` becomes a live action.  Everything the UI draws from a
string goes through :func:`literal` (or :func:`cell` for tables and trees,
which take Rich text); the app's ``notify`` always shows its message literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content


def literal(text: object, style: str = "") -> Content:
    """``text`` as Content for a widget, title, option or palette line, drawn as written."""
    if isinstance(text, Content):
        return text
    if isinstance(text, Text):
        return Content.from_rich_text(text)
    return Content.styled(str(text), style) if style else Content(str(text))


def cell(text: object, style: str = "") -> Text:
    """``text`` as Rich text for a DataTable cell or a Tree label, drawn as written."""
    if isinstance(text, Text):
        return text
    return Text(str(text), style=style, end="")
