"""Listing the segments two coders disagree on, and recording consensus decisions."""

from __future__ import annotations

import pytest
from agreement_fixtures import code_sentence, small_project

from coder.core.agreement import CONSENSUS, decide, disagreements
from coder.core.errors import CoderError
from coder.core.project import Project


@pytest.fixture
def project(tmp_path):
    project = Project.open(small_project(tmp_path / "proj"))
    code_sentence(project, "ana", "t1", "friends", 4)
    code_sentence(project, "ben", "t1", "social", 4)
    code_sentence(project, "ana", "t1", "confidence", 5)
    code_sentence(project, "ben", "t1", "confidence", 5)  # agreement: not listed
    code_sentence(project, "ben", "t1", "confidence", 6)
    return project


def test_lists_only_segments_that_differ(project):
    items = disagreements(project, "ana", "ben", "t1")
    segs = project.transcript("t1").segments
    assert [i.segment for i in items] == [segs[4], segs[6]]
    assert items[0].codes_a == {"friends"} and items[0].codes_b == {"social"}
    assert items[1].codes_a == set() and items[1].codes_b == {"confidence"}
    assert items[0].codes_consensus == set()


def test_decisions_go_to_the_consensus_log(project):
    first, second = disagreements(project, "ana", "ben", "t1")
    assert decide(project, first, "a") == ["added friends"]
    assert decide(project, second, "b") == ["added confidence"]
    log = project.root / "codings" / f"{CONSENSUS}.jsonl"
    assert log.exists()
    codings = project.codings(CONSENSUS, "t1")
    segs = project.transcript("t1").segments
    assert [(c.code, c.start, c.end) for c in codings] == [
        ("friends", segs[4].start, segs[4].end), ("confidence", segs[6].start, segs[6].end)]
    # the decisions are visible when the list is rebuilt, and can be changed
    first, second = disagreements(project, "ana", "ben", "t1")
    assert first.codes_consensus == {"friends"}
    assert decide(project, first, "both") == ["added social"]
    first, _ = disagreements(project, "ana", "ben", "t1")
    assert sorted(decide(project, first, "neither")) == ["removed friends", "removed social"]
    assert {c.code for c in project.codings(CONSENSUS, "t1")} == {"confidence"}
    # undo goes through the ordinary log
    assert project.undo(CONSENSUS) is not None


def test_consensus_span_is_clipped_to_the_segment(project):
    segs = project.transcript("t1").segments
    project.apply("ana", "t1", "confidence", segs[2].start, segs[3].end)  # two sentences
    item = next(i for i in disagreements(project, "ana", "ben", "t1") if i.segment == segs[3])
    decide(project, item, "a")
    (added,) = [c for c in project.codings(CONSENSUS, "t1") if c.code == "confidence"]
    assert (added.start, added.end) == (segs[3].start, segs[3].end)


def test_unknown_choice(project):
    item = disagreements(project, "ana", "ben", "t1")[0]
    with pytest.raises(CoderError, match="unknown decision"):
        decide(project, item, "maybe")
