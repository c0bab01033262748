"""What the screens that read back across the project share: the query engine, opened once
per visit, a table of rows, and going back with a place to show (transcript, start, end)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import DataTable

from coder.core.errors import CoderError


class ProjectListScreen(Screen):
    COLUMNS: tuple[str, ...] = ()  # fixed columns, added once (screens that vary them add their own)

    def __init__(self, id: str) -> None:
        super().__init__(id=id)
        self.q = None

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in self.COLUMNS:
            table.add_column(name, key=name)
        try:
            self.q = self.app.project.query()
        except CoderError as exc:
            self.notify(str(exc), title="Cannot read the project", severity="error", markup=False)
            return
        self.reload()
        table.focus()

    def reload(self) -> None:
        raise NotImplementedError

    def current_of(self, rows: list):
        """The row under the table's cursor, or None."""
        table = self.query_one(DataTable)
        if not rows or table.cursor_row is None or table.cursor_row >= len(rows):
            return None
        return rows[table.cursor_row]

    def push_then_back(self, screen: Screen) -> None:
        """Open ``screen``; when it comes back with a place, go back with it too."""
        self.app.push_screen(screen, lambda place: self.dismiss(place) if place else None)

    def action_close(self) -> None:
        self.dismiss(None)
