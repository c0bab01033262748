"""Hostile REFI files are refused with a clear CoderError, and nothing is written anywhere."""

from __future__ import annotations

import pytest
from refi_fixtures import make_qdpx, project_xml, text_source

from coder.core.errors import CoderError
from coder.core.refi import import_refi, normalise_guid
from coder.core.refi import safety

SRC = "40000000-0000-0000-0000-000000000001"
HEALTH = "20000000-0000-0000-0000-000000000001"
GOOD = project_xml(text_source(SRC, "T", "internal://a.txt", [(0, 4, "Gwen", HEALTH)]))


def tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def area(tmp_path):
    """A folder holding only the hostile file; the import target is inside it."""
    (tmp_path / "in").mkdir()
    return tmp_path


def refused(area, qdpx, match: str):
    before = tree(area)
    with pytest.raises(CoderError, match=match):
        import_refi(qdpx, area / "target")
    assert tree(area) == before  # nothing written: no target folder, no stray file


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt",
                                  "..\\evil.txt"])
def test_zip_entry_escaping_the_folder(area, name):
    qdpx = make_qdpx(area / "in" / "x.qdpx", GOOD, {"sources/a.txt": "Gwen: hi there.", name: "pwned"})
    refused(area, qdpx, "unsafe")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_entity_tricks_are_refused_before_parsing(area, xml):
    refused(area, make_qdpx(area / "in" / "x.qdpx", xml), "DOCTYPE")


def test_doctype_in_utf16_is_refused(area):
    data = EXTERNAL.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>').encode("utf-16")
    refused(area, make_qdpx(area / "in" / "x.qdpx", data), "DOCTYPE")


def test_doctype_in_a_codebook_file(area):
    qdc = area / "in" / "x.qdc"
    qdc.write_text(EXTERNAL.replace("Project", "CodeBook"))
    refused(area, qdc, "DOCTYPE")


def test_parser_never_resolves_entities_even_without_the_prescan(monkeypatch):
    monkeypatch.setattr(safety, "_DOCTYPE_MARKS", ())
    with pytest.raises(CoderError, match="external entity"):
        safety.parse_xml(EXTERNAL.encode())
    in_text = EXTERNAL.replace(' name="&secret;"/>', ' name="x">&secret;</Project>')
    with pytest.raises(CoderError, match="DOCTYPE"):
        safety.parse_xml(in_text.encode())


def test_not_a_zip_and_not_xml(area):
    bogus = area / "in" / "x.qdpx"
    bogus.write_bytes(b"this is not a zip file")
    refused(area, bogus, "not a readable .qdpx")
    broken = make_qdpx(area / "in" / "y.qdpx", "<Project name='x'><Users>")
    refused(area, broken, "not well-formed")
    no_project = make_qdpx(area / "in" / "z.qdpx", "<CodeBook/>")
    refused(area, no_project, "not a REFI-QDA project")


def test_failure_after_writing_started_leaves_nothing(area, monkeypatch):
    from coder.core.codings.logfile import Appender

    def broken(*args, **kwargs):
        raise CoderError("Cannot append: the disk is full. Nothing was saved.")

    monkeypatch.setattr(Appender, "append_lines", broken)  # every write to a coding log
    qdpx = make_qdpx(area / "in" / "x.qdpx", GOOD, {"sources/a.txt": "Gwen: hi there."})
    refused(area, qdpx, "disk is full")


def test_missing_source_path_outside_the_archive_is_not_read(area, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    xml = project_xml(text_source(SRC, "T", f"absolute://{secret}", [(0, 2, "do", HEALTH)])
                      + text_source("40000000-0000-0000-0000-000000000002", "U", "internal://../secret.txt",
                                    [(0, 2, "do", HEALTH)]))
    report = import_refi(make_qdpx(area / "in" / "x.qdpx", xml), area / "target")
    assert report.transcripts == 0 and report.codings == 0
    joined = "\n".join(report.warnings)
    assert "outside the archive" in joined and "unsafe path" in joined


@pytest.mark.parametrize("raw,expected", [
    ("2B58DBC1-8AF5-5436-9828-4A75B0617E55", "2b58dbc1-8af5-5436-9828-4a75b0617e55"),
    ("{2b58dbc1-8af5-5436-9828-4a75b0617e55}", "2b58dbc1-8af5-5436-9828-4a75b0617e55"),
    ("2b58dbc1-8af5-5436-9828", None), ("../../etc", None), ("", None), (None, None),
])
def test_guid_forms(raw, expected):
    assert normalise_guid(raw) == expected


def test_unsafe_member_names():
    assert safety.unsafe_member_reason("sources/a.txt") is None
    assert "climbs" in safety.unsafe_member_reason("a/../../b")
    assert "absolute" in safety.unsafe_member_reason("\\\\server\\share")
    assert "NUL" in safety.unsafe_member_reason("a\x00.txt")
