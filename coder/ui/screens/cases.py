"""Cases: the interviewed participants as a read-only, sortable table with their transcripts
and coding counts; ``enter`` lists a participant's codings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from coder.core.query import Filters
from coder.ui.screens.project_list import ProjectListScreen
from coder.ui.widgets.table import Table


class CasesScreen(ProjectListScreen):
    BINDINGS = [
        Binding("enter", "open", "their codings", id="cases.open", show=False),
        Binding("s", "sort", "sort by this column", id="cases.sort"),
        Binding("escape", "close", "back", id="cases.close"),
    ]

    def __init__(self) -> None:
        super().__init__("cases")
        self.rows: list[dict] = []
        self.sorted_by: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="cases-head")
        yield Table(cursor_type="cell", zebra_stripes=True)
        yield Footer(show_command_palette=False)

    def quick(self, q) -> bool:
        return q.has("cases")

    def prepare(self, q):
        return q.cases()

    def show(self, answer) -> None:
        self.rows = answer
        table = self.query_one(DataTable)
        table.clear(columns=True)
        columns = list(self.rows[0]) if self.rows else ["participant_id"]
        for name in columns:
            table.add_column(Text(name), key=name)
        for r in self.rows:
            table.add_row(*(Text(str(v)) if not isinstance(v, int) else Text(str(v), justify="right")
                            for v in r.values()), key=r["participant_id"])
        head = Text(f"{len(self.rows)} interviewed participant(s)", style="bold")
        head.append("; s sorts by the column under the cursor, enter lists a participant's codings")
        self.query_one("#cases-head", Static).update(head)

    def action_sort(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        column = list(self.rows[0])[table.cursor_coordinate.column]
        reverse = self.sorted_by == column
        self.sorted_by = None if reverse else column
        numeric = isinstance(self.rows[0][column], int)
        table.sort(column, key=lambda cell: int(cell.plain) if numeric else cell.plain.casefold(), reverse=reverse)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from coder.ui.screens.retrieval import RetrievalScreen

        table = self.query_one(DataTable)
        if not self.rows:
            return
        pid = str(table.get_row_at(table.cursor_coordinate.row)[0].plain)
        self.push_then_back(RetrievalScreen(None, True, Filters(participant=pid)))
