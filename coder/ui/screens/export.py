"""Run the exports, with progress, and show where the files went."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Log, ProgressBar, Static
from textual.worker import Worker, WorkerState

from coder.core.errors import CoderError


class ExportScreen(Screen):
    BINDINGS = [
        Binding("enter,e", "export('csv')", "export CSV", id="export.csv"),
        Binding("x", "export('xlsx')", "export XLSX", id="export.xlsx"),
        Binding("r", "export('qdpx')", "REFI-QDA project", id="export.qdpx"),
        Binding("p", "export('report')", "report (HTML, Word)", id="export.report"),
        Binding("escape", "app.pop_screen", "back", id="export.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="export")
        self.files: list[Path] = []
        self.running = False
        self._last_step = ""

    def compose(self) -> ComposeResult:
        project = self.app.project
        yield Static(f"Export every coder's codings, the participant links and the joint display of "
                     f"{project.name} to {self._relative(project.config.exports)}/: enter writes CSV tables, "
                     "x one XLSX workbook, r a REFI-QDA project (.qdpx) for other QDA programs, "
                     "p the report (a page and a Word document).", id="export-help")
        # Empty until an export starts (an indeterminate bar would pulse as if something were running).
        yield ProgressBar(total=1, show_eta=False, id="export-progress")
        yield Log(id="export-log", auto_scroll=True)
        yield Footer(show_command_palette=False)

    def _relative(self, path: Path) -> str:
        try:
            return str(Path(path).relative_to(self.app.project.root))
        except ValueError:
            return str(path)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "export" and self.running)

    def action_export(self, fmt: str = "csv") -> None:
        self.running = True
        self._last_step = ""
        self.query_one(Log).write_line(f"Exporting ({fmt})…")
        # Running, its steps not known yet: the bar pulses until the first step reports.
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.refresh_bindings()
        self._run(fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _run(self, fmt: str) -> list[Path]:
        def progress(what: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total, what)

        if fmt == "report":
            return list(self.app.project.report())
        return list(self.app.project.export(progress=progress, format=fmt))

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
