"""Reading back across a large project: retrieval, corpus search and the theme x transcript grid.

Generates (in memory, seeded, with the generator of ``benchmarks/export.py``) a project of
1,000 interview transcripts, 20 coders and 200,000 codings, then times, warm, each answer of
the query engine (``coder.core.query``) beside a bare baseline over the same data in the
same run: a pandas filter of the same rows, ``re.finditer`` over the same text, a pandas
group-by for the grid.  Also reports the time to build the engine and the process's peak
memory.  Timings on a shared machine are noisy: compare each with its baseline.

    python benchmarks/retrieval.py [--transcripts 1000] [--codings 200000] [--coders 20] [--turns 200]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.export import make_input, rss_mb  # noqa: E402
from coder.core.query import Filters, ProjectQuery  # noqa: E402

CODE = "longer-term"  # a theme with sub-themes
WHERE = ("programme", "Local Conversations")
PHRASE = "council decided"


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transcripts", type=int, default=1000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--coders", type=int, default=20)
    ap.add_argument("--turns", type=int, default=200, help="speaker turns per transcript (200: about 5,000 words)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
    args = ap.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        inp = make_input(args.transcripts, args.codings, Path(tmp), coders=args.coders, turns=args.turns)
        generated = time.perf_counter() - t0
    words = sum(t.words for t in inp.transcripts.values())
    t0 = time.perf_counter()
    q = ProjectQuery(inp)
    built = time.perf_counter() - t0

    filters = Filters(where=(WHERE,))
    find_s, rows = best(lambda: q.find(CODE, with_children=True, filters=filters), args.repeat)
    book = inp.codebook
    family = {CODE, *(c.id for c in book.descendants(CODE))}
    passages = q.ix.passages  # the same rows: a coding's programme is its (first) participant's
    frame = pd.DataFrame({
        "code": [p.code for p in passages], "transcript": [p.coding.transcript for p in passages],
        "programme": [q.ix.value(p.participants[0], "programme") if p.participants else "" for p in passages],
        "quote": [p.coding.quote for p in passages]})
    bare_find_s, bare = best(lambda: frame[frame.code.isin(family) & (frame.programme == WHERE[1])], args.repeat)

    search_s, hits = best(lambda: q.search(PHRASE, speakers="all"), args.repeat)
    texts = [inp.transcripts[t].text for t in sorted(inp.transcripts)]
    pattern = re.compile(r"council\s+decided", re.IGNORECASE)
    bare_search_s, bare_hits = best(lambda: [m.span() for text in texts for m in pattern.finditer(text)], args.repeat)

    grid_s, grid = best(lambda: q.stats(by="transcript"), args.repeat)
    bare_grid_s, bare_grid = best(lambda: frame.groupby(["code", "transcript"]).size(), args.repeat)

    print(f"project: {len(inp.transcripts)} transcripts, {words:,} words, {len(inp.codings):,} codings by "
          f"{args.coders} coders (generated in {generated:.1f} s)")
    print(f"query engine built (the export index): {built:.2f} s")
    print(f"retrieval of {CODE} with sub-codes, {WHERE[0]}={WHERE[1]}: {len(rows):,} rows in "
          f"{find_s * 1000:.0f} ms median of {args.repeat}; baseline pandas filter ({len(bare):,} rows): "
          f"{bare_find_s * 1000:.0f} ms")
    print(f"corpus search for {PHRASE!r}: {len(hits):,} hits in {search_s * 1000:.0f} ms; "
          f"baseline re.finditer ({len(bare_hits):,} hits): {bare_search_s * 1000:.0f} ms")
    print(f"theme x transcript grid (codings, segments, participants): {len(grid):,} cells in "
          f"{grid_s * 1000:.0f} ms; baseline pandas group-by counting codings only ({len(bare_grid):,} cells): "
          f"{bare_grid_s * 1000:.0f} ms")
    print(f"process maximum resident size: {rss_mb():.0f} MB (the engine's process, not the workbench)")


if __name__ == "__main__":
    main()
