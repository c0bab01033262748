"""The Suggester: ranks codes for a segment, and learns from the researcher.

Typical use (the project facade owns one per codebook)::

    loader = EncoderLoader(config.model).start()          # background thread
    s = Suggester(codebook, loader, cache_dir=root / ".coder" / "embeddings")
    s.train(positives, rejections)                         # in a worker
    if s.ready:
        for sug in s.suggest(segment.text, top=5):
            ...sug.code, sug.score, sug.band, sug.reason...

Suggestions only rank; turning one into a coding is the caller's business
(after the researcher accepts it).  ``suggest`` never waits for the model:
it raises :class:`NotReady` (quickly) while the classifiers are not trained
or the text is not embedded and the model is still loading.

A code's score is the sum of three things, all learnt from the codebook and
what the researcher has coded and rejected:

* a logistic regression on the sentence embedding (``classifier``);
* once enough is coded, the same regression's weights on word n-grams
  (``words``), which add what the embedding blurs;
* the nearest coded and rejected passages (``neighbours``): a close
  paraphrase of a passage coded with a code lifts that code at once, and a
  near-duplicate of a rejected suggestion is not offered again, without
  waiting for the regression to move.

The bands come from cross-validation on held-out coded passages scored
exactly as :meth:`Suggester.score` scores a passage (``calibration``).

Threading: ``train``/``calibrate`` may run on a worker while ``suggest`` is
called from the UI thread; readers see one immutable snapshot of the fitted
state, swapped in when training finishes.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy as np

from coder.core.codebook import Code, Codebook
from coder.core.suggest.calibration import (
    BANDS,
    PRIOR_GRID,
    Calibration,
    band_rank,
    calibrate,
    cap_rate,
    capped,
    choose_scoring,
    duplicate_level,
)
from coder.core.suggest.classifier import OneVsRestLogistic, linear, sigmoid
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache, NotReady
from coder.core.suggest.model import Encoder, EncoderLoader, ProgressFn
from coder.core.suggest.neighbours import Memory, neighbour_shift
from coder.core.suggest.rows import RowFeatures
from coder.core.suggest.spans import Pieces, as_span, split_sentences
from coder.core.suggest.training import (
    Example,
    ExampleLike,
    KINDS,
    TrainingSet,
    as_examples,
    build_training_set,
    candidate_codes,
    code_texts,
)
from coder.core.suggest.values import Reason, Suggestion
from coder.core.suggest.words import Vocabulary


NEIGHBOUR_GRID = (0.0, 1.0, 2.0, 4.0, 6.0)  # neighbour weights tried by cross-validation
TALK_SAMPLE = 300  # participants' sentences scored to keep the bands sparing before any coding


@dataclass(frozen=True)
class SuggestSettings:
    """Knobs of the engine; the defaults are the ones benchmarked."""

    C: float = 4.0  # inverse L2 strength of each code's logistic regression
    # A change of at most this fraction of rows is "small": only the codes it moves are refitted.
    small_change: float = 0.05
    cv_folds: int = 5
    # Positives before a code's own threshold outweighs the shared one; None: chosen per
    # codebook by cross-validation (calibration.choose_prior_strength).
    prior_strength: float | None = None
    strong_precision: float = 0.8  # held-out precision the "strong" band promises
    # …demanded on the codebook's example quotes while nothing is coded: they are cleaner
    # than real talk (0.9 on them held 0.85 on the NHS comments; 0.8 held only 0.71).
    strong_precision_codebook: float = 0.9
    cap_rate: bool = True  # propose no more codes per passage than the held-out passages have
    recalibrate_growth: float = 0.2  # recalibrate when coded rows grew by this fraction…
    recalibrate_min: int = 10  # …and by at least this many
    balance: float = 0.0  # 0: plain weights; 1: each code's positives weigh as much as its negatives
    # Nearest coded passages: a passage this similar (cosine) or more starts lifting its
    # codes, by up to `neighbour_weight` logits for an identical one.  Rejected passages
    # push down the same way, and at `duplicate` or more their code is not offered.
    # None: the weight is chosen per project by cross-validation from NEIGHBOUR_GRID once
    # `neighbour_choose_from` passages are coded, and is `neighbour_prior` before that.
    neighbour_from: float = 0.5
    neighbour_weight: float | None = None
    neighbour_prior: float = 6.0
    neighbour_choose_from: int = 20
    duplicate: float = 0.85
    # Word n-grams (TF-IDF) beside the embeddings once this many passages are judged
    # (coded, or read and left uncoded); None: never.  On the NHS comments they helped
    # at every amount, from the codebook alone (hit@3 0.817 -> 0.831, kappa +0.03).
    words_from: int | None = 0
    words_weight: float = 1.0
    words_max: int = 30_000  # the most frequent n-grams kept (the retrain's cost grows with it)


@dataclass(frozen=True)
class Scores:
    """Logits and bands for several texts, one column per candidate code."""

    codes: tuple[Code, ...]
    logits: np.ndarray  # (n, k)
    bands: np.ndarray  # (n, k) 0 weak, 1 possible, 2 strong
    vectors: np.ndarray  # (n, d) the pooled embeddings scored
    neighbours: np.ndarray | None = None  # (n, k) cosine to the nearest passage coded with each code
    suppressed: np.ndarray | None = None  # (n, k) near-duplicates of a rejected suggestion: not offered

    @property
    def probabilities(self) -> np.ndarray:
        return sigmoid(self.logits)

    @property
    def decisions(self) -> np.ndarray:
        """True where a code is proposed (band possible or better)."""
        return self.bands >= 1


@dataclass(frozen=True)
class _Model:
    """What scores a piece: the regression's weights, word features and memories."""

    coef: np.ndarray  # (d [+ v], k)
    intercept: np.ndarray  # (k,)
    vocabulary: Vocabulary | None
    words_weight: float
    coded: Memory
    rejected: Memory
    neighbour_from: float
    neighbour_weight: float

    def parts(self, pieces: Pieces) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For every piece, each (p, k): the regression's logits, the shift the
        neighbours add at weight 1, and the similarity to the nearest coded and
        rejected passage."""
        S = None
        if self.vocabulary is not None:
            S = self.vocabulary.transform(pieces.texts) * np.float32(self.words_weight)
        Z = linear(self.coef, self.intercept, pieces.vectors, S)
        pos = self.coded.similarities(pieces.vectors)
        rej = self.rejected.similarities(pieces.vectors)
        shift = neighbour_shift(pos, self.neighbour_from, 1.0) - neighbour_shift(rej, self.neighbour_from, 1.0)
        return Z, shift, pos, rej

    def pieces(self, pieces: Pieces) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(logits, coded similarity, rejected similarity), each (p, k), for every piece."""
        Z, shift, pos, rej = self.parts(pieces)
        return Z + self.neighbour_weight * shift, pos, rej


