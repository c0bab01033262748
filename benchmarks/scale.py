"""A national study on one machine: every command on a project of 1,000 transcripts.

    python benchmarks/scale.py [--transcripts 1000] [--words 5000] [--coders 20] [--codings 200000]
                               [--keep DIR] [--seed 16]

Generates (seeded, deterministic, into a temporary folder unless ``--keep``) a
project of ``--transcripts`` interviews of about ``--words`` words each with
front matter, a participant table (three people per interview, with the sample
outcomes' questionnaire answers), the sample codebook, and ``--codings`` codings
spread over ``--coders`` coding logs.  Then prints, each beside a bare baseline
measured in the same run:

* first paint of the workbench with that project (a fresh process, as
  ``benchmarks/tui.py`` measures it) against a bare Textual app;
* opening a transcript in the workbench, against reading and splitting its file
  (the suggestion model is not started here: it trains on every coding, which at
  this size is a cost of its own, outside this benchmark);
* ``coder stats``, ``coder check`` (cold: no parse cache; warm: again) and
  ``coder export``, each a fresh process, against a bare Python process that
  reads every transcript (and log) and splits or JSON-parses it, and a bare
  pandas ``to_csv`` of a table of that many quotes;
* each command's peak memory (the high-water resident size of its process, Linux);
* the same after editing 10 transcripts (a sentence reworded and one deleted
  near each coded span), so their codings are re-anchored.

Timings on a shared machine are noisy: compare each figure with its baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from tui import BARE, CODER_APP, first_paint  # noqa: E402

from coder.core.codings.events import dumps  # noqa: E402
from coder.core.transcript import content_hash  # noqa: E402

WORDS = ("we", "the", "group", "council", "friends", "really", "you", "know", "started", "garden", "walk",
         "confident", "estate", "neighbours", "people", "project", "met", "learned", "together", "decided",
         "volunteers", "hall", "bus", "children", "money", "time", "worried", "lonely", "health", "voice")
PROGRAMMES = ("Active Communities", "Local Conversations")
NATIONS = ("England", "Wales", "Scotland")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# A child process that runs one coder command and reports its peak memory on stderr's last line.
# (VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.)
RUN = """
import sys
from coder.cli import main
try:
    code = main(sys.argv[1:])
finally:
    peak = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")]
    print("maxrss-kb", peak[0] if peak else "nan", file=sys.stderr, flush=True)
sys.exit(code)
"""

BARE_READ = """
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
words = sum(len(p.read_text(encoding="utf-8").split()) for p in sorted((root / "transcripts").glob("*.txt")))
events = 0
if sys.argv[2] == "logs":
    for p in sorted((root / "codings").glob("*.jsonl")):
        events += sum(1 for line in p.read_bytes().splitlines() if json.loads(line))
print(words, events)
"""

BARE_CSV = """
import sys
import pandas as pd
n = int(sys.argv[2])
rows = {"transcript": [f"t{i % 1000:04d}" for i in range(n)], "code": ["confidence"] * n,
        "quote": ["we met every week in the hall and the group became friends"] * n, "start": range(n)}
pd.DataFrame(rows).to_csv(sys.argv[1], index=False)
"""


# --------------------------------------------------------------------- generation
def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def interview(rng: random.Random, words: int) -> tuple[str, list[tuple[int, int]]]:
    """A body of alternating turns, and the spans of the respondent's sentences."""
    parts, spans, pos, count, i = [], [], 0, 0, 0
    while count < words:
        label = "Interviewer: " if i % 2 == 0 else "Respondent: "
        sentences = [sentence(rng) for _ in range(1 if i % 2 == 0 else rng.randint(2, 8))]
        cursor = pos + len(label)
        for s in sentences:
            if i % 2:
                spans.append((cursor, cursor + len(s)))
            cursor += len(s) + 1
            count += len(s.split())
        parts.append(label + " ".join(sentences))
        pos += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts) + "\n", spans


def front_matter(pid: str, programme: str, nation: str) -> str:
    return (f"---\ntitle: Interview with {pid}\nparticipant: {pid}\ninterviewers: [Interviewer]\n"
            f"programme: {programme}\nnation: {nation}\nrole: participant\n---\n")


def event_id(n: int) -> str:
    out = []
    for _ in range(26):
        out.append(CROCKFORD[n & 31])
        n >>= 5
    return "01" + "".join(reversed(out))[2:]


