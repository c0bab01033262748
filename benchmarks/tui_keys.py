"""Keypress→screen while the model loads, from real key bytes in a pseudo-terminal.

    python benchmarks/tui_keys.py [--rounds 1] [--apart]      (also run by benchmarks/tui.py)

Each app runs as its own process on a pty (120×40, ``TERM=xterm-256color``),
exactly as in a terminal.  From the first paint, ``j`` is written to the pty
every quarter second; the time of a key is from writing its byte to reading
the first screen output that draws the moved highlight (bold reverse video,
``ESC[1;7…m``, which both apps use for it and nothing else on their screens).

* bare: a Textual app doing comparable work per key: a highlighted line in a
  scrolling text of 2,000 lines (Line API), moved down one line by ``j``,
  scrolled to stay in view.  Its highlight starts on the last visible line, so
  every key scrolls from the first one and its work per key is the same in
  every phase (starting at the top, its first screenful of keys, the whole of
  the loading phase on a quiet machine, only repainted two lines).
* coder, while loading: the sample project with the 15,000-word transcript
  open, from its first paint until the status says the model is ready.
* coder, idle: then 24 ``j`` presses with the model ready and nothing
  running: the app's own cost of moving the selection.
* coder, retraining: then applying a code (``1``, which retrains the model)
  half an interval before every fourth ``j``, for 24 more ``j`` presses.

Both apps run side by side on their ptys, and their keys interleave: each gets
``j`` every quarter second, the bare app half an interval after coder, so in
every phase the bare app is measured at the same moments, under the same load
on the machine (other jobs, coder's model process), and each phase's p95 is
compared with the bare app's over the same keys.  Side by side, coder's own
work after a key (its panels, the model's process) also lands on the bare
app's keys; ``--apart`` times the bare app alone right after coder instead,
as many keys per phase (no such overlap, but the load may have changed).

Both apps also draw a one-line marker (the number of the highlighted line or
sentence, and for coder the model's status): it tells when the model is
ready, and a key is *lost* if the last marker shows fewer moves than were
sent (or a key's highlight never shows).  A key's time starts just before its
byte is written, so a prompt answer is never taken for the next key's.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LONG = "lc-sco-p06-interview"
INTERVAL = 0.25
SETTLE = 5.0  # seconds to wait for the last key's effect before calling it lost
PHASES = {"loading": "coder while the model loads", "idle": "coder, model ready, idle",
          "retraining": "coder while it retrains"}
MARK = re.compile(rb"@(\d{5}):(\w+)@")
HIGHLIGHT = re.compile(rb"\x1b\[1;(?:\d;)*7[;m]")  # bold ... reverse: the moved highlight
ESCAPE = re.compile(rb"\x1b(?:\[[0-9;?<>=$ ]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")

MARK_WIDGET = """
from textual.widget import Widget
class Mark(Widget):
    DEFAULT_CSS = "Mark { dock: top; height: 1; width: 20; }"
    text = ""
    def show(self, text):  # a repaint of this line only: no layout pass, in either app
        self.text = text
        self.refresh()
    def render(self):
        return self.text
"""

BARE = MARK_WIDGET + """
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
LINES = [f"{i:5d}  " + "the quick brown fox jumps over the lazy dog " * 2 for i in range(2000)]
class Text(ScrollView):
    cursor = moves = 0
    def on_mount(self):
        self.virtual_size = Size(100, len(LINES))
        self.call_after_refresh(self.to_bottom_edge)
    def to_bottom_edge(self):  # so every key scrolls, from the first: the same work in every phase
        self.cursor = self.scrollable_content_region.height - 1
        self.refresh()
    def move(self):
        self.cursor += 1
        self.moves += 1
        self.refresh_lines(self.cursor - 1, 2)  # the old and the new highlighted line
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False)
    def render_line(self, y):
        row = int(self.scroll_offset.y) + y
        if row >= len(LINES):
            return Strip.blank(self.size.width)
        style = Style(bold=True, reverse=True) if row == self.cursor else Style()
        return Strip([Segment(LINES[row], style)]).crop_extend(0, self.size.width, Style())
