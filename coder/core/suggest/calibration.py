"""Confidence bands calibrated on held-out predictions.

A raw logit (or cosine) means different things for different codes and
different amounts of training data.  :func:`calibrate` takes cross-validated
("out-of-fold") logits for items whose labels are known and derives:

* a per-code *decision threshold*: the logit at which the code is worth
  proposing, chosen to maximise that code's F1 on the held-out items and
  shrunk towards one threshold shared by all codes when the code has few
  positives (a rare code's own optimum is noise).  How strongly to shrink
  differs between codebooks, so it can be chosen by cross-validation over
  the held-out items themselves (:func:`choose_prior_strength`);
* optionally a cap on how many codes are proposed per item on average (the
  held-out items' own label density), so a model unsure of everything
  stays quiet rather than proposing several codes for every sentence;
* a shared *strong* margin above each code's threshold: the smallest margin
  at which held-out suggestions were right at least ``strong_precision`` of
  the time, pooled over all codes, by the lower bound of that precision's
  95% interval (few held-out items promise little).

Bands are then ``strong`` (margin >= strong margin), ``possible`` (at or
above the code's threshold) and ``weak`` (below it).  For a fixed code a
higher score never gets a lower band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

BANDS = ("weak", "possible", "strong")  # ascending confidence

# Used when there are no held-out labels at all: a logistic regression's
# probability of 0.5 is a middling claim, 0.75 a confident one.
_DEFAULT_THRESHOLD = 0.0
_DEFAULT_STRONG_MARGIN = float(np.log(3.0))
DEFAULT_PRIOR_STRENGTH = 8.0
# Shrinkages tried when a codebook's own is chosen by cross-validation.
PRIOR_GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)


def capped(band: int, code: str, limit: dict[str, int] | None) -> int:
    """``band`` (0 weak … 2 strong) of ``code``, no higher than ``limit`` allows (absent codes: 0;
    None: no limit)."""
    return band if limit is None else min(band, limit.get(code, 0))


def band_rank(band: str) -> int:
    """0 for weak, 1 for possible, 2 for strong."""
    try:
        return BANDS.index(band)
    except ValueError:
        raise ValueError(f"unknown band {band!r}; expected one of {', '.join(BANDS)}") from None


@dataclass(frozen=True)
class Calibration:
    thresholds: np.ndarray  # (k,) logit at which each code becomes "possible"
    strong_margin: float  # logit margin above the threshold for "strong"
    n_items: int = 0  # held-out items it was fitted on (0: defaults)
    prior_strength: float = DEFAULT_PRIOR_STRENGTH  # the shrinkage used (see calibrate)
    duplicate: float | None = None  # similarity to a passage coded with a code that makes it strong (see duplicate_level)

    @classmethod
    def default(cls, k: int) -> "Calibration":
        return cls(np.full(k, _DEFAULT_THRESHOLD, dtype=np.float32), _DEFAULT_STRONG_MARGIN, 0)

    def bands(self, logits: np.ndarray) -> np.ndarray:
        """Band index (0 weak, 1 possible, 2 strong) for each logit, by code (last axis)."""
        margin = np.asarray(logits) - self.thresholds
        return (margin >= 0).astype(np.int8) + (margin >= self.strong_margin).astype(np.int8)

    def decisions(self, logits: np.ndarray) -> np.ndarray:
        """True where a code would be proposed (band possible or strong)."""
        return np.asarray(logits) >= self.thresholds


def _best_f1_threshold(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``z >= threshold`` against ``y``."""
    order = np.argsort(-z, kind="stable")
    zs, ys = z[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(zs) + 1)
    f1 = 2 * tp / (k + ys.sum())
    # Only cut between distinct scores.
    last = np.r_[zs[1:] != zs[:-1], True]
    f1 = np.where(last, f1, -1.0)
    i = int(np.argmax(f1))
    nxt = zs[i + 1] if i + 1 < len(zs) else zs[i] - 1.0
    return float((zs[i] + nxt) / 2), float(f1[i])


