"""Helpers for the REFI-QDA tests: schemas, hand-made archives, a copy of the sample project."""

from __future__ import annotations

import io
import shutil
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[3]
REFI_DATA = REPO / "tests" / "data" / "refi"  # vendored schemas and samples (see its README)
SAMPLES = REFI_DATA / "samples"
NS = "urn:QDA-XML:project:1.0"


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI_DATA / name)))


def assert_valid(xml: bytes, name: str = "Project.xsd") -> etree._Element:
    doc = etree.fromstring(xml)
    s = schema(name)
    assert s.validate(doc), "\n".join(str(e) for e in s.error_log)
    return doc


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def make_qdpx(path: Path, qde: str | bytes, sources: dict[str, str | bytes] | None = None,
              qde_name: str = "project.qde") -> Path:
    """A .qdpx archive holding ``qde`` and the given entries (names as written)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (sources or {}).items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    path.write_bytes(buf.getvalue())
    return path


def copy_sample_project(dest: Path) -> Path:
    """The repository's sample project (codebook, transcripts, settings) copied for a test to change."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "coder.yaml", dest / "coder.yaml")
    shutil.copytree(REPO / "codebooks", dest / "codebooks")
    shutil.copytree(REPO / "transcripts", dest / "transcripts")
    return dest


def project_xml(sources: str, *, codes: str | None = None, users: str | None = None, origin: str = "Test",
                ns: str = NS) -> str:
    """A small project document around the given ``<Sources>`` content."""
    users = users if users is not None else '<User guid="10000000-0000-0000-0000-000000000001" name="Ana"/>'
    codes = codes if codes is not None else (
        '<Code guid="20000000-0000-0000-0000-000000000001" name="Health" isCodable="true" color="#33cc33"/>'
        '<Code guid="20000000-0000-0000-0000-000000000002" name="Friends" isCodable="true"/>')
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project{xmlns} name="Small" origin="{origin}">'
            f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook>"
            f"<Sources>{sources}</Sources></Project>")


def text_source(guid: str, name: str, path: str, selections: list[tuple[int, int, str, str]],
                user: str = "10000000-0000-0000-0000-000000000001") -> str:
    """A TextSource with one selection per (start, end, name, code GUID)."""
    sels = "".join(
        f'<PlainTextSelection guid="5{i:07d}-0000-0000-0000-{zlib.crc32(guid.encode()):012d}" name="{n}" '
        f'startPosition="{s}" endPosition="{e}" creatingUser="{user}">'
        f'<Coding guid="6{i:07d}-0000-0000-0000-{zlib.crc32(guid.encode()):012d}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        for i, (s, e, n, code) in enumerate(selections)
    )
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="{path}">{sels}</TextSource>'
