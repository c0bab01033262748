"""Small things a researcher tripped over: whom V offers, what the codebook counts mean, which coder
X exports, and what a broken codebook looks like."""

from __future__ import annotations

import json

from textual.command import CommandList

from coder.core.project import Project
from tests.ui.conftest import ready
from tests.ui.test_hostile_text import screen_text


def prompts(app) -> list[str]:
    return [str(o.prompt).split("\n")[0] for o in app.screen.query_one(CommandList).options]


async def test_reconcile_offers_only_coders_of_this_transcript(build, project_root):
    project = Project.open(project_root)
    for coder, tid in (("ben", "p02-interview"), ("cy", "p01-interview")):
        segment = project.transcript(tid).segments[1]
        project.apply(coder, tid, "confidence", segment.start, segment.end)
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert app.screen.tid == "p01-interview"
        await pilot.press("V")
        await ready(pilot)
        assert prompts(app) == ["cy"]


async def test_codebook_counts_are_labelled(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("j", "1")
        await pilot.pause(0.3)
        tree = app.screen.query_one("#codebook")
        shown = screen_text(app)
        assert "Confidence 1/1" in shown and "Codebook · your uses here/all" in shown
        assert "this transcript / in all transcripts" in str(tree.tooltip)


async def test_export_offers_one_coder_or_all_merged(build, project_root):
    project = Project.open(project_root)
    for coder in ("ben", "tester"):
        segment = project.transcript("p01-interview").segments[1]
        project.apply(coder, "p01-interview", "confidence", segment.start, segment.end)
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert "every coder's codings, merged" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "ben's codings only" in screen_text(app)
        await pilot.press("enter")
        await ready(pilot)
        manifest = json.loads(next(p for p in app.screen.files if p.name.startswith("manifest")).read_text())
        assert manifest["coders"] == ["ben"] and manifest["coders_merged"] is False
        await pilot.press("c", "c")
        await pilot.pause()
        assert "every coder's codings, merged" in screen_text(app)


async def test_example_dialog_keeps_the_quote_when_typing_starts(build, project_root):
    from textual.widgets import Input

    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        quote = app.screen.quote
        await pilot.press("e")
        await pilot.pause(0.3)
        await pilot.press("enter")  # the first code offered
        await pilot.pause(0.3)
        await pilot.press("backspace", "!")  # edit the end: the quote is not selected, so not replaced
        assert app.screen.query_one(Input).value == quote[:-1] + "!"


async def test_escape_in_a_changed_memo_asks_before_discarding(build, project_root):
    from textual.widgets import TextArea

    from coder.ui.screens.dialogs import ConfirmDialog, LongTextDialog

    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # back to the memo, text intact
        await pilot.pause()
        assert isinstance(app.screen, LongTextDialog)
        assert app.screen.query_one(TextArea).text == "half a thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [m.text for m in Project.open(project_root).memos("transcript", "p01-interview")] == ["half a thought"]
        await pilot.press("m", "escape")  # unchanged: escape just closes
        await pilot.pause()
        assert app.screen.id == "coding"
        await pilot.press("m", "x", "escape", "y")  # changed, and the researcher says discard
        await pilot.pause()
        assert app.screen.id == "coding"
        assert [m.text for m in Project.open(project_root).memos("transcript", "p01-interview")] == ["half a thought"]
