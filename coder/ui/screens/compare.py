"""Compare groups: one retrieval split side by side by one attribute, ``k/N participants`` per column."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from coder.core.query import Filters, ProjectQuery
from coder.ui.screens.project_list import Pager
from coder.ui.screens.retrieval import quote_cell
from coder.ui.widgets.table import Table

MAX_COLUMNS = 3


class CompareScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "open in transcript", id="compare.open"),
        Binding("tab", "app.focus_next", "next group", id="compare.next"),
        Binding("escape", "close", "back", id="compare.close"),
    ]

    def __init__(self, q: ProjectQuery, code: str | None, variable: str, with_children: bool = True,
                 filters: Filters = Filters()) -> None:
        super().__init__(id="compare")
        self.q, self.code, self.variable = q, code, variable
        self.columns = q.compare(code, variable, with_children, filters, context=1)
        self.filters = filters
        self.pagers: dict[str, Pager] = {}

    def compose(self) -> ComposeResult:
        code = self.q.inp.codebook.get(self.q.code_id(self.code)) if self.code else None
        head = Text()
        head.append(code.name if code else "Every code", style="bold")
        head.append(f" by {self.variable}")
        if self.filters.text:
            head.append(f" (filter: {self.filters.text})")
        hidden = len(self.columns) - MAX_COLUMNS
        if hidden > 0:
            head.append(f"; {hidden} more group(s) not shown: filter to narrow")
        yield Static(head, id="compare-head")
        with Horizontal(id="compare-columns"):
            for i, column in enumerate(self.columns[:MAX_COLUMNS]):
                with Vertical(classes="compare-column"):
                    title = Text(column.value, style="bold")
                    title.append(f"  {column.k}/{column.n} participants, {len(column.rows)} coding(s)")
                    yield Static(title, classes="compare-title")
                    yield Table(cursor_type="row", zebra_stripes=True, id=f"compare-{i}")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        for i, column in enumerate(self.columns[:MAX_COLUMNS]):
            table = self.query_one(f"#compare-{i}", DataTable)
            table.add_column("quote", key="quote")
            table.add_column("participant", key="participant")
            pager = self.pagers[table.id] = Pager(table, lambda r: [quote_cell(r, 50), Text("; ".join(r.participants))],
                                                  height=2)
            pager.fill(column.rows)
        tables = self.query(DataTable)
        if tables:
            tables.first().focus()

    def _current(self):
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or not table.id:
            return None
        rows = self.columns[int(table.id.split("-")[1])].rows
        return rows[table.cursor_row] if rows and table.cursor_row < len(rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        pager = self.pagers.get(event.data_table.id or "")
        if pager is not None:
            pager.follow(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        r = self._current()
        if r is not None:
            self.dismiss((r.transcript, r.coding.start, r.coding.end))

    def action_close(self) -> None:
        self.dismiss(None)
