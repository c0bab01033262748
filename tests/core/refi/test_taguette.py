"""Working with Taguette: its flat dotted codebook comes in as a tree; coder's codebook goes out as its CSV."""

from __future__ import annotations

import csv
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
