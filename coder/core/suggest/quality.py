"""How good the suggestions are on this project: what the researcher decided, and cross-validation.

Two figures, both from the project's own data:

* :func:`outcomes`: every suggestion the coders accepted (a coding whose
  origin is ``suggestion``) or rejected, by the band it was shown in, with the
  share accepted (the precision the researcher saw).  Lines written before the
  band was recorded count under ``unrecorded``; undone actions do not count.
* :func:`cross_validate`: for each code, Cohen's kappa, F1, precision and
  recall of the suggester's decisions against the project's codings, on
  held-out passages: the coded and read passages are split into folds, and for
  each fold a suggester is trained as the workbench trains one
  (:func:`~coder.core.suggestions.trained_suggester`) on the codebook and the
  other folds.  A held-out passage is scored exactly as the workbench scores
  that span when the cursor is on it: sentence by sentence, each read with the
  interviewer's question and without what it denies, the span's band for a
  code the best of its sentences and their pool, capped by what it affirms
  (:func:`~coder.core.suggest.contextual.score_spans`); "proposed" is what the
  workbench shows as ``possible`` or ``strong``.  A passage overlapping a
  held-out one is left out of training too, so no sentence is scored against
  itself.  Codes with fewer than ``min_positives`` coded passages get no
  figures (they would be noise), only their count.

A passage's label for a code is unknown (left out) when it is coded with a
parent or child of that code but not the code itself, as in training.

The result is kept in ``.coder/quality.json`` with the key of what it was
computed from (:func:`inputs_key`: the passages and their codes, the
rejections, the codebook, the model and this method), so it is shown again
without recomputing until one of those changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from coder.core.atomic import write_atomic

if TYPE_CHECKING:
    from coder.core.codebook import Codebook
    from coder.core.codings.state import State
    from coder.core.suggest.context import Reading
    from coder.core.suggestions import TrainingData

SAVED = "quality.json"  # the last cross-validation, under .coder/
ORDER = ("strong", "possible", "weak")  # calibration.BANDS, strongest first (not imported: it loads numpy)
UNRECORDED = "unrecorded"  # accepted or rejected before bands were recorded
MIN_POSITIVES = 8  # coded passages a code needs before its cross-validated figures mean anything
FOLDS = 5
FINE_TUNED = "-ft-"  # in the id of a fine-tuned model (finetune.model_dir; not imported: it loads more)
METHOD = 2  # bump when the cross-validation changes, so saved results computed the old way are stale
Progress = Callable[[str, int, int], None]  # (stage, done, total)


# ------------------------------------------------------------------ outcomes
@dataclass(frozen=True)
class BandOutcome:
    band: str  # strong, possible, weak, or unrecorded
    accepted: int
    rejected: int

    @property
    def shown(self) -> int:
        return self.accepted + self.rejected

    @property
    def precision(self) -> float | None:
        """The share of decided suggestions that were accepted (None: none decided)."""
        return self.accepted / self.shown if self.shown else None


def outcomes(state: "State") -> list[BandOutcome]:
    """Accepted and rejected suggestions by band, strongest first (bands with none left out,
    except the three real bands, which are always listed)."""
    accepted = Counter((c.origin.band or UNRECORDED) for c in state.codings.values() if c.origin.kind == "suggestion")
    rejected = Counter((r.band or UNRECORDED) for r in state.rejections.values())
    order = [*ORDER, UNRECORDED]
    out = [BandOutcome(b, accepted[b], rejected[b]) for b in order if b != UNRECORDED or accepted[b] or rejected[b]]
    out += [BandOutcome(b, accepted[b], rejected[b]) for b in sorted((accepted | rejected).keys() - set(order))]
    return out


# ---------------------------------------------------------- cross-validation
@dataclass(frozen=True)
class CodeQuality:
    code: str
    name: str
    positives: int  # coded passages with this code
    kappa: float | None = None  # None: too few positives to say
    f1: float | None = None
    precision: float | None = None
    recall: float | None = None
    proposed: int = 0  # held-out passages the suggester proposed it for

    @property
    def enough(self) -> bool:
        return self.kappa is not None

    @property
    def verdict(self) -> str:
        """A word a researcher can act on."""
        if self.kappa is None:
            return "too few codings"
        if self.kappa >= 0.6:
            return "good"
        if self.kappa >= 0.4:
            return "fair"
        return "poor"


@dataclass(frozen=True)
class Quality:
    """Everything ``coder suggest --quality`` reports."""

    bands: tuple[BandOutcome, ...]
    codes: tuple[CodeQuality, ...] = ()
    passages: int = 0  # coded or read passages cross-validated
    folds: int = 0
    model: str = ""
    min_positives: int = MIN_POSITIVES
    note: str = ""  # why there are no cross-validated figures, if there are none
    mean_kappa: float | None = None
    time: str = ""  # when the cross-validation ran (UTC)
    key: str = ""  # what it was computed from (inputs_key); "" for the decisions alone

    @property
    def caveat(self) -> str:
        """What to bear in mind reading the figures ("" when nothing)."""
        if self.folds and FINE_TUNED in self.model:
            return ("The model was fine-tuned on these same codings, so no held-out passage was wholly unseen: "
                    "the figures flatter it.")
        return ""

    def to_json(self) -> dict:
        return {
            "bands": [{**asdict(b), "precision": _round(b.precision)} for b in self.bands],
            "codes": [{**asdict(c), "verdict": c.verdict, "kappa": _round(c.kappa), "f1": _round(c.f1),
                       "precision": _round(c.precision), "recall": _round(c.recall)} for c in self.codes],
            "passages": self.passages, "folds": self.folds, "model": self.model,
            "min_positives": self.min_positives, "mean_kappa": _round(self.mean_kappa), "note": self.note,
            "time": self.time, "key": self.key, "caveat": self.caveat,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Quality":
        def pick(kind, item: dict):
            return kind(**{f.name: item[f.name] for f in fields(kind) if f.name in item})

        return cls(
            tuple(pick(BandOutcome, b) for b in d.get("bands", ())),
            tuple(pick(CodeQuality, c) for c in d.get("codes", ())),
            **{k: d[k] for k in ("passages", "folds", "model", "min_positives", "note", "mean_kappa", "time", "key") if k in d},
        )


def save(cache: Path, quality: Quality) -> None:
    """Keep the latest cross-validation under ``.coder/`` so the panel shows it at once next time."""
    write_atomic(Path(cache) / SAVED, json.dumps(quality.to_json(), indent=1, ensure_ascii=False).encode("utf-8"))


def saved(cache: Path) -> Quality | None:
    """The last saved cross-validation, or None (none yet, or unreadable: it is only a cache)."""
    try:
        return Quality.from_json(json.loads((Path(cache) / SAVED).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


def kappa(truth: Sequence[bool], decided: Sequence[bool]) -> float:
    """Cohen's kappa of two yes/no ratings of the same items (0 when chance explains everything)."""
    n = len(truth)
    if n == 0:
        return 0.0
    both = sum(1 for t, d in zip(truth, decided) if t and d)
    neither = sum(1 for t, d in zip(truth, decided) if not t and not d)
    pt, pd = sum(truth) / n, sum(decided) / n
    po = (both + neither) / n
    pe = pt * pd + (1 - pt) * (1 - pd)
    return (po - pe) / (1 - pe) if pe < 1 else (1.0 if po == 1 else 0.0)


