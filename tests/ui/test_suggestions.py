"""Suggestions on the coding screen: loaded in a worker, accepted or rejected from the keyboard."""

from __future__ import annotations

from coder.core.project import Project
from tests.ui.conftest import CODER, log_events, ready


async def test_accept_and_reject_a_suggestion(build, project_root):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen._model_status() == "ready"
        await pilot.press("right_curly_bracket", "right_curly_bracket")  # "I learned to use Zoom…"
        await ready(pilot)
        assert screen.suggestions, "the fake model suggests something for every sentence"
        top = screen.suggestions[0]
        await pilot.press("enter")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert coding.code == top.code
        assert coding.origin.kind == "suggestion" and coding.origin.rank == 1
        await pilot.press("j")
        await ready(pilot)
        rejected = screen.suggestions[0]
        await pilot.press("x")
        await pilot.pause()
        events = log_events(project_root)
        assert any(e.get("code") == rejected.code and "reject" in str(e.get("type", e.get("kind", "")))
                   for e in events)
        assert rejected not in screen.suggestions


async def test_choose_the_second_suggestion_from_the_list(build, project_root):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await ready(pilot)
        second = app.screen.suggestions[1]
        await pilot.press("s", "down", "enter")
        await pilot.pause()
        (coding,) = Project.open(project_root).codings(CODER)
        assert (coding.code, coding.origin.rank) == (second.code, 2)


async def test_a_colleagues_coding_does_not_hide_that_code_from_me(build, project_root):
    """Suggestions leave out only the codes this coder applied here: in a team, a code a
    colleague gave this sentence is still offered to me (it is my judgement they compare)."""
    async with build().run_test(size=(120, 30)) as pilot:  # find the sentence and its top code
        await ready(pilot)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await ready(pilot)
        screen = pilot.app.screen
        tid, (start, end), top = screen.tid, screen.span, screen.suggestions[0].code
    colleague = Project.open(project_root)
    colleague.apply("bea", tid, top, start, end)
    colleague.close()
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.span == (start, end), "the workbench resumes where I was"
        assert top in {s.code for s in screen.suggestions}
        await pilot.press("enter")  # now I code it myself: it is no longer offered to me
        await ready(pilot)
        assert top not in {s.code for s in screen.suggestions}
