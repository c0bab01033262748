"""Undo shows what it changes, in its own transcript; a transcript reopens where the coder left off."""

from __future__ import annotations

from coder.core.project import Project
from tests.ui.conftest import CODER, ready
from tests.ui.drawn import selected_text as quote
from tests.ui.drawn import shown_selection

P01, P02 = "p01-interview", "p02-interview"


async def open_other(pilot, tid: str) -> None:
    pilot.app.screen.open_transcript(tid)
    await ready(pilot)


async def test_undo_of_a_coding_in_another_transcript_opens_it_and_selects_it(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.screen.tid == P01
        await pilot.press("j", "1")  # "I was very shy at first." coded in P01
        await pilot.pause()
        await open_other(pilot, P02)
        assert app.screen.tid == P02
        await pilot.press("u")
        await ready(pilot)
        assert Project.open(project_root).codings(CODER) == []
        assert app.screen.tid == P01  # the transcript where the change happened is shown
        assert quote(app) == shown_selection(app) == "I was very shy at first."
        assert any(f"in {P01}" in n.message for n in app._notifications)
        await open_other(pilot, P02)
        await pilot.press("U")  # redo, likewise
        await ready(pilot)
        (coding,) = Project.open(project_root).codings(CODER)
        assert app.screen.tid == P01 and quote(app) == shown_selection(app) == coding.quote


async def test_undo_here_stays_here(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j", "1", "j", "j", "u")
        await ready(pilot)
        assert app.screen.tid == P01
        assert quote(app) == shown_selection(app) == "I was very shy at first."


async def test_a_transcript_reopens_at_the_coders_last_position_even_after_a_restart(build):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("end")
        await pilot.pause()
        await open_other(pilot, P02)
        await open_other(pilot, P01)
        assert quote(app) == shown_selection(app) == "I sleep better too."
        await pilot.press("k", "k")
        await pilot.pause()
        left_at = quote(app)
    app = build()  # a restart
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.screen.tid == P01
        assert quote(app) == shown_selection(app) == left_at
    other = build(coder="someone-else")  # positions are each coder's own
    async with other.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert quote(other) == "My neighbour told me about it."
