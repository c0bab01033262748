"""Review codings after a transcript edit: orphans (not placed) and approximate re-placements.

Both come from the Project facade (``orphans`` and ``to_review``), the lists ``coder orphans``
prints, so the screen and the command always agree on what needs a look.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from coder.core.errors import CoderError
from coder.ui.literal import cell, literal
from coder.ui.widgets.table import Table


@dataclass(frozen=True)
class ToReview:
    """One line of the review: an orphan with its best candidate, or a coding re-placed approximately."""

    coding: object
    status: str  # "orphan", or how it was re-placed (e.g. "moved (fuzzy)")
    start: int | None  # the candidate (orphan) or the place it was put (re-placed)
    end: int | None
    quote: str  # the text there now
    score: float

    @property
    def orphan(self) -> bool:
        return self.status == "orphan"


def needing_review(project, coder: str, transcript: str | None = None) -> list[ToReview]:
    """The coder's orphans, then their approximate re-placements (of one transcript, if given)."""
    out = [ToReview(o.coding, "orphan", o.candidate_start, o.candidate_end, o.candidate_quote, o.score)
           for o in project.orphans(coder, transcript)]
    out += [ToReview(p.coding, p.anchor.label, p.start, p.end, p.quote, p.anchor.score)
            for p in project.to_review(coder, transcript)]
    return out


def candidate_of(item: ToReview) -> tuple[int, int] | None:
    """The place on offer for a coding under review, if any."""
    start, end = item.start, item.end
    return (start, end) if start is not None and end is not None and end > start else None


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class OrphanScreen(Screen):
    BINDINGS = [
        Binding("enter,r", "replace", "re-place / confirm here", id="orphans.replace"),
        Binding("d,delete", "discard", "discard", id="orphans.discard"),
        Binding("v", "view", "view in transcript", id="orphans.view"),
        Binding("escape", "close", "back", id="orphans.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="orphans")
        self.orphans: list = []

    def compose(self) -> ComposeResult:
        yield Static("Codings to review after a transcript changed: orphans could not be placed; others were "
                     "re-placed approximately. Re-place (or confirm) each at the place shown, view it in the "
                     "transcript, or discard it.", id="orphans-help")
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Label("", id="orphans-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("transcript", "code", "status", "old quote", "place on offer", "score"):
            table.add_column(name, key=name)
        self.reload()
        table.focus()

    def reload(self) -> None:
        project, coder = self.app.project, self.app.coder
        try:
            self.orphans = needing_review(project, coder)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            self.orphans = []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        try:
            codebook = project.codebook
        except CoderError:
            codebook = None
        for i, o in enumerate(self.orphans):
            code = codebook.get(o.coding.code) if codebook else None
            quote = o.quote or self._candidate_text(o)
            cells = (o.coding.transcript, code.name if code else o.coding.code, o.status, _clip(o.coding.quote, 40),
                     _clip(quote, 40) if quote else "(none)", f"{o.score:.2f}")
            table.add_row(*map(cell, cells), key=str(i))
        if self.orphans:
            table.move_cursor(row=min(row, len(self.orphans) - 1))
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        """The highlighted orphan's whole old quote beside its best candidate."""
        orphan = self._current()
        if orphan is None:
            text = "No orphaned or approximately re-placed codings: nothing to review."
        else:
            candidate = orphan.quote or self._candidate_text(orphan)
            orphans = sum(1 for o in self.orphans if o.orphan)
            where = (f"Best candidate ({orphan.score:.0%} similar)" if orphan.orphan
                     else f"Re-placed here ({orphan.score:.0%} similar)")
            text = (f"{orphans} orphaned, {len(self.orphans) - orphans} re-placed approximately. "
                    f"Was: “{' '.join(orphan.coding.quote.split())}”\n"
                    + (f"{where}: “{' '.join(candidate.split())}”"
                       if candidate else "No candidate place: discard it, or re-code the passage by hand."))
        self.query_one("#orphans-detail", Label).update(literal(text))

    def _candidate_text(self, orphan) -> str:
        span = candidate_of(orphan)
        if span is None:
            return ""
        try:
            return self.app.project.transcript(orphan.coding.transcript).text[span[0]:span[1]]
        except CoderError:
            return ""

    def _current(self):
        table = self.query_one(DataTable)
        if not self.orphans or table.cursor_row is None or table.cursor_row >= len(self.orphans):
            return None
        return self.orphans[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("replace", "discard", "view"):
            orphan = self._current() if self.is_mounted else None
            if orphan is None:
                return False
            return candidate_of(orphan) is not None if action in ("replace", "view") else True
        return True

    def action_replace(self) -> None:
        orphan = self._current()
        span = candidate_of(orphan) if orphan else None
        if span is None:
            return
        try:
            self.app.project.replace_orphan(self.app.coder, orphan.coding.id, *span)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return
        self.notify("Re-placed" if orphan.orphan else "Confirmed", timeout=2)
        self.reload()

    def action_view(self) -> None:
        """Back to the workbench with the place on offer selected in its transcript."""
        orphan = self._current()
        span = candidate_of(orphan) if orphan else None
        if span is not None:
            self.dismiss((orphan.coding.transcript, *span))

    def action_discard(self) -> None:
        orphan = self._current()
        if orphan is None:
            return
        try:
            self.app.project.discard_orphan(self.app.coder, orphan.coding.id)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error")
            return
        self.notify("Discarded", timeout=2)
        self.reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_replace()  # enter on a row: the table takes the key, so its selection re-places

    def action_close(self) -> None:
        self.dismiss(None)
