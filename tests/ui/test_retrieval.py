"""Code retrieval across transcripts: the list drawn from the same engine as `coder find`,
filtered, compared by group, exported, and `enter` back to the coding, selected."""

from __future__ import annotations

import csv

from textual.widgets import DataTable

from coder.core.project import Project
from tests.ui.conftest import CODER, log_events, ready

COUNCIL = "The council listened to us about the bus stop."
GARDEN = "We started a community garden."


def code_across_transcripts(root) -> None:
    project = Project.open(root)
    for coder, tid, code, quote in [("other", "p02-interview", "community-power", GARDEN),
                                    (CODER, "p01-interview", "community-power", COUNCIL),
                                    (CODER, "p01-interview", "confidence", "I was very shy at first.")]:
        start = project.transcript(tid).text.index(quote)
        coding = project.apply(coder, tid, code, start, start + len(quote))
    project.memo("other", "coding", project.codings("other")[0].id, "Said [bold]twice[/bold].")
    del coding


def drawn(table: DataTable) -> str:
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count))


async def enter_opens(pilot, app, tid: str, quote: str) -> None:
    """``enter`` goes back to the coding screen with ``quote`` of ``tid`` selected."""
    await pilot.press("enter")
    await ready(pilot)
    await ready(pilot)
    screen = app.screen
    start = screen.transcript.text.index(quote)
    assert screen.tid == tid and screen.span == (start, start + len(quote))
    assert_in_view(screen.view, start, start + len(quote))


def assert_in_view(view, start: int, end: int) -> None:
    """The span's rows are inside the transcript view's visible window."""
    rows = view.layout_lines.rows_between(start, end)
    top, height = int(view.scroll_offset.y), view.scrollable_content_region.height
    assert top <= rows.start and rows.stop <= top + height, (rows, top, height)


async def open_retrieval(pilot, app, quote: str, wait: bool = True) -> DataTable:
    screen = app.screen
    start = screen.transcript.text.index(quote)
    screen.show_span_in(screen.tid, start, start + len(quote))
    await pilot.pause()
    await pilot.press("r")
    if wait:
        await ready(pilot)
    else:
        await pilot.pause()
    return app.screen.query_one(DataTable)


