"""Percentages, Wilson intervals, small-cell suppression and formula neutralising."""

from __future__ import annotations

import pytest

from coder.core.export.safe import neutralise
from coder.core.export.stats import count_cell, percent, percent_cell, share, wilson, wilson_percent


@pytest.mark.parametrize("k, n, expected", [(41, 45, 91.1), (37, 43, 86.0), (18, 21, 85.7), (23, 35, 65.7),
                                            (52, 88, 59.1), (1, 8, 12.5), (1, 3, 33.3), (2, 3, 66.7), (0, 4, 0.0)])
def test_percent_is_rounded_half_up_from_the_exact_fraction(k, n, expected):
    assert percent(k, n) == expected


def test_whole_percent_rounds_half_up_not_to_even():
    assert percent(1, 8, digits=0) == 13  # 12.5 -> 13 (banker's rounding would give 12)
    assert percent(5, 8, digits=0) == 63  # 62.5 -> 63


def test_percent_of_nobody_is_empty():
    assert percent(0, 0) is None and wilson(0, 0) is None and share(0, 0) == "0/0"


def test_wilson_interval_matches_published_values():
    # Wilson 95% for 3/5 is 0.2307-0.8824; for 41/45 (the seed's 91%) 0.793-0.965.
    lo, hi = wilson(3, 5)
    assert lo == pytest.approx(0.2307, abs=1e-4) and hi == pytest.approx(0.8824, abs=1e-4)
    assert wilson_percent(41, 45) == (79.3, 96.5)
    assert wilson_percent(0, 10)[0] == 0.0 and wilson_percent(10, 10)[1] == 100.0


def test_share_prints_like_a_report():
    assert share(41, 45) == "41/45 (91%)"
    assert share(18, 21) == "18/21 (86%)"


def test_small_counts_are_suppressed_but_zero_and_large_counts_are_shown():
    assert count_cell(2, 5) == "<5"
    assert count_cell(0, 5) == 0 and count_cell(5, 5) == 5
    assert count_cell(2, 0) == 2 and count_cell(1, 1) == 1  # 0 or 1: suppression off
    assert percent_cell(2, 40, 5) is None  # would reveal the count
    assert percent_cell(7, 3, 5) is None  # a small denominator too
    assert share(2, 40, 5) == "<5/40" and share(12, 40, 5) == "12/40 (30%)"


@pytest.mark.parametrize("text", [
    "=SUM(A1:A2)", "+44 1234", "-2", "@cmd", "\tx", "\rx",
    "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20cmd",  # full-width = + - @
    "\ufe66SUM(A1)", "\ufe62 1", "\u2212 1",  # small equals, small plus, minus sign
    " =SUM(A1)", "\u00a0\u3000\uff1dSUM(A1)", "\n=1+1",  # leading spaces do not hide the sign
])
def test_formula_triggers_and_their_look_alikes_are_prefixed_with_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "", "   ", "a = b", "\u201c=\u201d is a sign", "\uff21", 3, -2, 1.5, None])
def test_other_cells_and_numbers_are_left_alone(value):
    assert neutralise(value) == value
