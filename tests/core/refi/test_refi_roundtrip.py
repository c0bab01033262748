"""Export -> import -> export gives the same codebook, codings and memos."""

from __future__ import annotations

import pytest
from lxml import etree
from refi_fixtures import NS, assert_valid, qde_of

from coder.core.project import Project
from coder.core.refi import export_qdpx, import_refi

Q = f"{{{NS}}}"


def _codings(doc) -> set[tuple]:
    out = set()
    for src in doc.iter(Q + "TextSource"):
        for sel in src.iter(Q + "PlainTextSelection"):
            for c in sel.iter(Q + "Coding"):
                out.add((src.get("guid"), sel.get("guid"), sel.get("startPosition"), sel.get("endPosition"),
                         c.get("guid"), c.get("creatingUser"), c.find(Q + "CodeRef").get("targetGUID")))
    return out


@pytest.fixture(scope="session")
def second(exported, tmp_path_factory):
    _, first = exported
    target = tmp_path_factory.mktemp("rt") / "imported"
    report = import_refi(first, target)
    project = Project.open(target)
    again = export_qdpx(project, tmp_path_factory.mktemp("rt2") / "again.qdpx")
    return report, project, again.path


def test_round_trip_keeps_codebook_and_codings(exported, second):
    _, first = exported
    report, _, again = second
    a, b = assert_valid(qde_of(first)), assert_valid(qde_of(again))
    assert etree.tostring(a.find(Q + "CodeBook")) == etree.tostring(b.find(Q + "CodeBook"))
    assert _codings(a) == _codings(b) and len(_codings(a)) == 6
    notes = lambda d: sorted(n.findtext(Q + "PlainTextContent") for n in d.iter(Q + "Note"))  # noqa: E731
    assert notes(a) == notes(b)
    assert etree.tostring(a.find(Q + "Cases")) == etree.tostring(b.find(Q + "Cases"))
    assert etree.tostring(a.find(Q + "Sets")) == etree.tostring(b.find(Q + "Sets"))
    assert report.coders == ("ana", "ben")
    assert not [w for w in report.warnings if "skipped" in w]


def test_imported_project_is_clean_and_quotes_land_on_the_same_words(coded, second):
    _, project, _ = second
    assert [p for p in project.check() if p.severity.value == "error"] == []
    assert project.codebook.get("confidence").examples == coded.codebook.get("confidence").examples
    assert project.transcript_ids() == coded.transcript_ids()
    for tid in coded.transcript_ids():
        assert project.transcript(tid).text == coded.transcript(tid).text
    key = lambda c: (c.coder, c.transcript, c.code, c.start, c.end, c.quote)  # noqa: E731
    assert sorted(map(key, project.codings())) == sorted(map(key, coded.codings()))
    # the focus group's speaker links survive (carried in the source description)
    turns = project.transcript("lc-eng-focus-group").turns
    assert {t.participant_id for t in turns} - {None} == {"LC-ENG-P08", "LC-ENG-P09", "LC-ENG-P10", "LC-ENG-P11"}
