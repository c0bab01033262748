"""Importing what other programs write: the shared samples and the real-world deviations."""

from __future__ import annotations

import shutil

import pytest
from refi_fixtures import REPO, SAMPLES, make_qdpx, project_xml, text_source

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.refi import export_qdc, import_refi

HEALTH = "20000000-0000-0000-0000-000000000001"
FRIENDS = "20000000-0000-0000-0000-000000000002"
SRC = "40000000-0000-0000-0000-000000000001"


def quotes(project: Project) -> list[tuple[str, str, str]]:
    return sorted((c.coder, c.code, project.transcript(c.transcript).text[c.start:c.end]) for c in project.codings())


def test_hand_authored_sample_folder(tmp_path):
    report = import_refi(SAMPLES / "ornio_hand_authored", tmp_path / "p")
    project = Project.open(tmp_path / "p")
    assert [p for p in project.check() if p.severity.value == "error"] == []
    assert [c.id for c in project.codebook.codes] == ["topics", "health", "diet", "wellbeing"]
    assert project.codebook.get("diet").parent == "health" and project.codebook.get("diet").colour == "#dc0000"
    assert project.codebook.get("health").definition == "Anything about physical or mental health"
    assert quotes(project) == [("Researcher-A", "diet", "health are clo"), ("Researcher-A", "health", "Diet and health")]
    # the note linked to the first selection becomes a memo on its coding
    (memo,) = project.store.state().memos.values()
    assert memo.text == "Remember to follow up on diet-related comments." and memo.target_kind == "coding"
    assert project.participants.get("Participant 1") == {"participant_id": "Participant 1", "Age": "34",
                                                         "Consented": "true"}
    joined = "\n".join(report.warnings)
    for lost in ("picture source", "pdf source", "audio source", "video source", "graphs", "not codable",
                 "set 'Diet-related'"):
        assert lost in joined


def test_hand_authored_sample_zipped(tmp_path):
    folder = SAMPLES / "ornio_hand_authored"
    archive = shutil.make_archive(str(tmp_path / "ornio"), "zip", folder)
    qdpx = tmp_path / "ornio.qdpx"
    shutil.move(archive, qdpx)
    report = import_refi(qdpx, tmp_path / "p")
    assert report.codings == 2 and report.transcripts == 1 and report.coders == ("Researcher-A",)


def test_synthetic_sample(tmp_path):
    report = import_refi(SAMPLES / "synthetic_community_health.qdpx", tmp_path / "p")
    assert report.warnings == ()
    project = Project.open(tmp_path / "p")
    assert quotes(project) == [("analyst", "barriers-to-influence", "decisions still get made elsewhere"),
                               ("analyst", "being-listened-to", "they actually listen"),
                               ("analyst", "social-connection", "I've met neighbours")]
    assert project.participants.get("P01")["programme"] == "Programme A"
    assert project.transcript("p01-interview").meta["participant"] == "P01"


def test_unlabelled_text_loads_with_positions_intact(tmp_path):
    text = "Date: 14 July\nNobody asked us before. Now: they listen!\n# not a heading\n\n---\nend"
    sel = [(text.index("Now"), text.index("!") + 1, "Now: they listen!", HEALTH)]
    qdpx = make_qdpx(tmp_path / "x.qdpx", project_xml(text_source(SRC, "notes.txt", "internal://a.txt", sel)),
                     {"sources/a.txt": text})
    import_refi(qdpx, tmp_path / "p")
    project = Project.open(tmp_path / "p")
    transcript = project.transcript("notes")
    assert transcript.text == text
    assert quotes(project) == [("Ana", "health", "Now: they listen!")]


CRLF_TEXT = "Interviewer: Hello.\r\nGwen: I made friends.\r\nInterviewer: And?\r\nGwen: I feel healthier now."


@pytest.mark.parametrize("crlf_as_two", [True, False])
def test_windows_line_endings_either_count(tmp_path, crlf_as_two):
    counted = CRLF_TEXT if crlf_as_two else CRLF_TEXT.replace("\r\n", "\n")
    spans = [(counted.index(q), counted.index(q) + len(q), q, code)
             for q, code in (("I made friends.", FRIENDS), ("I feel healthier now.", HEALTH))]
    qdpx = make_qdpx(tmp_path / "x.qdpx", project_xml(text_source(SRC, "Interview", "internal://a.txt", spans)),
                     {"sources/a.txt": CRLF_TEXT.encode("utf-8")})
    report = import_refi(qdpx, tmp_path / "p")
    project = Project.open(tmp_path / "p")
    assert "\r" not in project.transcript("interview").text
    assert quotes(project) == [("Ana", "friends", "I made friends."), ("Ana", "health", "I feel healthier now.")]
    assert any("Windows line endings" in w for w in report.warnings)


