"""Quality of code suggestions on human-coded data nobody on the project labelled.

    python benchmarks/suggestions.py --data ../shared/eval/nhs-fft [--json] [--seeds 3] [--set NAME=VALUE]

DIR holds ``codebook.yaml`` (``codes: [{name, category?, definition, examples[]}]``)
and any number of ``*.jsonl`` files of ``{segment_id, text, gold_codes[],
in_codebook_examples?, ...}`` (see ``shared/eval/nhs-fft/README.md``).

A simulated researcher has coded 0, 25, 100 and 400 rows (a seeded random
stream); the rest are scored with the tool's own :class:`Suggester`:

Each comment is scored as a span of its sentences.

* hit@1 / hit@3: a gold code ranked first / in the top three (rows with a gold code);
* macro-F1 and mean Cohen's kappa per code of the tool's decisions (band
  "possible" or better) over all scored rows, averaged over the codes that
  occur in the gold labels or the decisions of those rows;
* ``strongP``: the share of (row, code) pairs in band "strong" that are
  right (gold), over the scored rows: what the band promises is >= 0.8;
* ``codes/row`` beside ``gold/row``: codes proposed (band "possible" or
  better) per scored row, and how many the analysts gave;
* ``baseline``: the same engine with the codebook's names and definitions
  only (no examples, nothing learnt).

The tool knows the whole project's text (every row, coded or not) for its
word vocabulary, as it knows every transcript.  ``--set NAME=VALUE``
overrides a :class:`SuggestSettings` field (repeatable), to measure a choice.

Rows flagged ``in_codebook_examples`` are dropped; the codes ``Labelling not
possible`` and ``Not assigned`` mean "no code".  Figures are means over
``--seeds`` streams.  Progress goes to stderr; ``--json`` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coder.core.codebook import Code, Codebook  # noqa: E402
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache  # noqa: E402
from coder.core.suggest.engine import Suggester, SuggestSettings  # noqa: E402
from coder.core.suggest.model import EncoderLoader  # noqa: E402
from coder.core.suggest.spans import split_sentences as sentences  # noqa: E402,F401  (the tool's own split)
from coder.core.suggest.training import Example  # noqa: E402

NO_CODE = {"labelling not possible", "not assigned"}
AMOUNTS = (0, 25, 100, 400)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "code"


def load_codebook(path: Path, *, examples: bool = True) -> Codebook:
    """Code values from the eval format: name → id slug, category → parent code."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    codes: list[Code] = []
    parents: dict[str, Code] = {}
    for c in raw.get("codes", []):
        name = str(c["name"]).strip()
        if name.lower() in NO_CODE:
            continue
        parent = None
        if c.get("category"):
            cat = str(c["category"]).strip()
            if cat not in parents:
                parents[cat] = Code(id="cat-" + slug(cat), name=cat)
                codes.append(parents[cat])
            parent = parents[cat].id
        codes.append(
            Code(
                id=slug(name),
                name=name,
                parent=parent,
                definition=str(c.get("definition") or ""),
                examples=tuple(str(e) for e in (c.get("examples") or [])) if examples else (),
            )
        )
    # Each parent before its children, as Codebook expects.
    ordered = [p for p in codes if p.parent is None and p.id.startswith("cat-")]
    ordered += [c for c in codes if c not in ordered]
    return Codebook(str(raw.get("name", path.parent.name)), path, tuple(ordered))


DATA_HINT = """\
{path}: no evaluation data here (codebook.yaml and *.jsonl).
The data is not part of the repository. Any directory in this format works; the one the
README's figures come from is built from public MIT-licensed sources:
  comments and labels: The-Strategy-Unit/pxtextmining, datasets/v6framework_230831.csv
  codebook:            The-Strategy-Unit/PatientExperience-QDC, docs/framework/framework3.qmd
For suggestion quality on data in the repository, run benchmarks/sample_suggestions.py."""


def require_data(data: Path) -> None:
    """Stop with a hint on where the data comes from when ``data`` does not hold it."""
    if not (data / "codebook.yaml").is_file() or not any(data.glob("*.jsonl")):
        sys.exit(DATA_HINT.format(path=data))