class Bare(App):
    BINDINGS = [("j", "press"), ("ctrl+q", "quit")]
    def compose(self):
        yield Mark()
        yield Text()
    def on_mount(self):
        self.query_one(Mark).show("@00000:bare@")
    def action_press(self):
        text = self.query_one(Text)
        text.move()
        self.query_one(Mark).show(f"@{text.moves:05d}:bare@")
Bare().run()
"""

CODER = MARK_WIDGET + """
import sys
from pathlib import Path
from coder.ui.app import make_app
from coder.ui.screens.coding import CodingScreen
changed = CodingScreen.selection_changed
def selection_changed(self):
    changed(self)
    mark = getattr(self, "bench_mark", None)
    if mark is None:
        mark = self.bench_mark = Mark()
        self.mount(mark)
    status = self._model_status().split(":")[0].strip("…")
    mark.show(f"@{self.sel.cursor:05d}:{status}@")
CodingScreen.selection_changed = selection_changed
make_app(Path(sys.argv[1]), "bench").run()
"""


class Pty:
    """One app on a pseudo-terminal; a reader thread timestamps every marker it draws."""

    def __init__(self, code: str, *args: str, cols: int = 120, rows: int = 40) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", HF_HUB_OFFLINE="1",
                   CODER_NAME="bench", PYTHONPATH=str(REPO))
        self.proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=REPO, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.marks: list[tuple[float, int, str]] = []  # (time read, number, status)
        self.highlights: list[float] = []  # times of reads that draw the highlight
        self._tail = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.5)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            text = ESCAPE.sub(b"", self._tail + data)
            if HIGHLIGHT.search(data):
                self.highlights.append(now)
            for m in MARK.finditer(text):
                self.marks.append((now, int(m.group(1)), m.group(2).decode()))
            self._tail = data[-64:]  # a marker split across two reads is found next time

    def key(self, data: bytes) -> float:
        sent = time.perf_counter()  # before writing: a prompt answer can never precede its key
        os.write(self.fd, data)
        return sent

    def wait_mark(self, timeout: float, test=lambda number, status: True) -> tuple[float, int, str] | None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            for mark in self.marks:
                if test(mark[1], mark[2]):
                    return mark
            time.sleep(0.005)
        return None

    def latencies(self, sent: list[tuple[float, int]]) -> tuple[list[float], int]:
        """For each (time sent, number expected): seconds until the highlight is next drawn.

        A key is lost if no highlight follows it, or if the last marker shows fewer moves than
        were sent up to it."""
        out, lost = [], 0
        last = max((number for _, number, _ in self.marks), default=0)
        for t, want in sent:
            shown = next((at for at in self.highlights if at >= t), None)
            if shown is None or shown - t > SETTLE or last < want:
                lost += 1
            else:
                out.append(shown - t)
        return out, lost

    def quit(self) -> float:
        """Seconds from ctrl+q to the process having exited."""
        start = self.key(b"\x11")
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return float("inf")
        finally:
            os.close(self.fd)
        return time.perf_counter() - start


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def finish(app: "Pty", number: int, sent: dict, phases, pause: float = 0.5) -> dict:
    """After the last key: each phase's figures, then quit, the time it took and the worker
    processes left running after it."""
    app.wait_mark(SETTLE, lambda n, s: n >= number)
    workers = children(app.proc.pid)
    figures = {phase: summary(*app.latencies(sent[phase])) for phase in phases}
    figures["quit"] = app.quit()
    time.sleep(pause)
    figures["left_running"] = sum(alive(pid) for pid in workers)
    figures["workers"] = len(workers)
    return figures


def summary(times: list[float], lost: int) -> dict:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else float("nan")
    return {"n": len(times) + lost, "median": statistics.median(times) if times else float("nan"),
            "p95": p95, "max": max(times, default=float("nan")), "lost": lost}


def start_bare() -> Pty:
    bare = Pty(BARE)
    if bare.wait_mark(60) is None:
        bare.proc.kill()
        raise SystemExit("the bare app never painted")
    return bare


def run(root: Path, apart: bool = False) -> dict:
    """coder and the bare app side by side, keys interleaved: each app gets ``j`` every quarter
    second, the bare app half an interval after coder, so both are measured under the same load.

    ``apart``: the bare app runs alone right after coder instead, with as many keys per phase (no
    work of coder's on the machine while the bare app is timed, but the load may have changed)."""
    bare = None if apart else start_bare()
    app = Pty(CODER, str(root))
    first = app.wait_mark(60)
    if first is None:
        app.proc.kill()
        if bare is not None:
            bare.proc.kill()
        raise SystemExit("coder never drew its first sentence")
    number, bare_number = first[1], 0
    sent: dict[str, list] = {phase: [] for phase in PHASES}
    bare_sent: dict[str, list] = {phase: [] for phase in PHASES}

    def step(phase: str, apply: bool = False) -> None:
        nonlocal number, bare_number
        if apply:  # a code applied (and the model retrained) half an interval before the move
            app.key(b"1")
        time.sleep(INTERVAL / 2)
        number += 1
        sent[phase].append((app.key(b"j"), number))
        time.sleep(INTERVAL / 2)
        if bare is not None:
            bare_number += 1
            bare_sent[phase].append((bare.key(b"j"), bare_number))

    while not any(status == "ready" for _, _, status in app.marks) and len(sent["loading"]) < 600:
        step("loading")
    for _ in range(24):
        step("idle")
    for i in range(24):
        step("retraining", apply=i % 4 == 0)
    figures = finish(app, number, sent, PHASES)
    if bare is None:  # apart: the bare app now, alone, as many keys per phase
        bare = start_bare()
        for phase in PHASES:
            for _ in sent[phase]:
                time.sleep(INTERVAL / 2)
                bare_number += 1
                bare_sent[phase].append((bare.key(b"j"), bare_number))
                time.sleep(INTERVAL / 2)
    bare.wait_mark(SETTLE, lambda n, s: n >= bare_number)
    figures["bare"] = {phase: summary(*bare.latencies(bare_sent[phase])) for phase in PHASES}
    bare.quit()
    return figures


def prepare(dest: Path) -> Path:
    root = dest / "sample"
    root.mkdir()
    for name in ("coder.yaml", "codebooks", "transcripts"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    (root / ".coder").mkdir()
    (root / ".coder" / "ui.json").write_text(json.dumps({"transcript": LONG}), encoding="utf-8")
    return root


def line(name: str, f: dict, bare: dict | None = None) -> str:
    ratio = f" ({f['p95'] / bare['p95']:.2f}× bare at p95)" if bare else ""
    return (f"{name:<30}: median {f['median'] * 1000:5.0f} ms, p95 {f['p95'] * 1000:5.0f} ms, "
            f"max {f['max'] * 1000:5.0f} ms, keys lost {f['lost']}/{f['n']}{ratio}")


def report(rounds: int = 1, apart: bool = False) -> None:
    ratios: dict[str, list[float]] = {phase: [] for phase in PHASES}
    for r in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            f = run(prepare(Path(tmp)), apart)
        label = f" (round {r + 1})" if rounds > 1 else ""
        how = "the bare app alone right after coder" if apart else "interleaved"
        print(f"keypress→screen from real keys on a pty, j every {INTERVAL * 1000:.0f} ms to each app, "
              f"{how}{label}:")
        for phase, name in PHASES.items():
            bare = f["bare"][phase]
            print(line(f"  {name}", f[phase], bare))
            print(line("    bare Textual app, " + ("same keys after" if apart else "same moments"), bare))
            ratios[phase].append(f[phase]["p95"] / bare["p95"])
        print(f"  coder quit: {f['quit'] * 1000:.0f} ms; worker processes {f['workers']}, "
              f"left running after quit: {f['left_running']}")
    if rounds > 1:
        print(f"p95 of coder / p95 of the bare app over {rounds} rounds (median, min–max):")
        for phase, name in PHASES.items():
            values = sorted(ratios[phase])
            print(f"  {name:<30}: {statistics.median(values):.2f}× ({values[0]:.2f}–{values[-1]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--apart", action="store_true",
                        help="time the bare app alone right after coder instead of interleaved with it")
    args = parser.parse_args()
    report(args.rounds, args.apart)


if __name__ == "__main__":
    main()
