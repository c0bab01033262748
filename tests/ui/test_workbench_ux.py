"""What a researcher sees while coding: undo shows where, the footer and status follow the selection,
filtered passages read as paragraphs, lists move with j/k, and the screen fits 80×24."""

from __future__ import annotations

import pytest

from coder.core.project import Project
from coder.ui.layout import GAP, TEXT, Layout
from coder.ui.selection import Selection
from tests.ui.conftest import CODER, ready


def codings(root):
    return Project.open(root).codings(CODER)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def footer_ids(app) -> set[str]:
    return {active.binding.id for active in app.screen.active_bindings.values() if active.binding.show}


async def test_undo_selects_what_it_undid_so_it_can_be_redone_differently(build, project_root):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("J", "right_square_bracket", "2")  # two sentences less a word, coded
        await pilot.pause()
        (coded,) = codings(project_root)
        await pilot.press("j", "j", "j")  # read on
        await pilot.press("u")
        await pilot.pause()
        assert codings(project_root) == []
        assert app.screen.span == (coded.start, coded.end)  # the undone quote is selected again, trim and all
        await pilot.press("K", "1")  # shrink it by a sentence and code it again
        await pilot.pause()
        (again,) = codings(project_root)
        assert again.code == "confidence" and again.quote == "My neighbour told me about it."


def test_selection_covering_a_span_restores_its_trim(project_root):
    transcript = Project.open(project_root).transcript("p01-interview")
    segments = transcript.segments
    start = segments[1].start + len("My ")
    end = segments[2].end - len(" first.")
    sel = Selection.covering(start, end, transcript.text, segments)
    assert (sel.first, sel.last) == (1, 2)
    assert sel.span(transcript.text, segments) == (start, end)


async def test_footer_shows_trim_and_reset_only_while_selecting(build):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        shown = footer_ids(app)
        assert "select.extend-down" in shown and "select.trim-end" not in shown and "app.help" in shown
        await pilot.press("J")
        await pilot.pause()
        shown = footer_ids(app)
        assert {"select.trim-start", "select.trim-end", "select.reset"} <= shown
        assert "select.extend-down" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "select.trim-end" not in footer_ids(app)
        await pilot.press("right_square_bracket")  # the key works on one sentence too
        await pilot.pause()
        assert app.screen.sel.trimmed and "select.reset" in footer_ids(app)


def every_digit_a_code(root) -> None:
    """Give the test codebook a code for each digit key, as a full codebook has."""
    path = root / "codebooks" / "test.yaml"
    extra = "".join(f'  - id: extra-{k}\n    name: Extra {k}\n    key: "{k}"\n    definition: Filler.\n'
                    for k in "345789")
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


@pytest.mark.parametrize("width", [80, 100])
async def test_footer_fits_the_screen_in_every_selection_state(build, project_root, width):
    from textual.widgets import Footer

    every_digit_a_code(project_root)
    app = build()
    async with app.run_test(size=(width, 24)) as pilot:
        await ready(pilot)
        # one sentence; coded (undo shows); extended; trimmed too (give back shows); back to one sentence
        for keys in ((), ("1",), ("J",), ("right_square_bracket",), ("escape",)):
            await pilot.press(*keys)
            await ready(pilot)
            footer = app.screen.query_one(Footer)
            assert "app.help" in footer_ids(app)
            used = sum(child.outer_size.width + child.styles.margin.width for child in footer.children)
            assert used <= width, keys
        await pilot.press("J", "right_square_bracket")
        await ready(pilot)
        shown = footer_ids(app)
        assert {"select.grow-start", "select.grow-end"} <= shown
        assert ({"select.clause-start", "select.clause-end"} <= shown) == (width >= 100)


async def test_whole_codebook_visible_at_80x24(build):
    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        tree = app.screen.query_one("#codebook")
        assert tree.max_scroll_y == 0  # every code (and its key) in view without scrolling


async def test_status_shows_extent_and_warns_about_the_interviewer(build):
    app = build()
    async with app.run_test(size=(160, 36)) as pilot:
        await ready(pilot)
        assert "sentences" not in status(app)
        await pilot.press("J")
        await pilot.pause()
        assert "2 sentences, 12 words" in status(app)
        assert "interviewer" not in status(app)
        await pilot.press("J", "J")  # on into the interviewer's question
        await pilot.pause()
        assert "includes the interviewer" in status(app)
        await pilot.press("escape")  # back to one sentence: the interviewer's question the cursor is on
        await pilot.pause()
        assert "sentences" not in status(app) and "interviewer's turn" in status(app)
        await pilot.press("k")
        await pilot.pause()
        assert "interviewer" not in status(app)


def test_filtered_consecutive_sentences_read_as_one_passage(project_root):
    transcript = Project.open(project_root).transcript("p01-interview")
    first, second = transcript.segments[1], transcript.segments[2]
    layout = Layout(transcript, 200, [(first.start, first.end), (second.start, second.end)])
    kinds = [line.kind for line in layout.lines]
    text_rows = [i for i, kind in enumerate(kinds) if kind == TEXT]
    assert GAP not in kinds[text_rows[0]:text_rows[-1]]
    assert transcript.text[layout.lines[text_rows[0]].start:].startswith("My neighbour")


async def test_selection_is_reverse_video(build):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        style = app.screen.view.get_component_rich_style("transcript-view--selection", partial=True)
        assert style.reverse  # visible in any terminal, and never mistaken for a code's colour


async def test_j_moves_in_the_transcript_list(build):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("j", "enter")
        await ready(pilot)
        assert app.screen.tid == "p02-interview"
