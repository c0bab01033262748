"""Confidence bands: monotone in the score, calibrated to held-out precision."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.core.suggest.calibration import (
    PRIOR_GRID,
    Calibration,
    band_rank,
    calibrate,
    choose_prior_strength,
    duplicate_level,
)


def synthetic(seed: int, n: int = 400, k: int = 4):
    rng = np.random.default_rng(seed)
    labels = rng.random((n, k)) < 0.25
    logits = rng.normal(0, 1.2, (n, k)) + np.where(labels, 1.0, -1.0)
    return logits, labels


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_a_higher_score_never_gets_a_lower_band(seed):
    logits, labels = synthetic(seed)
    cal = calibrate(logits, labels)
    grid = np.linspace(-6, 6, 200)[:, None].repeat(logits.shape[1], 1)
    bands = cal.bands(grid)
    assert (np.diff(bands, axis=0) >= 0).all()
    assert set(np.unique(bands)) <= {0, 1, 2}


def test_strong_suggestions_meet_the_promised_precision_on_new_data():
    logits, labels = synthetic(1, n=3000)
    cal = calibrate(logits[:1500], labels[:1500], strong_precision=0.8)
    bands = cal.bands(logits[1500:])
    held = labels[1500:]
    strong = held[bands == 2].mean()
    possible = held[bands == 1].mean()
    weak = held[bands == 0].mean()
    assert strong >= 0.75
    assert strong > possible > weak


def test_a_code_with_many_positives_gets_its_own_threshold():
    rng = np.random.default_rng(0)
    n = 600
    labels = np.zeros((n, 2), bool)
    labels[:300, 0] = True
    labels[:300, 1] = True
    logits = rng.normal(0, 0.3, (n, 2))
    logits[:, 0] += np.where(labels[:, 0], 1.0, -1.0)  # separable around 0
    logits[:, 1] += np.where(labels[:, 1], 5.0, 3.0)  # separable around 4
    cal = calibrate(logits, labels)
    assert abs(cal.thresholds[0]) < 1.0
    assert 3.0 < cal.thresholds[1] < 5.0


def test_without_held_out_labels_defaults_apply():
    cal = calibrate(np.zeros((0, 3)), np.zeros((0, 3)))
    assert cal.n_items == 0
    np.testing.assert_array_equal(cal.thresholds, Calibration.default(3).thresholds)
    assert cal.bands(np.array([[-1.0, 0.5, 3.0]])).tolist() == [[0, 1, 2]]


def test_band_names():
    assert [band_rank(b) for b in ("weak", "possible", "strong")] == [0, 1, 2]


def test_codes_per_item_are_capped_at_the_held_out_density():
    logits, labels = synthetic(3, n=600, k=6)
    logits = logits + 1.5  # a model that thinks everything fits
    free = calibrate(logits, labels)
    capped = calibrate(logits, labels, max_rate=float(labels.sum(1).mean()))
    assert capped.decisions(logits).sum(1).mean() <= labels.sum(1).mean() + 1e-9
    assert (capped.thresholds >= free.thresholds - 1e-6).all()


def test_shrinkage_is_chosen_from_the_grid_by_cross_validation():
    logits, labels = synthetic(4, n=800, k=5)
    cal = calibrate(logits, labels, prior_strength=None)
    assert cal.prior_strength in PRIOR_GRID
    assert choose_prior_strength(logits, labels, np.ones_like(labels)) == cal.prior_strength


def _near_duplicates(agree: float, n: int = 400, seed: int = 0):
    """Held-out passages, some very close to a passage coded with code 0; ``agree`` of those have code 0."""
    rng = np.random.default_rng(seed)
    sim = rng.uniform(0.2, 0.8, (n, 2))
    close = rng.random(n) < 0.2
    sim[close, 0] = rng.uniform(0.92, 1.0, close.sum())
    labels = np.zeros((n, 2), bool)
    labels[close, 0] = rng.random(close.sum()) < agree
    labels[~close, 0] = rng.random((~close).sum()) < 0.1
    return sim, np.full((n, 2), -1.0), labels, np.ones((n, 2), bool)


def test_near_duplicates_are_strong_only_where_held_out_ones_were_coded_alike():
    assert duplicate_level(*_near_duplicates(agree=0.97)) == 0.85
    assert duplicate_level(*_near_duplicates(agree=0.5)) is None  # coded alike half the time: not earned
    sim, rej, labels, known = _near_duplicates(agree=0.97)
    assert duplicate_level(sim, np.maximum(rej, sim), labels, known) is None  # as close to a rejection: no
    assert duplicate_level(sim[:12], rej[:12], labels[:12], known[:12]) is None  # too few cases to tell
