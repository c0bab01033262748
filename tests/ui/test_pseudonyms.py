"""The identifier review screen: candidates in context, decisions saved to the project."""

from __future__ import annotations

from textual.widgets import DataTable

from coder.core.project import Project
from tests.ui.conftest import ready


async def test_review_lists_candidates_and_saves_decisions(build, project_root):
    path = project_root / "transcripts" / "p01-interview.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "My neighbour told me", "My neighbour [bold]Rhys[/bold] at 12 Calder Road told me"), encoding="utf-8")
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("I")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        texts = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "Ana" in texts and "12 Calder Road" in texts
        row = texts.index("12 Calder Road")
        table.move_cursor(row=row)
        await pilot.pause()
        detail = str(app.screen.query_one("#pseudonyms-detail").render())
        assert "[bold]Rhys[/bold]" in detail and "12 Calder Road" in detail  # drawn literally, not as markup
        await pilot.press("x")
        await pilot.pause()
        assert str(table.get_row_at(row)[5]) == "reject"
        ana = texts.index("Ana")
        table.move_cursor(row=ana)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"[Participant]", "enter")
        await pilot.pause()
        assert str(table.get_row_at(ana)[4]) == "[Participant]"
        assert str(table.get_row_at(ana)[5]) == "accept-everywhere"
        await pilot.press("escape")
        await pilot.pause()
    decisions = Project.open(project_root).pseudonym_decisions()
    assert decisions.get("p01-interview", "12 Calder Road").decision == "reject"
    ana = decisions.get("any-later-transcript", "Ana")
    assert ana.decision == "accept-everywhere" and ana.replacement == "[Participant]"
