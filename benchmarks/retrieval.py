"""Reading back across a large project: retrieval, corpus search, the overview grid, and the
workbench's memory and keys with that project open.

Generates (seeded, with the generator of ``benchmarks/scale.py``, on disk) a project of
1,000 interview transcripts (about 5 million words), 20 coders and 200,000 codings, then
measures, each beside a bare baseline over the same data in the same run:

* building the query engine from nothing (the export index and its columns), and again
  after one coding is applied (the engine is rebuilt from what the change left as it was);
* warm, a retrieval of one theme with its sub-themes and an attribute filter (the answer:
  which codings, sorted; the first screenful built with context; every row built), against a
  pandas filter of the same rows;
* a phrase searched across the corpus, against ``re.finditer`` over the same text;
* the theme x transcript grid (codings, segments and participants per cell, and each
  transcript's share coded) on an engine that has not answered it yet, against a pandas
  group-by counting codings only;
* the workbench (a fresh process, the suggestion model not started: it runs in its own
  process; ``benchmarks/workbench_keys.py``): resident memory with the project open, after
  the retrieval screen has filled and after the overview has; the time from ``r`` to the
  retrieval screen up (saying it is reading) and from ``escape`` pressed while it reads to
  being back; and, from real key events, the time from a key to the first frame with its
  rows (retrieval, sort, filter, compare, search, overview), beside a bare Textual app's
  key opening a table of the same size.

Timings on a shared machine are noisy: compare each with its baseline.

    python benchmarks/retrieval.py [--transcripts 1000] [--codings 200000] [--coders 20] [--words 5000]
                                   [--keep DIR]   # generate into DIR once, reuse it on later runs
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

CODE = "longer-term"  # a theme with sub-themes
WHERE = ("programme", "Local Conversations")
PHRASE = "council decided"
SCREENFUL = 50

def median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--coders", type=int, default=20)
    ap.add_argument("--words", type=int, default=5000, help="words per transcript (about)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--keep", type=Path, help="generate into this folder (reused when it already holds a project)")
    ap.add_argument("--no-workbench", action="store_true", help="leave out the workbench's figures")
    args = ap.parse_args()
    import pandas as pd

    from scale import generate

    tmp = None
    if args.keep:
        root = args.keep
    else:
        tmp = tempfile.TemporaryDirectory()
        root = Path(tmp.name) / "study"
    try:
        if not (root / "coder.yaml").exists():
            t0 = time.perf_counter()
            generate(root, args.transcripts, args.words, args.coders, args.codings, args.seed)
            print(f"generated in {time.perf_counter() - t0:.0f} s")
        run(root, args, pd)
    finally:
        if tmp is not None:
            tmp.cleanup()


def run(root: Path, args, pd) -> None:
    from coder.core.project import Project
    from coder.core.query import Filters

    project = Project.open(root)
    t0 = time.perf_counter()
    transcripts = project.transcripts()  # parsed once (spaCy) and kept under .coder/parsed/
    read = time.perf_counter() - t0
    project.store  # the coding logs: read by the workbench before any of these screens opens
    words = sum(t.words for t in transcripts)
    t0 = time.perf_counter()
    q = project.query()
    built = time.perf_counter() - t0
    print(f"project: {len(transcripts)} transcripts, {words:,} words, {len(q.ix.passages):,} codings by "
          f"{len(q.columns.coders)} coders (transcripts read in {read:.1f} s)")
    print(f"query engine built from nothing (logs already read, as in the workbench): {built:.1f} s")

    # ------------------------------------------------------------------ retrieval
    filters = Filters(where=(WHERE,))
    find_s, rows = median_time(lambda: q.find(CODE, with_children=True, filters=filters, context=1), args.repeat)
    page_s, _ = median_time(lambda: q.find(CODE, True, filters, context=1)[:SCREENFUL], args.repeat)
    all_s, _ = median_time(lambda: [r.record() for r in q.find(CODE, True, filters, context=0)], 1)
    book = q.inp.codebook
    family = {CODE, *(c.id for c in book.descendants(CODE))}
    passages = q.ix.passages  # the same rows: a coding's programme is its (first) participant's
    frame = pd.DataFrame({
        "code": [p.code for p in passages], "transcript": [p.coding.transcript for p in passages],
        "programme": [q.ix.value(p.participants[0], "programme") if p.participants else "" for p in passages],
        "quote": [p.coding.quote for p in passages]})
    bare_s, bare = median_time(lambda: frame[frame.code.isin(family) & (frame.programme == WHERE[1])], args.repeat)
    print(f"\nretrieval of {CODE} with sub-codes, {WHERE[0]}={WHERE[1]} ({len(rows):,} rows; the pandas filter "
          f"keeps {len(bare):,}):")
    print(f"  which codings, sorted (what a screen or a count needs first)   {ms(find_s):>9}   "
          f"baseline pandas filter {ms(bare_s)}   target < 200 ms")
    print(f"  the same and the first {SCREENFUL} rows built with context           {ms(page_s):>9}")
    print(f"  every row built as a record (coder find --json)               {ms(all_s):>9}")

    # --------------------------------------------------------------------- search
    search_s, hits = median_time(lambda: q.search(PHRASE, speakers="all"), args.repeat)
    texts = [q.inp.transcripts[t].text for t in sorted(q.inp.transcripts)]
    pattern = re.compile(r"council\s+decided", re.IGNORECASE)
    bare_search_s, bare_hits = median_time(lambda: [m.span() for text in texts for m in pattern.finditer(text)],
                                           args.repeat)
    print(f"\ncorpus search for {PHRASE!r} ({len(hits):,} hits, each with its sentence; re.finditer finds "
          f"{len(bare_hits):,}):  {ms(search_s)}   baseline re.finditer {ms(bare_search_s)}   target < 1 s")

    # ----------------------------------------------------------------------- grid
    from coder.core.export.inputs import ExportInput  # noqa: F401  (the same engine, fresh: nothing answered yet)
    from coder.core.query import ProjectQuery

    grids = []
    for _ in range(max(1, args.repeat // 2)):
        fresh = ProjectQuery(q.inp)
        t0 = time.perf_counter()
        grid = fresh.stats(by="transcript")
        fresh.coverage()
        grids.append(time.perf_counter() - t0)
        del fresh
    grid_s = statistics.median(grids)
    again_s, _ = median_time(lambda: (q.stats(by="transcript"), q.coverage()), args.repeat)
    bare_grid_s, bare_grid = median_time(lambda: frame.groupby(["code", "transcript"]).size(), args.repeat)
    print(f"\ntheme x transcript grid (codings, segments, participants per cell; share coded; {len(grid):,} cells):")
    print(f"  first time on an engine  {ms(grid_s):>9}   baseline pandas group-by counting codings only "
          f"({len(bare_grid):,} cells) {ms(bare_grid_s)}   target < 1 s")
    print(f"  again (kept until a file changes) {ms(again_s)}")

    # ---------------------------------------------------------------- after a change
    tid = sorted(q.inp.transcripts)[len(q.inp.transcripts) // 2]
    text = project.transcript(tid).text
    start = text.index("Respondent: ", len(text) // 3) + len("Respondent: ")
    coding = project.apply("bench", tid, CODE, start, start + 24)
    t0 = time.perf_counter()
    q2 = project.query()
    rebuilt = time.perf_counter() - t0
    seen = coding.id in {r.coding.id for r in q2.find(CODE, True, Filters(transcript=tid))}
    project.remove("bench", coding.id)
    t0 = time.perf_counter()
    q3 = project.query()
    rebuilt_removed = time.perf_counter() - t0
    gone = coding.id not in {r.coding.id for r in q3.find(CODE, True, Filters(transcript=tid))}
    print(f"\nafter one coding applied: engine brought up to date in {rebuilt:.2f} s (found in the retrieval: {seen}); "
          f"after removing it {rebuilt_removed:.2f} s (gone: {gone}); built from nothing: {built:.1f} s")
    del q, q2, q3, frame

    if args.no_workbench:
        return
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO))
    keys = str(REPO / "benchmarks" / "workbench_keys.py")

    def figures(*argv: str) -> dict:
        out = subprocess.run([sys.executable, keys, *argv], capture_output=True, text=True, env=env, timeout=3600)
        if out.returncode:
            raise SystemExit(f"workbench run failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    fig = figures(str(root), CODE, PHRASE)
    base = figures("bare")["bare"]
    bare = subprocess.run([sys.executable, "-c", "import textual.app, pandas, numpy\n"
                           "f = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
                           "print(int(f['VmRSS'].split()[0]) / 1024)"], capture_output=True, text=True, env=env)
    print("\nworkbench (a fresh process; the suggestion model, which runs in a process of its own, not started):")
    print(f"  resident memory with the project open           {fig['open'][0]:6.0f} MB   "
          f"(baseline: a bare process importing Textual and pandas {float(bare.stdout):.0f} MB)")
    print(f"  after the retrieval screen filled ({fig['rows']:,} rows) {fig['retrieval'][0]:6.0f} MB")
    print(f"  after the overview grid filled                    {fig['overview'][0]:6.0f} MB   "
          f"peak {fig['overview'][1]:.0f} MB   target < 1.5 GB")
    print(f"  r to the retrieval screen up: {ms(fig['r_to_screen'])} (saying it is reading: {fig['reading_shown']}); "
          f"escape pressed while it reads, back in {ms(fig['escape_while_reading'])}")
    lag_max, lag_p95, beats = fig["lag"]
    print(f"  while the engine is built, a 10 ms timer on the app's loop fires late by at most {ms(lag_max)} "
          f"(p95 {ms(lag_p95)}, {beats:,} beats): the longest a key waits; with nothing running "
          f"{ms(fig['idle_lag'][0])} (p95 {ms(fig['idle_lag'][1])})")
    print(f"  r to its rows on screen the first time (the engine built): {fig['r_cold']:.1f} s")

    def spread(times: list[float]) -> str:
        return f"{ms(statistics.median(times)):>7} (median of {len(times)}, {ms(min(times))}-{ms(max(times))})"

    print(f"\n  key to rows on screen, warm (engine figure above: {ms(find_s)} for which codings; "
          f"baseline: a bare Textual app's key opening a screen with a table of 200 rows made in advance "
          f"{spread(base)}); target < 200 ms:")
    for label, key in [("r: the retrieval of a theme with sub-themes", "r_warm"), ("s: sorted another way", "sort"),
                       ("enter on a filter (w)", "filter"), ("enter on compare by programme (g)", "compare"),
                       (f"enter on a search for {PHRASE!r} (ctrl+f)", "search"),
                       ("ctrl+o: the overview grid, asked before on this engine", "overview_warm")]:
        print(f"    {label:<58} {spread(fig[key])}")
    print(f"    {'ctrl+o: the overview grid, first time on this engine':<58} {ms(fig['overview_first']):>7}")
    print(f"    {'r after one coding (the engine brought up to date)':<58} {ms(fig['r_after_coding']):>7}")


if __name__ == "__main__":
    main()
