"""Figures for the coding log: load time, apply-to-durable latency, re-anchoring.

Run: ``python benchmarks/coding_log.py`` (from the repo root).  Everything is
written to a temporary folder on the same disk as the system temp directory
(set ``TMPDIR`` to measure another disk).  Wall-clock figures are best of 3;
on a busy machine the CPU time printed beside the load time is steadier.

1. Loading a project with 100,000 events across 5 coders (target: under 1 s),
   beside a bare ``json.loads`` of the same lines in the same run.
2. Apply → durable (line written and fsynced): median and 95th percentile of
   300 applies (target: median under 10 ms).
3. Re-anchoring 5,000 codings after edits to a 15,000-word transcript
   (target: under 1 s), with the count per method; then the same with the
   transcript's turns, as the project does (spans kept within their turns,
   placements in another speaker's turn or far away flagged for review).
4. A batch: 20,000 codings with ``CodingStore.apply_many`` (one locked append,
   one fsync per 5,000 lines) beside the 300 single applies of figure 2
   extrapolated to 20,000 (one fsync each).
5. REFI-QDA import of the sample project's ``.qdpx`` export (the repository
   root), as it is (one batch per coder's log) and with every coding and memo
   written on its own as before batches; then of a copy of the sample project
   carrying 20,000 codings.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from coder.core.coding import Coding, Origin
from coder.core.codings import CodingStore, quote_at, resolve_codings
from coder.core.codings.events import dumps, make_event
from coder.core.codings.state import CoderFold
from coder.core.transcript import content_hash
from coder.core.transcripts import load_transcript

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed"  # the seed study's words where present beside the repository
CODES = ["confidence", "skills", "networks", "connectedness", "power", "action", "partnerships", "health"]


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted(SEED.glob("*.txt")) or sorted((REPO / "transcripts").glob("*.txt")):
        words += path.read_text(encoding="utf-8").split()
    return words or "we met every week in the hall and the group became friends".split()


def transcript(rng: random.Random, n_words: int) -> str:
    """Speaker turns of random sentences drawn from the seed study's words."""
    vocab = vocabulary()
    turns, count, who = [], 0, 0
    while count < n_words:
        sentences = []
        for _ in range(rng.randint(1, 6)):
            k = rng.randint(6, 24)
            sentences.append(" ".join(rng.choice(vocab) for _ in range(k)).capitalize() + ".")
            count += k
        turns.append(("Interviewer: " if who % 2 == 0 else "Participant: ") + " ".join(sentences))
        who += 1
    return "\n\n".join(turns) + "\n"


def random_span(rng: random.Random, text: str) -> tuple[int, int]:
    start = rng.randrange(0, len(text) - 400)
    start = text.rfind(" ", 0, start) + 1
    end = text.find(" ", start + rng.randint(20, 300))
    return start, end


def write_project(root: Path, rng: random.Random, text: str, n_events: int, coders: int) -> list[bytes]:
    """Logs as a long coding session would leave them (written directly: no fsync per line).

    The events are checked against a real fold as they are made, so every undo,
    remove and memo is one the tool itself could have written.
    """
    root.mkdir(parents=True)
    h = content_hash(text)
    all_lines: list[bytes] = []
    merged: dict = {"codings": {}, "memos": {}, "rejections": {}}
    for k in range(coders):
        coder = f"coder{k}"
        fold = CoderFold(coder, merged)
        lines, live = [], []
        while len(lines) < n_events // coders:
            r = rng.random()
            live = live if len(live) < 2 * len(fold.own["codings"]) + 10 else list(fold.own["codings"])
            target = rng.choice(live) if live else None
            if target not in fold.own["codings"]:
                target = None
            if r < 0.05 and fold.next_undo():
                e = make_event("undo", coder, target=fold.next_undo())
            elif r < 0.07 and fold.next_redo():
                e = make_event("redo", coder, target=fold.next_redo())
            elif r < 0.12 and target:
                e = make_event("remove", coder, coding=target, reason="")
            elif r < 0.17 and target:
                e = make_event("memo", coder, target_kind="coding", target=target, text=f"memo {len(lines)}")
            elif r < 0.22:
                s, t = random_span(rng, text)
                q, p, x = quote_at(text, s, t)
                e = make_event("reject", coder, transcript="t1", code=rng.choice(CODES), start=s, end=t, quote=q,
                               prefix=p, suffix=x, hash=h, model="all-MiniLM-L6-v2", score=0.4, rank=2)  # fmt: skip
            else:
                s, t = random_span(rng, text)
                q, p, x = quote_at(text, s, t)
                origin = Origin("suggestion", "all-MiniLM-L6-v2", 0.7, 1) if r > 0.9 else Origin()
                e = make_event("apply", coder, transcript="t1", code=rng.choice(CODES), start=s, end=t, quote=q,
                               prefix=p, suffix=x, hash=h, origin=origin.to_json())  # fmt: skip
                live.append(e["id"])
            fold.fold(e)
            lines.append(dumps(e))
        (root / f"{coder}.jsonl").write_bytes(b"".join(lines))
        all_lines += lines
    return all_lines


