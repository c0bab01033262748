"""The workbench's tables: Textual's DataTable, with ``home`` and ``end`` moving the cursor.

Textual's own ``home``/``end`` only scroll a table, leaving its cursor on a row that may no
longer be on screen, so ``end`` then ``enter`` opened the row one started on.  Here they
go to the first and the last row (or cell of the column), as ``g``/``G`` do in the lists.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class Table(DataTable):
    BINDINGS = [
        Binding("home", "scroll_top", "first row", show=False),
        Binding("end", "scroll_bottom", "last row", show=False),
    ]
