"""A .qdpx from coder places its codings on the right lines in qc (qualitative-coding).

qc ignores positions and reads a selection's line from its ``name`` when that
starts with ``line:N`` (0-based).  The name test always runs; the round trip
through qc itself runs where qc is installed (``pip install qualitative-coding``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from refi_fixtures import NS, assert_valid

Q = f"{{{NS}}}"


def selections(path: Path):
    """(source name, its text, selection element) for every selection in the archive."""
    with zipfile.ZipFile(path) as zf:
        doc = assert_valid(zf.read("project.qde"))
        for src in doc.iter(Q + "TextSource"):
            text = zf.read("sources/" + src.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
            for sel in src.iter(Q + "PlainTextSelection"):
                yield src.get("name"), text, sel, doc


def test_every_selection_is_named_by_the_line_it_starts_on(exported):
    _, path = exported
    found = list(selections(path))
    assert found
    lines = set()
    for _, text, sel, _ in found:
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        line = text.count("\n", 0, start)
        head = " ".join(text[start:end].split())[:20]
        assert sel.get("name").startswith(f"line:{line} {head}")
        lines.add(line)
    assert len(lines) > 1  # not everything on one line


QC_READ = """
import json
from qualitative_coding.corpus import QCCorpus
corpus = QCCorpus("settings.yaml")
with corpus.session():
    for doc in corpus.get_documents():
        for row in corpus.get_coded_lines(file_list=[doc.file_path]):
            print("ROW", json.dumps([str(x) for x in row]))
"""


@pytest.mark.skipif(shutil.which("qc") is None, reason="qc is not installed (pip install qualitative-coding)")
def test_qc_imports_the_codings_on_their_lines(exported, tmp_path):
    _, path = exported
    expected = set()
    for name, text, sel, doc in selections(path):
        users = {u.get("guid"): u.get("name") for u in doc.iter(Q + "User")}
        codes = {c.get("guid"): c.get("name") for c in doc.iter(Q + "Code")}
        line = text.count("\n", 0, int(sel.get("startPosition")))
        for coding in sel.iter(Q + "Coding"):
            code = codes[coding.find(Q + "CodeRef").get("targetGUID")]
            expected.add((f"{name}.txt", line, code, users[coding.get("creatingUser")]))
    qc = Path(shutil.which("qc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONBREAKPOINT"] = "0"  # qc 1.7.8's importer has a stray breakpoint() call
    into = tmp_path / "qc-project"
    into.mkdir()
    run = subprocess.run([str(qc), "init", "--import", str(path)], cwd=into, capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    python = qc.parent / "python"
    rows = subprocess.run([str(python if python.exists() else "python"), "-c", QC_READ], cwd=into,
                          capture_output=True, text=True, env=env, timeout=300)
    assert rows.returncode == 0, rows.stderr
    got = set()
    for line in rows.stdout.splitlines():
        if not line.startswith("ROW "):
            continue  # qc's own log lines
        values = json.loads(line[4:])
        file = next(v for v in values if v.endswith(".txt"))
        number = next(int(v) for v in values if v.isdigit())
        rest = [v for v in values if v not in (file, str(number))]
        got.add((file, number, *rest))
    assert {(f, n) for f, n, *_ in got} == {(f, n) for f, n, *_ in expected}
    assert {frozenset(map(str, r)) for r in got} == {frozenset(map(str, e)) for e in expected}