@dataclass(frozen=True)
class Passage:
    """A coded or read passage: what training sees, and how the workbench reads it."""

    text: str  # the quote, as the suggestions learn it
    where: str  # transcript id
    codes: frozenset[str]  # resolved through the codebook; empty: read and left uncoded
    readings: tuple["Reading", ...]  # its sentences as the workbench scores them
    span: tuple[int, int] | None = None  # (start, end) in its transcript, when known

    def overlaps(self, other: "Passage") -> bool:
        if self.span is None or other.span is None or self.where != other.where:
            return self.text == other.text
        return self.span[0] < other.span[1] and other.span[0] < self.span[1]


def passages_of(codebook: "Codebook", data: "TrainingData") -> list[Passage]:
    """Passages from texts alone (no transcript around them): each sentence read alone."""
    from coder.core.suggest.context import read_alone
    from coder.core.suggest.spans import split_sentences

    codes: dict[tuple[str, str], set[str]] = {}
    for text, code, where in data.positives:
        resolved = codebook.resolve(code)
        if resolved and text.strip():
            codes.setdefault((text, where), set()).add(resolved)
    for text, _, where in data.uncoded:
        if text.strip():
            codes.setdefault((text, where), set())
    return [Passage(t, w, frozenset(c), tuple(read_alone(s) for s in split_sentences(t)))
            for (t, w), c in sorted(codes.items())]


