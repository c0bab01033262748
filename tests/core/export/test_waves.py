"""Waves: the sample's second wave (two fictional follow-up interviews, answers in `@2` columns)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.export import ExportInput, ExportOptions, build_tables
from coder.core.export.waves import waves
from coder.core.project import Project

FOLLOWED_UP = {"AC-ENG-P01", "LC-SCO-P06"}


@pytest.fixture(scope="module")
def sample():
    return ExportInput.from_project(Project.open(Path(__file__).resolve().parents[3]))


def built(inp, **options):
    return {t.name: t for t in build_tables(inp, ExportOptions(**options))}


def joint_all(tables, outcome="influence_decisions"):
    return [r for r in tables["joint_display"].records() if r["outcome_id"] == outcome and r["group_variable"] == "all"]


def test_the_sample_has_two_waves_and_the_default_view_is_the_first(sample):
    assert waves(sample) == ["1", "2"]
    first = built(sample)
    assert [r["display"] for r in joint_all(first)] == ["52/88 (59%)"]  # the seed figure, unchanged
    assert "wave" not in first["joint_display"].columns
    ids = {r["participant_id"]: r["transcript_ids"] for r in first["matrix"].records()}
    assert ids["AC-ENG-P01"] == "ac-eng-p01-interview"  # the wave-2 transcript is not in wave 1


def test_wave_two_counts_its_own_answers_transcripts_and_codings(sample):
    second = built(sample, wave="2")
    (row,) = joint_all(second)
    assert (row["positive"], row["respondents"]) == (1, 2)  # Strongly agree; Neither agree nor disagree
    assert row["interviewed_in_group"] == 2
    assert "answer: Neither agree nor disagree" in row["other_views"]
    assert {r["participant_id"] for r in second["matrix"].records()} == FOLLOWED_UP
    assert {r["transcript"] for r in second["quotes"].records()} == {"ac-eng-p01-interview-wave2",
                                                                     "lc-sco-p06-interview-wave2"}


def test_by_wave_marks_every_row_and_counts_a_participant_once_per_wave(sample):
    both = built(sample, by_wave=True)
    assert all(list(t.columns)[0] == "wave" for t in both.values())
    rows = joint_all(both)
    assert [(r["wave"], r["display"]) for r in rows] == [("1", "52/88 (59%)"), ("2", "1/2 (50%)")]
    matrix = [(r["wave"], r["participant_id"]) for r in both["matrix"].records() if r["participant_id"] in FOLLOWED_UP]
    assert sorted(matrix) == [("1", "AC-ENG-P01"), ("1", "LC-SCO-P06"), ("2", "AC-ENG-P01"), ("2", "LC-SCO-P06")]
    power = {r["wave"]: r for r in both["theme_by_group"].records()
             if (r["code_id"], r["group_variable"]) == ("community-power", "all")}
    assert power["2"]["participants_in_group"] == 2 and power["2"]["participants_mentioning"] == 2


def test_an_unknown_wave_is_a_clear_error(sample):
    with pytest.raises(CoderError, match="no wave '3'"):
        built(sample, wave="3")
