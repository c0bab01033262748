"""Renaming and merging codes rewrites the codebook only: comments stay, codings follow by former_ids."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.project import Project
from tests.ui.conftest import CODER, write_project


def coded(tmp_path: Path) -> Project:
    project = Project.open(write_project(tmp_path / "p"))
    text = project.transcript("p01-interview").text
    for code, quote in [("confidence", "I was very shy at first."), ("new-skills", "I learned to use Zoom during lockdown."),
                        ("health-wellbeing", "My mood is much better.")]:
        start = text.index(quote)
        project.apply(CODER, "p01-interview", code, start, start + len(quote))
    return project


def log_bytes(project: Project) -> bytes:
    return (project.config.codings / f"{CODER}.jsonl").read_bytes()


def test_rename_keeps_comments_and_codings_follow(tmp_path):
    project = coded(tmp_path)
    before = log_bytes(project)
    book_before = project.config.codebook.read_text(encoding="utf-8").splitlines()
    project.rename_code("confidence", "self-belief")
    text = project.config.codebook.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(book_before, text.splitlines()) if line[:1] in "+-"]
    assert changed == ["-       - id: confidence", "+       - id: self-belief", "+         former_ids: [confidence]"]
    assert text.startswith("# Test codebook: comments must survive edits made from the app.")
    assert "id: self-belief" in text and "former_ids: [confidence]" in text
    assert not [p for p in project.check() if "not in the codebook" in p.message]
    assert [(r.code, r.coding.code) for r in project.query().find("self-belief")] == [("self-belief", "confidence")]
    assert {c.code: c.codings for c in project.query().stats()}["self-belief"] == 1
    assert log_bytes(project) == before  # no log line rewritten
    project.rename_code("self-belief", "confidence")  # and back again
    assert "former_ids: [self-belief]" in project.config.codebook.read_text(encoding="utf-8")


def test_merge_removes_the_codes_and_their_codings_follow(tmp_path):
    project = coded(tmp_path)
    before = log_bytes(project)
    project.merge_codes(["new-skills", "health-wellbeing"], "confidence")
    book = project.codebook
    assert "new-skills" in book and book.resolve("new-skills") == "confidence"
    assert [c.id for c in book.codes if c.id in ("new-skills", "health-wellbeing")] == []
    assert len(project.query().find("confidence")) == 3
    assert log_bytes(project) == before


@pytest.mark.parametrize("call, message", [
    (lambda p: p.rename_code("nope", "x"), "unknown code 'nope'"),
    (lambda p: p.rename_code("confidence", "new-skills"), "already taken by code 'new-skills'"),
    (lambda p: p.rename_code("confidence", "bad id"), "cannot be a code id"),
    (lambda p: p.merge_codes(["confidence"], "confidence"), "into itself"),
    (lambda p: p.merge_codes(["short-term"], "community-power"), "has sub-codes"),
])
def test_mistakes_leave_the_codebook_alone(tmp_path, call, message):
    project = coded(tmp_path)
    before = project.config.codebook.read_bytes()
    with pytest.raises(CoderError, match=message):
        call(project)
    assert project.config.codebook.read_bytes() == before
