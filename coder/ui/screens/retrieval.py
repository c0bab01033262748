"""Code retrieval: every coding of a code across the project, with who said it.

Rows come from ``Project.query()``, the engine of ``coder find``, so the screen and the
command line always agree.  ``enter`` goes to the coding in its transcript, selected.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from coder.core.errors import CoderError
from coder.core.export.options import DEFAULT_GROUP_BY
from coder.core.query import SORTS, Filters, Retrieved, Summary
from coder.ui.screens.project_list import Pager, ProjectListScreen
from coder.ui.widgets.table import Table

MEMO_MARK = "✎"


def clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def quote_cell(r: Retrieved, width: int = 70) -> Text:
    """The quote on the first line, a line of context (dim) under it."""
    cell = Text(clip(r.quote, width))
    context = " … ".join(x for x in (clip(r.before, width // 2) if r.before else "",
                                      clip(r.after, width // 2) if r.after else "") if x)
    cell.append("\n")
    cell.append(clip(context, width) if context else "", style="dim")
    return cell


def group_columns(summary: Summary) -> list[str]:
    """The group attributes worth a column: the default grouping ones that have values."""
    return [g for g in DEFAULT_GROUP_BY if g in summary.attributes]


class RetrievalScreen(ProjectListScreen):
    BINDINGS = [
        Binding("enter", "open", "open in transcript", id="retrieval.open"),
        Binding("w", "filter", "filter", id="retrieval.filter"),
        Binding("s", "sort", "sort", id="retrieval.sort"),
        Binding("h", "children", "sub-codes", id="retrieval.children"),
        Binding("g", "compare", "compare groups", id="retrieval.compare"),
        Binding("x", "export", "export CSV", id="retrieval.export"),
        Binding("m", "memo", "memo", id="retrieval.memo"),
        Binding("c", "recode", "recode", id="retrieval.recode"),
        Binding("d,delete", "remove", "remove", id="retrieval.remove"),
        Binding("escape", "close", "back", id="retrieval.close"),
    ]

    def __init__(self, code: str | None, with_children: bool = True, filters: Filters = Filters()) -> None:
        super().__init__("retrieval")
        self.code, self.with_children, self.filters, self.sort = code, with_children, filters, SORTS[0]
        self.rows: Sequence[Retrieved] = []
        self.groups: list[str] = []
        self.pager: Pager | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="retrieval-head")
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Static("", id="retrieval-detail")
        yield Footer(show_command_palette=False)

    def prepare(self, q):
        settings = (self.code, self.with_children, self.filters, self.sort)
        error = None
        try:
            rows = q.find(self.code, self.with_children, self.filters, self.sort, context=1)
        except CoderError as exc:
            error, settings = str(exc), (self.code, self.with_children, Filters(), self.sort)
            rows = q.find(self.code, self.with_children, Filters(), self.sort, context=1)
        return settings, rows, q.summary(rows), error

    def show(self, answer) -> None:
        settings, rows, summary, error = answer
        if error:
            self.notify(error, title="Not done", severity="error", markup=False)
            self.filters = settings[2]
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.groups = [g for g in group_columns(summary) if g != "role"]
        for name in ("quote", "transcript", "participant", "role", *self.groups, "coder", "origin", "memo"):
            table.add_column(Text(name), key=name)
        self.pager = Pager(table, self._cells, height=2)
        self.pager.fill(rows)
        self._head(summary)
        self._detail()

    def _cells(self, r: Retrieved) -> list[Text]:
        cells = [quote_cell(r), r.transcript, "; ".join(r.participants) or f"({'; '.join(r.speakers)})",
                 r.attributes.get("role", ""), *(r.attributes.get(g, "") for g in self.groups), r.coder, r.origin,
                 MEMO_MARK if r.memo else ""]
        return [c if isinstance(c, Text) else Text(c) for c in cells]

    def _head(self, summary: Summary) -> None:
        head = Text()
        if self.code is None:
            head.append("Every code", style="bold")
            head.append(": ")
        else:
            code = self.q.inp.codebook.get(self.q.code_id(self.code))
            head.append(code.name, style="bold")
            head.append(f" ({code.id}){' with sub-codes' if self.with_children else ''}: ")
        head.append(f"{summary.codings} coding(s), {summary.participants} participant(s), "
                    f"{summary.transcripts} transcript(s); sorted by {self.sort}")
        head.append("\nfilter: ")
        head.append(self.filters.text or "none (w to filter by attribute, coder or origin)")
        self.query_one("#retrieval-head", Static).update(head)

    def _detail(self) -> None:
        r = self.current()
        text = Text()
        if r is None:
            text.append("No codings match." if self.filters.text else "No codings of this code yet.")
        else:
            attrs = ", ".join(f"{k}={v}" for k, v in r.attributes.items() if v)
            text.append(f"{r.code_name} · {r.transcript} {r.coding.start}-{r.coding.end} · {attrs}\n", style="dim")
            if r.before:
                text.append(r.before + " ", style="dim")
            text.append(r.quote, style="bold")
            if r.after:
                text.append(" " + r.after, style="dim")
            if r.memo:
                text.append(f"\n{MEMO_MARK} {r.memo}", style="italic")
        self.query_one("#retrieval-detail", Static).update(text)

    def current(self) -> Retrieved | None:
        return self.current_of(self.rows)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pager is not None:
            self.pager.follow(event.cursor_row)
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()  # the table takes enter

    def action_open(self) -> None:
        r = self.current()
        if r is not None:
            self.dismiss((r.transcript, r.coding.start, r.coding.end))

    def action_filter(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        def apply(text: str | None) -> None:
            if text is None:
                return
            try:
                filters = Filters.from_text(text)
                if self.q is not None:
                    self.q.check_filters(filters)
                self.filters = filters
            except CoderError as exc:
                self.notify(str(exc), title="Not a filter", severity="error", markup=False)
            self.reload()

        self.app.push_screen(TextDialog("Filter: COLUMN=VALUE; … (coder=NAME, origin=manual|suggestion; empty: all)",
                                        self.filters.text, "programme=Local Conversations; nation=Wales"), apply)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_children(self) -> None:
        self.with_children = not self.with_children
        self.reload()

    def action_compare(self) -> None:
        from coder.core.export.index import attributes

        if self.q is None:
            return
        from coder.ui.pickers import Entry, picker
        from coder.ui.screens.compare import CompareScreen

        def open_compare(var: str) -> None:
            self.push_then_back(CompareScreen(self.q, self.code, var, self.with_children, self.filters))

        entries = [Entry(var, f"{self.code} side by side by {var}", lambda var=var: open_compare(var))
                   for var in sorted(attributes(self.q.inp))]
        self.app.push_screen(picker(entries, "Compare groups by…"))

    def action_export(self) -> None:
        if self.q is None:
            return
        name = self.q.code_id(self.code) if self.code else "all-codes"
        self._export(self.rows, self.app.project.config.exports / f"retrieval-{name}.csv")

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, rows: Sequence[Retrieved], path) -> None:
        """Write the view as CSV off the screen's thread (every row is built for it)."""
        from coder.core.atomic import write_atomic
        from coder.core.query.output import records_csv

        try:
            write_atomic(path, records_csv([r.record() for r in rows]))
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"could not write {path.name}: {exc}", title="Not done",
                                      severity="error")
            return
        self.app.call_from_thread(self.notify, f"{len(rows)} row(s) written to exports/{path.name}", timeout=4,
                                  markup=False)

    # ------------------------------------------------- acting on a coding
    def _changed(self, message: str) -> None:
        self.notify(message, timeout=3, markup=False)
        self.reload()  # the log changed: the engine is brought up to date off the screen's thread

    def _own(self) -> Retrieved | None:
        """The highlighted coding, if it is the current coder's (only they can change it)."""
        r = self.current()
        if r is None:
            return None
        if r.coder != self.app.coder:
            self.notify(f"This is {r.coder}'s coding: only they can change it (a memo is yours to add).",
                        severity="warning", markup=False)
            return None
        return r

    def action_memo(self) -> None:
        from coder.ui.screens.dialogs import MemoDialog

        r = self.current()
        if r is None:
            return
        project, coder = self.app.project, self.app.coder
        mine = [m for m in project.memos("coding", r.coding.id) if m.coder == coder]
        current = mine[-1].text if mine else ""

        def save(text: str | None) -> None:
            if text is None or text == current:
                return
            try:
                project.memo(coder, "coding", r.coding.id, text)
            except CoderError as exc:
                self.notify(str(exc), title="Not done", severity="error", markup=False)
                return
            self._changed("Memo saved" if text else "Memo deleted")

        self.app.push_screen(MemoDialog(f"Memo on {r.code_name}: “{clip(r.quote, 60)}”", current), save)

    def action_remove(self) -> None:
        r = self._own()
        if r is None:
            return
        try:
            self.app.project.remove(self.app.coder, r.coding.id)
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error", markup=False)
            return
        self._changed(f"Removed {r.code_name} from “{clip(r.quote, 40)}” (u undoes it on the coding screen)")

    def action_recode(self) -> None:
        from coder.ui.pickers import Entry, picker

        r = self._own()
        if r is None:
            return

        def recode(new: str) -> None:
            project, coder, c = self.app.project, self.app.coder, r.coding
            try:
                project.apply(coder, c.transcript, new, c.start, c.end)
                project.remove(coder, c.id)
            except CoderError as exc:
                self.notify(str(exc), title="Not done", severity="error", markup=False)
                return
            self._changed(f"Recoded “{clip(r.quote, 40)}” from {r.code_name} to {self.q.inp.codebook.get(new).name}")

        entries = [Entry(code.name, f"recode as {code.id}", lambda cid=code.id: recode(cid))
                   for code in self.q.inp.codebook.codes if code.id != r.code]
        self.app.push_screen(picker(entries, "Recode as…"))
