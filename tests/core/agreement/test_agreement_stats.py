"""The agreement figures equal the reference implementations (scikit-learn, krippendorff)."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from coder.core.agreement import BinaryAgreement


def reference(a: list[int], b: list[int]) -> tuple[float, float, float]:
    po = float(np.mean(np.array(a) == np.array(b)))
    kappa = cohen_kappa_score(a, b)
    alpha = krippendorff.alpha(reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal")
    return po, kappa, alpha


def ours(a: list[int], b: list[int]) -> BinaryAgreement:
    return BinaryAgreement.from_judgements(zip(map(bool, a), map(bool, b)))


def test_counts_from_judgements():
    c = ours([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (c.both, c.only_a, c.only_b, c.neither) == (2, 1, 1, 1)
    assert (c.units, c.coded_a, c.coded_b, c.disagreements) == (5, 3, 3, 2)


@pytest.mark.parametrize("seed", range(12))
def test_random_examples_match_references(seed):
    rng = random.Random(seed)
    n = rng.randint(4, 300)
    rate_a, rate_b, flip = rng.random(), rng.random(), rng.random()
    a = [int(rng.random() < rate_a) for _ in range(n)]
    b = [x if rng.random() > flip else int(rng.random() < rate_b) for x in a]
    if len(set(a + b)) < 2:
        a[0], b[0] = 1, 0
    po, kappa, alpha = reference(a, b)
    got = ours(a, b)
    assert got.percent_agreement == pytest.approx(po)
    assert got.cohen_kappa == pytest.approx(kappa)
    assert got.krippendorff_alpha == pytest.approx(alpha)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=60))
@settings(max_examples=80, deadline=None)
def test_any_judgements_match_references(pairs):
    a = [int(x) for x, _ in pairs]
    b = [int(y) for _, y in pairs]
    got = ours(a, b)
    if len(set(a + b)) < 2:
        assert got.cohen_kappa is None and got.krippendorff_alpha is None
        return
    po, kappa, alpha = reference(a, b)
    assert got.percent_agreement == pytest.approx(po)
    assert got.krippendorff_alpha == pytest.approx(alpha)
    if math.isnan(kappa):
        assert got.cohen_kappa is None
    else:
        assert got.cohen_kappa == pytest.approx(kappa)


def test_prevalence_paradox_high_agreement_low_kappa():
    # A common code: both coders code 90 of 100 segments, each also codes 5 the other does not.
    a = [1] * 90 + [1] * 5 + [0] * 5
    b = [1] * 90 + [0] * 5 + [1] * 5
    got = ours(a, b)
    po, kappa, alpha = reference(a, b)
    assert got.percent_agreement == pytest.approx(po) == pytest.approx(0.90)
    assert got.cohen_kappa == pytest.approx(kappa)
    assert got.krippendorff_alpha == pytest.approx(alpha)
    assert got.cohen_kappa < 0.0 and got.krippendorff_alpha < 0.0
    assert got.prevalence == pytest.approx(0.95)


def test_rare_code_agreement_is_mostly_on_not_coded():
    # A rare code: 2 of 200 units coded by each coder, never the same ones.
    a = [1, 1] + [0] * 198
    b = [0, 0, 1, 1] + [0] * 196
    got = ours(a, b)
    po, kappa, alpha = reference(a, b)
    assert got.percent_agreement == pytest.approx(po) == pytest.approx(0.98)
    assert got.cohen_kappa == pytest.approx(kappa)
    assert got.krippendorff_alpha == pytest.approx(alpha)
    assert got.cohen_kappa < 0


def test_perfect_agreement():
    a = [1, 0, 1, 1, 0]
    got = ours(a, a)
    assert got.percent_agreement == 1.0
    assert got.cohen_kappa == pytest.approx(1.0) == pytest.approx(cohen_kappa_score(a, a))
    assert got.krippendorff_alpha == pytest.approx(1.0)


def test_undefined_when_every_judgement_is_the_same():
    got = ours([0, 0, 0], [0, 0, 0])
    assert got.percent_agreement == 1.0
    assert got.cohen_kappa is None and got.krippendorff_alpha is None
    assert got.prevalence == 0.0
    empty = BinaryAgreement()
    assert empty.percent_agreement is None and empty.cohen_kappa is None and empty.prevalence is None


def test_pooling_adds_counts():
    x, y = ours([1, 0, 1], [1, 1, 0]), ours([0, 0], [0, 1])
    pooled = x + y
    po, kappa, alpha = reference([1, 0, 1, 0, 0], [1, 1, 0, 0, 1])
    assert pooled.units == 5
    assert pooled.cohen_kappa == pytest.approx(kappa)
    assert pooled.krippendorff_alpha == pytest.approx(alpha)
