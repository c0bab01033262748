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
from coder.core.suggest.calibration import BANDS, Calibration, band_rank, calibrate
from coder.core.suggest.classifier import OneVsRestLogistic, sigmoid
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache, NotReady
from coder.core.suggest.model import Encoder, EncoderLoader, ProgressFn
from coder.core.suggest.training import (
    Example,
    ExampleLike,
    TrainingSet,
    as_examples,
    build_training_set,
    candidate_codes,
)
from coder.core.suggest.values import Reason, Suggestion


@dataclass(frozen=True)
class SuggestSettings:
    """Knobs of the engine; the defaults are the ones benchmarked."""

    C: float = 4.0  # inverse L2 strength of each code's logistic regression
    update_iter: int = 12  # L-BFGS steps for a warm retrain after a small change
    small_change: float = 0.05  # a change of at most this fraction of rows is "small"
    cv_folds: int = 5
    prior_strength: float = 4.0  # positives before a code's own threshold outweighs the shared one
    strong_precision: float = 0.8  # held-out precision the "strong" band promises
    recalibrate_growth: float = 0.2  # recalibrate when coded rows grew by this fraction…
    recalibrate_min: int = 10  # …and by at least this many
    balance: float = 0.0  # 0: plain weights; 1: each code's positives weigh as much as its negatives


@dataclass(frozen=True)
class Scores:
    """Logits and bands for several texts, one column per candidate code."""

    codes: tuple[Code, ...]
    logits: np.ndarray  # (n, k)
    bands: np.ndarray  # (n, k) 0 weak, 1 possible, 2 strong
    vectors: np.ndarray  # (n, d) the pooled embeddings scored

    @property
    def probabilities(self) -> np.ndarray:
        return sigmoid(self.logits)

    @property
    def decisions(self) -> np.ndarray:
        """True where a code is proposed (band possible or better)."""
        return self.bands >= 1


@dataclass(frozen=True)
class _Fitted:
    codes: tuple[Code, ...]
    coef: np.ndarray
    intercept: np.ndarray
    calibration: Calibration
    evidence_vectors: np.ndarray  # positives, for reasons
    evidence: tuple[Example, ...]
    evidence_by_code: tuple[np.ndarray, ...]  # row indices into evidence, per column
    n_coded: int
    n_rows: int