def load_rows(data: Path, codebook: Codebook) -> list[dict]:
    by_name = {c.name.lower(): c.id for c in codebook.codes}
    rows = []
    for f in sorted(data.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("in_codebook_examples"):
                continue
            gold = sorted({by_name[g.lower()] for g in r.get("gold_codes", []) if g.lower() in by_name})
            rows.append({"id": r.get("segment_id", ""), "text": r["text"], "gold": gold})
    return rows


def metrics(codes, logits: np.ndarray, decisions: np.ndarray, gold: list[list[str]],
            strong: np.ndarray | None = None) -> dict:
    col = {c.id: j for j, c in enumerate(codes)}
    G = np.zeros(logits.shape, bool)
    for i, g in enumerate(gold):
        for c in g:
            G[i, col[c]] = True
    has = G.any(1)
    order = np.argsort(-logits, 1)
    top = np.take_along_axis(G, order[:, :3], 1)
    f1s, kappas = [], []
    for j in range(G.shape[1]):
        g, d = G[:, j], decisions[:, j]
        if not g.any() and not d.any():
            continue
        f1s.append(2 * (g & d).sum() / (g.sum() + d.sum()))
        po = (g == d).mean()
        pe = g.mean() * d.mean() + (1 - g.mean()) * (1 - d.mean())
        kappas.append((po - pe) / (1 - pe) if pe < 1 else 0.0)
    strong = np.zeros_like(decisions) if strong is None else strong
    return {
        "hit@1": float(top[has, 0].mean()),
        "hit@3": float(top[has].any(1).mean()),
        "macro_f1": float(np.mean(f1s)),
        "kappa": float(np.mean(kappas)),
        "strong_precision": float(G[strong].mean()) if strong.any() else float("nan"),
        "strong_per_row": float(strong.sum(1).mean()),
        "codes_per_row": float(decisions.sum(1).mean()),
        "gold_per_row": float(G.sum(1).mean()),
    }


def evaluate(encoder, codebook, rows, coded: list[int], settings) -> dict:
    s = Suggester(codebook, encoder, settings=settings)
    if hasattr(s, "add_corpus"):  # every comment is a participant's words, as the tool would know them
        s.add_corpus((r["text"] for r in rows), talk=True)
    positives = [Example(rows[i]["text"], c, rows[i]["id"], "coded") for i in coded for c in rows[i]["gold"]]
    # Rows the simulated researcher read and left without a code, as in the tool.
    uncoded = [Example(rows[i]["text"], "", rows[i]["id"], "uncoded") for i in coded if not rows[i]["gold"]]
    s.train(positives, uncoded=uncoded)
    skip = set(coded)
    test = [r for i, r in enumerate(rows) if i not in skip]
    # A comment is scored as a span of its sentences, as the tool scores a
    # multi-sentence selection (each code: the best of the pooled span and
    # each sentence), so a comment about two things can get both codes.
    sc = s.score([sentences(r["text"]) for r in test])
    out = metrics(sc.codes, sc.logits, sc.decisions, [r["gold"] for r in test], sc.bands == 2)
    if hasattr(s, "neighbour_weight"):  # what the engine chose for this project, to stderr only
        out["chosen"] = (s.calibration.prior_strength, s.neighbour_weight, s.uses_words)
    return out


def mean(results: list[dict]) -> dict:
    return {k: round(float(np.nanmean([r[k] for r in results])), 3) for k in results[0] if k != "chosen"}


def settings_from(pairs: list[str]) -> SuggestSettings:
    """``SuggestSettings`` with ``NAME=VALUE`` overrides (``none`` for None)."""
    fields = SuggestSettings.__dataclass_fields__
    values = {}
    for pair in pairs:
        name, _, raw = pair.partition("=")
        if name not in fields:
            sys.exit(f"--set {pair}: no setting {name!r}; settings: {', '.join(fields)}")
        default = getattr(SuggestSettings(), name)
        if raw.lower() == "none":
            values[name] = None
        elif isinstance(default, bool):
            values[name] = raw.lower() in ("1", "true", "yes")
        else:
            values[name] = type(default)(raw) if default is not None else float(raw)
    return SuggestSettings(**values)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--model", default=None, help="sentence-transformers model name or path")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache folder to reuse")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting")
    ap.add_argument("--amounts", default=",".join(map(str, AMOUNTS)), help="coded rows, comma-separated")
    args = ap.parse_args(argv)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    require_data(args.data)
    codebook = load_codebook(args.data / "codebook.yaml")
    bare = load_codebook(args.data / "codebook.yaml", examples=False)
    rows = load_rows(args.data, codebook)
    say(f"{len(rows)} rows, {sum(1 for c in codebook.codes if not c.id.startswith('cat-'))} codes")
    with tempfile.TemporaryDirectory() as tmp:
        loader = EncoderLoader(args.model).start()
        encoder = CachedEncoder(loader, EmbeddingCache(args.cache or tmp, loader.model_id))
        t0 = time.perf_counter()
        texts = [r["text"] for r in rows] + [e for c in codebook.codes for e in c.examples]
        encoder.encode(texts, lambda d, n: say(f"embedding {d}/{n}") if d == n or d % 512 == 0 else None)
        say(f"embedded in {time.perf_counter() - t0:.1f}s")
        settings = settings_from(args.set)
        out: dict[str, dict] = {}
        for n in [int(a) for a in args.amounts.split(",")]:
            results = []
            for seed in range(args.seeds):
                t = time.perf_counter()
                order = np.random.default_rng(seed).permutation(len(rows))
                results.append(evaluate(encoder, codebook, rows, [int(i) for i in order[:n]], settings))
                say(f"coded={n} seed={seed}: {results[-1]} ({time.perf_counter() - t:.1f}s)")
            out[str(n)] = mean(results)
        out["baseline"] = mean([evaluate(encoder, bare, rows, [], settings)])
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{'coded':>8} {'hit@1':>7} {'hit@3':>7} {'macroF1':>8} {'kappa':>7} {'strongP':>8} "
              f"{'strong/row':>10} {'codes/row':>9} {'gold/row':>8}")
        for k, v in out.items():
            print(f"{k:>8} {v['hit@1']:7.3f} {v['hit@3']:7.3f} {v['macro_f1']:8.3f} {v['kappa']:7.3f} "
                  f"{v['strong_precision']:8.3f} {v['strong_per_row']:10.2f} {v['codes_per_row']:9.2f} "
                  f"{v['gold_per_row']:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
