"""The highlighted words on screen are the words the next code is applied to, after any event."""

from __future__ import annotations

import pytest

from coder.core.project import Project
from tests.ui.conftest import CODER, ready
from tests.ui.drawn import selected_text, shown_selection


@pytest.mark.parametrize("key", ["question_mark", "b", "t"])
async def test_highlight_follows_the_cursor_after_a_full_screen(build, project_root, key):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j", "j")
        await pilot.pause()
        assert shown_selection(app) == selected_text(app) == "Now I run the Tuesday session myself."
        await pilot.press("1")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert " ".join(coding.quote.split()) == shown_selection(app)


async def test_home_and_end_move_the_selection_not_just_the_scroll(build):
    app = build()
    async with app.run_test(size=(100, 16)) as pilot:
        await ready(pilot)
        await pilot.press("end")
        await pilot.pause()
        screen = app.screen
        assert screen.sel.cursor == len(screen.nav) - 1
        assert shown_selection(app) == selected_text(app) == "I sleep better too."
        await pilot.press("home")
        await pilot.pause()
        assert screen.sel.cursor == 0
        assert shown_selection(app) == selected_text(app)


async def test_accepting_a_suggestion_from_the_list_returns_to_the_transcript(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await ready(pilot)
        assert len(Project.open(project_root).codings(CODER)) == 1
        assert app.focused is app.screen.view
        before = app.screen.sel.cursor
        await pilot.press("j")
        await pilot.pause()
        assert app.screen.sel.cursor == before + 1
        assert shown_selection(app) == selected_text(app)
