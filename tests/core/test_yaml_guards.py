"""Hostile YAML costs nothing: an alias "bomb" (9 lines that expand to ~400 million items), a
self-referencing anchor or absurd nesting is refused at its line, fast and in little memory,
in every kind of YAML file coder reads."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from coder.core.codebook_edit import add_example
from coder.core.codings.identity import resolve_coder
from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.refi.importer import _source_metadata
from coder.core.refi.writer import METADATA_MARK
from coder.core.yamlfile import MAX_DEPTH, parse_yaml, safe_load
from coder.ui.settings import load_settings, remember_coder

REPO = Path(__file__).resolve().parents[2]

ANCHORS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi"))
BOMB_LINE = 5  # the alias that first takes the expansion past the bound (*d on the line of e:)


def refused_fast(action) -> CoderError:
    """Run ``action``; it must raise CoderError within a second and well under 50 MB."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        with pytest.raises(CoderError) as err:
            action()
    finally:
        elapsed = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    assert peak < 50e6, f"peaked at {peak / 1e6:.0f} MB"
    return err.value


@pytest.fixture
def root(tmp_path: Path) -> Path:
    Project.init(tmp_path / "study")
    return tmp_path / "study"


def bomb_under(key: str, indent: str = "") -> str:
    """The anchors as a hidden key, then ``key: *i``: the bomb as one value."""
    body = "".join(indent + "  " + line for line in ANCHORS.splitlines(keepends=True))
    return f"{indent}x-anchors:\n{body}{indent}{key}: *i\n"


def first_error(project: Project) -> str:
    errors = [p for p in project.check() if p.severity.name == "ERROR"]
    assert errors
    return f"{errors[0].file}:{errors[0].line}: {errors[0].message}"


def test_a_bomb_as_a_value_in_coder_yaml_is_refused_at_its_line(root):
    (root / "coder.yaml").write_text(bomb_under("name"), encoding="utf-8")
    err = refused_fast(lambda: Project.open(root))
    assert err.file.endswith("coder.yaml") and err.line == BOMB_LINE + 1
    assert "alias" in err.message and err.hint


@pytest.mark.parametrize("key", ["name", "definition"])
def test_a_bomb_as_a_codes_name_or_definition_is_refused(root, key):
    path = root / "codebooks" / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    # the anchors in a top-level key, the alias as the first code's name or definition
    text = bomb_under("x-unused") + text.replace(f"    {key}: ", f"    {key}: *i\n    x-was-{key}: ", 1)
    path.write_text(text, encoding="utf-8")
    project = Project.open(root)
    message = refused_fast(lambda: project.codebook).message
    assert "alias" in message
    assert "codebook.yaml:" in first_error(project)


def test_a_bomb_in_the_outcomes_wording_is_refused(root):
    path = root / "transcripts" / "outcomes.yaml"
    path.write_text(bomb_under("x") + path.read_text(encoding="utf-8").replace("wording: Replace with the question as asked.", "wording: *i"), encoding="utf-8")
    project = Project.open(root)
    assert "outcomes.yaml:" in first_error(project) and "alias" in first_error(project)


def test_a_bomb_in_front_matter_is_refused_at_the_files_line(root):
    path = root / "transcripts" / "p1.md"
    path.write_text("---\n" + bomb_under("title") + "---\nInterviewer: Hello.\n\nAna: Hi.\n", encoding="utf-8")
    project = Project.open(root)
    err = refused_fast(lambda: project.transcript("p1"))
    assert err.line == BOMB_LINE + 2  # after the opening --- and the x-anchors: line


def test_a_bomb_in_a_sidecar_is_refused(root):
    (root / "transcripts" / "fg.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Hello there.\n", encoding="utf-8")
    (root / "transcripts" / "fg.yaml").write_text(bomb_under("title"), encoding="utf-8")
    project = Project.open(root)
    err = refused_fast(lambda: project.transcript("fg"))
    assert err.file.endswith("fg.yaml") and err.line == BOMB_LINE + 1


def test_a_bomb_in_the_user_settings_is_refused_by_every_reader(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(bomb_under("coder"), encoding="utf-8")
    for action in (lambda: load_settings(path), lambda: resolve_coder(env={}, settings_file=path),
                   lambda: remember_coder(path, "ana")):
        err = refused_fast(action)
        assert err.line == BOMB_LINE + 1
    assert path.read_text(encoding="utf-8") == bomb_under("coder")  # nothing was written


def test_editing_a_codebook_that_became_a_bomb_is_refused_before_it_is_loaded(root):
    path = root / "codebooks" / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8") + bomb_under("x-late"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    refused_fast(lambda: add_example(path, "example-theme", "A new quote."))
    assert path.read_text(encoding="utf-8") == before


def test_a_bomb_in_an_imported_projects_metadata_is_kept_as_plain_notes():
    warnings: list[str] = []
    meta = _source_metadata(METADATA_MARK + "\n" + bomb_under("title"), "src", warnings)
    assert list(meta) == ["notes"] and warnings


@pytest.mark.parametrize("text, what", [
    ("a: &a [1, *a]\n", "its own anchor"),
    ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nested"),
    ("a: &a " + "[" * 60 + "1" + "]" * 60 + "\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     "nested"),
])
def test_self_reference_and_deep_nesting_are_refused(text, what):
    assert what in refused_fast(lambda: parse_yaml(text, "f.yaml")).message


def test_ordinary_anchors_and_merge_keys_still_work():
    text = "base: &base {colour: '#4e79a7', key: '1'}\ncodes:\n  - <<: *base\n    id: a\n  - <<: *base\n    id: b\n"
    data = safe_load(text)
    assert [c["colour"] for c in data["codes"]] == ["#4e79a7", "#4e79a7"]
    data, problems = parse_yaml(text, "f.yaml")
    assert data["codes"][1]["id"] == "b" and not problems


def test_check_reports_a_bomb_in_coder_yaml_and_exits_2(root):
    (root / "coder.yaml").write_text(bomb_under("name"), encoding="utf-8")
    began = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "coder", "check", "-C", str(root)], capture_output=True,
                         text=True, cwd=REPO, timeout=60)
    assert run.returncode == 2, run.stderr
    assert f"coder.yaml:{BOMB_LINE + 1}:" in run.stderr and "Traceback" not in run.stderr
    assert time.perf_counter() - began < 30  # a process start; the refusal itself takes milliseconds