def _span(text: str | Sequence[str]) -> list[str]:
    return [text] if isinstance(text, str) else [t for t in text if t.strip()] or [""]


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
        self._lock = threading.RLock()
        self._positives: list[Example] = []
        self._rejections: list[Example] = []
        self._uncoded: list[Example] = []
        self._training: TrainingSet | None = None
        self._X: np.ndarray | None = None
        self._calibrated_at = -1  # coded rows at the last calibration

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

    def _fit(self, do_calibrate: bool | None, progress: ProgressFn | None) -> None:
        s = self.settings
        codes = candidate_codes(self.codebook, self._positives)
        ts = build_training_set(self.codebook, codes, self._positives, self._rejections, self._uncoded)
        X = self.encoder.encode(ts.texts, progress)
        ids = tuple(c.id for c in codes)
        previous_rows = 0 if self._training is None else len(self._training.texts)
        self._carry_over(ids)
        small = (
            self._clf.coef_ is not None
            and previous_rows > 0
            and abs(len(ts.texts) - previous_rows) <= max(1, s.small_change * previous_rows)
        )
        if s.balance:
            pos = (ts.W * ts.Y).sum(0)
            neg = (ts.W * (1 - ts.Y)).sum(0)
            ratio = np.where(pos > 0, neg / np.maximum(pos, 1e-9), 1.0) ** s.balance
            ts = replace(ts, W=np.where(ts.Y > 0, ts.W * ratio, ts.W).astype(np.float32))
        self._clf.max_iter = s.update_iter if small else 500
        self._clf.fit(X, ts.Y, ts.W, warm_start=True)
        self._clf.max_iter = 500
        self._training, self._X = ts, X

        n_coded = sum(1 for items in ts.items if any(e.kind == "coded" for e in items))
        old = self._fitted
        if do_calibrate is None:
            grown = n_coded - self._calibrated_at
            do_calibrate = (
                old is None
                or old.codes != tuple(codes)
                or (grown >= s.recalibrate_min and grown >= s.recalibrate_growth * max(self._calibrated_at, 1))
            )
        if do_calibrate:
            if small:  # converge fully before the folds start from it
                self._clf.fit(X, ts.Y, ts.W, warm_start=True)
            cal = self._cross_validate(X, ts)
            self._calibrated_at = n_coded
        else:
            cal = old.calibration
        self._fitted = self._snapshot(tuple(codes), ts, X, cal, n_coded)

    def _carry_over(self, ids: tuple[str, ...]) -> None:
        """Keep each code's weights across a change in the set of codes."""
        clf = self._clf
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

    def _cross_validate(self, X: np.ndarray, ts: TrainingSet) -> Calibration:
        s = self.settings
        held = np.nonzero(ts.cv)[0]
        if len(held) < 2 * s.cv_folds:
            # No example quotes and nothing coded yet: hold out the codes'
            # names and definitions themselves, which is better than nothing.
            held = np.arange(len(ts.texts))
        if len(held) < 2 * s.cv_folds:
            return Calibration.default(ts.Y.shape[1])
        rng = np.random.default_rng(0)
        held = held[rng.permutation(len(held))]
        Z = np.zeros(ts.Y.shape, np.float32)
        for f in range(s.cv_folds):
            out = held[f :: s.cv_folds]
            keep = np.ones(len(X), bool)
            keep[out] = False
            fold = OneVsRestLogistic(C=s.C)
            fold.coef_, fold.intercept_ = self._clf.coef_.copy(), self._clf.intercept_.copy()
            fold.fit(X[keep], ts.Y[keep], ts.W[keep], warm_start=True)
            Z[out] = fold.decision(X[out])
        known = ts.W[held] > 0
        return calibrate(
            Z[held],
            ts.Y[held],
            known,
            strong_precision=s.strong_precision,
            prior_strength=s.prior_strength,
        )

    def _snapshot(self, codes, ts: TrainingSet, X: np.ndarray, cal: Calibration, n_coded: int) -> _Fitted:
        column = {c.id: j for j, c in enumerate(codes)}
        evidence: list[Example] = []
        rows: list[int] = []
        for i, items in enumerate(ts.items):
            for e in items:
                if e.kind not in ("exclude", "rejected") and e.code in column:
                    evidence.append(e)  # codes already resolved by build_training_set
                    rows.append(i)
        by_code: list[list[int]] = [[] for _ in codes]
        for r, e in enumerate(evidence):
            by_code[column[e.code]].append(r)
        return _Fitted(
            codes=codes,
            coef=self._clf.coef_.copy(),
            intercept=self._clf.intercept_.copy(),
            calibration=cal,
            evidence_vectors=X[rows] if rows else np.zeros((0, X.shape[1]), np.float32),
            evidence=tuple(evidence),
            evidence_by_code=tuple(np.array(b, dtype=np.int64) for b in by_code),
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
        parts = [_span(s) for s in spans]
        flat = [t for p in parts for t in p]
        V = self.encoder.encode(flat, progress, block=block)
        k = len(fitted.codes)
        logits = np.zeros((len(parts), k), np.float32)
        pooled = np.zeros((len(parts), V.shape[1] if len(V) else fitted.coef.shape[0]), np.float32)
        sentence_logits = V @ fitted.coef + fitted.intercept if len(V) else np.zeros((0, k), np.float32)
        at = 0
        for i, p in enumerate(parts):
            block_v = V[at : at + len(p)]
            if len(p) == 1:
                pooled[i] = block_v[0]
                logits[i] = sentence_logits[at]
            else:
                mean = block_v.mean(0)
                mean /= max(float(np.linalg.norm(mean)), 1e-12)
                pooled[i] = mean
                logits[i] = np.maximum(mean @ fitted.coef + fitted.intercept, sentence_logits[at : at + len(p)].max(0))
            at += len(p)
        return Scores(fitted.codes, logits, fitted.calibration.bands(logits), pooled)

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

        ``exclude``: code ids not to suggest (e.g. already applied).  Raises
        :class:`NotReady` rather than waiting, unless ``block``.
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
    ) -> list[list[Suggestion]]:
        """:meth:`suggest` for many spans at once (one embedding pass)."""
        fitted = self._require()
        floor = band_rank(min_band)
        sc = self.score(spans, block=block, progress=progress)
        out: list[list[Suggestion]] = []
        for i in range(len(spans)):
            skip = {self.codebook.resolve(c) or c for c in (exclude[i] if exclude else ())}
            order = np.argsort(-sc.logits[i], kind="stable")
            row: list[Suggestion] = []
            rank = 0
            for j in order:
                code = fitted.codes[j]
                if code.id in skip:
                    continue
                rank += 1
                if sc.bands[i, j] < floor:
                    continue  # bands are per code: a lower logit may still be a higher band
                row.append(
                    Suggestion(
                        code=code.id,
                        name=code.name,
                        score=float(sigmoid(sc.logits[i, j])),
                        band=BANDS[sc.bands[i, j]],
                        rank=rank,
                        reason=self._reason(fitted, j, sc.vectors[i]),
                        model=self.model_id,
                    )
                )
                if top is not None and len(row) >= top:
                    break
            out.append(row)
        return out

    def _reason(self, fitted: _Fitted, column: int, vector: np.ndarray) -> Reason | None:
        rows = fitted.evidence_by_code[column]
        if not len(rows):
            return None
        sims = fitted.evidence_vectors[rows] @ vector
        # Prefer real quotes (examples, coded segments) over the code's name and definition.
        quote = np.array([fitted.evidence[r].kind in ("example", "coded") for r in rows])
        best = int(np.argmax(np.where(quote, sims, sims - 1.0))) if quote.any() else int(np.argmax(sims))
        e = fitted.evidence[rows[best]]
        return Reason(e.text, e.kind, e.where or "codebook", float(sims[best]))
