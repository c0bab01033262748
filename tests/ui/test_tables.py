"""Every list in the workbench: ``home``/``end`` move the cursor (not just the view), so ``enter``
opens the row that is highlighted on screen."""

from __future__ import annotations

from textual.app import App

from coder.ui.widgets.table import Table
from tests.ui.conftest import ready


class _Rows(App):
    def compose(self):
        yield Table(cursor_type="row")

    def on_mount(self):
        table = self.query_one(Table)
        table.add_column("n")
        table.add_rows([(str(i),) for i in range(200)])
        table.focus()


async def test_home_and_end_move_the_cursor_and_keep_it_in_view():
    app = _Rows()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(Table)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 199
        assert table.scroll_offset.y > 0 and table.cursor_row in range(int(table.scroll_offset.y),
                                                                      int(table.scroll_offset.y) + table.size.height)
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0


async def test_end_then_enter_in_the_transcript_list_opens_the_last_transcript(build):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.screen.tid == "p01-interview"
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("end", "enter")
        await ready(pilot)
        assert app.screen.tid == "p02-interview"
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("home", "enter")
        await ready(pilot)
        assert app.screen.tid == "p01-interview"
