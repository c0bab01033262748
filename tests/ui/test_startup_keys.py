"""The real workbench on a pseudo-terminal: keys typed during start-up, and quitting while the model loads.

These run ``python -m coder open`` as a researcher would, with real key bytes,
and the real suggestion model loading in its worker process.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.ui.conftest import write_project

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


class Terminal:
    def __init__(self, root: Path, home: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        env = {k: v for k, v in os.environ.items() if k != "CODER_NAME"}
        env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(home), PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "coder", "open"], cwd=root, env=env,
                                     stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.screen = b""

    def type(self, data: bytes) -> None:
        os.write(self.fd, data)

    def read_until(self, done, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if done():
                return True
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.fd, 65536)
                except OSError:  # the app has let go of the terminal
                    time.sleep(0.1)
        return done()

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.fd)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie left to an init that does not reap counts as gone: it runs nothing
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_a_name_typed_as_the_app_starts_keeps_every_character_and_quitting_while_loading_is_prompt(tmp_path):
    root = write_project(tmp_path / "study")
    settings = tmp_path / "home" / "coder" / "settings.yaml"
    term = Terminal(root, tmp_path / "home")
    try:
        term.type("Zoe_R-2.b\r".encode())  # at once, before the app has drawn anything
        assert term.read_until(lambda: settings.exists() and "Zoe_R-2.b" in settings.read_text(encoding="utf-8"),
                               60), term.screen[-2000:]
        assert term.read_until(lambda: bool(term.workers()), 30), "the model loads in a worker process"
        workers = term.workers()
        start = time.monotonic()
        term.type(b"q")  # the model is still loading: quitting must not wait for it
        assert term.read_until(lambda: term.proc.poll() is not None, 20), "quit while the model loads"
        assert time.monotonic() - start < 15
        assert term.proc.returncode == 0
        assert all(gone(pid) for pid in workers), "the worker process ends with the workbench"
    finally:
        term.close()
