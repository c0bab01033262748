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

Segments are read as the tool reads them (:func:`coder.core.suggest.context.read`:
with the interviewer's question; a denied or hedged mention still ranks, but
is not proposed).  Then:

* ``how a sentence is read``: the alternatives measured for reading the
  question and for negation, codebook only and after the whole pool;
* ``codes per sentence``: proposed per participant sentence before any
  coding, beside the coder's own rate, and what interviewers' sentences would
  get if they were not left out;
* ``one example``: after coding one held-out sentence (codebook plus that one
  coding), how often its code ranks first for the five held-out participant
  sentences closest to it, before and after;
* ``warm suggestion``: milliseconds for an already-embedded sentence through
  ``SuggestionService.suggest`` (reading, question, negation) beside the
  engine alone on the same sentences, in the same run;
* ``negation set``: ``tests/data/negation.yaml``, codebook only: how often a
  denied or hedged mention's code is not proposed (band "possible" or better)
  and an affirmed one's is, reading with and without the negation rules.

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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from coder.core.project import Project  # noqa: E402
from coder.core.suggest import CachedEncoder, EmbeddingCache, Suggester, load_encoder  # noqa: E402
from coder.core.suggest.context import Reading, read, read_alone  # noqa: E402
from coder.core.suggest.contextual import score_readings  # noqa: E402
from coder.core.suggest.polarity import affirmed  # noqa: E402
from coder.core.suggestions import TrainingData, trained_suggester  # noqa: E402
from coder.core.transcript import Segment, Transcript  # noqa: E402

PROJECT_FILES = ("coder.yaml", "codebooks", "transcripts", "codings")
NEGATION_SET = ROOT / "tests" / "data" / "negation.yaml"
SHORT = 5  # words: a short answer, for the "previous turn" alternative


@dataclass(frozen=True)
class HeldOut:
    """Held-out segments: their text, the coder's codes, and whose talk they are."""

    texts: list[str]
    gold: list[set[str]]  # code ids applied to the segment (exact)
    participant: list[bool]  # spoken by a participant or practitioner
    where: list[tuple[Transcript, Segment]]


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
    texts, gold, participant, where = [], [], [], []
    for tid in tids:
        t = project.transcript(tid)
        codings = project.codings(coder, tid)
        for s in t.segments:
            texts.append(s.text)
            gold.append({c.code for c in codings if c.start < s.end and s.start < c.end})
            participant.append(bool(t.turns[s.turn].participant_id))
            where.append((t, s))
    return HeldOut(texts, gold, participant, where)


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


def trained(project: Project, encoder, train: list[str], *, uncoded: bool = True, extra=(),
            talk: bool = True) -> tuple[Suggester, dict]:
    """A suggester trained as the tool trains it (knowing every transcript's words, and its
    participants' sentences unless ``talk`` is off), on what the project offers from ``train`` only."""
    data = project.suggestions.training_data()
    keep = set(train)
    positives = [e for e in data.positives if e[2] in keep] + list(extra)
    rejections = [e for e in data.rejections if e[2] in keep]
    negatives = [e for e in data.uncoded if e[2] in keep] if uncoded else []
    transcripts = [project.transcript(tid) for tid in project.transcript_ids()]
    s = trained_suggester(project.codebook, encoder, None, [seg.text for t in transcripts for seg in t.segments],
                          TrainingData(positives, rejections, negatives),
                          talk=[seg.text for t in transcripts for seg in t.participant_segments] if talk else ())
    return s, {"transcripts": len(train), "codings": len(positives), "uncoded": len(negatives), "with_uncoded": uncoded}


