"""Driving the coding screen with real keystrokes; asserting on the coding log and the state."""

from __future__ import annotations

from coder.core.errors import CoderError
from coder.core.project import Project
from tests.ui.conftest import CODER, log_events, ready


def current_codings(root):
    return Project.open(root).codings(CODER)


def sentence(app) -> str:
    screen = app.screen
    start, end = screen.span
    return screen.transcript.text[start:end]


async def test_opens_on_first_participant_sentence(build):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.screen.tid == "p01-interview"
        assert sentence(app) == "My neighbour told me about it."


async def test_apply_by_key_is_in_the_log(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        assert sentence(app) == "I was very shy at first."
        await pilot.press("1")
        await pilot.pause()
        codings = current_codings(project_root)
        assert [(c.code, c.quote) for c in codings] == [("confidence", "I was very shy at first.")]
        assert any(e.get("code") == "confidence" for e in log_events(project_root))
        assert "1/" in str(app.screen.query_one("#status").render())


async def test_apply_by_palette_picker(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"skills")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert [c.code for c in current_codings(project_root)] == ["new-skills"]


async def test_extend_and_trim_selection(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("J")  # two sentences
        await pilot.press("left_square_bracket", "right_square_bracket")  # a word off each end
        await pilot.press("2")
        await pilot.pause()
        (coding,) = current_codings(project_root)
        assert coding.quote == "neighbour told me about it. I was very shy at"


async def test_remove_code(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "2")
        await pilot.pause()
        assert len(current_codings(project_root)) == 2
        await pilot.press("d")  # two codes here: a picker asks which
        await pilot.pause()
        await pilot.press(*"skills", "enter")
        await pilot.pause()
        assert [c.code for c in current_codings(project_root)] == ["confidence"]
        await pilot.press("d")  # one code left: removed at once
        await pilot.pause()
        assert current_codings(project_root) == []


async def test_undo_redo_across_a_restart(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert len(current_codings(project_root)) == 1
        await pilot.press("u")
        await pilot.pause()
        assert current_codings(project_root) == []
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("U")
        await pilot.pause()
        assert [c.code for c in current_codings(project_root)] == ["confidence"]
        assert [c.code for c in app.screen.codings] == ["confidence"]


async def test_memo_on_a_coding(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "m")
        await pilot.pause()
        await pilot.press(*"heard from a neighbour", "ctrl+s")
        await pilot.pause()
        (coding,) = current_codings(project_root)
        memos = Project.open(project_root).memos("coding", coding.id)
        assert [m.text for m in memos] == ["heard from a neighbour"]


async def test_transcript_switch_from_the_list(build):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("down", "enter")
        await ready(pilot)
        assert app.screen.tid == "p02-interview"
        assert sentence(app) == "We started a community garden."
    app = build()  # the last transcript opened is remembered
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.screen.tid == "p02-interview"


async def test_g_and_G_jump_to_the_first_and_last_transcript_in_the_list(build, project_root):
    ids = Project.open(project_root).transcript_ids()
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("G", "enter")
        await ready(pilot)
        assert app.screen.tid == ids[-1]
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("g", "enter")
        await ready(pilot)
        assert app.screen.tid == ids[0]


async def test_error_keeps_selection_and_reports(build, project_root, monkeypatch):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        before = app.screen.span

        def refuse(*args, **kwargs):
            raise CoderError("the coding log is not writable", file="codings/tester.jsonl")

        monkeypatch.setattr(app.project, "apply", refuse)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.span == before
        assert app.screen.codings == []
        assert any(n.severity == "error" and "not writable" in n.message for n in app._notifications)
        assert "not writable" in str(app.screen.query_one("#status").render())


async def test_navigation_search_and_uncoded(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("right_curly_bracket")  # next turn: the interviewer's question
        assert sentence(app) == "What did you learn there?"
        await pilot.press("left_curly_bracket")
        assert sentence(app) == "My neighbour told me about it."
        await pilot.press("1", "g")  # next uncoded participant sentence
        assert sentence(app) == "I was very shy at first."
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"bus stop", "enter")
        await pilot.pause()
        assert sentence(app) == "The council listened to us about the bus stop."
        assert app.screen.matches


async def test_filter_to_one_code(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "right_curly_bracket", "right_curly_bracket", "1")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"confidence", "enter")
        await pilot.pause()
        assert [s.text for s in app.screen.nav] == ["My neighbour told me about it.",
                                                     "I learned to use Zoom during lockdown."]
        await pilot.press("F")
        assert len(app.screen.nav) == len(app.screen.transcript.segments)


async def test_definition_edit_keeps_comments(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("1", "D")
        await pilot.pause()
        await pilot.press(*" Also courage.", "ctrl+s")
        await pilot.pause()
    text = (project_root / "codebooks" / "test.yaml").read_text(encoding="utf-8")
    assert "# Test codebook: comments must survive" in text
    assert Project.open(project_root).codebook.get("confidence").definition.endswith("Also courage.")


async def test_add_selection_as_example(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j", "e")
        await pilot.pause()
        await pilot.press(*"confidence", "enter")
        await pilot.pause()
        await pilot.press("enter")  # accept the quote as it is
        await pilot.pause()
    examples = Project.open(project_root).codebook.get("confidence").examples
    assert "I was very shy at first." in examples


async def test_keymap_from_settings(build, project_root, tmp_path):
    settings = tmp_path / "remapped.yaml"
    settings.write_text("keymap:\n  code.apply-1: z\n  nonsense.binding: y\n", encoding="utf-8")
    app = build(settings_path=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("z")
        await pilot.pause()
        assert [c.code for c in current_codings(project_root)] == ["confidence"]
        assert any("nonsense.binding" in n.message for n in app._notifications)


async def test_broken_codebook_shows_a_lasting_panel_and_is_read_again_when_fixed(build, project_root):
    from tests.ui.test_hostile_text import screen_text

    path = project_root / "codebooks" / "test.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text("codes: [unclosed\n", encoding="utf-8")
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.pause(2.5)  # longer than a toast would last, and the file is polled meanwhile
        panel = app.screen.query_one("#codebook-problems")
        assert panel.display and "codebooks/test.yaml:2: not valid YAML" in screen_text(app)
        await pilot.press("1")  # no crash; nothing coded; and the message names the real cause
        await pilot.pause()
        message = list(app._notifications)[-1].message
        assert "codebook is broken" in message and "codebooks/test.yaml:2" in message
        path.write_text(good, encoding="utf-8")
        await pilot.pause(1.5)
        assert not panel.display
        assert "Confidence" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
    assert [e["code"] for e in log_events(project_root) if "code" in e] == ["confidence"]


async def test_help_lists_every_binding_id(build):
    from rich.console import Console

    from coder.ui.commands import ALL_COMMANDS

    app = build()
    async with app.run_test(size=(120, 60)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(width=200, record=True)
        console.print(app.screen.query_one("#help-keys").content)
        text = console.export_text()
        for command in ALL_COMMANDS:
            assert command.id in text


async def test_switch_coder_writes_to_their_own_log(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("C")
        await pilot.pause()
        field = app.screen.query_one("Input")
        field.value = ""
        await pilot.press(*"ben", "enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.coder == "ben"
    assert [c.code for c in Project.open(project_root).codings("ben")] == ["confidence"]
    assert log_events(project_root, CODER) == []


async def test_with_nobody_named_the_app_asks_and_codes_as_the_given_name(build, project_root, monkeypatch, tmp_path):
    monkeypatch.delenv("CODER_NAME", raising=False)
    settings = tmp_path / "settings.yaml"
    settings.write_text("# my settings\ntheme: textual-light\n", encoding="utf-8")
    app = build(coder=None, settings_path=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert not any(n.severity == "error" for n in app._notifications)
        await pilot.press(*"mary", "enter")
        await pilot.pause()
        assert app.coder == "mary"
        await pilot.press("1")
        await pilot.pause()
    assert [e["type"] for e in log_events(project_root, "mary")] == ["apply"]
    text = settings.read_text(encoding="utf-8")
    assert "coder: mary" in text and "# my settings" in text and "theme: textual-light" in text
    assert build(coder=None, settings_path=settings).coder == "mary"  # the next start knows


async def test_ctrl_d_marks_the_transcript_done_in_the_log_and_again_undone(build, project_root):
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        done = [e for e in log_events(project_root) if e["type"] == "done"]
        assert [(e["transcript"], e["done"]) for e in done] == [("p01-interview", True)]
        assert Project.open(project_root).not_done(CODER) == [t for t in Project.open(project_root).transcript_ids()
                                                              if t != "p01-interview"]
        await pilot.press("ctrl+d")
        await pilot.pause()
        done = [e for e in log_events(project_root) if e["type"] == "done"]
        assert [e["done"] for e in done] == [True, False]


async def test_suggestion_panel_says_suggestions_are_coming_not_that_the_model_loads(build):
    """Once the model is ready, a sentence whose suggestions are still being worked out
    says so; it never keeps an earlier "model loading…" message."""
    from coder.ui.widgets.suggestions import SuggestionList

    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        box = screen.query_one(SuggestionList)
        box.show([], "loading", None)  # as drawn before the model was ready
        screen._suggest = lambda *args: None  # the reply has not come back yet
        screen.update_suggestions()
        await pilot.pause()
        shown = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]
        assert shown == ["finding suggestions…"]


async def test_the_transcript_list_before_anyone_is_named_shows_progress_not_errors(build, monkeypatch, tmp_path):
    monkeypatch.delenv("CODER_NAME", raising=False)
    app = build(coder=None, settings_path=tmp_path / "none.yaml")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "t")  # put off naming oneself, look at the transcripts
        await ready(pilot)
        table = app.screen.query_one("DataTable")
        rows = [[str(v) for v in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows and all("0/" in row[1] for row in rows), rows
        assert not any("error" in value for row in rows for value in row), rows


async def test_a_colleagues_codings_written_while_open_show_when_a_transcript_opens(build, project_root):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        colleague = Project.open(project_root)
        text = colleague.transcript("p02-interview").text
        start = text.index("We started a community garden.")
        colleague.apply("bea", "p02-interview", "community-power", start, start + 30)
        colleague.close()
        await pilot.press("t")
        await ready(pilot)
        await pilot.press("end", "enter")
        await ready(pilot)
        assert app.screen.tid == "p02-interview"
        assert [c.code for c in app.project.codings("bea", "p02-interview")] == ["community-power"]
        assert "bea" in app.project.coders()


async def test_an_interviewer_label_is_drawn_as_the_interviewer_without_any_metadata(build, project_root):
    """The view marks who asks by the same rule as suggestions and progress (Transcript.participant_turn)."""
    (project_root / "transcripts" / "p00-plain.txt").write_text(
        "Interviewer: How did you hear about it?\n\nDot: [laughs] My grandson.\n", encoding="utf-8")
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.screen.open_transcript("p00-plain")
        await ready(pilot)
        view = app.screen.view
        asker, answer = (view._draw_header(i, 16) for i in range(2))
        style = view.get_component_rich_style
        assert asker.text.strip() == "Interviewer" and answer.text.strip() == "Dot"
        assert [s.style for s in asker if s.text == "Interviewer"] == [style("transcript-view--interviewer")]
        assert [s.style for s in answer if s.text == "Dot"] == [style("transcript-view--speaker")]
        assert app.screen.on_interviewer() is (app.screen.span[0] < view.transcript.turns[1].start)