def project_passages(project) -> list[Passage]:
    """The project's coded and read passages, each read as the workbench reads that span."""
    from coder.core.suggest.context import read_span
    from coder.core.suggestions import judged_spans

    spans, transcripts = judged_spans(project)
    out = []
    for j in spans:
        t = transcripts[j.transcript]
        codes = frozenset(r for c in j.codes if (r := project.codebook.resolve(c)))
        text = t.quote(j.start, j.end)
        if text.strip() and (codes or not j.codes):
            out.append(Passage(text, j.transcript, codes, tuple(read_span(t, j.start, j.end)), (j.start, j.end)))
    return out


def inputs_key(codebook: "Codebook", passages: Sequence[Passage], rejections: Sequence, model_id: str,
               folds: int = FOLDS, min_positives: int = MIN_POSITIVES) -> str:
    """A hash of everything a cross-validation depends on: a saved one with this key is current."""
    h = hashlib.blake2b(digest_size=12)
    h.update(json.dumps([METHOD, model_id, folds, min_positives, repr(codebook.codes)], ensure_ascii=False).encode())
    for p in passages:
        h.update(json.dumps([p.text, p.where, sorted(p.codes), p.span,
                             [[r.sentence, r.affirmed, r.question, r.weight] for r in p.readings]],
                            ensure_ascii=False).encode())
    h.update(json.dumps(sorted(map(list, rejections)), ensure_ascii=False).encode())
    return h.hexdigest()


