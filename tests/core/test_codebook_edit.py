"""Editing the codebook from the app changes only the changed value: every other line, comment and
quoting style stays as the researcher wrote it."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import HealthCheck
from hypothesis import strategies as st

from coder.core.codebook_edit import add_example, set_definition

REPO = Path(__file__).resolve().parents[2]

CODEBOOK = """\
# Styles of every kind, and lines longer than any sensible wrapping width, must all survive.
name: Styles   # a comment after a value
codes:
  - id: folded
    name: Folded
    definition: >
      A folded definition that runs on and on, well past eighty columns, past one hundred too, and on.
    examples:
      - 'Single quoted, with a long tail that goes well beyond one hundred characters of text in the file.'
      - 'It''s quoted the single way.'   # why this one
  - id: literal
    name: Literal
    definition: |
      Line one of a literal definition.
      Line two.
    examples:
      - "Double quoted [Now] \\"inner\\" quote."
      - "Another double."
    children:
      - id: plain
        name: Plain
        definition: A plain definition
        examples:
          - plain example one
          - plain example two
      - id: bare
        name: Bare
        definition: 'Single quoted definition.'
        children:
          - id: leaf
            name: Leaf
            definition: "Double quoted definition."
  - {id: flow, name: Flow, definition: In a flow mapping, examples: ["a", "b"]}
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "codebook.yaml"
    p.write_text(CODEBOOK, encoding="utf-8")
    return p


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines)."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def code(path: Path, code_id: str) -> dict:
    def find(items):
        for item in items or []:
            if item["id"] == code_id:
                return item
            found = find(item.get("children"))
            if found:
                return found
    return find(yaml.safe_load(path.read_text(encoding="utf-8"))["codes"])


@pytest.mark.parametrize("code_id, added", [
    ("folded", "      - 'A new quote, it''s [laughs] here.'"),
    ("literal", '      - "A new quote, it\'s [laughs] here."'),
    ("plain", "          - A new quote, it's [laughs] here."),
])
def test_a_new_example_is_one_new_line_in_the_codes_own_style(path, code_id, added):
    add_example(path, code_id, "A new quote,  it's [laughs] here.")
    removed, new = changes(CODEBOOK, path.read_text(encoding="utf-8"))
    assert removed == [] and new == [added]
    assert code(path, code_id)["examples"][-1] == "A new quote, it's [laughs] here."


def test_a_first_example_goes_before_the_children_in_the_files_usual_style(path):
    add_example(path, "bare", 'She said "yes": done # not a comment')
    removed, new = changes(CODEBOOK, path.read_text(encoding="utf-8"))
    assert removed == []
    assert new == ["        examples:", '          - "She said \\"yes\\": done # not a comment"']  # double, as most
    assert code(path, "bare")["examples"] == ['She said "yes": done # not a comment']
    assert code(path, "leaf")["definition"] == "Double quoted definition."


def test_a_first_example_at_the_end_of_a_code(path):
    add_example(path, "leaf", "Last words.")
    removed, new = changes(CODEBOOK, path.read_text(encoding="utf-8"))
    assert removed == [] and new == ["            examples:", '              - "Last words."']


def test_an_example_already_there_changes_nothing(path):
    add_example(path, "plain", "plain example one")
    assert path.read_text(encoding="utf-8") == CODEBOOK


@pytest.mark.parametrize("code_id, new", [
    ("folded", ["      A sharper definition [b] with: a colon."]),
    ("literal", ["      A sharper definition [b] with: a colon."]),
    ("plain", ['        definition: "A sharper definition [b] with: a colon."']),
    ("bare", ["        definition: 'A sharper definition [b] with: a colon.'"]),
    ("leaf", ['            definition: "A sharper definition [b] with: a colon."']),
])
def test_a_definition_is_replaced_in_its_own_style(path, code_id, new):
    set_definition(path, code_id, "A sharper definition [b] with: a colon.")
    removed, added = changes(CODEBOOK, path.read_text(encoding="utf-8"))
    assert added == new and len(removed) in (1, 2)
    assert code(path, code_id)["definition"].strip() == "A sharper definition [b] with: a colon."


def test_paragraphs_survive_a_folded_definition(path):
    set_definition(path, "folded", "First paragraph.\nSecond paragraph.")
    assert code(path, "folded")["definition"].strip() == "First paragraph.\nSecond paragraph."
    assert "# why this one" in path.read_text(encoding="utf-8")


def test_a_flow_style_code_still_gets_the_right_values(path):
    add_example(path, "flow", "c")
    set_definition(path, "flow", "New")
    assert code(path, "flow")["examples"] == ["a", "b", "c"] and code(path, "flow")["definition"] == "New"
    assert code(path, "folded")["examples"][1] == "It's quoted the single way."


def test_the_sample_codebook_changes_by_one_line(tmp_path):
    sample = tmp_path / "sample.yaml"
    shutil.copy(REPO / "codebooks" / "social-determinants.yaml", sample)
    before = sample.read_text(encoding="utf-8")
    add_example(sample, "confidence", "[Now] I run the Tuesday session myself.")
    removed, added = changes(before, sample.read_text(encoding="utf-8"))
    assert removed == [] and len(added) == 1 and "[Now] I run the Tuesday session myself." in added[0]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
       .filter(lambda s: s.split()))
def test_any_quote_is_added_as_one_line_and_reads_back(tmp_path, quote):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    add_example(path, "literal", quote)
    removed, added = changes(CODEBOOK, path.read_text(encoding="utf-8"))
    assert removed == [] and len(added) == 1
    assert code(path, "literal")["examples"][-1] == " ".join(quote.split())