def _best_shared_threshold(logits: np.ndarray, labels: np.ndarray, known: np.ndarray) -> float:
    """The common threshold maximising the mean per-code F1 (codes with positives)."""
    cols = np.nonzero((labels & known).any(0))[0]
    grid = np.unique(np.quantile(logits[known], np.linspace(0.5, 0.999, 120)))
    z, y, m = logits[:, cols], labels[:, cols] & known[:, cols], known[:, cols]
    f1 = np.empty(len(grid))
    for a in range(0, len(grid), 16):  # (thresholds, items, codes) in bounded blocks
        d = (z[None] >= grid[a : a + 16, None, None]) & m[None]
        tp = (d & y[None]).sum(1)
        f1[a : a + 16] = (2 * tp / np.maximum(y.sum(0)[None] + d.sum(1), 1)).mean(1)
    return float(grid[int(np.argmax(f1))])


def _own_thresholds(logits: np.ndarray, labels: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each code's F1-best threshold on its own, and its number of positives.

    A code whose best cut is no better than proposing it for everything
    (the scores do not find it at all) counts as having no positives, so it
    gets the shared threshold rather than one below every score."""
    k = logits.shape[1]
    own = np.zeros(k)
    npos = np.zeros(k)
    for c in range(k):
        m = known[:, c]
        y = labels[m, c]
        p = int(y.sum())
        if p:
            own[c], f1 = _best_f1_threshold(logits[m, c], y)
            npos[c] = p if f1 > 2 * p / (len(y) + p) + 1e-9 else 0
    return own, npos


def _shrunk(own: np.ndarray, npos: np.ndarray, shared: float, prior_strength: float) -> np.ndarray:
    """Each code's own threshold pulled towards the shared one, the more so the fewer positives it has."""
    w = npos / (npos + prior_strength)
    return np.where(npos > 0, w * own + (1 - w) * shared, shared)


def mean_kappa(labels: np.ndarray, decisions: np.ndarray, known: np.ndarray | None = None) -> float:
    """Mean Cohen's kappa per code (over codes with a label or a decision) of 0/1 decisions."""
    known = np.ones_like(labels, dtype=bool) if known is None else known
    out = []
    for c in range(labels.shape[1]):
        m = known[:, c]
        g, d = labels[m, c].astype(bool), decisions[m, c].astype(bool)
        if not len(g) or not (g.any() or d.any()):
            continue
        po = (g == d).mean()
        pe = g.mean() * d.mean() + (1 - g.mean()) * (1 - d.mean())
        out.append((po - pe) / (1 - pe) if pe < 1 else 0.0)
    return float(np.mean(out)) if out else 0.0


def held_out_kappa(
    logits: np.ndarray, labels: np.ndarray, known: np.ndarray, grid: tuple[float, ...] = PRIOR_GRID, folds: int = 3
) -> np.ndarray | None:
    """For each shrinkage in ``grid``: the mean per-code kappa of thresholds
    fitted on the other folds of these items, decided on each fold (None
    when there are too few items to tell)."""
    n = len(logits)
    if n < 2 * folds:
        return None
    fold = np.random.default_rng(0).permutation(n) % folds
    decided = np.zeros((len(grid),) + logits.shape, bool)
    for f in range(folds):
        fit, out = fold != f, fold == f
        if not (labels[fit] & known[fit]).any():
            return None
        shared = _best_shared_threshold(logits[fit], labels[fit], known[fit])
        own, npos = _own_thresholds(logits[fit], labels[fit], known[fit])
        for g, strength in enumerate(grid):
            decided[g, out] = logits[out] >= _shrunk(own, npos, shared, strength)
    return np.array([mean_kappa(labels, d, known) for d in decided])


def choose_prior_strength(
    logits: np.ndarray, labels: np.ndarray, known: np.ndarray, grid: tuple[float, ...] = PRIOR_GRID
) -> float:
    """The shrinkage with the best :func:`held_out_kappa`."""
    kappa = held_out_kappa(np.asarray(logits, np.float64), np.asarray(labels) > 0, np.asarray(known, bool), grid)
    return DEFAULT_PRIOR_STRENGTH if kappa is None else float(grid[int(np.argmax(kappa))])


def choose_scoring(
    variants: list[np.ndarray], labels: np.ndarray, known: np.ndarray, grid: tuple[float, ...] = PRIOR_GRID
) -> tuple[int, float] | None:
    """Of several ways of scoring the same held-out items (out-of-fold logits,
    one array each), the one and the shrinkage with the best held-out kappa."""
    labels, known = np.asarray(labels) > 0, np.asarray(known, bool)
    table = [held_out_kappa(np.asarray(v, np.float64), labels, known, grid) for v in variants]
    if any(t is None for t in table):
        return None
    v, g = np.unravel_index(int(np.argmax(np.array(table))), (len(variants), len(grid)))
    return int(v), float(grid[g])


def cap_rate(logits: np.ndarray, known: np.ndarray, thresholds: np.ndarray, max_rate: float) -> np.ndarray:
    """Raise every threshold by the least common amount that proposes at most
    ``max_rate`` codes per item on average."""
    def rate(shift: float) -> float:
        return float(((logits >= thresholds + shift) & known).sum(1).mean())

    if rate(0.0) <= max_rate:
        return thresholds
    lo, hi = 0.0, 1.0
    while rate(hi) > max_rate and hi < 64:
        lo, hi = hi, hi * 2
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if rate(mid) > max_rate else (lo, mid)
    return thresholds + hi


def wilson_lower(hits: np.ndarray, n: np.ndarray, z: float = 1.645) -> np.ndarray:
    """One-sided 95% lower bound (Wilson) of a proportion ``hits / n``."""
    n = np.maximum(np.asarray(n, np.float64), 1)
    p = np.asarray(hits, np.float64) / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def calibrate(
    logits: np.ndarray,
    labels: np.ndarray,
    known: np.ndarray | None = None,
    *,
    strong_precision: float = 0.8,
    prior_strength: float | None = DEFAULT_PRIOR_STRENGTH,
    max_rate: float | None = None,
) -> Calibration:
    """Fit a :class:`Calibration` from out-of-fold ``logits`` (n, k) and 0/1
    ``labels`` (n, k); ``known`` (n, k) marks which labels count (default all).

    ``prior_strength``: how many positives a code needs before its own
    threshold outweighs the shared one; ``None`` chooses it from
    :data:`PRIOR_GRID` by cross-validation on these items.  ``max_rate``:
    at most this many codes proposed per item on average (thresholds are
    raised together until so).
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels) > 0
    n, k = logits.shape
    known = np.ones_like(labels) if known is None else np.asarray(known, dtype=bool)
    if n == 0 or not (labels & known).any():
        return Calibration.default(k)
    if prior_strength is None:
        prior_strength = choose_prior_strength(logits, labels, known)

    # One threshold for all codes: the one with the best mean F1 over the
    # codes (pooling the items instead would tune it to the frequent codes).
    shared = _best_shared_threshold(logits, labels, known)
    thresholds = _shrunk(*_own_thresholds(logits, labels, known), shared, prior_strength)
    if max_rate is not None:
        thresholds = cap_rate(logits, known, thresholds, max_rate)

    # Strong margin: the deepest cut (over all codes, by margin above each
    # code's threshold) whose held-out precision still meets the target.
    yk = labels[known]
    margin = (logits - thresholds)[known]
    order = np.argsort(-margin, kind="stable")
    ms, ys = margin[order], yk[order]
    precision = wilson_lower(np.cumsum(ys), np.arange(1, len(ys) + 1))
    ok = (precision >= strong_precision) & (ms >= 0)
    if ok.any():
        i = int(np.nonzero(ok)[0].max())
        strong = float(max(ms[i], 0.0))
    else:
        strong = float(max(ms.max(), 0.0)) + _DEFAULT_STRONG_MARGIN
    return Calibration(thresholds.astype(np.float32), strong, int(n), float(prior_strength))


DUPLICATE_LEVELS = (0.85, 0.9, 0.95)  # cosine similarities tried, lowest first
DUPLICATE_MIN_CASES = 5


def duplicate_level(
    similarity: np.ndarray,
    rejected: np.ndarray,
    labels: np.ndarray,
    known: np.ndarray,
    *,
    strong_precision: float = 0.8,
    levels: Sequence[float] = DUPLICATE_LEVELS,
) -> float | None:
    """The lowest similarity at which a held-out passage that close to one coded with a code
    (and closer to it than to one where the code was rejected) had that code at least
    ``strong_precision`` of the time (Wilson lower bound, at least :data:`DUPLICATE_MIN_CASES`
    cases); None when no level earns it.  All arrays are (n, k), out-of-fold.

    This is how one coding makes its near-duplicates *strong*: only where the project's
    own held-out passages show that such near-duplicates are coded alike."""
    for level in levels:
        near = (similarity >= level) & (similarity > rejected) & known
        cases = int(near.sum())
        if cases >= DUPLICATE_MIN_CASES and wilson_lower(labels[near].sum(), cases) >= strong_precision:
            return float(level)
    return None
