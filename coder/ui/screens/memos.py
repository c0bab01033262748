"""Every memo of the project, on codings, transcripts and codes, each opening its target."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from coder.core.errors import CoderError
from coder.core.query import MemoRow
from coder.core.query.filters import parse_condition
from coder.ui.screens.project_list import Pager, ProjectListScreen
from coder.ui.screens.retrieval import clip
from coder.ui.widgets.table import Table

FILTERS = ("coder", "code", "transcript")
JOURNAL = "journal"  # the target of project memos


class MemosScreen(ProjectListScreen):
    BINDINGS = [
        Binding("enter", "open", "open its place", id="memos.open", show=False),
        Binding("w", "filter", "filter", id="memos.filter"),
        Binding("J", "journal", "project journal", id="memos.journal"),
        Binding("escape", "close", "back", id="memos.close"),
    ]
    COLUMNS = ("on", "about", "memo", "coder", "when")

    def __init__(self) -> None:
        super().__init__("memos")
        self.filters: dict[str, str] = {}
        self.rows: list[MemoRow] = []
        self.pager: Pager | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="memos-head")
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Static("", id="memos-detail")
        yield Footer(show_command_palette=False)

    def quick(self, q) -> bool:
        return q.has("memos")

    def prepare(self, q):
        filters, error = self.filters, None
        try:
            rows = q.memos(**filters)
        except CoderError as exc:
            filters, error = {}, str(exc)
            rows = q.memos()
        return filters, rows, error

    def show(self, answer) -> None:
        self.filters, self.rows, error = answer
        if error:
            self.notify(error, title="Not a filter", severity="error", markup=False)
        book = self.q.inp.codebook

        def cells(r: MemoRow) -> list[Text]:
            code = book.get(r.code) if r.code else None
            on = f"{r.kind}: {code.name}" if r.kind == "coding" and code else r.kind
            about = f"{r.transcript} “{clip(r.about, 40)}”" if r.kind == "coding" else r.about
            return [Text(on), Text(about), Text(clip(r.text, 60)), Text(r.coder), Text(r.time[:16])]

        self.pager = Pager(self.query_one(DataTable), cells)
        self.pager.fill(self.rows)
        head = Text(f"{len(self.rows)} memo(s)", style="bold")
        head.append("; filter: " + ("; ".join(f"{k}={v}" for k, v in self.filters.items()) or
                                    "none (w: coder=NAME; code=ID; transcript=ID)"))
        self.query_one("#memos-head", Static).update(head)
        self._detail()

    def current(self) -> MemoRow | None:
        return self.current_of(self.rows)

    def _detail(self) -> None:
        r = self.current()
        self.query_one("#memos-detail", Static).update(Text(r.text) if r else Text("No memos yet (m writes one)."))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pager is not None:
            self.pager.follow(event.cursor_row)
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        """A coding memo opens the coding, selected; a transcript memo opens the transcript;
        a code memo opens the code's retrieval."""
        from coder.ui.screens.retrieval import RetrievalScreen

        r = self.current()
        if r is None:
            return
        if r.kind == "coding":
            self.dismiss((r.transcript, r.start, r.end))
        elif r.kind == "transcript":
            self.dismiss((r.transcript, 0, 0))
        elif self.q is not None and self.q.inp.codebook.get(r.code):
            self.push_then_back(RetrievalScreen(r.code))

    def action_journal(self) -> None:
        """Write or edit your project journal: analytic notes on the project as a whole."""
        from coder.ui.screens.dialogs import MemoDialog

        project, coder = self.app.project, self.app.coder
        mine = [m for m in project.memos("project", JOURNAL) if m.coder == coder]
        current = mine[-1].text if mine else ""

        def save(text: str | None) -> None:
            if text is None or text == current:
                return
            try:
                project.memo(coder, "project", JOURNAL, text)
            except CoderError as exc:
                self.notify(str(exc), title="Not done", severity="error", markup=False)
                return
            self.reload()

        self.app.push_screen(MemoDialog(f"Project journal of {coder}", current), save)

    def action_filter(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        def apply(text: str | None) -> None:
            if text is None:
                return
            try:
                pairs = [parse_condition(p) for p in text.split(";") if p.strip()]
            except CoderError as exc:
                self.notify(str(exc), title="Not a filter", severity="error", markup=False)
                return
            unknown = [k for k, _ in pairs if k not in FILTERS]
            if unknown:
                self.notify(f"filter memos by {', '.join(FILTERS)}, not {', '.join(unknown)}", severity="error",
                            markup=False)
                return
            self.filters = {k: v for k, v in pairs if v}
            self.reload()

        current = "; ".join(f"{k}={v}" for k, v in self.filters.items())
        self.app.push_screen(TextDialog("Filter memos: coder=NAME; code=ID; transcript=ID (empty: all)", current,
                                        "code=community-power"), apply)
