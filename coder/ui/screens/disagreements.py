"""Reconciling two coders: the segments of one transcript where their codes differ.

    app.push_screen(DisagreementScreen(project, "ana", "ben", "lc-eng-p05-interview"))

The table lists each segment where the two coders' codes differ, with both
sides' codes and the consensus decided so far; the pane below shows the whole
segment.  A decision (take A's codes, B's, both, or neither) is recorded in the
consensus coder's own log through the project (``project.apply`` /
``project.remove`` as coder ``consensus``), so it is durable, undoable and
exported like any other coder's work.  The logic lives in
:mod:`coder.core.agreement.consensus`; this screen only shows and asks.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from coder.core.agreement.consensus import CONSENSUS, SegmentCodings, decide, disagreements
from coder.core.errors import CoderError
from coder.ui.literal import cell
from coder.ui.widgets.table import Table


class DisagreementScreen(Screen):
    """Side-by-side codes of two coders per disagreeing segment, with consensus decisions."""

    DEFAULT_CSS = """
    DisagreementScreen #disagreement-title { height: auto; padding: 0 1; background: $panel; }
    DisagreementScreen DataTable { height: 1fr; }
    DisagreementScreen #disagreement-detail { height: auto; max-height: 50%; padding: 0 1;
        border-top: solid $primary; overflow-y: auto; }
    """

    BINDINGS = [
        Binding("a", "decide('a')", "Take A", id="consensus.take_a"),
        Binding("b", "decide('b')", "Take B", id="consensus.take_b"),
        Binding("u", "decide('both')", "Both", id="consensus.take_both"),
        Binding("n", "decide('neither')", "Neither", id="consensus.take_neither"),
        Binding("ctrl+z", "undo", "Undo", id="consensus.undo"),
        Binding("escape", "close", "Back", id="consensus.close"),
    ]

    def __init__(self, project, coder_a: str, coder_b: str, transcript_id: str, *,
                 consensus: str = CONSENSUS) -> None:
        super().__init__(id="disagreements")
        self.project = project
        self.coder_a, self.coder_b = coder_a, coder_b
        self.transcript_id = transcript_id
        self.consensus = consensus
        self.items: list[SegmentCodings] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="disagreement-title")
            yield Table(cursor_type="row", zebra_stripes=True, id="disagreement-table")
            yield Static(id="disagreement-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Segment", cell(f"A: {self.coder_a}"), cell(f"B: {self.coder_b}"), "Consensus")
        self.reload()
        table.focus()

    # ------------------------------------------------------------------ state
    @property
    def current(self) -> SegmentCodings | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def reload(self, keep_row: int | None = None) -> None:
        """Read the disagreements again (after a decision, or codings changed elsewhere)."""
        try:
            self.items = disagreements(self.project, self.coder_a, self.coder_b, self.transcript_id,
                                       consensus=self.consensus)
        except CoderError as e:
            self.items = []
            self.notify(str(e), title="Cannot compare", severity="error")
        table = self.query_one(DataTable)
        table.clear()
        for n, item in enumerate(self.items, 1):
            table.add_row(str(n), _short(item.segment.text, 60), self._codes(item.codes_a),
                          self._codes(item.codes_b), self._codes(item.codes_consensus, empty="—"), key=item.segment.id)
        if self.items and keep_row is not None:
            table.move_cursor(row=min(keep_row, len(self.items) - 1))
        decided = sum(1 for i in self.items if i.consensus)
        title = (f"{self.transcript_id}: {self.coder_a} (A) vs {self.coder_b} (B) — "
                 f"{len(self.items)} segment(s) differ, {decided} with a consensus coding")
        if not self.items:
            title = f"{self.transcript_id}: {self.coder_a} and {self.coder_b} agree on every segment"
        self.query_one("#disagreement-title", Static).update(Text(title))
        self._show(self.current)

    def _codes(self, codes, empty: str = "") -> Text:
        if not codes:
            return Text(empty)
        out = Text()
        book = self.project.codebook
        for i, code_id in enumerate(sorted(codes)):
            code = book.get(code_id)
            if i:
                out.append(", ")
            out.append(code.name if code else code_id, style=code.colour if code and code.colour else "")
        return out

    def _show(self, item: SegmentCodings | None) -> None:
        detail = self.query_one("#disagreement-detail", Static)
        if item is None:
            detail.update("")
            return
        text = Text(item.segment.text + "\n\n")
        for label, codes in ((f"A ({self.coder_a}): ", item.codes_a), (f"B ({self.coder_b}): ", item.codes_b),
                             ("Consensus: ", item.codes_consensus)):
            text.append(label, style="bold")
            text.append_text(self._codes(codes, empty="none"))
            text.append("\n")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self.current)

    # ---------------------------------------------------------------- actions
    def action_decide(self, choice: str) -> None:
        item = self.current
        if item is None:
            return
        row = self.query_one(DataTable).cursor_row
        try:
            done = decide(self.project, item, choice, consensus=self.consensus)
        except CoderError as e:
            self.notify(str(e), title="Not recorded", severity="error")
            self.reload(keep_row=row)
            return
        self.notify("; ".join(done) if done else "consensus already matches", title="Consensus")
        self.reload(keep_row=row + 1 if row is not None else None)

    def action_undo(self) -> None:
        try:
            change = self.project.undo(self.consensus)
        except CoderError as e:
            self.notify(str(e), title="Undo failed", severity="error")
            return
        self.notify(str(change) if change else "nothing to undo", title="Consensus")
        self.reload(keep_row=self.query_one(DataTable).cursor_row)

    def action_close(self) -> None:
        self.dismiss(None)


def _short(text: str, limit: int) -> Text:
    flat = " ".join(text.split())
    return Text(flat if len(flat) <= limit else flat[: limit - 1] + "…")
