"""Exporting the sample project to REFI-QDA: valid, complete, deterministic, positions exact."""

from __future__ import annotations

import zipfile

import pytest
from refi_fixtures import NS, assert_valid, qde_of

from coder.core.errors import CoderError
from coder.core.refi import export_qdc, export_qdpx, guid
from coder.core.refi.descriptions import parse_description

Q = f"{{{NS}}}"


def test_sample_export_validates_against_the_schema(coded, exported):
    report, path = exported
    doc = assert_valid(qde_of(path))
    assert doc.get("name").startswith("Sample evaluation")
    assert report.sources == len(coded.transcript_ids()) and report.codes == 12 and report.users == 2
    assert report.codings == 6 and report.notes == 3 and report.cases == 144


def test_positions_are_code_points_into_the_transcript_text(coded, exported):
    _, path = exported
    with zipfile.ZipFile(path) as zf:
        doc = assert_valid(zf.read("project.qde"))
        for src in doc.iter(Q + "TextSource"):
            tid = src.get("name")
            entry = "sources/" + src.get("plainTextPath").removeprefix("internal://")
            text = zf.read(entry).decode("utf-8")
            assert text == coded.transcript(tid).text
            for sel in src.iter(Q + "PlainTextSelection"):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                quotes = {c.quote for c in coded.codings(transcript_id=tid) if (c.start, c.end) == (start, end)}
                assert quotes == {text[start:end]}
    assert "’" in coded.transcript("lc-eng-pr03-interview").text  # non-ASCII text is part of the check


def test_one_selection_per_span_with_one_coding_per_code_and_coder(exported):
    _, path = exported
    doc = assert_valid(qde_of(path))
    shared = [s for s in doc.iter(Q + "PlainTextSelection") if len(s.findall(Q + "Coding")) > 1]
    assert len(shared) == 1  # ana and ben coded the same sentence with the same code
    users = {c.get("creatingUser") for c in shared[0].findall(Q + "Coding")}
    assert users == {guid("user", "ana"), guid("user", "ben")}
    code_refs = {c.find(Q + "CodeRef").get("targetGUID") for c in shared[0].findall(Q + "Coding")}
    assert code_refs == {guid("code", "community-power")}


def test_codebook_hierarchy_colours_and_descriptions(coded, exported):
    _, path = exported
    doc = assert_valid(qde_of(path))
    codes = {c.get("guid"): c for c in doc.iter(Q + "Code")}
    book = coded.codebook
    for code in book.codes:
        el = codes[guid("code", code.id)]
        assert el.get("name") == code.name and el.get("color") == code.colour
        parent = el.getparent()
        assert (parent.get("guid") if parent.tag == Q + "Code" else None) == (
            guid("code", code.parent) if code.parent else None)
        info = parse_description(el.findtext(Q + "Description"))
        assert info["definition"] == code.definition
        assert info["examples"] == [" ".join(e.split()) for e in code.examples]
        assert (info["id"] or None) in (code.id, None)


def test_memos_become_notes_referenced_where_they_belong(exported):
    _, path = exported
    doc = assert_valid(qde_of(path))
    notes = {n.get("guid"): n.findtext(Q + "PlainTextContent") for n in doc.iter(Q + "Note")}
    assert sorted(notes.values()) == sorted(["Clear example of voice — “own words”.", "Long pauses throughout.",
                                             "Watch the overlap with new-skills."])
    holders = {r.getparent().tag.removeprefix(Q) for r in doc.iter(Q + "NoteRef")}
    assert holders == {"Coding", "TextSource", "Code"}


def test_participants_are_cases_with_variables_and_sets_per_programme_and_nation(coded, exported):
    _, path = exported
    doc = assert_valid(qde_of(path))
    variables = {v.get("guid"): v.get("name") for v in doc.iter(Q + "Variable")}
    assert {"programme", "nation", "role", "q_new_friends", "q_influence_decisions"} <= set(variables.values())
    case = next(c for c in doc.iter(Q + "Case") if c.get("name") == "LC-ENG-PR03")
    values = {variables[v.find(Q + "VariableRef").get("targetGUID")]: v.findtext(Q + "TextValue")
              for v in case.findall(Q + "VariableValue")}
    assert values["programme"] == "Local Conversations" and values["q_new_partnerships"] == "Yes"
    assert [r.get("targetGUID") for r in case.findall(Q + "SourceRef")] == [guid("source", "lc-eng-pr03-interview")]
    sets = {s.get("name"): {m.get("targetGUID") for m in s.findall(Q + "MemberSource")} for s in doc.iter(Q + "Set")}
    assert set(sets) == {"programme: Active Communities", "programme: Local Conversations",
                         "nation: England", "nation: Wales", "nation: Scotland"}
    assert guid("source", "lc-eng-focus-group") in sets["programme: Local Conversations"]
    assert len(sets["programme: Active Communities"]) + len(sets["programme: Local Conversations"]) == len(coded.transcript_ids())


def test_export_reports_what_refi_cannot_carry(exported):
    report, _ = exported
    assert any("suggestion origin" in o and "1 coding" in o for o in report.omitted)
    assert any("outcomes definition" in o for o in report.omitted)


def test_export_is_deterministic(coded, exported, tmp_path):
    _, first = exported
    again = export_qdpx(coded, tmp_path / "again.qdpx").path
    assert again.read_bytes() == first.read_bytes()


def test_one_coders_export(coded, tmp_path):
    report = export_qdpx(coded, tmp_path / "ben.qdpx", coder="ben")
    doc = assert_valid(qde_of(report.path))
    assert [u.get("name") for u in doc.iter(Q + "User")] == ["ben"]
    assert report.codings == 3
    with pytest.raises(CoderError, match="no coder 'zoe'"):
        export_qdpx(coded, tmp_path / "zoe.qdpx", coder="zoe")


def test_codebook_alone_validates(coded, tmp_path):
    path = export_qdc(coded.codebook, tmp_path / "codebook.qdc")
    doc = assert_valid(path.read_bytes(), "Codebook.xsd")
    names = [c.get("name") for c in doc.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names == [c.name for c in coded.codebook.codes]
