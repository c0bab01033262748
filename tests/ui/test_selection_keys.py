"""Adjusting a selection word by word and clause by clause: what gets coded is what was meant."""

from __future__ import annotations

from coder.core.project import Project
from tests.ui.conftest import CODER, ready

CLAUSES = "Well, at first I was shy; now I run the Tuesday session, most weeks."


def quote(app) -> str:
    start, end = app.screen.span
    return app.screen.transcript.text[start:end]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def with_clauses(root):
    """P01's second sentence rewritten with commas and a semicolon in it."""
    path = root / "transcripts" / "p01-interview.md"
    path.write_text(path.read_text(encoding="utf-8").replace("I was very shy at first.", CLAUSES),
                    encoding="utf-8")


async def test_trimmed_words_can_be_given_back_one_at_a_time(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("J")  # "My neighbour told me about it. I was very shy at first."
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert quote(app).endswith("I was very")
        await pilot.press("greater_than_sign")  # one word back at the end
        assert quote(app).endswith("I was very shy")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert quote(app).startswith("told me")
        await pilot.press("less_than_sign")
        assert quote(app).startswith("neighbour told")
        await pilot.press("2")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert coding.quote == "neighbour told me about it. I was very shy"


async def test_giving_back_with_nothing_trimmed_changes_nothing_and_says_so(build):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        before = app.screen.sel
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.screen.sel == before
        assert any("No word trimmed at the start" in m for m in notices(app))


async def test_trim_to_clause_boundaries(build, project_root):
    with_clauses(project_root)
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        assert quote(app) == CLAUSES
        await pilot.press("right_parenthesis")  # the end back to the previous clause
        assert quote(app) == "Well, at first I was shy; now I run the Tuesday session,"
        await pilot.press("right_parenthesis")
        assert quote(app) == "Well, at first I was shy;"
        await pilot.press("left_parenthesis")  # the start on to the next clause
        assert quote(app) == "at first I was shy;"
        await pilot.press("left_parenthesis")  # no boundary left inside: unchanged, and said
        await pilot.pause()
        assert quote(app) == "at first I was shy;"
        assert any("No clause boundary" in m for m in notices(app))
        await pilot.press("greater_than_sign")  # word by word from there
        assert quote(app) == "at first I was shy; now"
        await pilot.press("1")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert coding.quote == "at first I was shy; now"


async def test_clause_keys_span_sentences(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("J", "J")  # three sentences: full stops are clause boundaries too
        await pilot.press("right_parenthesis")
        assert quote(app) == "My neighbour told me about it. I was very shy at first."
        await pilot.press("left_parenthesis")
        assert quote(app) == "I was very shy at first."
