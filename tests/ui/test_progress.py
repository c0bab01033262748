"""Progress counts the participants' sentences; an interviewer's may be coded, and the status bar says so."""

from __future__ import annotations

from textual.widgets import DataTable

from coder.core.project import Project
from tests.ui.conftest import CODER, ready


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_coding_every_participant_sentence_reaches_100_percent(build, project_root):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert "0/8 coded" in status(app)  # Ana's eight sentences; the interviewer's three do not count
        for _ in range(8):
            await pilot.press("1", "g")
            await pilot.pause()
        assert "8/8 coded" in status(app)
        await pilot.press("t")
        await ready(pilot)
        table = app.screen.query_one(DataTable)
        assert str(table.get_cell("p01-interview", "coded")) == "8/8 100%"


async def test_an_interviewer_sentence_can_be_coded_and_the_status_bar_says_whose_it_is(build, project_root):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert "interviewer" not in status(app)
        await pilot.press("home")  # "How did you first hear about the group?"
        await pilot.pause()
        assert "interviewer's turn" in status(app)
        await pilot.press("1")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert coding.quote == "How did you first hear about the group?"
        assert "0/8 coded" in status(app) and "interviewer's turn" in status(app)
        await pilot.press("j")
        await pilot.pause()
        assert "interviewer" not in status(app)
