"""Review candidate identifiers before writing a pseudonymised copy.

The list is the one ``coder pseudonymise --list`` prints (``Project.pseudonym_candidates``),
one row per words and transcript, with the kind, the number of occurrences across the corpus,
the replacement and the decision; decisions go to the project's decisions file, as
``coder pseudonymise --decide`` writes them.  Every text on screen is the researcher's or
the transcript's and is drawn literally (``Text``), never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from coder.core.errors import CoderError


@dataclass(frozen=True)
class Row:
    transcript: str
    text: str
    kind: str
    count: int
    replacement: str
    context: str


def candidate_rows(candidates) -> list[Row]:
    """One row per (transcript, words), in the order found, with its first context."""
    rows: dict[tuple[str, str], Row] = {}
    for c in candidates:
        rows.setdefault((c.transcript, c.text), Row(c.transcript, c.text, c.kind, c.count, c.replacement, c.context))
    return list(rows.values())


class PseudonymScreen(Screen):
    BINDINGS = [
        Binding("a", "decide('accept')", "accept here", id="pseudonyms.accept"),
        Binding("A", "decide('accept-everywhere')", "accept everywhere", id="pseudonyms.accept-everywhere"),
        Binding("x", "decide('reject')", "reject", id="pseudonyms.reject"),
        Binding("e", "edit", "edit replacement", id="pseudonyms.edit"),
        Binding("escape", "close", "back", id="pseudonyms.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="pseudonyms")
        self.rows: list[Row] = []

    def compose(self) -> ComposeResult:
        yield Static("Candidate identifiers: accept (in this transcript), accept everywhere, reject, or edit the "
                     "replacement. `coder pseudonymise --out DIR --key FILE` writes the pseudonymised copy.",
                     id="pseudonyms-help")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Label("", id="pseudonyms-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("transcript", "kind", "count", "text", "replacement", "decision"):
            table.add_column(name, key=name)
        try:
            self.rows = candidate_rows(self.app.project.pseudonym_candidates())
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
        self.reload()
        table.focus()

    def _decisions(self):
        return self.app.project.pseudonym_decisions()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        try:
            decisions = self._decisions()
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return
        for i, r in enumerate(self.rows):
            d = decisions.get(r.transcript, r.text)
            replacement = d.replacement if d and d.replacement else r.replacement
            table.add_row(Text(r.transcript), Text(r.kind), Text(str(r.count)), Text(r.text), Text(replacement),
                          Text(d.decision if d else ""), key=str(i))
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        self.show_detail()

    def on_data_table_row_highlighted(self, _event) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        r = self._current()
        label = self.query_one("#pseudonyms-detail", Label)
        if r is None:
            label.update(Text("No candidate identifiers found."))
            return
        detail = Text(f"{len(self.rows)} candidates. ")
        detail.append(r.text, style="bold")
        detail.append(f" ({r.kind}, {r.count}× in the corpus) in context: …{r.context}…")
        label.update(detail)

    def _current(self) -> Row | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_decide(self, verdict: str, replacement: str = "") -> None:
        r = self._current()
        if r is None:
            return
        try:
            current = self._decisions().get(r.transcript, r.text)
            keep = replacement or (current.replacement if current else "")
            self._decisions().decide(r.text, verdict, None if verdict == "accept-everywhere" else r.transcript, keep)
        except CoderError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.reload()

    def action_edit(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        r = self._current()
        if r is None:
            return

        def done(value: str | None) -> None:
            if value is not None and value.strip():
                self.action_decide("accept-everywhere", value.strip())

        self.app.push_screen(TextDialog(f"Replace “{r.text}” everywhere with", r.replacement), done)

    def action_close(self) -> None:
        self.dismiss(None)
