"""The export screen also writes the report: p gives the page and the Word document."""

from __future__ import annotations

from textual.widgets import Log

from tests.ui.conftest import ready


async def test_export_screen_writes_the_report(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert "p the report" in str(app.screen.query_one("#export-help").render())
        await pilot.press("p")
        await ready(pilot)
        names = [p.name for p in app.screen.files]
        assert names == ["report.html", "report.docx"]
        exports = app.project.config.exports
        assert (exports / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert "exports/report.docx" in "\n".join(app.screen.query_one(Log).lines)
