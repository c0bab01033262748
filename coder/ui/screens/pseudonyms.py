"""Review candidate identifiers, and write a pseudonymised copy.

The list is the one ``coder pseudonymise --list`` prints (``Project.pseudonym_candidates``),
one row per words and transcript, with the kind, the number of occurrences across the corpus,
the replacement and the decision; decisions go to the project's decisions file, as
``coder pseudonymise --decide`` writes them.  Finding the candidates (with spaCy, seconds) and
writing the copy run in thread workers with their progress on screen, so every key works
meanwhile.  ``w`` asks where the copy and the key go (:mod:`.pseudonym_copy`) and writes them as
``coder pseudonymise --out DIR --key FILE`` does, with the decisions made here.  Every text on
screen is the researcher's or the transcript's and is drawn literally (``Text``), never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState

from coder.core.errors import CoderError
from coder.core.pseudonym.copy import copy_warnings
from coder.ui.literal import literal
from coder.ui.widgets.table import Table


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
        Binding("w", "write", "write the copy", id="pseudonyms.write"),
        Binding("escape", "close", "back", id="pseudonyms.close"),
    ]

    def __init__(self, write: bool = False) -> None:
        super().__init__(id="pseudonyms")
        self.rows: list[Row] = []
        self.candidates: list | None = None  # None until found
        self.writing = False
        self._ask_where = write  # opened to write the copy: ask where at once

    def compose(self) -> ComposeResult:
        yield Static("Candidate identifiers: accept (in this transcript), accept everywhere, reject, or edit the "
                     "replacement; w writes the pseudonymised copy (as `coder pseudonymise --out DIR --key FILE`).",
                     id="pseudonyms-help")
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Label("", id="pseudonyms-detail")
        yield ProgressBar(total=None, show_eta=False, id="pseudonyms-progress")
        yield Label("Finding identifiers…", id="pseudonyms-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("transcript", "kind", "count", "text", "replacement", "decision"):
            table.add_column(name, key=name)
        table.focus()
        self.show_detail()
        self._find()
        if self._ask_where:
            self.action_write()

    # ------------------------------------------------------------ workers
    def _progress(self, what: str, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        counted = f" ({done + 1} of {total})" if total > 1 else ""
        self.query_one("#pseudonyms-status", Label).update(literal(f"{what[0].upper()}{what[1:]}{counted}…"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pseudonym-candidates")
    def _find(self) -> list:
        return self.app.project.pseudonym_candidates(
            progress=lambda what, done, total: self.app.call_from_thread(self._progress, what, done, total))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pseudonym-copy")
    def _write(self, out: Path, key: Path, accept: str) -> tuple[dict, Path, Path]:
        summary = self.app.project.pseudonymise(
            out, key, accept, candidates=self.candidates,
            progress=lambda what, done, total: self.app.call_from_thread(self._progress, what, done, total))
        return summary, out, key

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        status = self.query_one("#pseudonyms-status", Label)
        self.query_one(ProgressBar).update(total=1, progress=1)
        error = event.worker.error if event.state == WorkerState.ERROR else None
        message = (str(error) if isinstance(error, CoderError) else f"{error}") if error else ""
        if event.worker.group == "pseudonym-candidates":
            if error:
                status.update(literal(f"Could not find the identifiers: {message}"))
                self.notify(message, title="Not done", severity="error")
                self.candidates = []
                return
            self.candidates = event.worker.result
            self.rows = candidate_rows(self.candidates)
            status.update(literal(f"{len(self.rows)} identifiers to review (of {len(self.candidates)} occurrences). "
                                  "w writes the copy."))
            self.reload()
        elif event.worker.group == "pseudonym-copy":
            self.writing = False
            if error:
                status.update(literal(f"The copy was not written: {message}"))
                self.notify(message, title="Not written", severity="error", timeout=10)
                return
            summary, out, key = event.worker.result
            said = (f"Copy written to {out} ({summary['transcripts']} transcripts, {summary['replacements']} "
                    f"replacements, {summary['codings']} codings); the key is in {key}, readable by you only.")
            warnings = copy_warnings(summary)
            status.update(literal(" ".join([said, *(f"Warning: {w}." for w in warnings)])))
            self.notify(said, title="Pseudonymised copy", timeout=15)
            for warning in warnings:
                self.notify(warning, title="Not everything was replaced", severity="warning", timeout=30)

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
            label.update(Text("Finding identifiers in every transcript…" if self.candidates is None
                              else "No candidate identifiers found."))
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

    def action_write(self) -> None:
        """Ask where the copy and the key go, then write them in the background."""
        from coder.ui.screens.pseudonym_copy import CopyDialog, default_places

        if self.writing:
            self.notify("The copy is being written.", timeout=3)
            return
        project = self.app.project

        def start(places: tuple[Path, Path, str] | None) -> None:
            if places is None:
                return
            self.writing = True
            self.query_one("#pseudonyms-status", Label).update(literal(f"Writing the copy to {places[0]}…"))
            self._write(*places)

        self.app.push_screen(CopyDialog(project.check_pseudonym_places, *default_places(project.root)), start)

    def action_close(self) -> None:
        if self.writing:  # the copy is written by this screen's worker: it stays to say where it went
            self.notify("The copy is being written: this screen says where when it is done.", timeout=4)
            return
        self.dismiss(None)
