"""The suggestion model in a process of its own, so it never competes with the caller.

Importing torch and encoding hold the Python interpreter for seconds at a
time; in a thread of the workbench they would freeze the screen.  The
workbench therefore runs the model in a child process
(``python -m coder.core.suggest.worker``) at a lower CPU priority, and talks
to it over the child's stdin/stdout: each message is a 4-byte big-endian
length and a pickle.

* parent → child: ``("load", root, encoder)`` first (``encoder`` is None for
  the configured model, or a picklable stand-in such as the fake one), then
  ``("rank", readings, k, exclude)``, ``("learn",)`` or ``("quit",)``.
* child → parent: ``("ready", model_id)`` or ``("error", message)`` once
  loaded, then ``("ok", value)`` or ``("fail", message)`` per request.

The child opens its own :class:`~coder.core.project.Project` at the same
root and re-reads the coding logs before each retrain.  It runs at a lower
priority (``nice``) with one thread for torch, so it never takes the core the
screen needs.  Its stdout and
stderr go to ``.coder/suggestions.log``, never to the caller's terminal.

This module imports nothing heavy at the top: :class:`WorkerProcess` is the
parent's side and loads only the standard library.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

LOG_NAME = "suggestions.log"  # under the project's .coder/ folder
NICE = 10  # how much lower the child's CPU priority is than the caller's
# One thread for torch and BLAS unless the user set these: on a busy two-core machine,
# threads spinning for each other made one sentence take 0.6 s instead of 0.04 s.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
_HEADER = struct.Struct(">I")


def child_env() -> dict[str, str]:
    """The environment of a model process: offline, this package importable, one thread for torch."""
    package_root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
    for name in THREAD_VARIABLES:  # one core for the model, the other stays the screen's
        env.setdefault(name, "1")
    return env


class WorkerGone(Exception):
    """The worker process stopped or broke the protocol."""


def send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> Any:
    """The next message, or raise :class:`EOFError` when the other side has gone."""
    header = _read(stream, _HEADER.size)
    return pickle.loads(_read(stream, _HEADER.unpack(header)[0]))


def _read(stream: BinaryIO, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError("the other side closed the pipe")
        data += chunk
    return data


class WorkerProcess:
    """The parent's handle on one suggestion worker; thread-safe, one request at a time."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = Path(root)
        self.log_path = Path(cache) / LOG_NAME
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one request at a time
        self._state = threading.Lock()  # guards _proc and _closed between start() and close()
        self._closed = False

    def start(self, encoder: Any = None) -> str:
        """Start the child and wait until its model is trained; returns the model id.

        Raises :class:`WorkerGone` with the child's own message if it cannot load.
        """
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = child_env()
        with self._state:
            if self._closed:  # closed before it started (the workbench quit at once)
                raise WorkerGone("the suggestion process was stopped")
            with open(self.log_path, "ab") as log:
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "coder.core.suggest.worker"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=log, env=env, close_fds=True,
                    start_new_session=True,  # a ctrl+c in the terminal is the workbench's to handle, not the child's
                )
        kind, value = self._ask(("load", str(self.root), encoder))
        if kind != "ready":
            self.close()
            raise WorkerGone(value)
        return value

    def request(self, *message: Any) -> Any:
        kind, value = self._ask(message)
        if kind != "ok":
            raise RuntimeError(value)
        return value

    def _ask(self, message: tuple) -> tuple[str, Any]:
        proc = self._proc
        if proc is None:
            raise WorkerGone("the suggestion process is not running")
        with self._lock:
            try:
                send(proc.stdin, message)
                return receive(proc.stdout)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
                code = proc.poll()
                why = f"exit code {code}" if code is not None else str(exc)
                raise WorkerGone(f"the suggestion process stopped ({why}); see {self.log_path}") from None

    def close(self, timeout: float = 0.3) -> None:
        """Stop the child: ask it to quit, else terminate it; always reap it (no zombie)."""
        with self._state:
            self._closed = True
            proc, self._proc = self._proc, None
        if proc is None:
            return
        asked = self._lock.acquire(timeout=0.05)  # not while a request waits on a busy child
        if asked:
            try:
                send(proc.stdin, ("quit",))
                proc.stdin.close()
            except OSError:
                pass
            finally:
                self._lock.release()
        try:
            proc.wait(timeout if asked else 0.01)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout):  # the child is gone: a waiting reader has had its EOF
            try:
                stream.close()
            except OSError:
                pass


# ------------------------------------------------------------------ the child
def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    """Answer requests until the parent says quit or goes away."""
    from coder.core.errors import CoderError
    from coder.core.project import Project
    from coder.core.suggestions import SuggestionService

    try:
        _, root, encoder = receive(inbox)
        service = SuggestionService(Project.open(root))
        service.encoder = encoder
        service.load()
    except EOFError:
        return
    except CoderError as exc:
        send(outbox, ("error", exc.message))
        return
    except Exception as exc:  # reported to the parent, which shows it in its status
        send(outbox, ("error", f"{type(exc).__name__}: {exc}"))
        return
    send(outbox, ("ready", service.model_id))
    while True:
        try:
            kind, *args = receive(inbox)
        except EOFError:
            return
        if kind == "quit":
            return
        try:
            if kind == "rank":
                value = service.rank(*args)
            elif kind == "learn":
                service.project.store.refresh()
                service.learn()
                value = None
            else:
                raise ValueError(f"unknown request {kind!r}")
        except Exception as exc:
            send(outbox, ("fail", f"{type(exc).__name__}: {exc}"))
        else:
            send(outbox, ("ok", value))


def main() -> None:
    inbox, outbox = protocol_streams()
    become_background(NICE)
    serve(inbox, outbox)


def protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """(stdin, the real stdout) for messages; stray prints from libraries then go to the log."""
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return sys.stdin.buffer, outbox


def become_background(nice: int) -> None:
    """Lower this process's priority by ``nice`` and end it when its parent ends."""
    try:
        os.nice(nice)
    except (AttributeError, OSError):  # no nice() here (Windows): run at normal priority
        pass
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End at once if the parent dies, even in the middle of loading the model."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


if __name__ == "__main__":
    main()