def bench_load(tmp: Path, rng: random.Random, text: str) -> None:
    root = tmp / "load" / "codings"
    lines = write_project(root, rng, text, 100_000, 5)
    size = sum(len(x) for x in lines) / 1e6
    best_json = best_load = cpu_load = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for data in [p.read_bytes() for p in sorted(root.glob("*.jsonl"))]:
            for line in data.splitlines():
                json.loads(line)
        best_json = min(best_json, time.perf_counter() - t)
        store = CodingStore(root)
        t, cpu = time.perf_counter(), time.process_time()
        problems = store.load()
        best_load = min(best_load, time.perf_counter() - t)
        cpu_load = min(cpu_load, time.process_time() - cpu)
    assert not problems, problems[:3]
    state = store.state()
    print(f"load 100,000 events / 5 coders ({size:.1f} MB): {best_load * 1000:.0f} ms "
          f"(CPU {cpu_load * 1000:.0f} ms; bare json.loads: {best_json * 1000:.0f} ms, "
          f"ratio {best_load / best_json:.2f}x); "
          f"{len(state.codings):,} current codings, {len(state.rejections):,} rejections")  # fmt: skip


def bench_apply(tmp: Path, rng: random.Random, text: str) -> list[float]:
    store = CodingStore(tmp / "apply" / "codings")
    store.load()
    h = content_hash(text)
    times = []
    for i in range(300):
        s, t = random_span(rng, text)
        t0 = time.perf_counter()
        store.apply("ana", "t1", text, rng.choice(CODES), s, t, text_hash=h)
        times.append(time.perf_counter() - t0)
    q = statistics.quantiles(times, n=20)
    undo = []
    for _ in range(50):
        t0 = time.perf_counter()
        store.undo("ana")
        undo.append(time.perf_counter() - t0)
    print(f"apply -> durable (write + fsync), 300 applies: median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {q[18] * 1000:.2f} ms; undo median {statistics.median(undo) * 1000:.2f} ms")  # fmt: skip
    return times


def bench_batch(tmp: Path, rng: random.Random, text: str, single: list[float]) -> None:
    items = [("t1", text, rng.choice(CODES), *random_span(rng, text)) for _ in range(20_000)]
    best = float("inf")
    for k in range(3):
        store = CodingStore(tmp / f"batch{k}" / "codings")
        store.load()
        t0 = time.perf_counter()
        made = store.apply_many("ana", items)
        best = min(best, time.perf_counter() - t0)
    assert len(made) == 20_000 and CodingStore(tmp / "batch0" / "codings").load() == []
    one_by_one = sum(single) / len(single) * 20_000
    print(f"apply_many 20,000 codings (durable, 4 chunks): {best * 1000:.0f} ms "
          f"({best / 20_000 * 1e6:.0f} us per coding); 300 single applies took {sum(single) * 1000:.0f} ms, "
          f"20,000 extrapolated: {one_by_one:.1f} s; ratio {one_by_one / best:.0f}x")  # fmt: skip


@contextmanager
def one_by_one():
    """CodingStore batches done as single appends (one fsync per event), as imports were written before."""
    saved = CodingStore.apply_many, CodingStore.memo_many

    def apply_many(self, coder, items):
        return [self.apply(coder, *item) for item in items]

    def memo_many(self, coder, items):
        return [self.memo(coder, *item) for item in items]

    CodingStore.apply_many, CodingStore.memo_many = apply_many, memo_many
    try:
        yield
    finally:
        CodingStore.apply_many, CodingStore.memo_many = saved


def time_import(qdpx: Path, out: Path, runs: int = 3) -> tuple[float, object]:
    from coder.core.refi import import_refi

    best, report = float("inf"), None
    for k in range(runs):
        t0 = time.perf_counter()
        report = import_refi(qdpx, out / f"import{k}")
        best = min(best, time.perf_counter() - t0)
        shutil.rmtree(out / f"import{k}")
    return best, report


