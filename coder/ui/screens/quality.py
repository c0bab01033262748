"""How good the suggestions are on this project: decisions by band, kappa per code, fine-tuning.

The band table is read from the coding logs on a thread; the cross-validation
and fine-tuning run in background processes (:mod:`coder.ui.jobs`) whose
progress this screen reads on a timer, so no key ever waits for them.  The
last cross-validation is shown at once with its time (it is kept in
``.coder/``); a new one runs only when what it was computed from has changed
(or on ``r``), and the screen says so while it does.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from coder.core.suggest.background import BackgroundJob
from coder.core.suggest.quality import Quality, current, format_bands, format_codes, project_quality
from coder.ui.literal import cell, literal
from coder.ui.widgets.table import Table

BAND_COLUMNS = ("band", "accepted", "rejected", "precision")
CODE_COLUMNS = ("code", "coded", "kappa", "F1", "precision", "recall", "verdict")
VERDICT_STYLE = {"good": "green", "fair": "yellow", "poor": "red"}


def _reset(table: DataTable, columns: tuple[str, ...]) -> DataTable:
    """Empty ``table`` with fresh columns (so their widths follow the new rows)."""
    table.clear(columns=True)
    for name in columns:
        table.add_column(name, key=name)
    return table


class QualityScreen(Screen):
    BINDINGS = [
        Binding("r", "recompute", "cross-validate again", id="quality.recompute"),
        Binding("F", "fine_tune", "fine-tune now", id="quality.fine-tune"),
        Binding("escape", "close", "back", id="quality.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="quality")
        self.shown: Quality | None = None  # the cross-validation on screen
        self.stale = False  # the one on screen was computed from other codings, codebook or model
        self._showing_job: BackgroundJob | None = None
        self._model = ""  # the suggestion model when the saved result was last checked

    @property
    def jobs(self):
        return self.app.jobs

    def compose(self) -> ComposeResult:
        yield Static(literal("Suggestions on this project: what you accepted and rejected, by the band shown",
                             "bold"), id="quality-head")
        yield Table(cursor_type="none", id="quality-bands")
        yield Static("", id="quality-progress")
        yield Table(cursor_type="row", zebra_stripes=True, id="quality-codes")
        yield Static("", id="quality-fine-tune")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        codes = self.query_one("#quality-codes", DataTable)
        _reset(self.query_one("#quality-bands", DataTable), BAND_COLUMNS)
        _reset(codes, CODE_COLUMNS)
        job = self.jobs.get("quality")
        if job is not None and job.running:
            self._showing_job = job
        self._read()
        self.set_interval(0.5, self._poll)
        self._poll()
        codes.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="quality-read")
    def _read(self) -> tuple[Quality, Quality | None, bool]:
        """The decisions by band (from the logs), the last saved cross-validation and whether it is current."""
        project = self.app.project
        return (project_quality(project, cross=False),
                *current(project, getattr(self.app, "encoder", None)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "quality-read":
            return
        if event.state == WorkerState.ERROR:
            self.notify(f"Cannot read the coding logs: {event.worker.error}", title="Quality", severity="error")
        elif event.state == WorkerState.SUCCESS:
            bands, last, fresh = event.worker.result
            self._show_bands(bands)
            if last is not None and (self.shown is None or last.time > self.shown.time):
                self._show_codes(last)
            self.stale = not fresh
            if not fresh and (self._showing_job is None or not self._showing_job.running):
                self._showing_job = self.jobs.start("quality")  # only when out of date: it takes a while
            self._poll()

    def _show_bands(self, quality: Quality) -> None:
        table = _reset(self.query_one("#quality-bands", DataTable), BAND_COLUMNS)
        for row in format_bands(quality.bands):
            table.add_row(*(cell(row[c]) for c in BAND_COLUMNS))

    def _show_codes(self, quality: Quality) -> None:
        self.shown = quality
        table = _reset(self.query_one("#quality-codes", DataTable), CODE_COLUMNS)
        for row in format_codes(quality.codes, quality.min_positives):
            style = VERDICT_STYLE.get(row["verdict"], "dim")
            table.add_row(*(cell(row[c], style if c == "verdict" else "") for c in CODE_COLUMNS))

    def _summary(self) -> Text:
        q = self.shown
        if q is None:
            return Text("Cross-validated kappa per code: not computed yet.")
        if not q.folds:
            return Text(f"Cross-validated kappa per code: not yet ({q.note}).")
        text = Text(f"Cross-validated on {q.passages} coded or read passages ({q.folds} folds, model {q.model}), "
                    f"computed {q.time[:16].replace('T', ' ')} UTC")
        text.append(" from older codings, codebook or model" if self.stale else "", style="italic")
        text.append(f"; a code needs {q.min_positives} codings")
        if q.mean_kappa is not None:
            text.append(f"; mean kappa {q.mean_kappa:.2f}")
        text.append(". Kappa: how far the suggestions agree with your codings beyond chance. Trust the "
                    "suggestions of codes marked good; check those marked fair; code those marked poor yourself.")
        if q.caveat:
            text.append(" " + q.caveat, style="italic")
        return text

    def _poll(self) -> None:
        model = self.app.project.suggestions.model_id
        if self._model and model != self._model:  # a round ended, or the fine-tuned model went: stale?
            self._read()
        self._model = model
        job = self._showing_job
        if job is not None and job.state == "done" and job.result is not None and job.result is not self.shown:
            self._show_codes(job.result)
            self.stale = False
        line = self._summary()
        if job is not None and job.running:
            of = f" {job.done} of {job.total}" if job.total else ""
            again = "Recomputing" if self.shown is not None and self.shown.folds else "Computing"
            line.append(f"\n{again}… ({job.stage}{of}; keys keep working)", style="italic")
        elif job is not None and job.state == "failed":
            line.append(f"\nRecomputing failed: {job.error} (r tries again)", style="italic")
        self.query_one("#quality-progress", Static).update(literal(line))
        self.query_one("#quality-fine-tune", Static).update(literal(self._fine_tune_line()))

    def _fine_tune_line(self) -> str:
        config = self.app.project.config
        job = self.jobs.get("fine-tune")
        model = f"Suggestions come from {self.app.project.suggestions.model_id}"
        if self.jobs.fallback:
            model += f" ({self.jobs.fallback})"
        if job is not None and job.running:
            of = f" {job.done} of {job.total}" if job.total else ""
            return f"{model}. Fine-tuning in the background: {job.stage}{of}… (keys keep working)"
        if job is not None and job.state == "failed":
            return f"{model}. Fine-tuning failed: {job.error}"
        if job is not None and job.state == "done":
            r = job.result
            return (f"{model}. Fine-tuned {r.model_id} on {r.coded} coded passages ({r.cpu_seconds:.0f} CPU-seconds)"
                    + ("." if config.fine_tune else "; 'fine_tune: true' in coder.yaml puts it to use."))
        if not config.fine_tune:
            return f"{model}. Fine-tuning is off ('fine_tune: true' in coder.yaml turns it on; F runs one round now)."
        return (f"{model}. Fine-tuning is on: a round runs in the background once {config.fine_tune_after} "
                "passages are coded, and again when they grow by a quarter.")

    def action_recompute(self) -> None:
        job = self.jobs.get("quality")
        if job is not None and job.running:
            self.notify("Already cross-validating.", timeout=3)
            return
        self._showing_job = self.jobs.start("quality")
        self._poll()

    def action_fine_tune(self) -> None:
        self.jobs.start("fine-tune")
        self._poll()

    def action_close(self) -> None:
        self.dismiss(None)
