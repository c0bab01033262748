"""The selected code's definition, guidance and example quotes."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from coder.core.codebook import Code, Codebook

MEMO_MARK = "✎"  # beside a coding that carries a memo, in the transcript's margin and here


def describe_code(code: Code | None, codebook: Codebook | None, *, here: list[str] = (),
                  examples: int = 3, heading: str = "", memos: list[tuple[str, str]] = (),
                  empty: str = "No code selected.") -> Text:
    """The text of the code detail panel (also used by the codebook screen with all examples).

    ``here``: the names of the codes on the selection; ``memos``: (code name, memo) of the codings
    there that carry one; ``heading``: why this code is shown when it is not on the selection
    (e.g. "Top suggestion"); ``empty``: what to say when there is no code to show.
    """
    out = Text()
    if here:
        out.append("Here: ", style="bold")
        out.append(", ".join(here) + "\n")
    for name, memo in memos:
        out.append(f"{MEMO_MARK} Memo on {name}: ", style="bold")
        out.append(memo.strip() + "\n")
    if here or memos:
        out.append("\n")
    if code is None or codebook is None:
        out.append(empty, style="dim")
        return out
    if heading:
        out.append(heading + "\n", style="italic dim")
    out.append("■ ", style=code.colour)
    out.append(code.name, style="bold")
    if code.key:
        out.append(f"  key {code.key}", style="dim")
    path = [c.name for c in codebook.ancestors(code.id)]
    if path:
        out.append("\n" + " › ".join(path), style="dim")
    if code.definition:
        out.append("\n" + code.definition.strip())
    if code.include:
        out.append("\nInclude: ", style="bold")
        out.append(code.include.strip())
    if code.exclude:
        out.append("\nExclude: ", style="bold")
        out.append(code.exclude.strip())
    if code.examples:
        out.append(f"\nExamples ({len(code.examples)}):", style="bold")
        for quote in code.examples[:examples]:
            out.append(f"\n“{quote}”", style="italic")
    else:
        out.append("\nNo example quotes yet: press e on a good quote to add one.", style="dim")
    return out


class CodeDetail(VerticalScroll, can_focus=False):
    _last: Text | None = None

    def compose(self):
        yield Static(id="code-detail-text")

    def show(self, code: Code | None, codebook: Codebook | None, *, here: list[str] = (),
             examples: int = 3, heading: str = "", memos: list[tuple[str, str]] = (),
             empty: str = "No code selected.") -> None:
        text = describe_code(code, codebook, here=here, examples=examples, heading=heading, memos=memos,
                             empty=empty)
        if text != self._last:
            self._last = text
            self.query_one("#code-detail-text", Static).update(text, layout=False)
            self._fit()

    def _fit(self, *, shrink: bool = False) -> None:
        """The text's box is never shorter than the panel and only grows (until the panel is
        resized): a new text is then only repainted, and the whole screen is laid out again (a
        quarter of a move's time on a busy machine) only when a text is the longest yet."""
        static = self.query_one("#code-detail-text", Static)
        width, visible = static.content_region.width, self.scrollable_content_region.height
        if not width or not visible:  # not laid out yet: the first layout sizes it
            static.refresh(layout=True)
            return
        height = max(visible, static.get_content_height(self.size, self.size, width))
        now = static.styles.height
        if now is not None and now.is_cells and not shrink:
            height = max(height, int(now.value))
        if now is None or not now.is_cells or now.value != height:
            static.styles.height = height

    def on_resize(self) -> None:
        self._fit(shrink=True)

    @property
    def text(self) -> str:
        """What the panel says, as plain text."""
        return self._last.plain if self._last is not None else ""
