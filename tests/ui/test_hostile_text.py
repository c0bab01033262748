"""Hostile-but-ordinary text (see :mod:`tests.ui.hostile`) driven through every screen and message:
the app stays alive, user text is drawn exactly as written, and nothing of it is ever parsed as
markup (so ``[@click=app.quit]`` in a transcript is never a live action)."""

from __future__ import annotations

import pytest
import rich.markup
import textual.markup
from textual.command import CommandList
from textual.widgets import DataTable, Input, TextArea

from coder.core.project import Project
from coder.ui.app import make_app
from tests.ui.conftest import CODER, fake_encoder, log_events, ready
from tests.ui.hostile import CODE_NAME, CODE_NAME_2, FILE_STEM, TOKENS, write_hostile_project

SIZE = (160, 48)
USER_ONLY = ("[/laughs]", "[@click=app.quit]", "$var", "[pause]", "[inaudible]", "[Now]", "[draft]")


@pytest.fixture
def root(tmp_path):
    return write_hostile_project(tmp_path / "hostile")


@pytest.fixture
def parsed(monkeypatch):
    """Every user text that reached a markup parser (Textual's or Rich's): must stay empty."""
    seen: list[str] = []
    for module, name in ((textual.markup, "to_content"), (rich.markup, "render")):
        original = getattr(module, name)

        def spy(markup, *args, _original=original, **kw):
            if isinstance(markup, str) and any(token in markup for token in USER_ONLY):
                seen.append(markup)
            return _original(markup, *args, **kw)

        monkeypatch.setattr(module, name, spy)
    return seen


@pytest.fixture
def app(root, tmp_path):
    return make_app(root, CODER, encoder=fake_encoder(), settings_path=tmp_path / "settings.yaml")


def screen_text(app) -> str:
    """What is drawn on the screen now, toasts included, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_drawn(app, *texts: str) -> None:
    shown = screen_text(app)
    for text in texts:
        assert text in shown, f"{text!r} not drawn; screen:\n{shown}"


async def settle(pilot, delay: float = 0.2) -> None:
    await ready(pilot)
    await pilot.pause(delay)


async def test_code_undo_redo_and_memo_on_bracketed_text(app, root, parsed):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.quote == "[/laughs] I was nervous at first."
        assert_drawn(app, "[/laughs] I was nervous", "[b]really[/b]", "[@click=app.quit]here[/]", "\\[esc]", "🎉")
        await pilot.press("1")
        await settle(pilot)
        assert [c.quote for c in Project.open(root).codings(CODER)] == ["[/laughs] I was nervous at first."]
        assert_drawn(app, CODE_NAME)  # status bar, codebook tree and Code panel
        await pilot.press("u")
        await settle(pilot)
        assert Project.open(root).codings(CODER) == []
        assert_drawn(app, "[/laughs]")  # the toast quotes what was undone
        await pilot.press("U")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert_drawn(app, "Memo on", CODE_NAME, "[/laughs] I was nervous")  # the dialog's title
        app.screen.query_one(TextArea).text = "Memo [/laughs] [b]x $var [@click=app.quit] 🎉"
        await pilot.press("ctrl+s")
        await settle(pilot)
        memos = [e for e in log_events(root) if e.get("text")]
        assert memos and memos[-1]["text"] == "Memo [/laughs] [b]x $var [@click=app.quit] 🎉"
        assert_drawn(app, "✎ Memo on " + CODE_NAME)  # the Code panel shows it (wrapped)
        assert "Memo [/laughs] [b]x $var [@click=app.quit] 🎉" in app.screen.query_one("#detail").text
        assert app.is_running
    assert parsed == []


async def test_clicking_action_markup_in_the_transcript_does_not_run_it(app, parsed):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        lines = screen_text(app).splitlines()
        y = next(i for i, line in enumerate(lines) if "[@click=app.quit]" in line)
        x = lines[y].index("[@click=app.quit]")
        for dx in (1, 9, 17, 20):
            await pilot.click(offset=(x + dx, y))
            await pilot.pause()
        assert app.is_running and app.screen.id == "coding"
    assert parsed == []


async def test_every_screen_draws_user_text_as_written(app, root, parsed):
    other = Project.open(root)
    tid = other.transcript_ids()[0]
    segment = other.transcript(tid).segments[3]  # "Click [@click=app.quit]here[/] to go, said the sign."
    other.apply("ben", tid, "power", segment.start, segment.end)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key, shown in (("question_mark", (CODE_NAME, CODE_NAME_2)),  # help names the digit keys' codes
                           ("b", (CODE_NAME, "[laughs] $var [b]not bold[/b] [@click=app.quit]",
                                  "[Now] I run the Tuesday", "[pause] yes \\[esc] 🎉")),
                           ("X", ("Hostile [b]project $var",))):
            await pilot.press(key)
            await settle(pilot)
            assert_drawn(app, *shown)
            if key == "b":  # the definition dialog, from the codebook screen
                await pilot.press("enter")
                await settle(pilot)
                assert app.screen.query_one(TextArea).text.startswith("Growth in self-belief [laughs] $var")
                assert_drawn(app, "Definition of " + CODE_NAME)
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen.id == "coding"

        await pilot.press("t")  # the transcript list: the file name as it is
        await settle(pilot)
        assert_drawn(app, FILE_STEM)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("a", *"power")  # the code picker
        await settle(pilot)
        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert CODE_NAME_2 in prompts[0]
        assert_drawn(app, CODE_NAME_2)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+p", *"apply code")  # the palette offers the codes by name
        await settle(pilot, 0.4)
        assert_drawn(app, "Apply code: " + CODE_NAME, "Growth in self-belief [laughs]")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("e")  # add an example: the picker, then the dialog with the quote
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "[/laughs] I was nervous at first."
        assert_drawn(app, "Example quote for", "[/laughs] I was nervous at first.")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("j", "j")  # the sentence ben coded: reconcile with him
        await pilot.press("V")
        await settle(pilot)
        assert_drawn(app, "ben")
        await pilot.press("enter")
        await settle(pilot)
        assert_drawn(app, "[@click=app.quit]here[/]", CODE_NAME_2, FILE_STEM)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("C")  # a coder name that cannot be: the error quotes it literally
        await settle(pilot)
        app.screen.query_one(Input).value = "[b]ann"
        await pilot.press("enter")
        await settle(pilot)
        assert_drawn(app, "'[b]ann'")
        assert app.is_running and app.screen.id == "coding"
    assert parsed == []


async def test_orphan_review_draws_quotes_as_written(app, root, parsed):
    project = Project.open(root)
    tid = project.transcript_ids()[0]
    segment = project.transcript(tid).segments[1]
    project.apply(CODER, tid, "confidence", segment.start, segment.end)
    path = root / "transcripts" / f"{FILE_STEM}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("I was nervous at first.", "Gone [Now]."),
                    encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count >= 1
        assert_drawn(app, "[/laughs] I was nervous", CODE_NAME[:20], FILE_STEM)
        assert app.is_running
    assert parsed == []


def test_tokens_cover_every_kind_of_hostile_text():
    assert {"[/laughs]", "[@click=app.quit]", "$var", "🎉"} <= set(TOKENS)