def cross_validate(
    codebook: "Codebook",
    data: "TrainingData",
    encoder,
    *,
    passages: Sequence[Passage] | None = None,
    corpus: Iterable[str] | None = None,
    folds: int = FOLDS,
    min_positives: int = MIN_POSITIVES,
    progress: Progress | None = None,
    seed: int = 0,
) -> Quality:
    """Per-code kappa, F1, precision and recall on held-out passages (see the module's docstring).

    ``passages``: the passages to hold out in turn (default: ``data``'s texts,
    each sentence read alone, see :func:`passages_of`); ``data`` gives the
    rejections.  ``corpus``: the texts the word vocabulary is taken from (the
    workbench uses every sentence of the project; default: the passages).
    ``encoder`` is any encoder (wrap it in a :class:`CachedEncoder` to reuse
    the project's embedding cache).  Returns a :class:`Quality` without bands.
    """
    import numpy as np

    from coder.core.suggest.contextual import score_spans, scored
    from coder.core.suggest.embeddings import CachedEncoder
    from coder.core.suggest.training import as_examples, candidate_codes
    from coder.core.suggestions import TrainingData, trained_suggester

    encoder = encoder if isinstance(encoder, CachedEncoder) else CachedEncoder(encoder)
    passages = list(passages) if passages is not None else passages_of(codebook, data)
    corpus = list(corpus) if corpus is not None else [p.text for p in passages]
    counts = Counter({c.id: 0 for c in candidate_codes(codebook, as_examples(data.positives, "coded"))})
    counts.update(c for p in passages for c in p.codes)
    names = {c.id: c.name for c in codebook.codes}
    place = {c.id: i for i, c in enumerate(codebook.codes)}
    in_order = sorted(counts.items(), key=lambda item: (place.get(item[0], len(place)), item[0]))
    few = tuple(CodeQuality(c, names.get(c, c), n) for c, n in in_order)
    model = encoder.model_id
    if not any(n >= min_positives for n in counts.values()):
        note = f"no code has {min_positives} coded passages yet"
        return Quality((), few, len(passages), 0, model, min_positives, note)

    def say(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    read = [r for p in passages for r in p.readings]
    texts = list(dict.fromkeys([p.text for p in passages] + [r[0] for r in data.rejections]
                               + [str(scored(r)) for r in read] + [r.question for r in read if r.question]
                               + [r.affirmed for r in read if r.affirmed]))
    say("embedding", 0, len(texts))  # the model may have to load first (seconds)
    encoder.encode(texts, lambda d, n: say("embedding", d, n))
    order = np.random.default_rng(seed).permutation(len(passages))
    fold_of = np.empty(len(passages), np.int64)
    fold_of[order] = np.arange(len(passages)) % folds
    decided: dict[str, list[tuple[bool, bool]]] = {c: [] for c in counts}
    family = {c: {a.id for a in codebook.ancestors(c)} | {d.id for d in codebook.descendants(c)} for c in counts}
    say("fold", 0, folds)
    for f in range(folds):
        held = [p for p, g in zip(passages, fold_of) if g == f]
        by_where: dict[str, list[Passage]] = {}
        for p in held:
            by_where.setdefault(p.where, []).append(p)
        held_texts = {p.text for p in held} | {r.sentence.strip() for p in held for r in p.readings}
        train = [p for p, g in zip(passages, fold_of)
                 if g != f and p.text not in held_texts and not any(p.overlaps(h) for h in by_where.get(p.where, ()))]
        s = trained_suggester(codebook, encoder, None, corpus, TrainingData(
            [(p.text, c, p.where) for p in train for c in sorted(p.codes)],
            [r for r in data.rejections if r[0] not in held_texts],
            [(p.text, "", p.where) for p in train if not p.codes],
        ))
        scores = score_spans(s, [p.readings for p in held])
        column = {c.id: j for j, c in enumerate(scores.codes)}
        for i, p in enumerate(held):
            for c in counts:
                if c not in p.codes and p.codes & family[c]:
                    continue  # coded with a parent or child of c: unknown for c
                j = column.get(c)
                decided[c].append((c in p.codes, bool(scores.decisions[i, j]) if j is not None else False))
        say("fold", f + 1, folds)
    rows = []
    for c, n in in_order:
        if n < min_positives:
            rows.append(CodeQuality(c, names.get(c, c), n))
            continue
        truth = [t for t, _ in decided[c]]
        said = [d for _, d in decided[c]]
        tp = sum(1 for t, d in decided[c] if t and d)
        rows.append(CodeQuality(
            c, names.get(c, c), n, kappa(truth, said), 2 * tp / max(sum(truth) + sum(said), 1),
            tp / sum(said) if any(said) else None, tp / max(sum(truth), 1), sum(said),
        ))  # fmt: skip
    measured = [r.kappa for r in rows if r.kappa is not None]
    return Quality((), tuple(rows), len(passages), folds, model, min_positives,
                   mean_kappa=sum(measured) / len(measured) if measured else None)


def model_id_of(project, encoder=None) -> str:
    """The id of the model the project's suggestions use (``encoder``'s, when one is given)."""
    from coder.core.suggest.finetune import project_model
    from coder.core.suggest.model import resolve_model_id

    return encoder.model_id if encoder is not None else resolve_model_id(project_model(project))


@dataclass(frozen=True)
class Inputs:
    """What a project's cross-validation is computed from, and its key."""

    data: "TrainingData"
    passages: list[Passage]
    model_id: str
    key: str


def project_inputs(project, encoder=None) -> Inputs:
    """The project's passages, rejections and model, and their :func:`inputs_key` (reads the logs
    and the coded transcripts: call it off the screen's thread)."""
    from coder.core.suggestions import training_data

    data = training_data(project)
    passages = project_passages(project)
    model_id = model_id_of(project, encoder)
    return Inputs(data, passages, model_id, inputs_key(project.codebook, passages, data.rejections, model_id))


def current(project, encoder=None) -> tuple[Quality | None, bool]:
    """The saved cross-validation and whether it is current (computed from what the project holds now)."""
    last = saved(project.config.cache)
    if last is None:
        return None, False
    return last, bool(last.key) and last.key == project_inputs(project, encoder).key


def project_quality(project, *, cross: bool = True, encoder=None, progress: Progress | None = None,
                    fresh: bool = False) -> Quality:
    """Both figures for a project; ``encoder``: the model to cross-validate with (default: the
    project's, loaded offline, behind its embedding cache; loaded only for texts not cached).

    The saved cross-validation is reused when it is current, unless ``fresh``; a new one is saved.
    """
    from dataclasses import replace

    with project.lock:
        bands = tuple(outcomes(project.store.state()))
    if not cross:
        return Quality(bands)
    inputs = project_inputs(project, encoder)
    last = saved(project.config.cache)
    if not fresh and last is not None and last.key == inputs.key:
        return replace(last, bands=bands)
    from coder.core.codings.events import now
    from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache
    from coder.core.suggest.finetune import project_model
    from coder.core.suggest.model import EncoderLoader

    source = encoder if encoder is not None else EncoderLoader(project_model(project))
    cached = CachedEncoder(source, EmbeddingCache(project.config.cache / "embeddings", source.model_id))
    corpus = [seg.text for tid in project.transcript_ids() for seg in project.transcript(tid).segments]
    result = cross_validate(project.codebook, inputs.data, cached, passages=inputs.passages, corpus=corpus,
                            progress=progress)
    result = replace(result, bands=bands, time=now(), key=inputs.key)
    save(project.config.cache, result)
    return result


def format_bands(bands: Iterable[BandOutcome]) -> list[dict]:
    """Rows for a table: band, accepted, rejected, precision."""
    return [{"band": b.band, "accepted": b.accepted, "rejected": b.rejected,
             "precision": "–" if b.precision is None else f"{b.precision:.2f}"} for b in bands]


def trust(quality: Quality) -> list[str]:
    """Plain sentences on which codes' suggestions to trust, for a researcher (empty: no figures yet)."""
    if not quality.folds:
        return []
    groups = {"good": [], "fair": [], "poor": [], "too few codings": []}
    for c in quality.codes:
        groups[c.verdict].append(c.code)
    said = {
        "good": "Trust the suggestions for {} (kappa 0.6 or more: they agree with your codings well beyond chance).",
        "fair": "Check the suggestions for {} before accepting (kappa 0.4 to 0.6).",
        "poor": "Code {} yourself: the suggestions agree with your codings little beyond chance (kappa below 0.4).",
        "too few codings": "No figures yet for {}: code at least " + str(quality.min_positives)
                           + " passages with each first.",
    }
    return [said[v].format(", ".join(codes)) for v, codes in groups.items() if codes]


def format_codes(codes: Iterable[CodeQuality], min_positives: int = MIN_POSITIVES) -> list[dict]:
    """Rows for a table: code, coded, kappa, F1, precision, recall, verdict."""
    out = []
    for c in codes:
        if c.kappa is None:
            out.append({"code": c.code, "coded": c.positives, "kappa": "", "F1": "", "precision": "", "recall": "",
                        "verdict": f"too few codings ({c.positives} of {min_positives})"})
            continue
        out.append({"code": c.code, "coded": c.positives, "kappa": f"{c.kappa:.2f}", "F1": f"{c.f1:.2f}",
                    "precision": "–" if c.precision is None else f"{c.precision:.2f}",
                    "recall": f"{c.recall:.2f}", "verdict": c.verdict})
    return out
