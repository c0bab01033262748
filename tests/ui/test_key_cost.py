"""What a move of the selection costs: the highlight at once, the panels after, no layout pass
for panels whose size stays the same (a layout pass repaints much of the screen)."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from coder.ui.widgets.code_detail import CodeDetail
from coder.ui.widgets.footer import KeyFooter, _signature
from coder.ui.widgets.status_bar import StatusBar
from coder.ui.widgets.suggestions import SuggestionList
from coder.ui.widgets.transcript_view import TranscriptView
from tests.ui.conftest import ready


@pytest.fixture
def layouts(monkeypatch):
    """The widgets that asked for a layout pass, in order."""
    asked: list[Widget] = []
    refresh = Widget.refresh

    def counting(self, *regions, repaint=True, layout=False, recompose=False):
        if layout:
            asked.append(self)
        return refresh(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

    monkeypatch.setattr(Widget, "refresh", counting)
    return asked


async def test_panels_redraw_in_place_when_their_size_stays(build, layouts):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await ready(pilot)
        found = screen.suggestions
        assert len(found) >= 2, "the fake model suggests something for every sentence"
        box, bar, detail = screen.query_one(SuggestionList), screen.query_one(StatusBar), screen.query_one(CodeDetail)
        height = box.size.height
        text = detail.query_one("#code-detail-text", Static)
        layouts.clear()

        box.show(found[::-1], "ready", screen.codebook)  # as many lines, other content
        bar.show(replace(bar._status, state="✓ something else"))
        codebook = screen.codebook
        first, second = codebook.codes[:2]
        detail.show(first, codebook, heading="A")
        await pilot.pause()
        lines = text.size.height
        layouts.clear()
        detail.show(first, codebook, heading="B")  # the same height
        await pilot.pause()
        assert [w for w in layouts if w in (box, bar, detail, text)] == []
        assert box.size.height == height
        assert "✓ something else" in str(bar.render())
        assert detail.text.startswith("B\n")

        memos = [("Confidence", "a long memo " * 40)]  # taller: the panel lays itself out again
        detail.show(first, codebook, heading="B", memos=memos)
        await pilot.pause()
        assert text in layouts
        assert text.size.height > lines
        assert "a long memo" in detail.text

        layouts.clear()  # back to a shorter text: its box keeps the height, nothing is laid out
        detail.show(first, codebook, heading="A")
        await pilot.pause()
        assert [w for w in layouts if w in (detail, text)] == []
        assert detail.text.startswith("A\n")

        box.show([], "ready", screen.codebook)  # fewer lines (here none): the list keeps its height
        await pilot.pause()
        assert [w for w in layouts if w is box] == []
        assert box.size.height == height
        assert "no suggestions here" in str(box.get_option_at_index(0).prompt)

        box.show([], "error: the model stopped", None)  # no model any more: one line, as height: auto did
        await pilot.pause()
        assert box.size.height < height


async def test_the_highlight_moves_at_once_and_the_panels_follow(build):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await ready(pilot)
        assert screen.suggestions
        view = screen.query_one(TranscriptView)
        here = screen.sel.cursor
        for step in (1, 2, 1, 0):  # a burst of moves, as key repeat makes, before any frame is drawn
            screen.select_segment(here + step)
            assert view._selection == screen.span, "the highlight is where a code would go, at once"
            assert screen.suggestions == [], "the last sentence's suggestions can no longer be acted on"
        assert screen._panels_due
        await ready(pilot)
        assert not screen._panels_due
        assert screen.suggestions, "the panels caught up with the last move"
        shown = [str(screen.query_one(SuggestionList).get_option_at_index(i).prompt)
                 for i in range(len(screen.suggestions))]
        assert all(str(i) in line.split()[0] for i, line in enumerate(shown, 1))


async def test_the_footer_changes_only_the_keys_that_come_and_go(build):
    """Through every footer state (coded: undo shows; extended; trimmed; back), the footer shows
    exactly what a rebuilt footer would, and the keys that stay are the same widgets, untouched."""
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        footer = app.screen.query_one(KeyFooter)
        for keys in (("1",), ("J",), ("right_square_bracket",), ("escape",), ("u",)):
            before = {w.key: w for w in footer.query(FooterKey)}
            await pilot.press(*keys)
            await ready(pilot)
            after = {w.key: w for w in footer.query(FooterKey)}
            assert [_signature(w) for w in footer.children] == [_signature(w) for w in footer.fresh_items()], keys
            kept = [key for key in after if key in before and _signature(after[key]) == _signature(before[key])]
            assert kept and all(after[key] is before[key] for key in kept), keys
            if keys == ("1",):
                assert "u" in after and "u" not in before, "undo shows once there is something to undo"


async def test_what_the_workbench_loaded_stays_out_of_full_collections_until_it_closes(build):
    """Full garbage collections walking the libraries and the open transcript held the screen
    for a quarter second: those objects are frozen once loaded, and handed back on exit."""
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.screen.transcript is not None
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
