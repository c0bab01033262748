"""Codebook YAML: loading, hierarchy, and a file:line problem for every kind of mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coder.core.codebook_file import load_codebook
from coder.core.errors import CoderError, Severity


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(problems):
    return [(p.line, p.message) for p in problems if p.severity is Severity.ERROR]


GOOD = """\
name: Test book
codes:
  - id: parent
    name: Parent
    definition: A parent theme.
    children:
      - id: child
        name: Child
        key: "1"
        colour: "#ff0000"
        definition: A child theme.
        examples: ["one", "two"]
        former_ids: [old-child]
  - id: flat
    name: Flat child
    parent: parent
    definition: Declared with parent.
    examples: ["three"]
"""


def test_nested_and_flat_hierarchy(tmp_path):
    book, problems = load_codebook(write(tmp_path, GOOD))
    assert errors(problems) == []
    assert [c.id for c in book.codes] == ["parent", "child", "flat"]
    assert book.path("child") == ["parent", "child"]
    assert book.level("flat") == 2
    assert [c.id for c in book.descendants("parent")] == ["child", "flat"]
    assert book.by_key("1").id == "child"
    assert book.get("old-child").id == "child"  # renamed codes keep their codings
    assert book.get("child").examples == ("one", "two")


def test_sample_codebook_is_clean(repo):
    path = repo / "codebooks" / "social-determinants.yaml"
    if not path.exists():
        pytest.fail("the sample codebook is missing")
    book, problems = load_codebook(path)
    assert problems == []
    leaves = [c for c in book.codes if c.parent is not None]
    assert {c.id for c in book.roots} == {"short-term", "longer-term"}
    for code in leaves:
        assert 5 <= len(code.examples) <= 10, code.id
        assert code.definition and code.include and code.exclude, code.id
    assert book.path("influence-decisions") == ["longer-term", "community-power", "influence-decisions"]


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("codes:\n  - id: a\n    name: A\n  - id: a\n    name: Again\n", 4, "duplicate code id 'a'"),
        ("codes:\n  - id: a\n    name: A\n    parent: nowhere\n", 2, "unknown parent 'nowhere'"),
        ("codes:\n  - id: a\n    name: A\n    parent: b\n  - id: b\n    name: B\n    parent: a\n", 2, "its own ancestor"),
        ("codes:\n  - id: a\n    name: A\n    key: x\n  - id: b\n    name: B\n    key: x\n", 5, "key 'x' of 'b' is already used by 'a'"),
        ("codes:\n  - id: a\n    name: A\n    colour: reddish\n", 4, "bad colour 'reddish'"),
        ("codes:\n  - id: a\n    name: ''\n", 3, "empty name"),
        ("codes:\n  - name: No id\n", 2, "without an `id`"),
        ("codes:\n  - id: a\n    name: A\n    name: B\n", 4, "duplicate key 'name'"),
        ("codes:\n  - id: has space\n    name: A\n", 2, "may only hold"),
        ("codes:\n  - id: a\n    name: A\n    key: ab\n", 4, "must be one character"),
    ],
)
def test_each_mistake_is_reported_with_its_line(tmp_path, text, line, fragment):
    _, problems = load_codebook(write(tmp_path, text))
    found = [p for p in problems if fragment in p.message]
    assert found, [str(p) for p in problems]
    assert found[0].line == line
    assert found[0].file.endswith("book.yaml")


def test_missing_definition_and_examples_are_warnings(tmp_path):
    _, problems = load_codebook(write(tmp_path, "codes:\n  - id: a\n    name: A\n"))
    assert {p.severity for p in problems} == {Severity.WARNING}
    assert any("no definition" in p.message for p in problems)
    assert any("no example quotes" in p.message for p in problems)


def test_broken_yaml_is_a_clear_error_with_line(tmp_path):
    path = write(tmp_path, "codes:\n  - id: a\n    name: [unclosed\n  - id: b\n")
    with pytest.raises(CoderError) as info:
        load_codebook(path)
    assert info.value.file.endswith("book.yaml")
    assert info.value.line in (3, 4)
    assert "YAML" in info.value.message


def test_not_a_codebook(tmp_path):
    with pytest.raises(CoderError, match="codes"):
        load_codebook(write(tmp_path, "- just\n- a list\n"))
