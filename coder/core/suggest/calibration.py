"""Confidence bands calibrated on held-out predictions.

A raw logit (or cosine) means different things for different codes and
different amounts of training data.  :func:`calibrate` takes cross-validated
("out-of-fold") logits for items whose labels are known and derives:

* a per-code *decision threshold*: the logit at which the code is worth
  proposing, chosen to maximise that code's F1 on the held-out items and
  shrunk towards one threshold shared by all codes when the code has few
  positives (a rare code's own optimum is noise);
* a shared *strong* margin above each code's threshold: the smallest margin
  at which held-out suggestions were right at least ``strong_precision`` of
  the time, pooled over all codes.

Bands are then ``strong`` (margin >= strong margin), ``possible`` (at or
above the code's threshold) and ``weak`` (below it).  For a fixed code a
higher score never gets a lower band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BANDS = ("weak", "possible", "strong")  # ascending confidence

# Used when there are no held-out labels at all: a logistic regression's
# probability of 0.5 is a middling claim, 0.75 a confident one.
_DEFAULT_THRESHOLD = 0.0
_DEFAULT_STRONG_MARGIN = float(np.log(3.0))


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
    cols = [c for c in range(logits.shape[1]) if (labels[:, c] & known[:, c]).any()]
    values = logits[known]
    grid = np.unique(np.quantile(values, np.linspace(0.5, 0.999, 120)))
    best, best_f1 = float(grid[0]), -1.0
    for t in grid:
        f1 = []
        for c in cols:
            m = known[:, c]
            y, d = labels[m, c], logits[m, c] >= t
            f1.append(2 * (y & d).sum() / max(y.sum() + d.sum(), 1))
        if np.mean(f1) > best_f1:
            best, best_f1 = float(t), float(np.mean(f1))
    return best


def calibrate(
    logits: np.ndarray,
    labels: np.ndarray,
    known: np.ndarray | None = None,
    *,
    strong_precision: float = 0.8,
    prior_strength: float = 8.0,
) -> Calibration:
    """Fit a :class:`Calibration` from out-of-fold ``logits`` (n, k) and 0/1
    ``labels`` (n, k); ``known`` (n, k) marks which labels count (default all)."""
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels) > 0
    n, k = logits.shape
    known = np.ones_like(labels) if known is None else np.asarray(known, dtype=bool)
    if n == 0 or not (labels & known).any():
        return Calibration.default(k)

    # One threshold for all codes: the one with the best mean F1 over the
    # codes (pooling the items instead would tune it to the frequent codes).
    zk, yk = logits[known], labels[known]
    shared = _best_shared_threshold(logits, labels, known)

    thresholds = np.full(k, shared, dtype=np.float64)
    for c in range(k):
        m = known[:, c]
        y = labels[m, c]
        npos = int(y.sum())
        if npos == 0:
            continue
        own, _ = _best_f1_threshold(logits[m, c], y)
        w = npos / (npos + prior_strength)
        thresholds[c] = w * own + (1 - w) * shared

    # Strong margin: the deepest cut (over all codes, by margin above each
    # code's threshold) whose held-out precision still meets the target.
    margin = (logits - thresholds)[known]
    order = np.argsort(-margin, kind="stable")
    ms, ys = margin[order], yk[order]
    precision = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    ok = (precision >= strong_precision) & (ms >= 0)
    if ok.any():
        i = int(np.nonzero(ok)[0].max())
        strong = float(max(ms[i], 0.0))
    else:
        strong = float(max(ms.max(), 0.0)) + _DEFAULT_STRONG_MARGIN
    return Calibration(thresholds.astype(np.float32), strong, int(n))
