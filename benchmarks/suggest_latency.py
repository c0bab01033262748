"""Latency of the suggestion engine as the workbench feels it, beside a baseline.

    python benchmarks/suggest_latency.py [--data ../shared/eval/nhs-fft] [--coded 5000]

Prints, for the engine as configured and for the same engine without word
features and nearest passages (the baseline, measured in the same run):

* warm suggestion for one segment (embedding cached): median and p95, by the
  workbench's path (``SuggestionService.rank`` in the suggestion process: the
  sentence read with a question, :func:`suggest_readings`, plus pickling the
  request and the answer as the pipe does) and by the engine alone
  (``Suggester.suggest``);
* retrain after one more coding with ``--coded`` coded segments (the
  workbench retrains after each action): median and max of 7, and the first
  training with calibration;
* a multi-sentence span (four sentences), warm.

The coded segments are the data's coded comments repeated with a little
jitter on their real embeddings (:class:`JitterEncoder`), so
the classifier sees realistic geometry for thousands of distinct texts.

Like the workbench's suggestion process (:func:`coder.core.suggest.worker.child_env`),
the benchmark runs numpy with one thread unless the environment says otherwise.
The retrain measured is the engine's (``Suggester.train``); the workbench's
retrain first re-reads the coding logs and gathers the training data
(:func:`coder.core.suggestions.training_data`), measured apart on a generated
project (``benchmarks/scale.py``'s) with as many codings, and printed last.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from coder.core.suggest.worker import THREAD_VARIABLES  # noqa: E402

for _name in THREAD_VARIABLES:  # as the suggestion process runs (before numpy starts its threads)
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from suggestions import load_codebook, load_rows, require_data, sentences  # noqa: E402

from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache  # noqa: E402
from coder.core.suggest.engine import Suggester, SuggestSettings  # noqa: E402
from coder.core.suggest.context import read_alone  # noqa: E402
from coder.core.suggest.contextual import reading_encoder, suggest_readings  # noqa: E402
from coder.core.suggest.model import load_encoder  # noqa: E402
from coder.core.suggest.training import Example, candidate_codes, code_texts  # noqa: E402


MARK = "\u241f"  # between a text and its variant number (no space: sentence splitting keeps it)


class JitterEncoder:
    """Real embeddings, jittered per variant (``text + MARK + n``), so thousands of
    distinct coded texts keep realistic geometry without running the model."""

    def __init__(self, table: dict[str, np.ndarray], model_id: str, fallback) -> None:
        self.table, self.model_id, self.fallback = table, model_id, fallback
        self.dim = len(next(iter(table.values())))

    def encode(self, texts, progress=None):
        missing = list(dict.fromkeys(b for b in (t.partition(MARK)[0] for t in texts) if b not in self.table))
        if missing:  # sentences of coded passages, cut for calibration: embedded for real
            self.table.update(zip(missing, self.fallback.encode(missing)))
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            base, _, variant = t.partition(MARK)
            v = self.table[base].copy()
            if variant:
                v += np.random.default_rng(int(variant)).normal(0, 0.02, self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


QUESTIONS = ("Please tell us why you gave that answer.", "What could we have done better?")


def measure(codebook, jitter, positives, extra, queries, settings) -> dict:
    s = Suggester(codebook, reading_encoder(jitter), settings=settings)
    t = time.perf_counter()
    s.train(positives)
    first = time.perf_counter() - t
    times = []
    for i in range(7):
        more = [Example(e.text.replace(f"{MARK}5000", f"{MARK}{5000 + i}"), e.code, "new") for e in extra]
        positives = positives + more
        t = time.perf_counter()
        s.train(positives, calibrate=False)
        times.append(time.perf_counter() - t)
    readings = [replace(read_alone(q), question=QUESTIONS[i % 2]) for i, q in enumerate(queries)]
    for q, r in zip(queries, readings):  # embed, as a first look at a segment does
        s.suggest(q, block=True)
        suggest_readings(s, [[r]], top=5, exclude=[set()], block=True)
    lat, tool = [], []
    for q, r in zip(queries, readings):
        t = time.perf_counter()
        s.suggest(q, top=5)
        lat.append(time.perf_counter() - t)
        t = time.perf_counter()  # SuggestionService.rank, and the pipe's pickling both ways
        message = pickle.loads(pickle.dumps(("rank", [r], 5, set()), protocol=pickle.HIGHEST_PROTOCOL))
        answer = suggest_readings(s, [message[1]], top=message[2], exclude=[message[3]], block=False)[0]
        pickle.loads(pickle.dumps(("ok", answer), protocol=pickle.HIGHEST_PROTOCOL))
        tool.append(time.perf_counter() - t)
    span = [sentences(" ".join(queries[i : i + 4])) for i in range(0, 40, 4)]
    span_lat = []
    for sp in span:
        s.suggest(sp, block=True)
        t = time.perf_counter()
        s.suggest(sp, top=5)
        span_lat.append(time.perf_counter() - t)
    return {"first": first, "retrain": statistics.median(times), "retrain_max": max(times),
            "warm": statistics.median(lat), "warm_p95": sorted(lat)[int(0.95 * len(lat))],
            "tool": statistics.median(tool), "tool_p95": sorted(tool)[int(0.95 * len(tool))],
            "span": statistics.median(span_lat), "words": s.uses_words, "codes": len(s.codes)}


def gathering(codings: int, repeats: int = 7) -> tuple[float, int, int]:
    """Median seconds the workbench's suggestion process takes to re-read the logs and
    gather the training data before a retrain, on a generated project with ``codings``."""
    from scale import generate

    from coder.core.project import Project
    from coder.core.suggestions import training_data

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        generate(root, max(1, codings // 125), 3000, 1, codings, 16)
        project = Project.open(root)
        data = training_data(project)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            project.store.refresh()
            training_data(project)
            times.append(time.perf_counter() - t)
    return statistics.median(times), len(data.positives), len(data.uncoded)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "nhs-fft")
    ap.add_argument("--coded", type=int, default=5000)
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache folder to reuse")
    args = ap.parse_args(argv)
    require_data(args.data)
    codebook = load_codebook(args.data / "codebook.yaml")
    rows = load_rows(args.data, codebook)
    coded_rows = [r for r in rows if r["gold"]]
    enc = load_encoder()
    base = list(dict.fromkeys([r["text"] for r in rows] + [e.text for c in candidate_codes(codebook)
                                                           for e in code_texts(c)]))
    cached = CachedEncoder(enc, EmbeddingCache(args.cache, enc.model_id))
    vecs = cached.encode(base)
    queries = [r["text"] for r in rows if not r["gold"]][:100] or [r["text"] for r in rows[:100]]
    queries = [sentences(q)[0] for q in queries]
    table = dict(zip(base, vecs))
    for q, v in zip(queries, CachedEncoder(enc, EmbeddingCache(None, enc.model_id)).encode(queries)):
        table[q] = v
    span_texts = [t for i in range(0, 40, 4) for t in sentences(" ".join(queries[i : i + 4]))]
    for t, v in zip(span_texts, enc.encode(span_texts)):
        table.setdefault(t, v)
    jitter = JitterEncoder(table, "jitter", cached)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(coded_rows), args.coded + 1)
    positives = [Example(f"{coded_rows[p]['text']}{MARK}{i}", c, f"row {p}") for i, p in enumerate(picks[:-1])
                 for c in coded_rows[p]["gold"]]
    extra = [Example(f"{coded_rows[picks[-1]]['text']}{MARK}5000", c) for c in coded_rows[picks[-1]]["gold"]]
    configs = {
        "baseline (embeddings only)": SuggestSettings(words_from=None, neighbour_weight=0.0),
        "engine as configured": SuggestSettings(),
    }
    print(f"{args.coded:,} coded segments, one more coding per retrain; {len(queries)} one-sentence queries")
    print("warm: the workbench's path (a reading with its question, pickled both ways) | the engine alone")
    print(f"{'':<28} {'first fit':>9} {'retrain med':>11} {'max':>7} {'warm med':>9} {'p95':>7} "
          f"{'engine med':>10} {'p95':>7} {'span':>7}")
    for name, settings in configs.items():
        m = measure(codebook, jitter, positives, extra, queries, settings)
        print(f"{name:<28} {m['first']:8.2f}s {m['retrain']:10.3f}s {m['retrain_max']:6.3f}s "
              f"{m['tool'] * 1000:7.2f}ms {m['tool_p95'] * 1000:5.2f}ms "
              f"{m['warm'] * 1000:8.2f}ms {m['warm_p95'] * 1000:5.2f}ms {m['span'] * 1000:5.2f}ms"
              f"  ({m['codes']} codes, words {'on' if m['words'] else 'off'})")
    seconds, n, uncoded = gathering(args.coded)
    print(f"before each retrain the workbench re-reads the logs and gathers {n:,} codings and {uncoded:,} "
          f"sentences read past: median {seconds:.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
