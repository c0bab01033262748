"""Orphan review: a coded sentence disappears from the transcript file; the researcher decides."""

from __future__ import annotations

from textual.widgets import DataTable

from coder.core.project import Project
from tests.ui.conftest import CODER, log_events, ready


async def code_then_edit(build, project_root, replacement: str) -> None:
    """Code "I was very shy at first." with key 1, quit, then change that sentence in the file."""
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j", "1")
        await pilot.pause()
    path = project_root / "transcripts" / "p01-interview.md"
    path.write_text(path.read_text(encoding="utf-8").replace("I was very shy at first.", replacement),
                    encoding="utf-8")


async def test_orphan_is_listed_and_discarded(build, project_root):
    await code_then_edit(build, project_root, "Honestly the group changed everything for me.")
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.screen.codings == []  # not silently shifted onto other text
        await pilot.press("R")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "I was very shy at first." in str(table.get_row_at(0)[3])
        await pilot.press("d")
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("escape")
        await pilot.pause()
    assert Project.open(project_root).orphans(CODER) == []


async def test_orphan_is_replaced_at_its_candidate(build, project_root):
    await code_then_edit(build, project_root, "At first I was ever so shy.")
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert "I was ever so shy." in str(app.screen.query_one("#orphans-detail").render())
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
    events = [e["type"] for e in log_events(project_root)]
    assert events[-1] == "reanchor"
    project = Project.open(project_root)
    (coding,) = project.codings(CODER)
    assert project.transcript(coding.transcript).text[coding.start:coding.end] == "I was ever so shy."


async def test_approximate_re_placements_are_listed_announced_and_can_be_confirmed_or_viewed(build, project_root):
    await code_then_edit(build, project_root, "I was very, very shy at first.")
    project = Project.open(project_root)
    assert project.orphans(CODER) == [] and len(project.to_review(CODER)) == 1
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        # Opening the transcript says that something in it needs a look, and how to get there.
        assert any("1 coding in p01-interview needs review" in n.message and "R" in n.message
                   for n in app._notifications)
        await pilot.press("R")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        row = [str(c) for c in table.get_row_at(0)]
        assert row[2] == "moved (fuzzy)" and "I was very, very shy" in row[4]
        await pilot.press("v")  # view it: back in the workbench with that place selected
        await ready(pilot)
        start, end = app.screen.span
        assert app.screen.transcript.text[start:end] == "I was very, very shy at first."
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("enter")  # confirm it where it is
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
    assert Project.open(project_root).to_review(CODER) == []
    assert log_events(project_root)[-1]["type"] == "reanchor"
