"""`coder report`: writes the page and the Word file; a mistake is one line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coder", *args], cwd=REPO, capture_output=True, text=True)


def test_report_writes_the_page_and_the_word_file(tmp_path):
    result = run("report", "--out", str(tmp_path), "--min-cell", "5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "report.html"), str(tmp_path / "report.docx")]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "59% agreed they can influence decisions affecting their local area" in page
    assert "&#x27;&lt;5&#x27;" in page  # the suppression rule in the method notes
    assert "not marked done" in result.stderr


def test_report_mistakes_are_one_line_and_exit_2(tmp_path):
    result = run("report", "--out", str(tmp_path), "--min-cell", "-1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--min-cell must be 0 or more" in result.stderr
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("report", "--out", str(tmp_path / "file"), "--format", "html")
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr
    assert not (tmp_path / "report.html").exists()
