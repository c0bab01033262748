"""Does fine-tuning the encoder on what is coded pay for itself?

    python benchmarks/fine_tune.py --data ../shared/eval/nhs-fft [--seeds 3] [--amounts 100 400] [--json]

The simulated researcher of ``benchmarks/suggestions.py`` codes 100 and 400
rows; for each amount and seed the same engine is scored on the remaining rows
with the stock encoder (the baseline, measured in the same run) and with the
encoder fine-tuned on those coded rows and the codebook's examples
(:mod:`coder.core.suggest.finetune`).  Printed: hit@1, hit@3, macro-F1 and
mean per-code kappa for both, and the CPU seconds of one fine-tuning round
(process time, all threads) and its wall time on this machine.  Progress goes
to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from suggestions import evaluate, load_codebook, load_rows, mean, require_data, sentences  # noqa: E402

from coder.core.suggest import finetune  # noqa: E402
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache  # noqa: E402
from coder.core.suggest.engine import SuggestSettings  # noqa: E402
from coder.core.suggest.model import load_encoder  # noqa: E402
from coder.core.suggest.training import Example  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--amounts", type=int, nargs="+", default=[100, 400])
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    require_data(args.data)
    codebook = load_codebook(args.data / "codebook.yaml")
    rows = load_rows(args.data, codebook)
    texts = sorted({t for r in rows for t in [r["text"], *sentences(r["text"])]})
    settings = SuggestSettings()
    ft = finetune.Settings(epochs=args.epochs)
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stock = CachedEncoder(load_encoder(None), EmbeddingCache(tmp, "stock"))
        stock.encode(texts)
        for n in args.amounts:
            base, tuned, cpu, wall, npairs = [], [], [], [], []
            for seed in range(args.seeds):
                coded = [int(i) for i in np.random.default_rng(seed).permutation(len(rows))[:n]]
                base.append(evaluate(stock, codebook, rows, coded, settings))
                positives = [Example(rows[i]["text"], c, rows[i]["id"]) for i in coded for c in rows[i]["gold"]]
                pairs = finetune.training_pairs(codebook, positives, ft)
                folder = Path(tmp) / f"ft-{n}-{seed}"
                c0, w0 = time.process_time(), time.perf_counter()
                finetune.fine_tune(None, pairs, folder, ft)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                npairs.append(len(pairs))
                enc = CachedEncoder(load_encoder(str(folder)), EmbeddingCache(tmp, folder.name))
                tuned.append(evaluate(enc, codebook, rows, coded, settings))
                say(f"coded={n} seed={seed}: stock {base[-1]} tuned {tuned[-1]} "
                    f"({len(pairs)} pairs, {cpu[-1]:.0f} CPU-s, {wall[-1]:.0f} s)")
            out[str(n)] = {"stock": mean(base), "fine_tuned": mean(tuned), "pairs": int(np.mean(npairs)),
                           "cpu_seconds": round(float(np.mean(cpu)), 1), "wall_seconds": round(float(np.mean(wall)), 1)}
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{'coded':>6} {'encoder':>11} {'hit@1':>6} {'hit@3':>6} {'macroF1':>8} {'kappa':>6} {'CPU-s':>6} {'wall-s':>6}")
    for n, r in out.items():
        for name in ("stock", "fine_tuned"):
            v = r[name]
            extra = f" {r['cpu_seconds']:6.0f} {r['wall_seconds']:6.0f}" if name == "fine_tuned" else ""
            print(f"{n:>6} {name:>11} {v['hit@1']:6.3f} {v['hit@3']:6.3f} {v['macro_f1']:8.3f} {v['kappa']:6.3f}{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