@dataclass(frozen=True)
class _Fitted:
    codes: tuple[Code, ...]
    model: _Model
    calibration: Calibration
    evidence_vectors: np.ndarray  # positives, for reasons, grouped by column
    evidence: tuple[Example, ...]
    evidence_quote: np.ndarray  # (e,) a real quote (example, coded segment), not a name or definition
    evidence_starts: np.ndarray  # (k + 1,) column j's evidence is [starts[j], starts[j + 1])
    n_coded: int
    n_rows: int

    @property
    def coef(self) -> np.ndarray:
        return self.model.coef

    @property
    def intercept(self) -> np.ndarray:
        return self.model.intercept


class Suggester:
    """Ranks the codes of one codebook for segments of text."""

    def __init__(
        self,
        codebook: Codebook,
        encoder: Encoder | EncoderLoader | CachedEncoder,
        *,
        cache_dir: str | os.PathLike | None = None,
        settings: SuggestSettings = SuggestSettings(),
    ) -> None:
        if isinstance(encoder, CachedEncoder):
            self.encoder = encoder
        else:
            self.encoder = CachedEncoder(encoder, EmbeddingCache(cache_dir, encoder.model_id))
        self.codebook = codebook
        self.settings = settings
        self._fitted: _Fitted | None = None
        self._clf = OneVsRestLogistic(C=settings.C)
        self._clf_codes: tuple[str, ...] = ()
        self._clf_vocabulary: Vocabulary | None = None
        self._lock = threading.RLock()
        self._positives: list[Example] = []
        self._rejections: list[Example] = []
        self._uncoded: list[Example] = []
        self._corpus: dict[str, None] = {}  # the project's texts, for the word vocabulary
        self._talk: list[str] = []  # the participants' sentences among them (see _quiet_on_talk)
        self._vocabulary: Vocabulary | None = None
        self._training: TrainingSet | None = None
        self._rows = RowFeatures()  # the rows' embeddings and word rows, kept between retrains
        self._calibrated_at = -1  # coded rows at the last calibration
        self._neighbour_weight = settings.neighbour_prior if settings.neighbour_weight is None \
            else settings.neighbour_weight

    # -- state ---------------------------------------------------------------

    @property
    def model_id(self) -> str:
        return self.encoder.model_id

    @property
    def state(self) -> str:
        """``"failed"``, ``"loading"`` (nothing trained yet) or ``"ready"``."""
        src = self.encoder.source
        if isinstance(src, EncoderLoader) and src.state == "failed":
            return "failed"
        return "ready" if self._fitted is not None else "loading"

    @property
    def ready(self) -> bool:
        return self._fitted is not None

    @property
    def error(self):
        src = self.encoder.source
        return src.error if isinstance(src, EncoderLoader) else None

    @property
    def codes(self) -> tuple[Code, ...]:
        """The codes being ranked (empty before training)."""
        return self._fitted.codes if self._fitted else ()

    @property
    def calibration(self) -> Calibration | None:
        """The confidence bands in use (None before training)."""
        return self._fitted.calibration if self._fitted else None

    @property
    def neighbour_weight(self) -> float:
        """How many logits an identical coded passage adds to its code (see SuggestSettings)."""
        return self._fitted.model.neighbour_weight if self._fitted else self._neighbour_weight

    @property
    def uses_words(self) -> bool:
        """Whether word n-grams are scored beside the embeddings (enough is coded)."""
        return self._fitted is not None and self._fitted.model.vocabulary is not None

    # -- training ------------------------------------------------------------

    def train(
        self,
        positives: Iterable[ExampleLike] = (),
        rejections: Iterable[ExampleLike] = (),
        uncoded: Iterable[ExampleLike] = (),
        *,
        calibrate: bool | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        """(Re)train on the codebook plus everything coded and rejected so far.

        ``positives``/``rejections`` are :class:`Example` values or
        ``(text, code_id[, where])`` tuples: the whole current set each time
        (the fold of the coding log), not a delta.  Warm-started, so calling
        it after every coding action is cheap.  ``calibrate`` forces (True)
        or skips (False) recomputing the confidence bands; by default they
        are recomputed when the coded data has grown enough to matter.
        Blocks while the model loads if texts need embedding.
        """
        with self._lock:
            self._positives = as_examples(positives, "coded")
            self._rejections = as_examples(rejections, "rejected")
            self._uncoded = as_examples(uncoded, "uncoded")
            self._fit(calibrate, progress)

    def add(self, positive: ExampleLike | None = None, rejection: ExampleLike | None = None) -> None:
        """Learn from one more coding and/or rejection, then retrain (warm)."""
        with self._lock:
            if positive is not None:
                self._positives += as_examples([positive], "coded")
            if rejection is not None:
                self._rejections += as_examples([rejection], "rejected")
            self._fit(None, None)

    def calibrate(self) -> None:
        """Recompute the confidence bands now (cross-validation: seconds)."""
        with self._lock:
            self._fit(True, None)

    def add_corpus(self, texts: Iterable[str], *, talk: bool = False) -> None:
        """Make the project's texts known for the word vocabulary (nothing is embedded).

        The vocabulary and its IDF weights come from these, the codebook and
        everything trained on, so they describe the whole project and stay
        put between retrains.  :meth:`prepare` calls this too.  ``talk``: these
        are participants' sentences, the kind suggestions are made for; before
        anything is coded a sample of them sets how sparing the bands are.
        """
        with self._lock:
            for t in texts:
                if t.strip():
                    self._corpus.setdefault(t)
                    if talk:
                        self._talk.append(t)

    def _fit(self, do_calibrate: bool | None, progress: ProgressFn | None) -> None:
        s = self.settings
        codes = candidate_codes(self.codebook, self._positives)
        ts = build_training_set(self.codebook, codes, self._positives, self._rejections, self._uncoded)
        n_coded = ts.rows_with("coded")
        n_uncoded = ts.rows_with("uncoded")
        vocabulary = self._words_for(ts, n_coded + n_uncoded)
        X, S = self._rows.features(ts.texts, lambda texts: self.encoder.encode(texts, progress), vocabulary,
                                   self.encoder)
        if S is not None and s.words_weight != 1.0:
            S = S * np.float32(s.words_weight)
        ids = tuple(c.id for c in codes)
        previous_rows = 0 if self._training is None else len(self._training.texts)
        new_words = vocabulary is not self._clf_vocabulary  # switched on, off, or rebuilt
        self._carry_over(ids, X.shape[1], vocabulary)
        small = (
            not new_words
            and self._clf.coef_ is not None
            and previous_rows > 0
            and abs(len(ts.texts) - previous_rows) <= max(1, s.small_change * previous_rows)
        )
        if s.balance:
            pos = (ts.W * ts.Y).sum(0)
            neg = (ts.W * (1 - ts.Y)).sum(0)
            ratio = np.where(pos > 0, neg / np.maximum(pos, 1e-9), 1.0) ** s.balance
            ts = replace(ts, W=np.where(ts.Y > 0, ts.W * ratio, ts.W).astype(np.float32))
        if small:  # only the codes the change touched move
            self._clf.update(X, ts.Y, ts.W, S=S)
        else:
            self._clf.fit(X, ts.Y, ts.W, S=S, warm_start=True)
        self._training = ts

        old = self._fitted
        if old is None or old.codes != tuple(codes):
            do_calibrate = True  # no bands to keep for these codes
        elif do_calibrate is None:
            grown = n_coded - self._calibrated_at
            do_calibrate = (
                new_words
                or (grown >= s.recalibrate_min and grown >= s.recalibrate_growth * max(self._calibrated_at, 1))
            )
        coded, rejected = self._memories(ts, X, codes)
        if do_calibrate:
            cal, self._neighbour_weight = self._cross_validate(X, S, ts, vocabulary, coded, rejected)
            self._calibrated_at = n_coded
        else:
            cal = old.calibration
        model = _Model(self._clf.coef_.copy(), self._clf.intercept_.copy(), vocabulary, s.words_weight,
                       coded, rejected, s.neighbour_from, self._neighbour_weight)
        if do_calibrate and s.cap_rate and not (n_coded or n_uncoded) and self._talk \
                and ts.cv.sum() >= 2 * s.cv_folds:  # bands fitted on example quotes (not names alone)
            cal = self._quiet_on_talk(model, cal, ts, progress)
        self._fitted = self._snapshot(tuple(codes), ts, X, model, cal, n_coded)

    def _quiet_on_talk(self, model: _Model, cal: Calibration, ts: TrainingSet, progress) -> Calibration:
        """Before anything is coded, the bands are fitted on the codebook's example quotes, every one
        on topic; a project's own talk mostly is not.  Raise every threshold by the least common
        amount that proposes, on a sample of the participants' sentences, no more codes per
        sentence than the held-out example quotes have (about one)."""
        talk = self._talk[:: max(1, len(self._talk) // TALK_SAMPLE)][:TALK_SAMPLE]
        held = ts.Y[ts.cv] > 0
        density = float(held.sum(1).mean()) if len(held) else 1.0
        spans = [split_sentences(t) for t in talk]
        pieces = Pieces.build(spans, self.encoder.encode([x for sp in spans for x in sp], progress))
        Z, _, _ = model.pieces(pieces)
        logits = pieces.best(Z, len(spans))
        thresholds = cap_rate(logits, np.ones(logits.shape, bool), cal.thresholds, density)
        return replace(cal, thresholds=np.asarray(thresholds, np.float32))

    def _words_for(self, ts: TrainingSet, n_judged: int) -> Vocabulary | None:
        """The word vocabulary to use now: none until enough is judged; then one
        built from the project's texts, rebuilt only when they have grown by half."""
        s = self.settings
        if s.words_from is None or n_judged < s.words_from:
            return None
        corpus = dict(self._corpus)
        for c in self.codebook.codes:
            corpus.update(dict.fromkeys(e.text for e in code_texts(c)))
        corpus.update(dict.fromkeys(ts.texts))
        if self._vocabulary is None or len(corpus) > 1.5 * self._vocabulary.n_docs:
            self._vocabulary = Vocabulary.build(corpus, max_size=s.words_max)
        return self._vocabulary

    def _carry_over(self, ids: tuple[str, ...], dim: int, vocabulary: Vocabulary | None) -> None:
        """Keep each code's weights across a change in the set of codes, and
        the embedding weights across a change of word vocabulary."""
        clf = self._clf
        if clf.coef_ is not None and vocabulary is not self._clf_vocabulary:
            clf.coef_ = clf.coef_[:dim]  # the word weights start again from 0
        self._clf_vocabulary = vocabulary
        if clf.coef_ is None or ids == self._clf_codes:
            self._clf_codes = ids
            return
        old = {c: j for j, c in enumerate(self._clf_codes)}
        coef = np.zeros((clf.coef_.shape[0], len(ids)), np.float32)
        bias = np.zeros(len(ids), np.float32)
        for j, c in enumerate(ids):
            if c in old:
                coef[:, j], bias[j] = clf.coef_[:, old[c]], clf.intercept_[old[c]]
        clf.coef_, clf.intercept_ = coef, bias
        self._clf_codes = ids

    @staticmethod
    def _memories(ts: TrainingSet, X: np.ndarray, codes: Sequence[Code]) -> tuple[Memory, Memory]:
        """The coded passages and the rejected ones, each remembered for its code."""
        out = []
        for kind in ("coded", "rejected"):
            at = ts.of_kind(kind)
            rows = ts.evidence_row[at]
            out.append(Memory.build(X[rows], ts.evidence_column[at], [ts.evidence[a] for a in at], rows, len(codes)))
        return out[0], out[1]

    def _cross_validate(
        self,
        X: np.ndarray,
        S,
        ts: TrainingSet,
        vocabulary: Vocabulary | None,
        coded: Memory,
        rejected: Memory,
    ) -> tuple[Calibration, float]:
        """Bands, and the neighbours' weight, from out-of-fold scores of the
        held-out passages, each scored as :meth:`score` scores it: sentence by
        sentence and pooled, with the nearest passages of the other folds."""
        s = self.settings
        weight = self._neighbour_weight
        held = np.nonzero(ts.cv)[0]
        examples = len(held) >= 2 * s.cv_folds  # real passages to hold out, not just names
        if not examples:
            # No example quotes and nothing coded yet: hold out the codes'
            # names and definitions themselves, which is better than nothing
            # (but says nothing about how many codes a passage has).
            held = np.arange(len(ts.texts))
        if len(held) < 2 * s.cv_folds:
            return Calibration.default(ts.Y.shape[1]), weight
        if s.neighbour_weight is not None:
            weights = (s.neighbour_weight,)
        elif len(coded) < s.neighbour_choose_from:
            weights = (s.neighbour_prior,)
        else:
            weights = NEIGHBOUR_GRID
        rng = np.random.default_rng(0)
        held = held[rng.permutation(len(held))]
        fold = np.full(len(ts.texts), -1)
        for f in range(s.cv_folds):
            fold[held[f :: s.cv_folds]] = f
        codebook_only = not np.isin(ts.evidence_row[ts.of_kind("coded", "uncoded")], held).any()
        spans = [split_sentences(ts.texts[h]) for h in held]
        pieces = Pieces.build(spans, self.encoder.encode([t for sp in spans for t in sp]))
        Z = np.zeros((len(weights), len(held), ts.Y.shape[1]), np.float32)
        near = np.full((2, len(held), ts.Y.shape[1]), -1.0, np.float32)  # nearest coded, rejected passage
        for f in range(s.cv_folds):
            keep = fold != f
            clf = OneVsRestLogistic(C=s.C)
            clf.coef_, clf.intercept_ = self._clf.coef_.copy(), self._clf.intercept_.copy()
            clf.fit(X[keep], ts.Y[keep], ts.W[keep], S=None if S is None else S[keep], warm_start=True)
            model = _Model(clf.coef_, clf.intercept_, vocabulary, s.words_weight, coded.subset(keep[coded.rows]),
                           rejected.subset(keep[rejected.rows]), s.neighbour_from, 0.0)
            out = fold[held] == f
            part = pieces.take(out[pieces.owner])
            base, shift, pos, rej = model.parts(part)
            for v, w in enumerate(weights):
                Z[v, out] = part.best(base + w * shift, len(held))[out]
            near[0, out], near[1, out] = part.best(pos, len(held))[out], part.best(rej, len(held))[out]
        known = ts.W[held] > 0
        labels = ts.Y[held] > 0
        prior = s.prior_strength
        if len(weights) > 1 or prior is None:
            chosen = choose_scoring(list(Z), labels, known, PRIOR_GRID if prior is None else (prior,))
            v, prior = chosen if chosen else (0, prior)
        else:
            v = 0
        cal = calibrate(
            Z[v],
            labels,
            known,
            strong_precision=s.strong_precision_codebook if codebook_only else s.strong_precision,
            prior_strength=prior,
            max_rate=float((labels & known).sum(1).mean()) if s.cap_rate and examples else None,
        )
        if examples and weights[v] > 0:
            level = duplicate_level(near[0], near[1], labels, known, strong_precision=s.strong_precision)
            cal = replace(cal, duplicate=level)
        return cal, weights[v]

    def _snapshot(self, codes, ts: TrainingSet, X: np.ndarray, model: _Model, cal: Calibration,
                  n_coded: int) -> _Fitted:
        at = ts.of_kind("name", "definition", "example", "coded")  # codes already resolved
        at = at[np.argsort(ts.evidence_column[at], kind="stable")]
        column = ts.evidence_column[at]
        quote = np.isin(ts.evidence_kind[at], [KINDS.index("example"), KINDS.index("coded")])
        return _Fitted(
            codes=codes,
            model=model,
            calibration=cal,
            evidence_vectors=X[ts.evidence_row[at]],
            evidence=tuple(ts.evidence[a] for a in at),
            evidence_quote=quote,
            evidence_starts=np.searchsorted(column, np.arange(len(codes) + 1)),
            n_coded=n_coded,
            n_rows=len(ts.texts),
        )

    # -- scoring -------------------------------------------------------------

    def _require(self) -> _Fitted:
        fitted = self._fitted
        if fitted is None:
            raise NotReady("suggestions are not trained yet")
        return fitted

    def prepare(self, texts: Sequence[str], progress: ProgressFn | None = None) -> None:
        """Embed texts ahead of time (into the cache) so later suggestions are instant."""
        self.add_corpus(texts)
        self.encoder.encode(list(texts), progress)

    def score(
        self,
        spans: Sequence[str | Sequence[str]],
        *,
        block: bool = True,
        progress: ProgressFn | None = None,
    ) -> Scores:
        """Logits and bands for each span (a text, or a list of sentences).

        A span of several sentences scores each code as the best of the
        mean-pooled sentences and each sentence alone, so one sentence
        squarely about a code is not diluted by the rest.
        """
        fitted = self._require()
        parts = [as_span(s) for s in spans]
        V = self.encoder.encode([t for p in parts for t in p], progress, block=block)
        if not len(V):
            V = np.zeros((0, fitted.evidence_vectors.shape[1]), np.float32)
        pieces = Pieces.build(parts, V)
        Z, pos, rej = fitted.model.pieces(pieces)
        n = len(parts)
        logits, pos, rej = pieces.best(Z, n), pieces.best(pos, n), pieces.best(rej, n)
        suppressed = (rej >= self.settings.duplicate) & (rej >= pos)
        bands = fitted.calibration.bands(logits)
        if fitted.calibration.duplicate is not None:  # a near-duplicate of a coded passage: strong, where earned
            bands[(pos >= fitted.calibration.duplicate) & (pos > rej) & (bands >= 1)] = 2
        bands[suppressed] = 0
        return Scores(fitted.codes, logits, bands, pieces.pooled, pos, suppressed)

    def suggest(
        self,
        text: str | Sequence[str],
        *,
        top: int | None = 5,
        min_band: str = "weak",
        exclude: Iterable[str] = (),
        block: bool = False,
    ) -> list[Suggestion]:
        """The best codes for one segment or span, best first.

        ``exclude``: code ids not to suggest (e.g. already applied).  A code
        rejected for a near-duplicate of this text is not suggested either.
        Raises :class:`NotReady` rather than waiting, unless ``block``.
        """
        return self.suggest_many([text], top=top, min_band=min_band, exclude=[exclude], block=block)[0]

    def suggest_many(
        self,
        spans: Sequence[str | Sequence[str]],
        *,
        top: int | None = 5,
        min_band: str = "weak",
        exclude: Sequence[Iterable[str]] | None = None,
        block: bool = True,
        progress: ProgressFn | None = None,
        caps: Sequence[dict[str, int] | None] | None = None,
    ) -> list[list[Suggestion]]:
        """:meth:`suggest` for many spans at once (one embedding pass).

        ``caps``: per span, the highest band (0 weak … 2 strong) each code may
        have, absent codes 0 (None: no cap); applied before ``min_band`` and ``top``.
        """
        fitted = self._require()
        floor = band_rank(min_band)
        sc = self.score(spans, block=block, progress=progress)
        out: list[list[Suggestion]] = []
        for i in range(len(spans)):
            skip = {self.codebook.resolve(c) or c for c in (exclude[i] if exclude else ())}
            cap = caps[i] if caps is not None else None
            order = np.argsort(-sc.logits[i], kind="stable")
            probability = sigmoid(sc.logits[i])
            row: list[Suggestion] = []
            rank = 0
            for j in order:
                code = fitted.codes[j]
                if code.id in skip or sc.suppressed[i, j]:
                    continue
                rank += 1
                band = capped(int(sc.bands[i, j]), code.id, cap)
                if band < floor:
                    continue  # bands are per code: a lower logit may still be a higher band
                row.append(
                    Suggestion(
                        code=code.id,
                        name=code.name,
                        score=float(probability[j]),
                        band=BANDS[band],
                        rank=rank,
                        reason=self._reason(fitted, j, sc.vectors[i], float(sc.neighbours[i, j])),
                        model=self.model_id,
                    )
                )
                if top is not None and len(row) >= top:
                    break
            out.append(row)
        return out

    def _reason(self, fitted: _Fitted, column: int, vector: np.ndarray, neighbour: float) -> Reason | None:
        if neighbour >= self.settings.neighbour_from:  # a coded passage lifted this code: it is the reason
            found = fitted.model.coded.nearest(vector, column)
            if found is not None:
                e, sim = found
                return Reason(e.text, e.kind, e.where or "codebook", sim)
        lo, hi = fitted.evidence_starts[column], fitted.evidence_starts[column + 1]
        if lo == hi:
            return None
        sims = fitted.evidence_vectors[lo:hi] @ vector
        # Prefer real quotes (examples, coded segments) over the code's name and definition.
        quote = fitted.evidence_quote[lo:hi]
        best = int(np.argmax(np.where(quote, sims, sims - 1.0))) if quote.any() else int(np.argmax(sims))
        e = fitted.evidence[lo + best]
        return Reason(e.text, e.kind, e.where or "codebook", float(sims[best]))