def generate(root: Path, transcripts: int, words: int, coders: int, codings: int, seed: int) -> dict:
    """Write the project; returns what the benchmark needs to know about it."""
    from coder.core.outcomes import load_outcomes

    rng = random.Random(seed)
    (root / "transcripts").mkdir(parents=True)
    (root / "codings").mkdir()
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    shutil.copy(REPO / "transcripts" / "outcomes.yaml", root / "transcripts" / "outcomes.yaml")
    (root / "coder.yaml").write_text("name: A national study (generated)\n", encoding="utf-8")
    outcomes, _ = load_outcomes(root / "transcripts" / "outcomes.yaml")
    header = ["participant_id", "programme", "nation", "role", "area", "interviewed", *[o.column for o in outcomes]]
    rows = [",".join(header)]
    bodies: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for n in range(transcripts * 3):
        pid, programme, nation = f"P{n:05d}", PROGRAMMES[n % 2], NATIONS[n % 3]
        role = "practitioner" if n % 4 == 3 else "participant"
        answers = [rng.choice(o.answers) if o.applies_to({"role": role}) else "" for o in outcomes]
        rows.append(",".join([pid, programme, nation, role, f"Area {n % 17}", "yes" if n < transcripts else "no",
                              *answers]))
        if n < transcripts:
            tid = f"t{n:04d}-interview"
            body, spans = interview(rng, words)
            (root / "transcripts" / f"{tid}.txt").write_text(front_matter(pid, programme, nation).replace(
                "role: participant", f"role: {role}") + body, encoding="utf-8")
            bodies[tid] = (body, spans)
    (root / "transcripts" / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    from coder.core.codebook_file import load_codebook

    book, _ = load_codebook(next((root / "codebooks").glob("*.yaml")))
    codes = [c.id for c in book.codes]
    tids = sorted(bodies)
    hashes = {tid: content_hash(bodies[tid][0]) for tid in tids}
    per_coder = codings // coders
    n = 0
    for k in range(coders):
        lines = []
        for j in range(per_coder):
            tid = tids[(j * coders + k) % len(tids)]  # every coder codes every transcript, a little
            text, spans = bodies[tid]
            first = rng.randrange(len(spans))
            start, end = spans[first][0], spans[min(len(spans) - 1, first + rng.choice((0, 0, 1)))][1]
            lines.append(dumps({
                "v": 1, "id": event_id(n), "time": f"2025-0{1 + k % 9}-{1 + j % 28:02d}T10:00:00.000Z",
                "coder": f"coder{k:02d}", "type": "apply", "transcript": tid, "code": rng.choice(codes),
                "start": start, "end": end, "quote": text[start:end], "prefix": text[max(0, start - 32):start],
                "suffix": text[end:end + 32], "hash": hashes[tid], "origin": {"kind": "manual"}}))
            n += 1
        (root / "codings" / f"coder{k:02d}.jsonl").write_bytes(b"".join(lines))
    return {"tids": tids, "bodies": bodies, "words": sum(len(b.split()) for b, _ in bodies.values()), "codings": n}


def edit(root: Path, tids: list[str], bodies: dict, rng: random.Random) -> None:
    """Reword one coded sentence and delete another in each transcript, as a researcher correcting it."""
    for tid in tids:
        path = root / "transcripts" / f"{tid}.txt"
        raw = path.read_text(encoding="utf-8")
        body, spans = bodies[tid]
        head = raw[: len(raw) - len(body)]
        (a0, a1), (b0, b1) = sorted(rng.sample(spans[:40], 2))
        reworded = body[a0:a1].replace(" the ", " that ", 1).rstrip(".") + " [inaudible]."
        body = body[:a0] + reworded + body[a1:b0] + body[b1 + 1:]  # b's sentence and its space go
        path.write_text(head + body, encoding="utf-8")


# ---------------------------------------------------------------------- measuring
def timed(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """Seconds, peak resident MB and output of one fresh ``python`` process."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", CODER_NAME="bench", PYTHONPATH=str(REPO))
    t = time.perf_counter()
    out = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=3600)
    seconds = time.perf_counter() - t
    rss = [line.split()[1] for line in out.stderr.splitlines() if line.startswith("maxrss-kb")]
    if out.returncode not in (0, 1) or (args[0] == "-c" and out.returncode):
        raise SystemExit(f"{' '.join(args[:3])} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return seconds, float(rss[-1]) / 1024 if rss else float("nan"), out.stdout


def coder(root: Path, *command: str) -> tuple[float, float, str]:
    return timed(["-c", RUN, *command], root)


async def open_in_workbench(root: Path, tid: str) -> tuple[float, float]:
    """Seconds from asking the workbench for a transcript to the screen painted with it (first, again)."""
    from coder.ui.app import make_app
    from coder.ui.screens.coding import CodingScreen

    CodingScreen.start_model = lambda self: None  # training on every coding is measured apart (not here)
    app = make_app(root, "bench")
    app._remember = False
    painted: list[float] = []
    out = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        display = app._display

        def _display(target, renderable) -> None:
            display(target, renderable)
            painted.append(time.perf_counter())

        app._display = _display
        for _ in range(2):
            start = time.perf_counter()
            screen.tid = None
            screen.open_transcript(tid)
            while screen.transcript is None or screen.transcript.id != tid:
                await asyncio.sleep(0.001)
            shown = time.perf_counter()
            while not painted or painted[-1] < shown:
                await asyncio.sleep(0)
            out.append(painted[-1] - start)
            await pilot.pause()
    return out[0], out[1]


def row(what: str, seconds: float, rss: float, base: float, target: str = "") -> None:
    mem = f"{rss:6.0f} MB" if rss == rss else "        "
    print(f"  {what:<34} {seconds:7.2f} s  {mem}   baseline {base:6.2f} s   {target}")


def measure(root: Path, info: dict, label: str, tid: str) -> dict:
    print(f"\n{label}")
    fig: dict = {}
    bare_paint, _ = first_paint(BARE)
    paint, extra = first_paint(CODER_APP, str(root))
    print(f"  {'first paint of the workbench':<34} {paint:7.2f} s              baseline {bare_paint:6.2f} s   "
          f"(bare Textual app; target < 1 s)")
    fig["paint"] = paint
    body = (root / "transcripts" / f"{tid}.txt").read_text(encoding="utf-8")
    t = time.perf_counter()
    len(body.split())
    bare_open = time.perf_counter() - t
    first, again = asyncio.run(open_in_workbench(root, tid))
    print(f"  {'open a transcript (first, again)':<34} {first:7.2f} s / {again:.2f} s   baseline {bare_open:6.3f} s   "
          "(read and split the file)")
    bare_read, rss_b, _ = timed(["-c", BARE_READ, str(root), "-"], root)
    bare_logs, _, _ = timed(["-c", BARE_READ, str(root), "logs"], root)
    for name, args, base, target in (
        ("coder stats", ("stats",), bare_read, "target < 3 s warm"),
        ("coder check", ("check", "--quiet"), bare_logs, "target < 5 s warm"),
    ):
        cold, rss_cold, _ = coder(root, *args)
        warm, rss_warm, _ = coder(root, *args)
        row(f"{name} (cold, then warm)", cold, rss_cold, base)
        row("", warm, rss_warm, base, target)
        fig[name] = (cold, warm, max(rss_cold, rss_warm))
    bare_csv, _, _ = timed(["-c", BARE_CSV, str(root / "bare.csv"), str(info["codings"])], root)
    shutil.rmtree(root / "exports", ignore_errors=True)
    sec, rss, out = coder(root, "export", "--out", str(root / "exports"))
    row("coder export (CSV)", sec, rss, bare_csv, "target < 15 s (baseline: to_csv of as many quotes)")
    fig["export"] = (sec, rss)
    print(f"  peak memory of any command: {max(fig['coder stats'][2], fig['coder check'][2], rss):.0f} MB "
          "(target < 2 GB)")
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--words", type=int, default=5000, help="words per transcript (about)")
    ap.add_argument("--coders", type=int, default=20)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--keep", type=Path, help="generate into this (new) folder and keep it")
    args = ap.parse_args(argv)
    tmp = None
    if args.keep:
        root = args.keep
    else:
        tmp = tempfile.TemporaryDirectory()
        root = Path(tmp.name) / "study"
    try:
        t = time.perf_counter()
        info = generate(root, args.transcripts, args.words, args.coders, args.codings, args.seed)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
        print(f"project: {len(info['tids'])} transcripts, {info['words']:,} words, {args.coders} coders, "
              f"{info['codings']:,} codings ({size:.0f} MB on disk), generated in {time.perf_counter() - t:.1f} s")
        tid = info["tids"][len(info["tids"]) // 2]
        measure(root, info, "as generated", tid)
        edited = info["tids"][:: max(1, len(info["tids"]) // 10)][:10]
        edit(root, edited, info["bodies"], random.Random(args.seed))
        measure(root, info, f"after editing {len(edited)} transcripts (their codings re-anchored)", edited[0])
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
