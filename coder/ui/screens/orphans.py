"""Review orphaned codings: quotes that could not be placed after a transcript edit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from coder.core.errors import CoderError
from coder.ui.literal import cell, literal


def candidate_of(orphan) -> tuple[int, int] | None:
    """The best place found for an orphan, if any."""
    start, end = orphan.candidate_start, orphan.candidate_end
    return (start, end) if start is not None and end is not None and end > start else None


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class OrphanScreen(Screen):
    BINDINGS = [
        Binding("enter,r", "replace", "re-place at candidate", id="orphans.replace"),
        Binding("d,delete", "discard", "discard", id="orphans.discard"),
        Binding("escape", "app.pop_screen", "back", id="orphans.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="orphans")
        self.orphans: list = []

    def compose(self) -> ComposeResult:
        yield Static("Orphaned codings: their transcript changed and the quote could not be placed "
                     "confidently. Re-place each at the best candidate, or discard it.", id="orphans-help")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Label("", id="orphans-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("transcript", "code", "old quote", "best candidate", "score"):
            table.add_column(name, key=name)
        self.reload()
        table.focus()

    def reload(self) -> None:
        project, coder = self.app.project, self.app.coder
        try:
            self.orphans = list(project.orphans(coder))
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            self.orphans = []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        try:
            codebook = project.codebook
        except CoderError:
            codebook = None
        for i, o in enumerate(self.orphans):
            code = codebook.get(o.coding.code) if codebook else None
            quote = o.candidate_quote or self._candidate_text(o)
            cells = (o.coding.transcript, code.name if code else o.coding.code, _clip(o.coding.quote, 40),
                     _clip(quote, 40) if quote else "(none)", f"{o.score:.2f}")
            table.add_row(*map(cell, cells), key=str(i))
        if self.orphans:
            table.move_cursor(row=min(row, len(self.orphans) - 1))
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        """The highlighted orphan's whole old quote beside its best candidate."""
        orphan = self._current()
        if orphan is None:
            text = "No orphaned codings: nothing to review."
        else:
            candidate = orphan.candidate_quote or self._candidate_text(orphan)
            text = (f"{len(self.orphans)} orphaned coding(s). Was: “{' '.join(orphan.coding.quote.split())}”\n"
                    + (f"Best candidate ({orphan.score:.0%} similar): “{' '.join(candidate.split())}”"
                       if candidate else "No candidate place: discard it, or re-code the passage by hand."))
        self.query_one("#orphans-detail", Label).update(literal(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def _candidate_text(self, orphan) -> str:
        span = candidate_of(orphan)
        if span is None:
            return ""
        try:
            return self.app.project.transcript(orphan.coding.transcript).text[span[0]:span[1]]
        except CoderError:
            return ""

    def _current(self):
        table = self.query_one(DataTable)
        if not self.orphans or table.cursor_row is None or table.cursor_row >= len(self.orphans):
            return None
        return self.orphans[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("replace", "discard"):
            orphan = self._current() if self.is_mounted else None
            if orphan is None:
                return False
            return candidate_of(orphan) is not None if action == "replace" else True
        return True

    def action_replace(self) -> None:
        orphan = self._current()
        span = candidate_of(orphan) if orphan else None
        if span is None:
            return
        try:
            self.app.project.replace_orphan(self.app.coder, orphan.coding.id, *span)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return
        self.notify("Re-placed", timeout=2)
        self.reload()

    def action_discard(self) -> None:
        orphan = self._current()
        if orphan is None:
            return
        try:
            self.app.project.discard_orphan(self.app.coder, orphan.coding.id)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return
        self.notify("Discarded", timeout=2)
        self.reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()
