"""Small modal dialogs: a line of text (search, coder, example quote) and a longer text (memo, definition)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea


class TextDialog(ModalScreen[str | None]):
    """One line of text: enter accepts, escape cancels (returns None)."""

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
            box.border_title = self._title
            yield Input(self._value, placeholder=self._placeholder)
            yield Label("enter to accept · esc to cancel", classes="dialog-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_accept(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LongTextDialog(ModalScreen[str | None]):
    """Several lines of text: ctrl+s saves, escape cancels (returns None)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="dialog.save", priority=True),
        Binding("escape", "cancel", "cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__(classes="dialog")
        self._title, self._text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box long") as box:
            box.border_title = self._title
            area = TextArea(self._text, soft_wrap=True, show_line_numbers=False)
            yield area
            yield Label("ctrl+s to save · esc to cancel", classes="dialog-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


MemoDialog = LongTextDialog
