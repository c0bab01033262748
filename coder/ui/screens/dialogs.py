"""Small modal dialogs: a line of text (search, coder, example quote), a longer text (memo,
definition, reported quote; optionally checked as it is typed) and a yes/no question.  Titles
are user text (quotes, code names): drawn literally."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from coder.ui.literal import literal


class TextDialog(ModalScreen[str | None]):
    """One line of text: enter accepts, escape cancels (returns None).

    The value is not selected, so a first keystroke adds to it rather than replacing it.
    """

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="dialog.cancel"),
        # An enter typed while the app starts, before the terminal is in raw mode, arrives as a line feed.
        Binding("ctrl+j", "accept", "accept", show=False, id="dialog.accept"),
    ]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="dialog")
        self._title, self._value, self._placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal(self._title)
            yield Input(self._value, placeholder=self._placeholder, select_on_focus=False)
            yield Label("enter to accept · esc to cancel", classes="dialog-help")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_accept(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y answers yes; n or escape answers no."""

    BINDINGS = [
        Binding("y", "answer(True)", "yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "no", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "yes", no: str = "no") -> None:
        super().__init__(classes="dialog")
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal("Are you sure?")
            yield Label(literal(self._question))
            yield Label(literal(f"y {self._yes} · n or esc {self._no}"), classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class LongTextDialog(ModalScreen[str | None]):
    """Several lines of text: ctrl+s saves; escape cancels (returns None), asking first
    when the text was changed, so a memo is never lost to a stray escape.

    ``check(text)`` (optional) says what is wrong with the text, or None when it may be saved: it
    runs as the text is typed, its answer is shown under the text, and ctrl+s saves only text it accepts.
    The text is not selected, so a first keystroke edits it rather than replacing it."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="dialog.save", priority=True),
        Binding("escape", "cancel", "cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, text: str = "", *, what: str = "memo",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__(classes="dialog")
        self._title, self._text, self._what, self._check = title, text, what, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box long") as box:
            box.border_title = literal(self._title)
            area = TextArea(self._text, soft_wrap=True, show_line_numbers=False)
            yield area
            if self._check is not None:
                yield Label("", id="dialog-check")
            yield Label("ctrl+s to save · esc to cancel", classes="dialog-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self._show_check()

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self._show_check()

    def _show_check(self) -> str | None:
        if self._check is None:
            return None
        problem = self._check(self.query_one(TextArea).text.strip())
        label = self.query_one("#dialog-check", Label)
        label.update(literal(problem or "✓ keeps the person's own words"))
        label.set_class(problem is not None, "refused")
        return problem

    def action_save(self) -> None:
        problem = self._show_check()
        if problem is not None:
            self.notify(problem, title="Not saved", severity="error")
            return
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text.strip() == self._text.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(f"Discard the changes to this {self._what}?", "discards them",
                                           f"goes back to the {self._what}"), answered)


MemoDialog = LongTextDialog
