"""Figures for the coding workbench (printed; not a timed test).

    python benchmarks/tui.py [--runs 5] [--keys 40] [--rounds 1] [--apart]

* First paint with the sample project open, from process start, against a bare
  Textual app's first paint measured the same way in the same run.  Each is a
  fresh ``python -c`` process that prints the time of its first painted screen
  and exits; the suggestion model is still loading at that moment.
* Opening the 15,000-word transcript (``lc-sco-p06-interview``): from the
  request to the screen painted with it, first time (parsed by spaCy) and again
  (cached by the project).
* Keypress to updated screen when applying a code (key ``1``) on that
  transcript: the median over ``--keys`` presses, each undone before the next.
* Keypress to screen while the model loads, once it is ready and while it
  retrains, from real key bytes on a pseudo-terminal, each beside a bare
  Textual app with keys interleaved (or timed alone right after, ``--apart``);
  see ``tui_keys.py``.  ``--rounds`` repeats it and sums up the p95 ratios.

The sample project is copied to a temporary folder, so the repository's
``codings/`` is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LONG = "lc-sco-p06-interview"

BARE = """
import time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        print(time.time(), flush=True)
        self.exit()
Bare().run(headless=True, size=(120, 40))
"""

CODER_APP = """
import sys, time
from pathlib import Path
from coder.ui.app import make_app
from coder.ui.screens.coding import CodingScreen
app = make_app(Path(sys.argv[1]), "bench")
mount = CodingScreen.on_mount
def on_mount(self):
    mount(self)
    self.call_after_refresh(painted)
def painted():
    heavy = [m for m in ("torch", "sentence_transformers", "pandas", "spacy") if m in sys.modules]
    print(time.time(), app.screen._model_status(), ",".join(heavy) or "-", flush=True)
    app.exit()
CodingScreen.on_mount = on_mount
app.run(headless=True, size=(120, 40))
"""


def copy_sample(dest: Path) -> Path:
    root = dest / "sample"
    root.mkdir()
    for name in ("coder.yaml", "codebooks", "transcripts"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.exists():
            shutil.copy(src, root / name)
    return root


def first_paint(code: str, *args: str) -> tuple[float, list[str]]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", CODER_NAME="bench")
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                         cwd=REPO, timeout=120)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    fields = out.stdout.strip().splitlines()[-1].split()
    return float(fields[0]) - start, fields[1:]


async def in_app(root: Path, keys: int) -> dict[str, float]:
    from coder.ui.app import make_app

    app = make_app(root, "bench")
    app._remember = False
    figures: dict[str, float] = {}
    painted: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        display = app._display

        def _display(target, renderable) -> None:  # every screen update written to the terminal
            display(target, renderable)
            painted.append(time.perf_counter())

        app._display = _display

        async def to_paint(trigger, done, poll: float = 0.0) -> float:
            """Seconds from ``trigger()`` to the first screen update after ``done()`` holds."""
            start = time.perf_counter()
            trigger()
            while not done():
                await asyncio.sleep(poll)
            handled = time.perf_counter()
            while not painted or painted[-1] < handled:
                await asyncio.sleep(0)
            elapsed = painted[-1] - start
            await pilot.pause()
            return elapsed

        def open_long() -> None:
            screen.tid = None
            screen.open_transcript(LONG)

        def long_shown() -> bool:
            return screen.transcript is not None and screen.transcript.id == LONG

        figures["open_first"] = await to_paint(open_long, long_shown, 0.001)
        figures["open_again"] = statistics.median([await to_paint(open_long, long_shown, 0.001)
                                                   for _ in range(3)])
        figures["segments"] = len(screen.transcript.segments)
        figures["words"] = screen.transcript.words
        await pilot.press("g")  # a participant sentence
        times = []
        for _ in range(keys):
            await pilot.press("j")
            await pilot.pause()
            before = len(screen.codings)
            times.append(await to_paint(lambda: app.simulate_key("1"), lambda: len(screen.codings) != before))
            await pilot.press("u")
            await pilot.pause()
        figures["apply_median"] = statistics.median(times)
        figures["apply_max"] = max(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the keypress→screen figures")
    parser.add_argument("--apart", action="store_true", help="time the bare app alone right after coder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_sample(Path(tmp))
        bare, coder = [], []
        for _ in range(args.runs):
            bare.append(first_paint(BARE)[0])
            seconds, extra = first_paint(CODER_APP, str(root))
            coder.append(seconds)
        b, c = statistics.median(bare), statistics.median(coder)
        print(f"first paint, bare Textual app : {b * 1000:7.0f} ms (median of {args.runs})")
        print(f"first paint, coder + sample   : {c * 1000:7.0f} ms (median of {args.runs}); "
              f"ratio {c / b:.2f}; model at first paint: {extra[0]}; heavy modules imported: {extra[1]}")
        if not (root / "transcripts" / f"{LONG}.md").exists():
            print(f"({LONG} is not in the sample yet: transcript figures skipped)")
            return
        f = asyncio.run(in_app(root, args.keys))
        print(f"open {LONG} ({f['words']:.0f} words, {f['segments']:.0f} sentences): "
              f"first {f['open_first'] * 1000:.0f} ms, again {f['open_again'] * 1000:.0f} ms")
        print(f"apply a code by key on it     : median {f['apply_median'] * 1000:.1f} ms, "
              f"max {f['apply_max'] * 1000:.1f} ms over {args.keys} presses")
    import tui_keys  # beside this file

    tui_keys.report(args.rounds, args.apart)


if __name__ == "__main__":
    main()
