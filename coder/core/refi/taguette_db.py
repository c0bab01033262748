"""Reading a Taguette project database (SQLite) as a REFI-QDA package, for ``coder import``.

Taguette keeps each document as sanitised HTML (``documents.contents``); a
highlight's ``start_offset``/``end_offset`` count the characters of the
document's *text* (the HTML's text nodes, entities decoded, tags counting
nothing).  The transcript coder keeps is that text with a blank line where a
paragraph, heading, list item or line break was, and every highlight is moved
by the breaks before it.  Tags are ``tags.path`` (``parent.child``, made a tree
on import); the coder of a highlight is the Taguette user
whose ``highlight_add`` command created it.  The database is opened read-only.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import uuid
from html.parser import HTMLParser
from pathlib import Path

from coder.core.errors import CoderError
from coder.core.refi.model import RefiCode, RefiCoding, RefiProject, RefiSelection, RefiSource
from coder.core.refi.reader import RefiPackage

SQLITE_MAGIC = b"SQLite format 3\x00"
_BREAKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"}
_NS = uuid.UUID("6f1c1e7e-2f0c-5d6e-9a39-7a6e5f0c7a11")


def is_taguette_db(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


class _Text(HTMLParser):
    """The text of Taguette's HTML, and where blank lines were put in (as text offsets)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0  # characters of text so far (Taguette's offsets)
        self.breaks: list[int] = []  # text offsets before which "\n\n" was put

    def _break(self) -> None:
        if self.length and (not self.breaks or self.breaks[-1] != self.length):
            self.breaks.append(self.length)
            self.parts.append("\n\n")

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        if tag in _BREAKS:
            self._break()

    def handle_endtag(self, tag) -> None:  # noqa: ANN001
        if tag in _BREAKS:
            self._break()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += len(data)


def html_text(html: str) -> tuple[str, list[int]]:
    """The document's text with paragraph breaks, and the offsets where breaks went in."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts), parser.breaks


def _guid(*key: object) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(map(str, key))))


def read_taguette(path: Path) -> RefiPackage:
    """A Taguette database as a package :func:`.importer.import_refi` takes."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise CoderError(f"cannot open the Taguette database: {e}", file=path) from None
    try:
        return _read(db, path)
    except sqlite3.DatabaseError as e:
        raise CoderError(f"not a Taguette project database ({e})", file=path,
                         hint="give the .sqlite3 file Taguette keeps its projects in") from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, path: Path) -> RefiPackage:
    warnings: list[str] = []
    projects = db.execute("SELECT id, name FROM projects ORDER BY id").fetchall()
    if not projects:
        raise CoderError("the Taguette database holds no project", file=path)
    if len(projects) > 1:
        warnings.append(f"the database holds {len(projects)} projects; imported the first, '{projects[0][1]}'")
    pid, name = projects[0]
    codes = tuple(RefiCode(_guid("tag", tid), tpath, None, description=desc or "")
                  for tid, tpath, desc in db.execute(
                      "SELECT id, path, description FROM tags WHERE project_id = ? ORDER BY id", (pid,)))
    creators: dict[int, str] = {}
    for login, payload in db.execute("SELECT user_login, payload FROM commands WHERE project_id = ? ORDER BY id",
                                     (pid,)):
        try:
            data = json.loads(payload)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and data.get("type") == "highlight_add" and "highlight_id" in data:
            creators[data["highlight_id"]] = login
    users = {_guid("user", login): login for login in sorted(set(creators.values()))}
    tags_of: dict[int, list[int]] = {}
    for hid, tid in db.execute("SELECT highlight_id, tag_id FROM highlight_tags"):
        tags_of.setdefault(hid, []).append(tid)
    sources, texts = [], {}
    for did, dname, contents in db.execute(
            "SELECT id, name, contents FROM documents WHERE project_id = ? ORDER BY id", (pid,)):
        text, breaks = html_text(contents or "")
        sguid = _guid("document", did)
        selections = []
        for hid, start, end in db.execute(
                "SELECT id, start_offset, end_offset FROM highlights WHERE document_id = ? ORDER BY id", (did,)):
            a = start + 2 * bisect.bisect_right(breaks, start)  # a highlight starting at a break starts after it
            b = end + 2 * bisect.bisect_left(breaks, end)
            user = _guid("user", creators[hid]) if hid in creators else None
            codings = tuple(RefiCoding(_guid("coding", hid, t), _guid("tag", t), user) for t in tags_of.get(hid, []))
            selections.append(RefiSelection(_guid("highlight", hid), "", a, b, codings))
        sources.append(RefiSource(sguid, dname or f"document {did}", "text", None, text, tuple(selections)))
        texts[sguid] = text
    project = RefiProject(name=name or path.stem, origin="Taguette", users=users, codes=codes,
                          sources=tuple(sources))
    return RefiPackage(path, project, texts, warnings)  # the import makes its dotted tags a tree
