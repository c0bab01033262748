"""Long suggestion jobs in a process of their own, at the lowest priority: the workbench never waits.

Two jobs take seconds to minutes of CPU: cross-validating the suggestions per
code (``quality``, :mod:`coder.core.suggest.quality`) and fine-tuning the
encoder (``fine-tune``, :mod:`coder.core.suggest.finetune`).  Each runs in
``python -m coder.core.suggest.background`` at a lower priority than the
suggestion worker (which itself yields to the screen), with one thread for
torch and BLAS, and reports its progress over its stdout with the worker's
framing (:func:`coder.core.suggest.worker.send`):

* parent → child: ``(kind, root, encoder)`` (``encoder`` None for the
  project's model, or a picklable stand-in such as the fake one);
* child → parent: ``("progress", stage, done, total)`` any number of times,
  then ``("done", result)`` or ``("fail", message)``.

:class:`BackgroundJob` is the parent's side: it reads the messages on a
daemon thread and keeps the latest; asking never blocks.  This module imports
only the standard library at the top.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from coder.core.suggest.worker import LOG_NAME, child_env, receive, send

NICE = 15  # below the suggestion worker's 10: the job takes only what nobody else wants
JOBS = ("quality", "fine-tune")


class BackgroundJob:
    """One running job; ``state`` is ``running``, ``done``, ``failed`` or ``stopped``."""

    def __init__(self, kind: str, root: Path, cache: Path, encoder: Any = None,
                 on_change: Callable[["BackgroundJob"], None] | None = None) -> None:
        if kind not in JOBS:
            raise ValueError(f"unknown job {kind!r}")
        self.kind = kind
        self.root = Path(root)
        self.log_path = Path(cache) / LOG_NAME
        self.encoder = encoder
        self.on_change = on_change
        self.state = "idle"
        self.stage, self.done, self.total = "starting", 0, 0
        self.result: Any = None
        self.error = ""
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.state == "running"

    def start(self) -> "BackgroundJob":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self.state = "running"
            with open(self.log_path, "ab") as log:
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "coder.core.suggest.background"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=log, env=child_env(), close_fds=True, start_new_session=True,
                )
        threading.Thread(target=self._read, name=f"coder-{self.kind}", daemon=True).start()
        return self

    def _read(self) -> None:
        proc = self._proc
        assert proc is not None
        try:
            send(proc.stdin, (self.kind, str(self.root), self.encoder))
            proc.stdin.close()
            while True:
                kind, *args = receive(proc.stdout)
                if kind == "progress":
                    self.stage, self.done, self.total = args
                    self._changed()
                    continue
                if kind == "done":
                    self.result, self.state = args[0], "done"
                else:
                    self.error, self.state = str(args[0]), "failed"
                break
        except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
            if self.state == "running":
                code = proc.poll()
                why = f"exit code {code}" if code is not None else str(exc)
                self.error, self.state = f"the {self.kind} process stopped ({why}); see {self.log_path}", "failed"
        finally:
            self._reap()
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self)
            except Exception:  # a closed screen must not kill the reader
                pass

    def _reap(self) -> None:
        proc = self._proc
        if proc is None:
            return
        try:
            proc.wait(2.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def wait(self, timeout: float | None = None) -> Any:
        """Block until the job ends (for the command line); its result, or raise RuntimeError."""
        proc = self._proc
        if proc is not None:
            proc.wait(timeout)
        for _ in range(100):  # the reader thread sets the state just after the process ends
            if self.state != "running":
                break
            threading.Event().wait(0.02)
        if self.state != "done":
            raise RuntimeError(self.error or f"the {self.kind} job did not finish")
        return self.result

    def close(self) -> None:
        """Stop the job if it still runs (the workbench calls this on quit)."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        if self.state == "running":
            self.state = "stopped"
        proc.terminate()
        try:
            proc.wait(1.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(kind: str, root: str, encoder: Any, progress: Callable[[str, int, int], None]) -> Any:
    """The job itself, in this process (the child calls it; so may tests)."""
    from coder.core.project import Project

    project = Project.open(root)
    if kind == "quality":
        from coder.core.suggest.quality import project_quality

        return project_quality(project, encoder=encoder, progress=progress, fresh=True)  # saved for next time
    from coder.core.suggest.finetune import run_round

    return run_round(project, progress=progress)


def main() -> None:
    from coder.core.errors import CoderError
    from coder.core.suggest.worker import become_background, protocol_streams

    inbox, outbox = protocol_streams()
    become_background(NICE)
    try:
        kind, root, encoder = receive(inbox)
    except EOFError:
        return
    try:
        result = run(kind, root, encoder, lambda stage, done, total: send(outbox, ("progress", stage, done, total)))
    except CoderError as exc:
        send(outbox, ("fail", exc.message))
    except Exception as exc:  # reported to the parent, which shows it
        send(outbox, ("fail", f"{type(exc).__name__}: {exc}"))
    else:
        send(outbox, ("done", result))


if __name__ == "__main__":
    main()
