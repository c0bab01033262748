"""Reported quotes from the workbench: Q edits the publication version of the coding here,
checked as it is typed as `coder quote` checks it, and saved to the log before it says so."""

from __future__ import annotations

from textual.widgets import Label, TextArea

from coder.core.project import Project
from coder.core.reported import check_reported
from coder.ui.screens.dialogs import LongTextDialog
from tests.ui.conftest import log_events, ready

SPOKEN = "My neighbour told me about it."


def _check(app) -> str:
    return str(app.screen.query_one("#dialog-check", Label).render())


async def test_q_edits_the_reported_quote_checked_live_and_saved_to_the_log(build, project_root):
    app = build()
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "Q")
        await pilot.pause()
        assert isinstance(app.screen, LongTextDialog)
        area = app.screen.query_one(TextArea)
        assert area.text == SPOKEN and area.selected_text == ""  # prefilled, not selected
        await pilot.press(*" [Then] she left")
        await pilot.pause()
        assert area.text == SPOKEN + " [Then] she left"  # the first keystroke did not replace the quote
        try:
            check_reported(area.text, SPOKEN)
        except Exception as exc:  # the dialog shows the same refusal, word for word
            refusal = str(exc)
        assert _check(app) == refusal and "'she left' is not in the coded text" in refusal
        await pilot.press("ctrl+s")  # refused: nothing is saved and the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, LongTextDialog)
        assert not [e for e in log_events(project_root) if e["type"] == "report"]
        await pilot.press(*["backspace"] * len(" she left"), "ctrl+a")  # ctrl+a: start of the line, not select-all
        await pilot.press("delete", "delete", "delete", *"[The] ")
        await pilot.pause()
        assert area.text == "[The] neighbour told me about it. [Then]"
        assert _check(app).startswith("✓")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, LongTextDialog)
        (event,) = [e for e in log_events(project_root) if e["type"] == "report"]
        assert event["text"] == "[The] neighbour told me about it. [Then]"
        (coding,) = Project.open(project_root).codings("tester")
        assert coding.reported == event["text"]

        await pilot.press("Q")  # again: prefilled with the reported quote now
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "[The] neighbour told me about it. [Then]"
        await pilot.press("escape")
        await pilot.pause()


async def test_a_refusal_is_drawn_literally(build):
    app = build()
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "Q")
        await pilot.pause()
        await pilot.press(*" [bold]x[/bold")
        await pilot.pause()
        assert "unbalanced square brackets" in _check(app)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, LongTextDialog)


async def test_without_a_coding_here_q_says_so(build, project_root):
    app = build()
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("Q")
        await pilot.pause()
        assert not isinstance(app.screen, LongTextDialog)
        assert any("reported quote belongs to a coding" in str(n.message) for n in app._notifications)
