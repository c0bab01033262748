"""Run the exports, with progress, and show where the files went.

The exports hold every coder's codings merged, or one coder's: ``c`` cycles through the choice
(as ``coder export --coder NAME`` does on the command line).
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Log, ProgressBar, Static
from textual.worker import Worker, WorkerState

from coder.core.errors import CoderError
from coder.ui.literal import literal


class ExportScreen(Screen):
    BINDINGS = [
        Binding("enter,e", "export('csv')", "export CSV", id="export.csv"),
        Binding("x", "export('xlsx')", "export XLSX", id="export.xlsx"),
        Binding("r", "export('qdpx')", "REFI-QDA project", id="export.qdpx"),
        Binding("c", "next_coder", "whose codings", id="export.coder"),
        Binding("p", "export('report')", "report (HTML, Word)", id="export.report"),
        Binding("escape", "app.pop_screen", "back", id="export.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="export")
        self.files: list[Path] = []
        self.running = False
        self._last_step = ""
        self.coder: str | None = None  # whose codings: None for every coder merged

    def compose(self) -> ComposeResult:
        project = self.app.project
        yield Static(literal(f"Export the codings, the participant links and the joint display of "
                             f"{project.name} to {self._relative(project.config.exports)}/: enter writes CSV "
                             "tables, x one XLSX workbook, r a REFI-QDA project (.qdpx) for other QDA programs, "
                             "p the report (a page and a Word document)."),
                     id="export-help")
        yield Static(self._whose(), id="export-coder")
        # Empty until an export starts (an indeterminate bar would pulse as if something were running).
        yield ProgressBar(total=1, show_eta=False, id="export-progress")
        yield Log(id="export-log", auto_scroll=True)
        yield Footer(show_command_palette=False)

    def _relative(self, path: Path) -> str:
        try:
            return str(Path(path).relative_to(self.app.project.root))
        except ValueError:
            return str(path)

    def _whose(self):
        who = f"{self.coder}'s codings only" if self.coder else "every coder's codings, merged"
        return literal(f"Exporting {who} (c changes whose).")

    def coders(self) -> list[str]:
        try:
            return list(self.app.project.coders())
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return []

    def action_next_coder(self) -> None:
        """All coders merged, then each coder in turn, then all again."""
        choices = [None, *self.coders()]
        at = choices.index(self.coder) if self.coder in choices else 0
        self.coder = choices[(at + 1) % len(choices)]
        self.query_one("#export-coder", Static).update(self._whose())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("export", "next_coder") and self.running)

    def action_export(self, fmt: str = "csv") -> None:
        self.running = True
        self._last_step = ""
        who = self.coder or "all coders"
        self.query_one(Log).write_line(f"Exporting ({fmt}, {who})…")
        # Running, its steps not known yet: the bar pulses until the first step reports.
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.refresh_bindings()
        self._run(fmt, self.coder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _run(self, fmt: str, coder: str | None) -> list[Path]:
        def progress(what: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total, what)

        if fmt == "report":
            return list(self.app.project.report(coder=coder))
        return list(self.app.project.export(progress=progress, format=fmt, coder=coder))

    def _progress(self, done: int, total: int, what: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        if what and what != self._last_step:
            self._last_step = what
            self.query_one(Log).write_line(f"  {what}…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.running = False
        self.refresh_bindings()
        log = self.query_one(Log)
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, CoderError) else f"export failed: {error}"
            log.write_line(message)
            self.query_one(ProgressBar).update(total=1, progress=0)  # idle again: nothing is running
            self.notify(message, title="Not done", severity="error")
            return
        self.files = event.worker.result
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, len(self.files)), progress=max(1, len(self.files)))
        for path in self.files:
            log.write_line(f"  {self._relative(path)}")
        log.write_line(f"{len(self.files)} files written.")
        from coder.core.export.coverage import not_done_warning

        project = self.app.project
        warning = not_done_warning(project.not_done(), len(project.transcript_ids()))
        if warning:
            log.write_line(f"Warning: {warning}")
            self.notify(warning, title="Transcripts not done", severity="warning", timeout=8)
        self.notify(f"Exported {len(self.files)} files to {self._relative(self.app.project.config.exports)}/")
