"""The workbench's long suggestion jobs (cross-validation, fine-tuning), each in a background process.

The app owns one :class:`Jobs`; screens read its jobs' progress (plain
attributes, never blocking) on a timer.  With ``fine_tune: true`` in
``coder.yaml`` a fine-tuning round starts by itself once enough is coded, and
again when the coded passages have grown by a quarter since the last round;
when a round ends the suggestion model is reloaded with it, the old one
answering until the new one is ready.  The same check notices when the model
in use is no longer the one the project names (its folder was deleted, or a
round finished from the command line) and reloads, saying which model the
suggestions now come from.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from coder.core.suggest.background import BackgroundJob

if TYPE_CHECKING:
    from textual.app import App

CHECK_EVERY = 60.0  # seconds between checks whether a fine-tuning round is due
GROWTH = 1.25  # a new round once the coded passages grew by this factor


class Jobs:
    def __init__(self, app: "App") -> None:
        self.app = app
        self.running: dict[str, BackgroundJob] = {}  # the latest job of each kind, running or ended
        self._reloading = threading.Lock()  # one model reload at a time (a round's end, or the check)
        self.fallback = ""  # why the suggestions fell back to the stock model, if they did

    @property
    def project(self):
        return self.app.project

    def get(self, kind: str) -> BackgroundJob | None:
        return self.running.get(kind)

    def start(self, kind: str) -> BackgroundJob:
        """Start a job of this kind unless one is running; the running or new job."""
        job = self.running.get(kind)
        if job is not None and job.running:
            return job
        on_change = self._fine_tune_changed if kind == "fine-tune" else None
        job = BackgroundJob(kind, self.project.root, self.project.config.cache, getattr(self.app, "encoder", None),
                            on_change=on_change)
        self.running[kind] = job
        return job.start()

    def close(self) -> None:
        for job in self.running.values():
            job.close()

    # ------------------------------------------------------------ fine-tuning
    def watch(self) -> None:
        """Check now and then (off the screen's thread) whether a fine-tuning round is due."""
        if self.project.config.fine_tune:
            self.app.set_interval(CHECK_EVERY, self._check, name="fine-tune check")
            self.app.call_later(self._check)

    def _check(self) -> None:
        job = self.running.get("fine-tune")
        if job is None or not job.running:
            self.app.run_worker(self._due, thread=True, exit_on_error=False, group="fine-tune check")

    def _due(self) -> None:
        from coder.core.suggest.finetune import coded_needed, last_round_coded
        from coder.core.suggestions import training_data

        self._follow_model()
        with self.project.lock:
            coded = len({(text, where) for text, _, where in training_data(self.project).positives})
        last = last_round_coded(self.project.config.cache, self.project.config.model)
        if coded >= coded_needed(self.project.config) and (last is None or coded >= GROWTH * last):
            self.app.call_from_thread(self._start_round, coded)

    def _start_round(self, coded: int) -> None:
        self.start("fine-tune")
        self.app.notify(f"Fine-tuning the suggestion model on {coded} coded passages, in the background "
                        "(A shows its progress).", title="Fine-tuning", timeout=6)

    def _follow_model(self) -> None:
        """On a worker thread: if the suggestions use another model than the project now names, reload."""
        from coder.core.suggest.quality import FINE_TUNED

        changed = self._reload(self.project.suggestions.follow)
        if not changed:
            return
        before, now = changed
        if FINE_TUNED in before and FINE_TUNED not in now:
            self.fallback = f"the fine-tuned model {before} is missing from .coder/models/"
            self._say(f"The fine-tuned model {before} is missing from .coder/models/: suggestions now come "
                      f"from the stock model {now}.", "warning")
        else:
            self.fallback = ""
            self._say(f"Suggestions now come from {now}.", "information")

    def _reload(self, how):
        """``how()`` (a reload of the suggestion model: call it off the screen's thread) unless another
        reload is under way; its answer, or None if it failed (the old model keeps answering)."""
        if not self._reloading.acquire(blocking=False):
            return None
        try:
            return how()
        except Exception as exc:
            self._say(f"The suggestion model could not be reloaded: {exc}", "warning")
            return None
        finally:
            self._reloading.release()

    def _fine_tune_changed(self, job: BackgroundJob) -> None:
        """On the job's reader thread: when a round ends, load its model (the old one answers meanwhile)."""
        if job.state == "done" and self.project.config.fine_tune:
            if self._reload(lambda: self.project.suggestions.reload() or True):
                self.fallback = ""
                self._say(f"Suggestions now come from the fine-tuned model {job.result.model_id}.", "information")
        elif job.state == "failed":
            self._say(f"Fine-tuning stopped: {job.error}", "warning")

    def _say(self, message: str, severity: str) -> None:
        try:
            self.app.call_from_thread(self.app.notify, message, title="Fine-tuning", severity=severity, timeout=8)
        except RuntimeError:  # the app has gone
            pass

