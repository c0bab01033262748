"""Speed of the suggestion engine: embedding, the cache, suggesting, retraining.

    python benchmarks/embedding_speed.py [--data DIR] [--sentences 600]

``--data`` defaults to ``../shared/eval/nhs-fft`` beside the repository (not part of
it; without it the script says where the data comes from).

Prints, each measured in this run (best of ``--repeat`` where noted, since a
shared 2-core machine is noisy):

* sentences/s for a few CPU batch sizes (why ``CPU_BATCH_SIZE`` is what it is);
* the tool's embedding throughput (cache empty) against a bare
  ``SentenceTransformer.encode`` of the same sentences, and their ratio;
* a second run over the unchanged texts (fresh cache object reading the
  files): model calls, time, and how many times faster than the first;
* warm suggestion latency for one segment;
* retraining after one new coding with ~30 codes and 5,000 coded segments.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from suggestions import load_codebook, load_rows, require_data, sentences  # noqa: E402

from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache  # noqa: E402
from coder.core.suggest.engine import Suggester  # noqa: E402
from coder.core.suggest.model import load_encoder  # noqa: E402
from coder.core.suggest.training import Example  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


class JitterEncoder:
    """Real embeddings of the benchmark rows, jittered per variant, so the
    classifier sees realistic geometry for thousands of distinct texts."""

    def __init__(self, table: dict[str, np.ndarray], model_id: str) -> None:
        self.table, self.model_id = table, model_id
        self.dim = len(next(iter(table.values())))

    def encode(self, texts, progress=None):
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            base, _, variant = t.partition(" #")
            v = self.table[base].copy()
            if variant:
                v += np.random.default_rng(int(variant)).normal(0, 0.02, self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "nhs-fft")
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)

    require_data(args.data)
    codebook = load_codebook(args.data / "codebook.yaml")
    rows = load_rows(args.data, codebook)
    corpus = list(dict.fromkeys(s for r in rows for s in sentences(r["text"])))[: args.sentences]
    print(f"corpus: {len(corpus)} distinct sentences from {args.data.name}")

    t = time.perf_counter()
    enc = load_encoder()
    print(f"model load: {time.perf_counter() - t:.2f}s on {enc.device} (batch size {enc.batch_size})")
    st = enc.model
    default_batch = enc.batch_size

    sample = corpus[:256]
    sizes = (8, 16, 32, 64, 128)
    rate: dict[int, list[float]] = {bs: [] for bs in sizes}
    for _ in range(args.repeat):  # interleaved, so a busy spell hits every size alike
        for bs in sizes:
            enc.batch_size = bs
            t = time.perf_counter()
            enc.encode(sample)
            rate[bs].append(len(sample) / (time.perf_counter() - t))
    for bs in sizes:
        print(f"  batch {bs:>3}: {max(rate[bs]):7.1f} sentences/s (best of {args.repeat})")
    enc.batch_size = default_batch

    bare_times, tool_times, second_times = [], [], []
    calls_second = None
    for _ in range(args.repeat):
        t = time.perf_counter()
        st.encode(corpus, normalize_embeddings=True, show_progress_bar=False)
        bare_times.append(time.perf_counter() - t)
        with tempfile.TemporaryDirectory() as tmp:
            first = CachedEncoder(enc, EmbeddingCache(tmp, enc.model_id))
            t = time.perf_counter()
            first.encode(corpus)
            tool_times.append(time.perf_counter() - t)
            calls = enc.calls
            t = time.perf_counter()
            second = CachedEncoder(enc, EmbeddingCache(tmp, enc.model_id))  # reads the files
            second.encode(corpus)
            second_times.append(time.perf_counter() - t)
            calls_second = enc.calls - calls
    bare, tool, again = min(bare_times), min(tool_times), min(second_times)
    print(f"bare SentenceTransformer.encode: {len(corpus) / bare:7.1f} sentences/s")
    print(f"tool (cache empty):              {len(corpus) / tool:7.1f} sentences/s  ratio {bare / tool:.2f}x of bare")
    print(f"second run (unchanged): {again * 1000:.1f} ms, model calls {calls_second}, "
          f"{tool / again:.0f}x faster than the first")

    # Warm suggestions on the real codebook.
    with tempfile.TemporaryDirectory() as tmp:
        s = Suggester(codebook, enc, cache_dir=tmp)
        s.train()
        s.prepare(corpus)
        lat = []
        for text in corpus[:100]:
            t = time.perf_counter()
            s.suggest(text, top=5)
            lat.append(time.perf_counter() - t)
        print(f"warm suggestion, one segment: median {statistics.median(lat) * 1000:.2f} ms, "
              f"p95 {sorted(lat)[94] * 1000:.2f} ms ({len(s.codes)} codes)")
        t = time.perf_counter()
        s.suggest("A sentence the cache has never seen before, about parking.", top=5)
        print(f"cold suggestion (one new sentence through the model): {(time.perf_counter() - t) * 1000:.1f} ms")

    # Retraining with 5,000 coded segments.
    coded_rows = [r for r in rows if r["gold"]]
    base = list(dict.fromkeys([r["text"] for r in coded_rows] + [e for c in codebook.codes for e in c.examples]
                              + [c.name for c in codebook.codes]))
    vecs = CachedEncoder(enc, EmbeddingCache(None, enc.model_id)).encode(base)
    jitter = JitterEncoder(dict(zip(base, vecs)), "jitter")

    def _patch(texts):  # codebook "name: definition" texts are not in the table: embed them for real
        missing = [t for t in texts if t.partition(" #")[0] not in jitter.table]
        if missing:
            for t, v in zip(missing, enc.encode(missing)):
                jitter.table[t] = v

    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(coded_rows), 5001)
    positives = [Example(f"{coded_rows[p]['text']} #{i}", c, f"row {p}") for i, p in enumerate(picks[:5000])
                 for c in coded_rows[p]["gold"]]
    extra = [Example(f"{coded_rows[picks[5000]]['text']} #5000", c) for c in coded_rows[picks[5000]]["gold"]]
    from coder.core.suggest.training import candidate_codes, code_texts

    _patch([e.text for c in candidate_codes(codebook) for e in code_texts(c)])
    s = Suggester(codebook, jitter)
    t = time.perf_counter()
    s.train(positives)
    full = time.perf_counter() - t
    times = []
    for i in range(5):
        more = [Example(e.text.replace("#5000", f"#{5000 + i}"), e.code) for e in extra]
        positives = positives + more
        t = time.perf_counter()
        s.train(positives, calibrate=False)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    s.add(positive=Example(more[0].text.replace(f"#{5004}", "#6000"), more[0].code))
    add_time = time.perf_counter() - t
    print(f"retrain with {len(s.codes)} codes, 5,000 coded segments: first (with calibration) {full:.2f}s; "
          f"after one more coding: median {statistics.median(times):.3f}s (max {max(times):.3f}s); "
          f"Suggester.add: {add_time:.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