def test_line_endings_without_evidence_follow_the_program(tmp_path):
    text = "A.\r\nB.\r\nC is here."
    raw = text.index("C is")
    sel = [(raw, raw + 1, "", HEALTH)]  # no usable name: the origin decides
    for origin, expected in (("ATLAS.ti 9", "i"), ("NVivo 14", "C")):
        target = tmp_path / origin.split()[0]
        qdpx = make_qdpx(tmp_path / f"{origin}.qdpx",
                         project_xml(text_source(SRC, "T", "internal://a.txt", sel), origin=origin),
                         {"sources/a.txt": text})
        import_refi(qdpx, target)
        assert [q for _, _, q in quotes(Project.open(target))] == [expected]


def test_real_world_deviations(tmp_path):
    """Sources/ capitalised, project file named after the project, plainTextPath without internal://,
    GUIDs in braces and upper case, a reused GUID, no namespace."""
    text = "Gwen: Meeting people made me feel better."
    upper = "{" + SRC.upper() + "}"
    spans = [(6, 20, "Meeting people", "{" + FRIENDS.upper() + "}")]
    codes = (f'<Code guid="{HEALTH}" name="Health" isCodable="true"/>'
             f'<Code guid="{FRIENDS.upper()}" name="Friends" isCodable="true"/>'
             f'<Code guid="{HEALTH}" name="Health again" isCodable="true"/>')
    xml = project_xml(text_source(upper, "Gwen", "a.txt", spans), codes=codes, ns="")
    qdpx = make_qdpx(tmp_path / "x.qdpx", xml, {"Sources/a.txt": text}, qde_name="My Study.qde")
    report = import_refi(qdpx, tmp_path / "p")
    project = Project.open(tmp_path / "p")
    assert quotes(project) == [("Ana", "friends", "Meeting people")]
    assert [c.name for c in project.codebook.codes] == ["Health", "Friends"]
    assert any("reuses the GUID" in w for w in report.warnings)


def test_missing_source_and_malformed_guid_are_skipped_with_warnings(tmp_path):
    sources = (text_source(SRC, "Here", "internal://a.txt", [(0, 4, "Gwen", HEALTH)])
               + text_source("40000000-0000-0000-0000-000000000002", "Gone", "internal://missing.txt",
                             [(0, 4, "x", HEALTH)])
               + '<TextSource guid="not-a-guid" name="Bad" plainTextPath="internal://a.txt"/>')
    qdpx = make_qdpx(tmp_path / "x.qdpx", project_xml(sources), {"sources/a.txt": "Gwen: hello there."})
    report = import_refi(qdpx, tmp_path / "p")
    assert report.transcripts == 1 and report.codings == 1
    joined = "\n".join(report.warnings)
    assert "'Gone': its text file 'missing.txt' is missing" in joined
    assert "malformed GUID 'not-a-guid'" in joined


def test_selections_out_of_range_and_unknown_codes_are_reported(tmp_path):
    spans = [(0, 4, "Gwen", HEALTH), (5, 999, "x", HEALTH), (3, 3, "", HEALTH),
             (0, 4, "Gwen", "20000000-0000-0000-0000-00000000ffff")]
    qdpx = make_qdpx(tmp_path / "x.qdpx", project_xml(text_source(SRC, "T", "internal://a.txt", spans)),
                     {"sources/a.txt": "Gwen: hello there."})
    report = import_refi(qdpx, tmp_path / "p")
    assert report.codings == 1
    joined = "\n".join(report.warnings)
    assert "2 selections outside their source's text or empty" in joined
    assert "1 codings of a code that is not in the codebook were skipped" in joined


def test_codebook_file_makes_a_project_or_joins_one(tmp_path):
    codebook = Project.open(REPO).codebook
    qdc = export_qdc(codebook, tmp_path / "cb.qdc")
    report = import_refi(qdc, tmp_path / "new")
    assert report.kind == "codebook" and report.codes == len(codebook.codes)
    imported = Project.open(tmp_path / "new").codebook
    assert [(c.id, c.name, c.parent, c.colour, c.definition, c.examples) for c in imported.codes] == [
        (c.id, c.name, c.parent, c.colour, c.definition, c.examples) for c in codebook.codes]
    # into an existing project: one more codebook file, nothing else touched
    Project.init(tmp_path / "existing")
    before = sorted(p.relative_to(tmp_path / "existing") for p in (tmp_path / "existing").rglob("*"))
    report = import_refi(qdc, tmp_path / "existing")
    after = sorted(p.relative_to(tmp_path / "existing") for p in (tmp_path / "existing").rglob("*"))
    assert set(after) - set(before) == {report.codebook_path.relative_to(tmp_path / "existing")}
    assert any("set `codebook:" in w for w in report.warnings)


def test_target_must_be_new_or_empty(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(CoderError, match="not empty"):
        import_refi(SAMPLES / "synthetic_community_health.qdpx", tmp_path / "full")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    import_refi(SAMPLES / "synthetic_community_health.qdpx", tmp_path / "empty")
    assert (tmp_path / "empty" / "coder.yaml").exists()