async def test_retrieval_lists_every_transcript_filters_and_opens_the_coding(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        table = await open_retrieval(pilot, app, COUNCIL)
        assert app.screen.id == "retrieval"
        assert table.row_count == 2
        text = drawn(table)
        assert COUNCIL in text and GARDEN in text and "P01" in text and "P02" in text
        assert "Local Conversations" in text and "other" in text and "✎" in text
        head = str(app.screen.query_one("#retrieval-head").render())
        assert "Community power" in head and "2 coding(s), 2 participant(s)" in head
        await pilot.press("w")
        await ready(pilot)
        await pilot.press(*"programme=local conversations", "enter")
        await ready(pilot)
        assert table.row_count == 1 and GARDEN in drawn(table)
        await enter_opens(pilot, app, "p02-interview", GARDEN)


async def test_memo_text_is_shown_literally_and_the_view_exports(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_retrieval(pilot, app, COUNCIL)
        table = app.screen.query_one(DataTable)
        row = next(i for i in range(table.row_count) if GARDEN in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await ready(pilot)
        assert "Said [bold]twice[/bold]." in str(app.screen.query_one("#retrieval-detail").render())
        await pilot.press("x")
        await ready(pilot)
    rows = list(csv.DictReader((project_root / "exports" / "retrieval-community-power.csv").open(encoding="utf-8")))
    assert sorted(r["quote"] for r in rows) == sorted([COUNCIL, GARDEN])
    assert {r["programme"] for r in rows} == {"Active Communities", "Local Conversations"}


async def test_compare_groups_side_by_side_with_k_of_n(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_retrieval(pilot, app, COUNCIL)
        await pilot.press("g")
        await ready(pilot)
        await pilot.press(*"programme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.id == "compare"
        titles = [str(t.render()) for t in app.screen.query(".compare-title")]
        assert titles == ["Active Communities  1/1 participants, 1 coding(s)",
                          "Local Conversations  1/1 participants, 1 coding(s)"]
        await enter_opens(pilot, app, "p01-interview", COUNCIL)


async def test_retrieval_from_the_codebook_screen(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await ready(pilot)
        tree = app.screen.query_one("#codebook-tree")
        while tree.current_code != "short-term":
            await pilot.press("up")
        await pilot.press("r")
        await ready(pilot)
        assert app.screen.id == "retrieval"
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and "I was very shy at first." in drawn(table)  # confidence, a sub-code
        await pilot.press("h")  # without sub-codes: nothing coded short-term itself
        await ready(pilot)
        assert table.row_count == 0
        assert "No codings of this code yet." in str(app.screen.query_one("#retrieval-detail").render())


async def test_rename_and_merge_from_the_codebook_screen(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await ready(pilot)
        tree = app.screen.query_one("#codebook-tree")
        while tree.current_code != "confidence":
            await pilot.press("down")
        await pilot.press("N")
        await ready(pilot)
        await pilot.press(*["backspace"] * len("confidence"), *"self-belief", "enter")
        await ready(pilot)
        assert Project.open(project_root).codebook.resolve("confidence") == "self-belief"
        while tree.current_code != "health-wellbeing":
            await pilot.press("down")
        await pilot.press("M")
        await ready(pilot)
        await pilot.press(*"Community power")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot)
    book = Project.open(project_root).codebook
    assert book.resolve("health-wellbeing") == "community-power"
    assert "# Test codebook: comments must survive" in (project_root / "codebooks" / "test.yaml").read_text()


async def test_corpus_search_finds_across_transcripts_and_opens_the_hit(build, project_root):
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        await ready(pilot)
        assert app.screen.id == "corpus-search"
        await pilot.press(*"COMMUNITY  garden", "enter")
        await ready(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and "community garden" in drawn(table) and "P02" in drawn(table)
        assert "1 hit(s) in 1 transcript(s)" in str(app.screen.query_one("#corpus-head").render())
        await pilot.press("slash")
        await pilot.press(*["backspace"] * 20, *"about", "enter")
        await ready(pilot)
        assert table.row_count == 2  # "... told me about it.", "... listened to us about the bus stop."; not the interviewers
        await pilot.press("ctrl+a")
        await ready(pilot)
        assert table.row_count == 4 and "Interviewer" in drawn(table)
        await pilot.press("ctrl+a", "enter")
        await ready(pilot)
        await ready(pilot)
        screen = app.screen
        start = screen.transcript.text.index("about it.")
        assert screen.tid == "p01-interview" and screen.span == (start, start + len("about"))


async def test_overview_grid_shades_counts_and_opens_a_cell(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await ready(pilot)
        assert app.screen.id == "overview"
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]).strip(): [str(c) for c in table.get_row_at(i)[1:]]
                for i in range(table.row_count)}
        assert rows["Community power"] == ["██ 1", "██ 1"]  # p01, p02: readable without colour
        assert rows["Longer-term changes"] == ["██ 1", "██ 1"]
        assert rows["New skills"] == ["   ·", "   ·"]
        assert rows["coded (participant sentences)"][0].endswith("%")
        head = str(app.screen.query_one("#overview-head").render())
        assert "tester" in head and "other" in head
        codes = app.screen.codes
        table.move_cursor(row=codes.index("community-power"), column=2)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.id == "retrieval"
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and GARDEN in drawn(table)
        assert "transcript=p02-interview" in str(app.screen.query_one("#retrieval-head").render())


async def test_overview_pages_through_many_columns_and_opens_the_cell_shown(build, project_root, monkeypatch):
    """A grid of a thousand transcripts is drawn a page of columns at a time; ] and [ page."""
    from coder.ui.screens import overview

    monkeypatch.setattr(overview, "COLUMNS_SHOWN", 1)
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await ready(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["theme", "p01-interview"]
        assert "columns 1–1 of" in str(app.screen.query_one("#overview-head").render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert [str(c.label) for c in table.columns.values()] == ["theme", "p02-interview"]
        table.move_cursor(row=app.screen.codes.index("community-power"), column=1)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.id == "retrieval" and GARDEN in drawn(app.screen.query_one(DataTable))


async def test_memos_screen_lists_and_filters_memos_and_opens_the_coding(build, project_root):
    code_across_transcripts(project_root)
    project = Project.open(project_root)
    project.memo(CODER, "transcript", "p01-interview", "Recorded in the library.")
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("M")
        await ready(pilot)
        assert app.screen.id == "memos"
        table = app.screen.query_one(DataTable)
        text = drawn(table)
        assert table.row_count == 2 and "Said [bold]twice[/bold]." in text and "Recorded in the library." in text
        await pilot.press("w")
        await ready(pilot)
        await pilot.press(*"code=longer-term", "enter")
        await ready(pilot)
        assert table.row_count == 1 and "Community power" in drawn(table)
        await enter_opens(pilot, app, "p02-interview", GARDEN)


async def test_cases_table_sorts_and_lists_a_participants_codings(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("P")
        await ready(pilot)
        assert app.screen.id == "cases"
        table = app.screen.query_one(DataTable)
        first = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert first == ["P01", "P02"]
        row = {str(c) for c in table.get_row_at(0)}
        assert {"Active Communities", "Wales", "p01-interview", "2"} <= row  # two codings of P01
        table.move_cursor(column=0)
        await pilot.press("s", "s")  # sorted by id, then reversed
        await ready(pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["P02", "P01"]
        table.move_cursor(row=0, column=0)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.id == "retrieval"
        rows = app.screen.query_one(DataTable)
        assert rows.row_count == 1 and GARDEN in drawn(rows)
        assert "Every code" in str(app.screen.query_one("#retrieval-head").render())


async def test_memo_recode_and_remove_from_the_list_go_to_the_log(build, project_root):
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        table = await open_retrieval(pilot, app, COUNCIL)
        row = next(i for i in range(table.row_count) if COUNCIL in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await pilot.press("m")
        await ready(pilot)
        await pilot.press(*"Check the date.", "ctrl+s")
        await ready(pilot)
        await pilot.press("c")
        await ready(pilot)
        await pilot.press(*"Health and wellbeing")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot)
        assert table.row_count == 1 and COUNCIL not in drawn(table)  # no longer community power
        row = next(i for i in range(table.row_count) if GARDEN in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await pilot.press("d")  # another coder's: refused
        await ready(pilot)
        assert table.row_count == 1
    types = [(e["type"], e.get("code") or e.get("text")) for e in log_events(project_root)]
    assert types[-3:] == [("memo", "Check the date."), ("apply", "health-wellbeing"), ("remove", None)]
    assert {c.code for c in Project.open(project_root).codings("other")} == {"community-power"}


async def test_project_journal_is_a_memo_on_the_project(build, project_root):
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("M")
        await ready(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 0
        await pilot.press("J")
        await ready(pilot)
        await pilot.press(*"Belonging comes before [power].", "ctrl+s")
        await ready(pilot)
        assert table.row_count == 1 and "project journal" in drawn(table)
        assert "Belonging comes before [power]." in drawn(table)
    (event,) = [e for e in log_events(project_root) if e["type"] == "memo"]
    assert (event["target_kind"], event["target"], event["text"]) == (
        "project", "journal", "Belonging comes before [power].")


async def test_the_screen_says_it_is_reading_and_keys_work_until_the_engine_is_ready(build, project_root,
                                                                                   monkeypatch):
    """On a large project the engine takes seconds to build: the screen opens at once, says so,
    answers keys meanwhile, and fills in when the engine is ready."""
    import threading

    from coder.core.query import ProjectQuery

    code_across_transcripts(project_root)
    release = threading.Event()
    built = ProjectQuery.of.__func__

    def slow(cls, project, now=None):
        release.wait(10)
        return built(cls, project, now)

    monkeypatch.setattr(ProjectQuery, "of", classmethod(slow))
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        table = await open_retrieval(pilot, app, COUNCIL, wait=False)
        assert app.screen.id == "retrieval" and table.row_count == 0
        assert "Reading the project" in str(app.screen.query_one("#retrieval-head").render())
        await pilot.press("escape")  # not held up by the build
        await pilot.pause()
        assert app.screen.id != "retrieval"
        table = await open_retrieval(pilot, app, COUNCIL, wait=False)
        release.set()
        await ready(pilot)
        assert table.row_count == 2 and COUNCIL in drawn(table)


async def test_a_current_engine_answers_at_once_and_a_changed_project_is_never_shown_stale(build, project_root,
                                                                                        monkeypatch):
    """With the engine built and nothing changed, `r` fills the list in the key's own frame (no
    build, no worker); after a coding, the list is never drawn from the old engine: it waits
    for the engine brought up to date, and then shows the new coding."""
    import threading

    from coder.core.query import ProjectQuery

    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        table = await open_retrieval(pilot, app, COUNCIL)  # builds the engine
        assert table.row_count == 2
        await pilot.press("escape")
        await ready(pilot)
        release = threading.Event()
        built = ProjectQuery.of.__func__

        def held(cls, project, now=None):
            release.wait(10)
            return built(cls, project, now)

        monkeypatch.setattr(ProjectQuery, "of", classmethod(held))
        table = await open_retrieval(pilot, app, COUNCIL, wait=False)
        assert table.row_count == 2 and COUNCIL in drawn(table)  # not held: the engine was current
        await pilot.press("escape")
        await pilot.pause()
        project = app.project
        quote = "I was very shy at first."
        start = project.transcript("p01-interview").text.index(quote)
        project.apply(CODER, "p01-interview", "community-power", start, start + len(quote))
        table = await open_retrieval(pilot, app, COUNCIL, wait=False)
        assert table.row_count == 0  # held: the old engine's two rows are not shown
        assert "Reading the project" in str(app.screen.query_one("#retrieval-head").render())
        release.set()
        await ready(pilot)
        assert table.row_count == 3 and quote in drawn(table)


async def test_a_quote_far_down_another_transcript_opens_in_view(build, project_root):
    """``enter`` on a quote deep in a long interview shows it: the view scrolls to the selection."""
    turns = [f"Bea: This is the turn number {i} of a long talk about the area and the people in it." for i in range(80)]
    far = "At the very end we persuaded the council to keep the library open."
    (project_root / "transcripts" / "p03-interview.txt").write_text("\n\n".join([*turns, f"Bea: {far}"]),
                                                                    encoding="utf-8")
    project = Project.open(project_root)
    start = project.transcript("p03-interview").text.index(far)
    project.apply("other", "p03-interview", "community-power", start, start + len(far))
    code_across_transcripts(project_root)
    app = build()
    async with app.run_test(size=(120, 24)) as pilot:
        await ready(pilot)
        table = await open_retrieval(pilot, app, COUNCIL)
        table.move_cursor(row=next(i for i in range(table.row_count) if far[:30] in str(table.get_row_at(i)[0])))
        await pilot.pause()
        await enter_opens(pilot, app, "p03-interview", far)