def bench_refi(tmp: Path, rng: random.Random) -> None:
    from coder.core.project import Project
    from coder.core.refi import export_qdpx

    qdpx = tmp / "refi" / "sample.qdpx"
    qdpx.parent.mkdir()
    export_qdpx(Project.open(REPO), qdpx)
    batched, report = time_import(qdpx, tmp / "refi")
    with one_by_one():
        single, _ = time_import(qdpx, tmp / "refi")
    print(f"REFI import of the sample project ({report.codings} codings, {report.memos} memos, "
          f"{report.transcripts} transcripts): {batched * 1000:.0f} ms batched, {single * 1000:.0f} ms one "
          f"fsync per coding (ratio {single / batched:.1f}x)")  # fmt: skip

    big = tmp / "refi" / "big"  # the sample project's settings, codebook and transcripts, 20,000 codings
    big.mkdir()
    for name in ("coder.yaml", "codebooks", "transcripts"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, big / name)
    project = Project.open(big)
    codes = [c.id for c in project.codebook.codes]
    texts = [(t.id, t.text) for t in project.transcripts() if len(t.text) > 400]
    items = []
    for _ in range(20_000):
        tid, text = rng.choice(texts)
        items.append((tid, text, rng.choice(codes), *random_span(rng, text)))
    project.store.apply_many("sample-coder", items)
    export_qdpx(Project.open(big), qdpx.with_name("big.qdpx"))
    batched, report = time_import(qdpx.with_name("big.qdpx"), tmp / "refi", runs=1)
    with one_by_one():
        single, _ = time_import(qdpx.with_name("big.qdpx"), tmp / "refi", runs=1)
    print(f"REFI import of the sample project carrying {report.codings:,} codings: {batched:.2f} s batched, "
          f"{single:.2f} s one fsync per coding (ratio {single / batched:.1f}x)")


def edit(rng: random.Random, text: str) -> str:
    """A researcher's corrections: a new paragraph near the top, a deleted sentence, a
    reworded sentence, and a moved paragraph."""
    paragraphs = text.split("\n\n")
    paragraphs.insert(2, "Interviewer: [Recording resumed after a short break.] Can you say that again?")
    mid = len(paragraphs) // 2
    sentences = paragraphs[mid].split(". ")
    if len(sentences) > 1:
        del sentences[0]
    paragraphs[mid] = ". ".join(sentences)
    words = paragraphs[mid + 5].split(" ")
    words[3:5] = ["really", "quite"]
    paragraphs[mid + 5] = " ".join(words)
    moved = paragraphs.pop(mid + 10)
    paragraphs.insert(len(paragraphs) - 3, moved)
    return "\n\n".join(paragraphs)


def bench_reanchor(rng: random.Random, text: str) -> None:
    h = content_hash(text)
    codings = []
    for i in range(5000):
        s, t = random_span(rng, text)
        q, p, x = quote_at(text, s, t)
        code = rng.choice(CODES)
        codings.append(Coding(f"c{i}", "ana", "t1", code, s, t, q, p, x, h, Origin(), "2024-01-01T00:00:00Z"))
    new = edit(rng, text)
    t0 = time.perf_counter()
    placed = resolve_codings(codings, new)
    took = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for p in placed:
        counts[p.anchor.label] = counts.get(p.anchor.label, 0) + 1
    same = time.perf_counter()
    resolve_codings(codings, text)
    same = time.perf_counter() - same
    print(f"re-anchor 5,000 codings after editing a {len(text.split()):,}-word transcript: {took * 1000:.0f} ms "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); "
          f"unchanged text: {same * 1000:.0f} ms")  # fmt: skip
    with tempfile.TemporaryDirectory() as d:  # as the project does: with the turns, flagging speaker changes
        path = Path(d) / "t1.txt"
        path.write_text(new, encoding="utf-8")
        parsed = load_transcript(path, d)
        t0 = time.perf_counter()
        placed = resolve_codings(codings, parsed)
        took = time.perf_counter() - t0
    review = sum(p.anchor.needs_review for p in placed)
    orphans = sum(not p.anchor.placed for p in placed)
    print(f"  the same with the transcript's {len(parsed.turns):,} turns: {took * 1000:.0f} ms "
          f"({review} flagged for review, {orphans} orphans)")


def main() -> None:
    rng = random.Random(7)
    text = transcript(rng, 15_000)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print(f"python {sys.version.split()[0]}, temp folder {tmp}")
        bench_load(tmp, rng, text)
        single = bench_apply(tmp, rng, text)
        bench_batch(tmp, rng, text, single)
        bench_refi(tmp, rng)
    bench_reanchor(rng, text)


if __name__ == "__main__":
    main()
