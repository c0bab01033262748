"""Suggestions for the selection: ranked, with band and reason."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coder.core.codebook import Codebook
from coder.ui.commands import LIST_COMMANDS, bindings

BAND_STYLE = {"strong": "bold", "possible": "", "weak": "dim"}


def suggestion_text(rank: int, suggestion, codebook: Codebook | None) -> Text:
    code = codebook.get(suggestion.code) if codebook else None
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{rank} ", style="bold")
    text.append("■ ", style=code.colour if code else "")
    text.append(code.name if code else suggestion.code, style=BAND_STYLE.get(suggestion.band, ""))
    text.append(f" {suggestion.band} {suggestion.score:.2f}", style="dim")
    reason = str(suggestion.reason) if suggestion.reason else ""
    if reason:  # e.g. like “I feel braver” (codebook example)
        text.append(f"\n   {reason}", style="italic dim")
    return text


class SuggestionList(OptionList):
    """Enter accepts the highlighted suggestion, x rejects it, escape goes back to the transcript."""

    BINDINGS = [
        Binding("x,delete", "reject_highlighted", "reject", id="suggestion.reject-highlighted"),
        Binding("escape", "leave", "back", id="suggestion.leave"),
        *bindings(LIST_COMMANDS),
    ]

    class Chosen(Message):
        def __init__(self, rank: int, accept: bool) -> None:
            super().__init__()
            self.rank = rank
            self.accept = accept

    class Leave(Message):
        pass

    _shown: tuple = ()
    # How many lines the suggestions take sets only how far the list scrolls (OptionList updates
    # that itself), never the list's own height (see ``_fit``): no layout pass of the screen for it.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def show(self, suggestions: list, status: str, codebook: Codebook | None) -> None:
        key = (tuple(suggestions), status if not suggestions else "", id(codebook))
        if key == self._shown:
            return
        self._shown = key
        if suggestions:
            texts = [suggestion_text(i, s, codebook) for i, s in enumerate(suggestions, 1)]
            self._fit(sum(len(t.plain.splitlines()) for t in texts), shrink=False)
            self.set_options([Option(text, id=str(i)) for i, text in enumerate(texts, 1)])
            self.highlighted = 0
        else:
            message = {"ready": "no suggestions here", "idle": "suggestions not started",
                       "unavailable": "suggestions unavailable",
                       "pending": "finding suggestions…"}.get(status, None)
            if message is None:
                message = "model loading…" if status == "loading" else status
            self._fit(1, shrink=status not in ("ready", "pending"))
            self.set_options([Option(Text(message, style="dim"), disabled=True)])

    @property
    def showing_status(self) -> bool:
        """True while the list shows a status message (model loading…) rather than suggestions."""
        return bool(self._shown) and not self._shown[0]

    def _fit(self, lines: int, *, shrink: bool) -> None:
        """Size the list to its lines (as ``height: auto`` would, within the CSS's min and max
        heights), set only when it changes: the list's content then never re-lays the screen.

        With the model ready the list grows but never shrinks: a move to a sentence with fewer
        suggestions (or none) keeps the panels below still, and costs no layout pass of the screen
        (a quarter of a move's time on a busy machine)."""
        styles = self.styles
        height = lines + styles.gutter.height
        low = styles.min_height.value if styles.min_height is not None else 0
        high = styles.max_height.value if styles.max_height is not None else height
        height = int(max(low, min(high, height)))
        if not shrink and styles.height is not None and styles.height.is_cells:
            height = int(max(height, min(high, styles.height.value)))
        if styles.height is None or styles.height.value != height or not styles.height.is_cells:
            styles.height = height

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id), True))

    def action_reject_highlighted(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id:
                self.post_message(self.Chosen(int(option.id), False))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
