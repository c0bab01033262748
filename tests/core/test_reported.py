"""Reported quotes: the researcher's edited quotation must keep the person's own words."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, strategies as st

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.reported import check_reported, fragments
from tests.core.pseudonym.conftest import copy_sample

SPOKEN = ("So we are ready to go to the council, the housing association, the health people, and say what "
          "needs to change round here. We won\u2019t just sit and say \u2018yes, if that\u2019s what should be done, "
          "sure\u2019. Now the group are poised to have their own voice: \u2018this is our lived experience; this is how "
          "we want to work with you and achieve this.")
PUBLISHED = ("[Now] we are ready to [influence organisations with the power to support change locally]. We won\u2019t just "
             "sit and say \u2018yes, if that\u2019s what should be done, sure\u2019. Now [project participants] are poised to "
             "have their own voice: \u2018this is our lived experience; this is how we want to work with you and achieve this.")


def test_the_published_own_voice_quote_is_accepted():
    check_reported(PUBLISHED, SPOKEN)
    assert fragments(PUBLISHED)[0] == "we are ready to" and fragments(PUBLISHED)[-1].startswith("are poised")


@pytest.mark.parametrize("edit, message", [
    ("we are not ready to [act]", "'we are not ready to' is not in the coded text"),
    ("[Now] we are ready to change round here", "'we are ready to change round here'"),
    ("needs to change round here \u2026 we are ready to", "after the words before it"),
    ("[Something else entirely]", "none of the person's own words"),
    ("we are [ready to", "unbalanced square brackets"),
])
def test_edits_that_change_what_was_said_are_refused(edit, message):
    with pytest.raises(CoderError, match=message.replace("[", r"\[").replace("(", r"\(")):
        check_reported(edit, SPOKEN)


def test_line_breaks_and_edge_punctuation_do_not_matter():
    check_reported("\u201cWe won\u2019t just sit\u2026\u201d", "Hello.\nWe won\u2019t  just\nsit and say")


@given(st.lists(st.text(alphabet="abc ", min_size=1, max_size=8), min_size=1, max_size=6), st.data())
def test_any_in_order_selection_with_cuts_is_accepted(words, data):
    spoken = " ".join(w.strip() or "x" for w in words)
    tokens = spoken.split()
    keep = sorted(data.draw(st.sets(st.integers(0, len(tokens) - 1), min_size=1)))
    edit = " \u2026 ".join(tokens[i] for i in keep)
    check_reported(edit, spoken)


def test_the_sample_coding_carries_the_published_version_and_exports_both(tmp_path):
    project = Project.open(copy_sample(tmp_path / "study"))
    text = project.transcript("lc-eng-pr03-interview").text
    assert "[Now]" not in text and "So we are ready to go to the council" in text
    reported = [c for c in project.codings("sample-coder", "lc-eng-pr03-interview") if c.reported]
    assert [c.reported for c in reported] == [PUBLISHED] * 3
    assert "influence-decisions" in {c.code for c in reported}
    check_reported(reported[0].reported, reported[0].quote)
    assert [p for p in project.check()] == []
    out = tmp_path / "out"
    project.export(out, format="csv")
    with open(out / "quotes.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["coding_id"] == reported[0].id]
    assert rows[0]["quote"] == PUBLISHED and rows[0]["original_quote"].startswith("So we are ready to")


def test_a_refused_edit_writes_nothing_and_an_accepted_one_is_undoable(tmp_path):
    project = Project.open(copy_sample(tmp_path / "study"))
    log = project.root / "codings" / "sample-coder.jsonl"
    coding = next(c for c in project.codings("sample-coder") if c.reported)
    before = log.read_bytes()
    with pytest.raises(CoderError, match="changes what was said"):
        project.report_quote("sample-coder", coding.id, "we are ready to [act] and we will win")
    assert log.read_bytes() == before
    project.report_quote("sample-coder", coding.id, "we are ready to go to the council[\u2026]")
    assert b'"type":"report"' in log.read_bytes()[len(before):]
    assert "reported quote" in project.undo("sample-coder")
    again = Project.open(project.root)
    assert next(c for c in again.codings("sample-coder") if c.id == coding.id).reported == PUBLISHED
