"""How well suggestions learn one researcher's coding of the sample project.

    python benchmarks/sample_suggestions.py [--coder sample-coder] [--train 4] [--cache DIR] [--json]

Works on a temporary copy of the sample project at the repo root (its
``coder.yaml``, codebook, transcripts and the one coder's log), so nothing in
the repo is written, not even the embedding cache.  Uses the configured
model, loaded offline, and the tool's own :class:`~coder.core.suggest.Suggester`.

The transcripts ``--coder`` has coded are taken in the project's order; the
first ``--train`` of them are the training pool and the rest are held out.
Each row trains on the codebook plus what ``project.suggestions.training_data()``
gives for the first 0, 2, … ``--train`` transcripts (0: codebook only): the
coder's codings and the participant sentences they read and left uncoded
(soft negatives); the row marked "codings only" leaves those out.  Every
held-out segment is then scored on its own, as the coding screen does for a
one-sentence selection:

* ``hit@1`` / ``hit@3``: for each held-out segment the coder coded, whether
  one of its codes is ranked first / in the top three (exact code ids; a
  parent such as "Longer-term changes" ranked for a community-power segment
  is a miss);
* ``macro-F1``: over all held-out participant segments (interviewers' and
  facilitators' turns left out), the F1 per code of the tool's decisions
  (band "possible" or better) against the coding, averaged over the codes
  present in either (exact code ids again: proposing a grouping code the
  coder never applies is a false positive, as the researcher sees it);
* ``codes/seg``: codes proposed (band "possible" or better) per participant segment;
* ``hit@3 x`` / ``F1 x``: hit@3 and macro-F1 over the codebook-only row of the same run;
* ``frequency``: a baseline that ranks codes by how often the coder used
  them in the training transcripts (no model), for hit@k.

Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coder.core.project import Project  # noqa: E402
from coder.core.suggest import CachedEncoder, EmbeddingCache, Suggester, load_encoder  # noqa: E402

PROJECT_FILES = ("coder.yaml", "codebooks", "transcripts", "codings")


@dataclass(frozen=True)
class HeldOut:
    """Held-out segments: their text, the coder's codes, and whose talk they are."""

    texts: list[str]
    gold: list[set[str]]  # code ids applied to the segment (exact)
    participant: list[bool]  # spoken by a participant or practitioner


def copy_project(dest: Path, coder: str) -> Project:
    """The sample project in ``dest``, with ``coder``'s log as its only coding log."""
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".coder"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    project = Project.open(dest)
    log = project.config.codings / f"{coder}.jsonl"
    if not log.exists():
        raise SystemExit(f"no coding log for {coder!r} in {ROOT.name}/codings")
    for other in project.config.codings.glob("*.jsonl"):
        if other != log:
            other.unlink()
    return project


def held_out(project: Project, coder: str, tids: list[str]) -> HeldOut:
    texts, gold, participant = [], [], []
    for tid in tids:
        t = project.transcript(tid)
        codings = project.codings(coder, tid)
        for s in t.segments:
            texts.append(s.text)
            gold.append({c.code for c in codings if c.start < s.end and s.start < c.end})
            participant.append(bool(t.turns[s.turn].participant_id))
    return HeldOut(texts, gold, participant)


def hits(rankings: list[list[str]], gold: list[set[str]]) -> dict[str, float]:
    coded = [(r, g) for r, g in zip(rankings, gold) if g]
    return {
        "hit@1": float(np.mean([bool(set(r[:1]) & g) for r, g in coded])),
        "hit@3": float(np.mean([bool(set(r[:3]) & g) for r, g in coded])),
    }


def macro_f1(codes: list[str], decisions: np.ndarray, gold: list[set[str]]) -> tuple[float, dict]:
    G = np.array([[c in g for c in codes] for g in gold], bool).reshape(len(gold), len(codes))
    per: dict[str, float] = {}
    for j, code in enumerate(codes):
        g, d = G[:, j], decisions[:, j]
        if g.any() or d.any():
            per[code] = float(2 * (g & d).sum() / (g.sum() + d.sum()))
    return float(np.mean(list(per.values()))), per


def evaluate(project: Project, encoder, train: list[str], test: HeldOut, *, uncoded: bool = True) -> dict:
    """Train as the tool does, on what the project offers from ``train`` only; score ``test``."""
    data = project.suggestions.training_data()
    keep = set(train)
    positives = [e for e in data.positives if e[2] in keep]
    rejections = [e for e in data.rejections if e[2] in keep]
    negatives = [e for e in data.uncoded if e[2] in keep] if uncoded else []
    s = Suggester(project.codebook, encoder)
    s.train(positives, rejections, negatives)
    sc = s.score(test.texts)
    codes = [c.id for c in sc.codes]
    order = np.argsort(-sc.logits, axis=1, kind="stable")
    rankings = [[codes[j] for j in row] for row in order]
    mask = np.array(test.participant)
    f1, per = macro_f1(codes, sc.decisions[mask], [g for g, m in zip(test.gold, mask) if m])
    proposed = sc.decisions[mask].sum(1)
    return {
        "transcripts": len(train),
        "codings": len(positives),
        "uncoded": len(negatives),
        "with_uncoded": uncoded,
        **hits(rankings, test.gold),
        "macro_f1": f1,
        "proposed_per_segment": float(proposed.mean()),
        "per_code_f1": per,
    }


