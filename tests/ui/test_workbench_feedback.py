"""What the workbench tells the researcher as they code: memos in the margin and the Code panel,
the code that fits an uncoded sentence, uncoded sentences found round the transcript, use counts
in the filter picker, which search match is selected, and an export bar idle until it runs."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import ProgressBar

from coder.core.project import Project
from tests.ui.conftest import CODER, ready


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def panel(app) -> str:
    return app.screen.query_one("#detail").text


def sentence(app) -> str:
    start, end = app.screen.span
    return app.screen.transcript.text[start:end]


async def test_a_memo_is_marked_in_the_margin_and_shown_in_the_code_panel(build, project_root):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("1", "m")
        await pilot.pause()
        await pilot.press(*"check with P01", "ctrl+s")
        await ready(pilot)
        (coding,) = Project.open(project_root).codings(CODER)
        assert coding.memo == "check with P01"
        view = app.screen.view
        assert [m.memo for m in view._marks] == [True]
        row = view.layout_lines.row_of(coding.start)
        assert "✎" in view._draw(row).text  # the margin of the line where the coding starts
        assert "✎ Memo on Confidence: check with P01" in panel(app)
        await pilot.press("j")  # elsewhere: no memo in the panel
        await ready(pilot)
        assert "Memo" not in panel(app)
        await pilot.press("k")
        await ready(pilot)
        assert "check with P01" in panel(app)


async def test_code_panel_shows_the_top_suggestion_on_an_uncoded_sentence(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.suggestions and not screen.codings_here()
        top = screen.codebook.get(screen.suggestions[0].code)
        assert "Top suggestion" in panel(app) and top.name in panel(app)
        assert top.definition.strip()[:40] in panel(app)
        await pilot.press("0")  # coded: the panel shows the code here instead
        await ready(pilot)
        assert "Top suggestion" not in panel(app) and "Here: Health and wellbeing" in panel(app)


async def test_code_panel_follows_the_codebook_while_browsing_it(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("c")  # focus the codebook
        await pilot.pause()
        tree = app.screen.query_one("#codebook")
        tree.select_code("community-power")
        await pilot.pause()
        assert "Community power" in panel(app) and "Influence over local decisions" in panel(app)


async def test_next_uncoded_wraps_to_the_start_and_previous_uncoded_goes_back(build, project_root):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert sentence(app) == "My neighbour told me about it."
        await pilot.press("1", "j", "2")  # the first two participant sentences coded
        await pilot.press("end")
        await ready(pilot)
        assert sentence(app) == "I sleep better too."
        await pilot.press("g")  # nothing further on: round to the first uncoded one
        await ready(pilot)
        assert sentence(app) == "Now I run the Tuesday session myself."
        assert "Wrapped to the start" in notices(app)
        app.clear_notifications()
        await pilot.press("G")  # nothing before it: round from the end
        await ready(pilot)
        assert sentence(app) == "I sleep better too."
        assert "Wrapped to the end" in notices(app)
        app.clear_notifications()
        await pilot.press("G")  # back, skipping the interviewer's turns
        await ready(pilot)
        assert sentence(app) == "My mood is much better."
        assert not notices(app)


async def test_filter_picker_counts_uses_in_this_transcript(build, project_root):
    project = Project.open(project_root)
    segments = project.transcript("p01-interview").segments
    for seg in segments[1:3]:
        project.apply(CODER, "p01-interview", "confidence", seg.start, seg.end)
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"confidence")
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Confidence (2)" in t and "used 2 times in this transcript" in t for t in titles)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.filter_code == "confidence"


async def test_status_says_which_search_match_is_selected(build):
    app = build()
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"about", "enter")  # in the question, in P01's first sentence, and the bus stop
        await ready(pilot)
        assert len(app.screen.matches) == 3
        assert "match 2/3" in status(app)  # the first match from the cursor on
        await pilot.press("n")
        assert "match 3/3" in status(app) and "bus stop" in sentence(app)
        await pilot.press("n")  # round to the first
        assert "match 1/3" in status(app) and "hear about the group" in sentence(app)
        await pilot.press("N")
        assert "match 3/3" in status(app)
        await pilot.press("j")  # moved off the match: just the count
        await pilot.pause()
        assert "3 matches" in status(app) and "match 3/3" not in status(app)


async def test_two_matches_in_one_sentence_are_visited_in_turn(build):
    app = build()
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"us", "enter")  # "listened to us about the bus stop": twice in one sentence
        await ready(pilot)
        seen = []
        for _ in range(len(app.screen.matches)):
            seen.append(app.screen.match_index)
            await pilot.press("n")
        assert sorted(seen) == list(range(len(app.screen.matches)))


async def test_export_bar_is_idle_until_an_export_runs(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("X")
        await pilot.pause()
        bar = app.screen.query_one(ProgressBar)
        assert bar.total is not None and bar.progress == 0  # empty, not the pulsing "working" bar
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.files and bar.total is not None and bar.progress == bar.total


async def test_export_screen_warns_when_transcripts_are_not_done(build):
    from textual.widgets import Log

    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter")
        await ready(pilot)
        lines = "\n".join(app.screen.query_one(Log).lines)
        assert "transcripts are not marked done" in lines
        await pilot.press("escape")
        await pilot.pause()
        for tid in app.project.transcript_ids():
            app.project.mark_done("tester", tid)
        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter")
        await ready(pilot)
        assert "not marked done" not in "\n".join(app.screen.query_one(Log).lines)
