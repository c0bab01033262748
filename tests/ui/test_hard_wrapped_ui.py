"""A hard-wrapped transcript in the workbench: it reads as running text, and search finds
phrases across the file's line breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import ready

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hard-wrapped-interview.txt"


def drawn_rows(app) -> list[str]:
    view = app.screen.view
    return ["".join(seg.text for seg in view.render_line(y)).rstrip() for y in range(view.size.height)]


async def test_search_crosses_line_breaks_and_the_text_reflows(build, project_root):
    (project_root / "transcripts" / "p01-interview.md").unlink()
    shutil.copy(FIXTURE, project_root / "transcripts" / "p01-interview.txt")
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        rows = drawn_rows(app)
        # the file breaks "...Could you start by telling me\nhow you first came..." after 81 characters;
        # at this width the words run on to the edge of the view
        assert any("telling me how you first came" in row for row in rows), rows
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"Computer Corner", "enter")
        await ready(pilot)
        text = app.screen.transcript.text
        assert len(app.screen.matches) == 3
        assert any("\n" in text[a:b] for a, b in app.screen.matches)
        start, end = app.screen.span
        assert "computer corner" in " ".join(text[start:end].split())