def frequency_baseline(project: Project, coder: str, train: list[str], test: HeldOut) -> dict:
    counts = Counter(c.code for tid in train for c in project.codings(coder, tid))
    ranking = [code for code, _ in counts.most_common()]
    return {"transcripts": len(train), "codings": sum(counts.values()), **hits([ranking] * len(test.texts), test.gold)}


def amounts(n: int) -> list[int]:
    return sorted({0, *range(2, n, 2), n})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--coder", default="sample-coder", help="whose codings to learn from and score against")
    ap.add_argument("--train", type=int, default=4, help="coded transcripts in the training pool (the rest are held out)")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache folder to reuse between runs")
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = ap.parse_args(argv)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp), args.coder)
        coded = [tid for tid in project.transcript_ids() if project.codings(args.coder, tid)]
        if len(coded) <= args.train:
            raise SystemExit(f"{args.coder} has coded {len(coded)} transcript(s); need more than --train={args.train}")
        pool, held = coded[: args.train], coded[args.train :]
        test = held_out(project, args.coder, held)
        say(f"training pool: {', '.join(pool)}")
        say(f"held out: {', '.join(held)} ({len(test.texts)} segments, {sum(map(bool, test.gold))} coded, "
            f"{sum(test.participant)} participant)")

        t0 = time.perf_counter()
        model = load_encoder(project.config.model)
        encoder = CachedEncoder(model, EmbeddingCache(args.cache or Path(tmp) / ".coder" / "embeddings", model.model_id))
        say(f"model {model.model_id} loaded in {time.perf_counter() - t0:.1f}s")

        rows = []
        for n in amounts(args.train):
            t = time.perf_counter()
            rows.append(evaluate(project, encoder, pool[:n], test))
            say(f"trained on {n} transcript(s) and scored in {time.perf_counter() - t:.1f}s")
        rows.append(evaluate(project, encoder, pool, test, uncoded=False))
        freq = frequency_baseline(project, args.coder, pool, test)

    base = rows[0]
    for r in rows:
        r["hit@3_ratio"] = r["hit@3"] / base["hit@3"] if base["hit@3"] else float("nan")
        r["macro_f1_ratio"] = r["macro_f1"] / base["macro_f1"] if base["macro_f1"] else float("nan")
    out = {"model": model.model_id, "pool": pool, "held_out": held, "coded_segments": sum(map(bool, test.gold)),
           "participant_segments": sum(test.participant), "rows": rows, "frequency": freq}
    if args.json:
        print(json.dumps(out))
        return 0

    print(f"coder {args.coder}; model {model.model_id}")
    print(f"held out: {', '.join(held)}")
    print(f"  {out['coded_segments']} coded segments (hit@k), {out['participant_segments']} participant segments (F1)")
    print()
    head = (f"{'trained on':<34} {'codings':>7} {'uncoded':>7} {'hit@1':>6} {'hit@3':>6} {'macroF1':>8} "
            f"{'codes/seg':>9} {'hit@3 x':>8} {'F1 x':>6}")
    print(head)
    print("-" * len(head))
    for r in rows:
        label = "codebook only" if r["transcripts"] == 0 else f"{r['transcripts']} coded transcripts"
        if r["transcripts"] and not r["with_uncoded"]:
            label += " (codings only)"
        print(f"{label:<34} {r['codings']:>7} {r['uncoded']:>7} {r['hit@1']:6.3f} {r['hit@3']:6.3f} "
              f"{r['macro_f1']:8.3f} {r['proposed_per_segment']:9.2f} {r['hit@3_ratio']:8.2f} {r['macro_f1_ratio']:6.2f}")
    label = f"frequency ({freq['transcripts']} transcripts)"
    print(f"{label:<34} {freq['codings']:>7} {'–':>7} {freq['hit@1']:6.3f} {freq['hit@3']:6.3f} {'–':>8}")
    print()
    print("per-code F1 (codebook only → most coded):")
    first, last = rows[0]["per_code_f1"], rows[-2]["per_code_f1"]
    for code in sorted(set(first) | set(last), key=lambda c: -last.get(c, 0.0)):
        print(f"  {code:<22} {first.get(code, 0.0):.2f} → {last.get(code, 0.0):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
