"""Working with Taguette: its flat dotted codebook comes in as a tree; coder's codebook goes out as its CSV."""

from __future__ import annotations

import csv
import json
import io
import os
import subprocess
import sys

from refi_fixtures import REPO, copy_sample_project

from coder.core.codebook_file import load_codebook
from coder.core.refi import import_refi

# As Taguette writes a codebook (taguette/refi_qda.py): no namespace, flat codes named by
# path, upper-case uuid5 GUIDs, and an empty <Sets/>.
TAGUETTE_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook origin="Taguette 1.4.1"><Codes>
<Code guid="0B7C5E0A-6A0E-5C55-9E0B-7C1F3F1C6A01" name="health" isCodable="true"></Code>
<Code guid="0B7C5E0A-6A0E-5C55-9E0B-7C1F3F1C6A02" name="health.mental" isCodable="true"></Code>
<Code guid="0B7C5E0A-6A0E-5C55-9E0B-7C1F3F1C6A03" name="health.physical" isCodable="true"></Code>
<Code guid="0B7C5E0A-6A0E-5C55-9E0B-7C1F3F1C6A04" name="friends" isCodable="true"></Code>
<Code guid="0B7C5E0A-6A0E-5C55-9E0B-7C1F3F1C6A05" name="place.green.parks" isCodable="true"></Code>
</Codes><Sets></Sets></CodeBook>
"""


def test_a_taguette_codebook_comes_in_as_a_tree(tmp_path):
    qdc = tmp_path / "taguette.qdc"
    qdc.write_text(TAGUETTE_QDC, encoding="utf-8")
    report = import_refi(qdc, tmp_path / "p")
    book, problems = load_codebook(report.codebook_path)
    assert not [p for p in problems if p.severity.value == "error"]
    by_name = {c.name: c for c in book.codes}
    assert by_name["mental"].parent == by_name["health"].id
    assert by_name["physical"].parent == by_name["health"].id
    assert by_name["friends"].parent is None and by_name["health"].parent is None
    assert [book.get(i).name for i in book.path(by_name["parks"].id)] == ["place", "green", "parks"]
    assert len(book.codes) == 7  # the two missing parents (place, place.green) were made


def test_dotted_names_from_other_programs_are_left_alone(tmp_path):
    qdc = tmp_path / "other.qdc"
    qdc.write_text(TAGUETTE_QDC.replace("Taguette 1.4.1", "QualCoder 3.5"), encoding="utf-8")
    book, _ = load_codebook(import_refi(qdc, tmp_path / "p").codebook_path)
    assert "health.mental" in {c.name for c in book.codes} and all(c.parent is None for c in book.codes)


def test_the_codebook_exports_as_the_csv_taguette_imports(tmp_path):
    root = copy_sample_project(tmp_path / "p")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "coder", "export", "--format", "taguette"],
                         cwd=root, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    text = (root / "exports" / "codebook-taguette.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["path", "description"]  # the columns Taguette's codebook import looks for
    book, _ = load_codebook(next((root / "codebooks").glob("*.yaml")))
    assert len(rows) - 1 == len(book.codes)
    paths = {r[0]: r[1] for r in rows[1:]}
    for code in book.codes:
        names = [book.get(i).name.replace(".", " ") for i in book.path(code.id)]
        path = ".".join(" ".join(n.split()) for n in names)
        assert path in paths and paths[path] == " ".join(code.definition.split())
    assert any("." in p for p in paths)  # the hierarchy is there


# A Taguette project database, with the tables and columns of taguette/database/models.py.
SCHEMA = """
CREATE TABLE users (login VARCHAR(30) PRIMARY KEY, created DATETIME NOT NULL, hashed_password VARCHAR(192),
                    password_set_date DATETIME, language VARCHAR(10), email VARCHAR(256), email_sent DATETIME);
CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
                       created DATETIME NOT NULL);
CREATE TABLE project_members (project_id INTEGER, user_login VARCHAR(30), privileges VARCHAR(10) NOT NULL,
                              PRIMARY KEY (project_id, user_login));
CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
                        filename VARCHAR(200) NOT NULL, created DATETIME NOT NULL, project_id INTEGER NOT NULL,
                        text_direction VARCHAR(13) NOT NULL, contents TEXT NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, path VARCHAR(200) NOT NULL,
                   description TEXT NOT NULL);
CREATE TABLE highlights (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL,
                         start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, snippet TEXT NOT NULL);
CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,
                             PRIMARY KEY (highlight_id, tag_id));
CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, date DATETIME NOT NULL, user_login VARCHAR(30) NOT NULL,
                       project_id INTEGER NOT NULL, document_id INTEGER, payload TEXT NOT NULL);
"""
HTML = ("<p>Interviewer: How did you first hear about the group?</p>"
        "<p>Gwen: My neighbour &amp; her friend told me. I felt less lonely straight away.</p>"
        "<p>Tariq: Same for me, <strong>really</strong>.</p>")


def taguette_db(path):
    import sqlite3
    from html.parser import HTMLParser

    class Text(HTMLParser):  # the document text Taguette counts offsets in
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.text = ""

        def handle_data(self, data):
            self.text += data

    parsed = Text()
    parsed.feed(HTML)
    dom = parsed.text

    def span(quote):
        start = dom.index(quote)
        return start, start + len(quote)

    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    now = "2024-03-01 10:00:00"
    db.execute("INSERT INTO users (login, created) VALUES ('ana', ?), ('ben', ?)", (now, now))
    db.execute("INSERT INTO projects VALUES (1, 'Befriending study', '', ?)", (now,))
    db.execute("INSERT INTO documents VALUES (1, 'Focus group 1', '', 'fg1.docx', ?, 1, 'LEFT_TO_RIGHT', ?)", (now, HTML))
    for tid, tpath, desc in ((1, "wellbeing", "How people feel"), (2, "wellbeing.loneliness", "Feeling alone, or less so"),
                             (3, "connections.friends", "New friends")):
        db.execute("INSERT INTO tags VALUES (?, 1, ?, ?)", (tid, tpath, desc))
    highlights = [(1, "My neighbour & her friend told me.", [3], "ana"),
                  (2, "I felt less lonely straight away.", [2, 1], "ben"),
                  (3, "Same for me, really.", [3], "ana")]
    for hid, quote, tags, who in highlights:
        start, end = span(quote)
        db.execute("INSERT INTO highlights VALUES (?, 1, ?, ?, ?)", (hid, start, end, quote))
        for t in tags:
            db.execute("INSERT INTO highlight_tags VALUES (?, ?)", (hid, t))
        payload = {"type": "highlight_add", "highlight_id": hid, "start_offset": start, "end_offset": end,
                   "tags": tags}
        db.execute("INSERT INTO commands (date, user_login, project_id, document_id, payload) VALUES (?, ?, 1, 1, ?)",
                   (now, who, json.dumps(payload)))
    db.commit()
    db.close()
    return highlights


def test_a_taguette_project_database_comes_in_with_its_highlights(tmp_path):
    from coder.core.project import Project

    highlights = taguette_db(tmp_path / "taguette.sqlite3")
    report = import_refi(tmp_path / "taguette.sqlite3", tmp_path / "p")
    assert report.codings == 4 and report.transcripts == 1
    project = Project.open(tmp_path / "p")
    book = project.codebook
    by_name = {c.name: c for c in book.codes}
    assert by_name["loneliness"].parent == by_name["wellbeing"].id
    assert by_name["friends"].parent == by_name["connections"].id
    assert by_name["loneliness"].definition == "Feeling alone, or less so"
    got = {(c.coder, c.quote, book.get(c.code).name) for c in project.codings()}
    want = {(who, quote, {1: "wellbeing", 2: "loneliness", 3: "friends"}[t])
            for _, quote, tags, who in highlights for t in tags}
    assert got == want
    text = project.transcript(project.transcript_ids()[0]).text
    assert text.split("\n\n")[1] == "Gwen: My neighbour & her friend told me. I felt less lonely straight away."
