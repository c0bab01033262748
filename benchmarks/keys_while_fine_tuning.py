"""Keypress→screen on the coding screen while a fine-tuning round runs, from real keys on a pty.

    python benchmarks/keys_while_fine_tuning.py

The method of ``benchmarks/tui_keys.py`` (its pty harness, markers and bare
Textual app, interleaved with coder so both are timed under the same load),
on a copy of the sample project with both coders' logs (281 coded passages):

* idle: 24 ``j`` with the model ready and nothing running;
* round starting: a fine-tuning round is started the workbench's way
  (``app.jobs.start("fine-tune")``, what ``F`` on the panel and a due round
  do), and ``j`` goes on until its process is training (it loads torch and
  the model first);
* round training: 48 more ``j`` while it trains.

Quitting then stops the round; the figures say whether any process was left.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from tui_keys import CODER, INTERVAL, REPO, SETTLE, Pty, finish, line, prepare, start_bare, summary

PHASES = {"idle": "coder, model ready, idle", "starting": "coder, round starting",
          "training": "coder, round training"}

# The coding screen's marker also says when the round trains; a flag file starts the round.
TUNING = CODER.replace(
    '    status = self._model_status().split(":")[0].strip("…")\n',
    '    status = self._model_status().split(":")[0].strip("…")\n'
    '    flag = Path(sys.argv[1]) / "start-round"\n'
    '    if flag.exists():\n'
    '        flag.unlink()\n'
    '        self.app.jobs.start("fine-tune")\n'
    '    job = self.app.jobs.get("fine-tune")\n'
    '    if job is not None and job.running:\n'
    '        status = "training" if job.stage == "step" else "starting"\n',
)
assert TUNING != CODER, "the coder marker changed in tui_keys.py"


def run(root: Path) -> dict:
    bare = start_bare()
    app = Pty(TUNING, str(root))
    first = app.wait_mark(60)
    if first is None:
        app.proc.kill()
        bare.proc.kill()
        raise SystemExit("coder never drew its first sentence")
    number, bare_number = first[1], 0
    sent: dict[str, list] = {phase: [] for phase in PHASES}
    bare_sent: dict[str, list] = {phase: [] for phase in PHASES}

    def step(phase: str | None) -> None:
        nonlocal number, bare_number
        time.sleep(INTERVAL / 2)
        number += 1
        t = app.key(b"j")
        if phase:
            sent[phase].append((t, number))
        time.sleep(INTERVAL / 2)
        bare_number += 1
        t = bare.key(b"j")
        if phase:
            bare_sent[phase].append((t, bare_number))

    def status() -> str:
        return app.marks[-1][2] if app.marks else ""

    for _ in range(1200):  # the model loads first (not measured here: see tui_keys.py)
        if status() == "ready":
            break
        step(None)
    for _ in range(24):
        step("idle")
    (root / "start-round").touch()
    for _ in range(2400):
        step("starting")
        if status() == "training":
            break
    for _ in range(48):
        step("training")
    figures = finish(app, number, sent, PHASES, pause=1.0)
    bare.wait_mark(SETTLE, lambda n, s: n >= bare_number)
    figures["bare"] = {phase: summary(*bare.latencies(bare_sent[phase])) for phase in PHASES}
    bare.quit()
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = prepare(Path(tmp))
        shutil.copytree(REPO / "codings", root / "codings")
        f = run(root)
    print(f"keypress→screen from real keys on a pty, j every {INTERVAL * 1000:.0f} ms to each app, interleaved:")
    for phase, name in PHASES.items():
        print(line(f"  {name}", f[phase], f["bare"][phase]))
        print(line("    bare Textual app, same moments", f["bare"][phase]))
    print(f"  coder quit mid-round: {f['quit'] * 1000:.0f} ms; child processes {f['workers']}, "
          f"left running after quit: {f['left_running']}")


if __name__ == "__main__":
    main()