def scores(s: Suggester, readings: list[Reading]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Code ids, logits and decisions (band "possible" or better) for each reading, as the tool scores them."""
    sc = score_readings(s, readings)
    return [c.id for c in sc.codes], sc.logits, sc.decisions


def measure(s: Suggester, test: HeldOut, readings: list[Reading]) -> dict:
    codes, logits, decisions = scores(s, readings)
    rankings = [[codes[j] for j in np.argsort(-row, kind="stable")] for row in logits]
    mask = np.array(test.participant)
    f1, per = macro_f1(codes, decisions[mask], [g for g, m in zip(test.gold, mask) if m])
    return {
        **hits(rankings, test.gold),
        "macro_f1": f1,
        "proposed_per_segment": float(decisions[mask].sum(1).mean()),
        "interviewer_if_scored": float(decisions[~mask].sum(1).mean()) if (~mask).any() else 0.0,
        "per_code_f1": per,
    }


def evaluate(project: Project, encoder, train: list[str], test: HeldOut, *, uncoded: bool = True) -> dict:
    """Train on ``train`` only; score ``test`` read as the tool reads it."""
    s, info = trained(project, encoder, train, uncoded=uncoded)
    return {**info, **measure(s, test, [read(t, seg) for t, seg in test.where])}


def _previous_turn(t: Transcript, seg: Segment) -> str:
    return t.quote(t.turns[seg.turn - 1].start, t.turns[seg.turn - 1].end) if seg.turn > 0 else ""


def _question_just_before(t: Transcript, seg: Segment) -> str:
    turns = t.turns
    if seg.turn > 0 and turns[seg.turn].participant_id and turns[seg.turn - 1].participant_id is None:
        return read(t, seg, polarity=False).question
    return ""


def readings_to_compare() -> dict:
    """How a sentence might be read: name → function of (transcript, segment) → Reading."""
    def joined(t, seg):
        r = read(t, seg)
        if not r.question:
            return r
        both = f"{r.question} {r.sentence.strip()}"
        return Reading(both, r.affirmed if r.denied else both)

    def weighted(w):
        return lambda t, seg: replace(read(t, seg), weight=w)

    def short_previous_turn(t, seg):
        r = read(t, seg)
        short = len(seg.text.split()) <= SHORT and t.turns[seg.turn].participant_id
        return replace(r, question=_previous_turn(t, seg)) if short and seg.turn > 0 else r

    def no_elaborations(t, seg):
        return replace(read(t, seg), affirmed=affirmed(seg.text, elaborations=False).text)

    return {
        "sentence alone": lambda t, seg: read(t, seg, context=False, polarity=False),
        "negation rules, no question": lambda t, seg: read(t, seg, context=False),
        "question, no negation rules": lambda t, seg: read(t, seg, polarity=False),
        "question text joined to the sentence": joined,
        "question blended, weight 0.3": weighted(0.3),
        "question blended, weight 0.7": weighted(0.7),
        "question blended, weight 1.0": weighted(1.0),
        "question only from the turn just before": lambda t, seg: replace(
            read(t, seg), question=_question_just_before(t, seg) if read(t, seg).question else ""),
        f"short answers (≤{SHORT} words): whole previous turn": short_previous_turn,
        "negation without the elaboration rule": no_elaborations,
        "the tool (question blended 0.5, negation)": lambda t, seg: read(t, seg),
    }


def one_example(project: Project, encoder, test: HeldOut, *, probes: int = 30, near: int = 5) -> dict:
    """Code one held-out sentence (on top of the codebook); its code's top-1 rate for its nearest sentences."""
    idx = [i for i, (g, p) in enumerate(zip(test.gold, test.participant))
           if p and g and len(test.texts[i].split()) >= 5]
    idx = idx[:: max(1, len(idx) // probes)][:probes]
    part = [i for i, p in enumerate(test.participant) if p]
    V = encoder.encode([test.texts[i] for i in part])
    base, _ = trained(project, encoder, [])
    readings = [read(t, seg) for t, seg in test.where]
    before_codes, before, _ = scores(base, readings)
    out = {"before": [], "after": [], "before_same": [], "after_same": [], "similarity": []}
    for i in idx:
        code = sorted(test.gold[i])[0]
        v = V[part.index(i)]
        sims = V @ v
        nearest = [part[j] for j in np.argsort(-sims) if part[j] != i and test.texts[part[j]] != test.texts[i]][:near]
        t, seg = test.where[i]
        s, _ = trained(project, encoder, [], extra=[(test.texts[i], code, f"{t.id} {seg.id}")])
        codes, after, _ = scores(s, readings)
        out["similarity"] += [float(sims[part.index(j)]) for j in nearest]
        for j in nearest:
            for key, codes_, L in (("before", before_codes, before), ("after", codes, after)):
                top = codes_[int(np.argmax(L[j]))]
                out[key].append(top == code)
                if code in test.gold[j]:
                    out[key + "_same"].append(top == code)
    rates = {k: float(np.mean(v)) if v else float("nan") for k, v in out.items()}
    return {"probes": len(idx), "neighbours": near, **rates, "same_code_neighbours": len(out["before_same"])}


def warm_latency(project: Project, model, test: HeldOut, n: int = 60) -> dict:
    """Milliseconds for a suggestion of an already-embedded sentence: the workbench's path
    (``SuggestionService.suggest``: reading, question, negation) against the engine alone."""
    service = project.suggestions
    service.encoder = model
    service.load()
    picked = [(t, seg) for (t, seg), p in zip(test.where, test.participant) if p][:n]
    for t, seg in picked:
        service.suggest(t.id, seg.start, seg.end)  # embeds (the reading's texts are cached after this)
    tool, engine = [], []
    for t, seg in picked:
        t0 = time.perf_counter()
        service.suggest(t.id, seg.start, seg.end)
        tool.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        service._suggester.suggest(seg.text, top=5)
        engine.append(time.perf_counter() - t0)
    ms = lambda xs, q: 1000 * float(np.percentile(xs, q))  # noqa: E731
    return {"sentences": len(picked), "tool_median_ms": ms(tool, 50), "tool_p95_ms": ms(tool, 95),
            "engine_median_ms": ms(engine, 50), "engine_p95_ms": ms(engine, 95)}


def negation_set(project: Project, encoder) -> dict:
    """The labelled negation set, codebook only: right answers with and without the negation rules."""
    items = yaml.safe_load(NEGATION_SET.read_text(encoding="utf-8"))["items"]
    s, _ = trained(project, encoder, [])
    out = {"items": len(items)}
    for name, polarity in (("plain", False), ("tool", True)):
        _, _, decisions = scores(s, [read_alone(it["text"], polarity=polarity) for it in items])
        codes = [c.id for c in s.codes]
        got = [bool(decisions[n, codes.index(it["code"])]) for n, it in enumerate(items)]
        right = [g == it["expect"] for g, it in zip(got, items)]
        denied = [r for r, it in zip(right, items) if not it["expect"]]
        affirmed_ = [r for r, it in zip(right, items) if it["expect"]]
        out[name] = {"accuracy": float(np.mean(right)), "denied_not_proposed": float(np.mean(denied)),
                     "affirmed_proposed": float(np.mean(affirmed_)), "denied": len(denied), "affirmed": len(affirmed_)}
    return out


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

        t = time.perf_counter()
        ways = readings_to_compare()
        reading = {}
        for n in (0, len(pool)):
            s, _ = trained(project, encoder, pool[:n])
            for name, how in ways.items():
                r = measure(s, test, [how(tr, seg) for tr, seg in test.where])
                r.pop("per_code_f1")
                reading.setdefault(name, {})[n] = r
        say(f"compared {len(ways)} ways of reading a sentence in {time.perf_counter() - t:.1f}s")
        s, _ = trained(project, encoder, [], talk=False)  # bands fitted on the example quotes alone
        untalked = measure(s, test, [read(tr, seg) for tr, seg in test.where])
        untalked.pop("per_code_f1")
        t = time.perf_counter()
        example = one_example(project, encoder, test)
        say(f"one-example effect measured in {time.perf_counter() - t:.1f}s")
        negation = negation_set(project, encoder)
        latency = warm_latency(project, model, test)
        mask = np.array(test.participant)
        coder_rate = float(np.mean([len(g) for g, m in zip(test.gold, mask) if m]))

    base = rows[0]
    for r in rows:
        r["hit@3_ratio"] = r["hit@3"] / base["hit@3"] if base["hit@3"] else float("nan")
        r["macro_f1_ratio"] = r["macro_f1"] / base["macro_f1"] if base["macro_f1"] else float("nan")
    out = {"model": model.model_id, "pool": pool, "held_out": held, "coded_segments": sum(map(bool, test.gold)),
           "participant_segments": sum(test.participant), "rows": rows, "frequency": freq,
           "reading": reading, "one_example": example, "negation": negation, "latency": latency,
           "coder_codes_per_segment": coder_rate, "codebook_only_without_talk": untalked}
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
    print()
    n = len(pool)
    head = f"{'how a sentence is read':<48} {'hit@1':>6} {'hit@3':>6} {'macroF1':>8} {'codes/seg':>9}"
    print(f"{head}   (codebook only | {n} coded transcripts)")
    print("-" * (len(head) + 38))
    for name, r in reading.items():
        a, b = r[0], r[n]
        print(f"{name:<48} {a['hit@1']:6.3f} {a['hit@3']:6.3f} {a['macro_f1']:8.3f} {a['proposed_per_segment']:9.2f}"
              f"   | {b['hit@1']:6.3f} {b['hit@3']:6.3f} {b['macro_f1']:8.3f} {b['proposed_per_segment']:9.2f}")
    print()
    tool = reading["the tool (question blended 0.5, negation)"][0]
    print(f"codes per participant sentence before any coding: {tool['proposed_per_segment']:.2f} "
          f"(the coder's own rate: {coder_rate:.2f}); interviewers' sentences: 0 (left out), "
          f"{tool['interviewer_if_scored']:.2f} if they were scored")
    u = untalked
    print(f"  with the bands fitted on the example quotes alone (no sample of participants' sentences): "
          f"{u['proposed_per_segment']:.2f} codes per sentence, macro-F1 {u['macro_f1']:.3f}, hit@3 {u['hit@3']:.3f} "
          f"(with it: {tool['macro_f1']:.3f}, {tool['hit@3']:.3f})")
    e = example
    print(f"one example: after coding one sentence ({e['probes']} tries), its code ranks first for its "
          f"{e['neighbours']} closest held-out sentences (mean cosine {e['similarity']:.2f}): "
          f"{e['before']:.2f} before → {e['after']:.2f} after; for those the coder gave that code "
          f"({e['same_code_neighbours']}): {e['before_same']:.2f} → {e['after_same']:.2f}")
    neg = negation
    for name in ("plain", "tool"):
        r = neg[name]
        label = "read as written" if name == "plain" else "negation rules"
        print(f"negation set ({neg['items']} sentences), {label:<16}: accuracy {r['accuracy']:.2f}; "
              f"denied/hedged not proposed {r['denied_not_proposed']:.2f} of {r['denied']}, "
              f"affirmed proposed {r['affirmed_proposed']:.2f} of {r['affirmed']}")
    lat = latency
    print(f"warm suggestion ({lat['sentences']} embedded sentences): through the service (question, negation) "
          f"median {lat['tool_median_ms']:.2f} ms, p95 {lat['tool_p95_ms']:.2f} ms; the engine alone, same run: "
          f"median {lat['engine_median_ms']:.2f} ms, p95 {lat['engine_p95_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
