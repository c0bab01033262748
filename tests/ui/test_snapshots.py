"""A curated set of screens at fixed sizes, in the light and dark themes.

Regenerate after an intended change with ``pytest tests/ui --snapshot-update``
and review the SVGs in ``tests/ui/__snapshots__/``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from coder.core.project import Project
from tests.ui.conftest import CODER, ready

THEMES = ["textual-dark", "textual-light"]


def prepare(theme: str, *keys: str):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await ready(pilot)
        for field in pilot.app.screen.query(Input):  # a blinking cursor would make the image depend on timing
            field.cursor_blink = False
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def code_some(root) -> None:
    project = Project.open(root)
    transcript = project.transcript("p01-interview")
    first, second = transcript.segments[1], transcript.segments[2]
    project.apply(CODER, "p01-interview", "confidence", first.start, second.end)
    project.apply(CODER, "p01-interview", "new-skills", second.start, second.end)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_coding_screen(snap_compare, build, project_root, theme, size):
    code_some(project_root)
    assert snap_compare(build(), terminal_size=size, run_before=prepare(theme, "j"))


@pytest.mark.parametrize("theme", THEMES)
def test_palette_open(snap_compare, build, theme):
    assert snap_compare(build(), terminal_size=(100, 30), run_before=prepare(theme, "ctrl+p"))


def test_apply_code_picker(snap_compare, build):
    keys = ("a", "c", "o", "n")
    assert snap_compare(build(), terminal_size=(100, 30), run_before=prepare("textual-dark", *keys))


@pytest.mark.parametrize("theme", THEMES)
def test_codebook_screen(snap_compare, build, theme):
    assert snap_compare(build(), terminal_size=(120, 36), run_before=prepare(theme, "b", "down", "down"))


@pytest.mark.parametrize("theme", THEMES)
def test_orphan_review(snap_compare, build, project_root, theme):
    code_some(project_root)
    path = project_root / "transcripts" / "p01-interview.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "I was very shy at first. Now I run the Tuesday session myself.",
        "Honestly the group changed everything for me."), encoding="utf-8")
    assert snap_compare(build(), terminal_size=(120, 30), run_before=prepare(theme, "R"))


@pytest.mark.parametrize("theme", THEMES)
def test_help_screen(snap_compare, build, theme):
    assert snap_compare(build(), terminal_size=(120, 50), run_before=prepare(theme, "question_mark"))


def test_transcript_list(snap_compare, build):
    assert snap_compare(build(), terminal_size=(120, 30), run_before=prepare("textual-dark", "t"))
