"""Per-code and pooled agreement over segments, turns and participants."""

from __future__ import annotations

import csv

import krippendorff
import numpy as np
import pytest
from agreement_fixtures import coding, make_transcript, on_segments
from sklearn.metrics import cohen_kappa_score

from coder.core.agreement import POOLED, build_units, compute_agreement, format_table, write_irr_csv
from coder.core.errors import CoderError

SENTENCES = [f"Sentence number {i} is here." for i in range(10)]


@pytest.fixture
def interview():
    return make_transcript("t1", [("Interviewer", None, ["How was it?", "Go on."]), ("Gwen", "P1", SENTENCES)])


def vector(indices, n):
    return [int(i in indices) for i in range(n)]


def test_segment_figures_match_references(codebook, interview):
    # segments 0-1 are the interviewer's; 2..11 are Gwen's
    a_friends, b_friends = {2, 3, 4, 8}, {2, 3, 5, 8, 9}
    a_conf, b_conf = {6, 7}, {7}
    a = on_segments("a", interview, "friends", a_friends) + on_segments("a", interview, "confidence", a_conf)
    b = on_segments("b", interview, "friends", b_friends) + on_segments("b", interview, "confidence", b_conf)
    table = compute_agreement(codebook, [interview], a, b, coder_a="a", coder_b="b")
    n = len(interview.segments)
    for code, sa, sb in (("friends", a_friends, b_friends), ("confidence", a_conf, b_conf)):
        va, vb = vector(sa, n), vector(sb, n)
        row = table.row(code)
        assert row.units == n
        assert row.percent_agreement == pytest.approx(100 * np.mean(np.array(va) == np.array(vb)))
        assert row.cohen_kappa == pytest.approx(cohen_kappa_score(va, vb))
        assert row.krippendorff_alpha == pytest.approx(
            krippendorff.alpha(reliability_data=[va, vb], level_of_measurement="nominal"))
    # a coding of a child code counts for its parent
    assert table.row("social").counts == table.row("friends").counts
    # pooled: the judgements of the most specific codes stacked (the parent "social" would count friends twice)
    va = vector(a_friends, n) + vector(a_conf, n)
    vb = vector(b_friends, n) + vector(b_conf, n)
    assert table.pooled.code == POOLED
    assert table.pooled.units == 2 * n
    assert table.pooled.cohen_kappa == pytest.approx(cohen_kappa_score(va, vb))
    assert table.pooled.krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=[va, vb], level_of_measurement="nominal"))


def test_a_coding_counts_for_every_unit_it_overlaps(codebook, interview):
    seg = interview.segments
    # one character into segment 3 through one character into segment 5
    a = [coding("a", interview, "confidence", seg[3].end - 1, seg[5].start + 1)]
    b = [coding("b", interview, "confidence", seg[4].start, seg[4].end)]
    row = compute_agreement(codebook, [interview], a, b, codes=["confidence"]).row("confidence")
    assert (row.counts.coded_a, row.counts.coded_b, row.counts.both) == (3, 1, 1)


def test_exclude_uncoded_drops_units_nobody_coded(codebook, interview):
    a = on_segments("a", interview, "friends", [2, 3])
    b = on_segments("b", interview, "friends", [3]) + on_segments("b", interview, "confidence", [9])
    kept = compute_agreement(codebook, [interview], a, b, exclude_uncoded=False)
    dropped = compute_agreement(codebook, [interview], a, b, exclude_uncoded=True)
    assert kept.row("friends").units == 12
    assert dropped.row("friends").units == 3  # segments 2, 3 and 9
    assert dropped.units_excluded == 9 and dropped.units_total == 12
    assert "excluded (9 of 12)" in dropped.note
    assert "--exclude-uncoded" in kept.note
    assert dropped.row("friends").percent_agreement < kept.row("friends").percent_agreement


def test_turn_and_participant_units(codebook):
    t1 = make_transcript("t1", [("Interviewer", None, ["Q one."]), ("Gwen", "P1", ["A.", "B."]),
                                ("Interviewer", None, ["Q two."]), ("Gwen", "P1", ["C."])])
    t2 = make_transcript("t2", [("Facilitator", None, ["Q."]), ("Ann", "P2", ["D."]), ("Bob", "P3", ["E."])])
    assert [u.id for u in build_units([t1, t2], "turn")] == [
        "t1#turn-1", "t1#turn-2", "t1#turn-3", "t1#turn-4", "t2#turn-1", "t2#turn-2", "t2#turn-3"]
    people = build_units([t1, t2], "participant")
    assert [u.id for u in people] == ["P1", "P2", "P3"]
    assert len(people[0].spans) == 2  # both of Gwen's turns
    # A codes Gwen's first answer, B her second: they agree that P1 talked about confidence
    a = on_segments("a", t1, "confidence", [1]) + on_segments("a", t2, "confidence", [2])
    b = on_segments("b", t1, "confidence", [4])
    by_person = compute_agreement(codebook, [t1, t2], a, b, unit="participant", codes=["confidence"])
    assert (by_person.row("confidence").counts.both, by_person.row("confidence").counts.only_a) == (1, 1)
    by_turn = compute_agreement(codebook, [t1, t2], a, b, unit="turn", codes=["confidence"])
    assert by_turn.row("confidence").counts.both == 0
    with pytest.raises(CoderError, match="unknown unit"):
        build_units([t1], "paragraph")


def test_codes_option_selects_and_validates(codebook, interview):
    table = compute_agreement(codebook, [interview], [], [], codes=["friends"])
    assert [r.code for r in table.rows] == ["friends", POOLED]
    with pytest.raises(CoderError, match="unknown code 'nope'"):
        compute_agreement(codebook, [interview], [], [], codes=["nope"])


def test_csv_and_text_output(codebook, interview, tmp_path):
    a = on_segments("a", interview, "friends", [2, 3])
    b = on_segments("b", interview, "friends", [3])
    table = compute_agreement(codebook, [interview], a, b, coder_a="ana", coder_b="ben", exclude_uncoded=True)
    path = write_irr_csv(table, tmp_path / "exports" / "irr_by_code.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["code"] for r in rows] == ["social", "friends", "confidence", POOLED]
    friends = rows[1]
    assert friends["units"] == "2" and friends["both"] == "1" and friends["only_a"] == "1"
    assert friends["exclude_uncoded"] == "yes" and friends["unit"] == "segment"
    assert friends["coder_a"] == "ana" and friends["coder_b"] == "ben"
    assert rows[2]["cohen_kappa"] == ""  # nobody coded confidence: undefined, left blank
    text = format_table(table)
    assert "friends" in text and "excluded" in text and "undefined" in text
