"""Overview: a theme x transcript (or participant, or group) grid of codings, shaded by
characters as well as colour, with how much of each transcript is coded and each coder's
progress.  ``enter`` on a cell opens its retrieval."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from coder.core.query import Filters
from coder.ui.screens.project_list import ProjectListScreen
from coder.ui.widgets.table import Table

SHADES = " ░▒▓█"  # density, darkest for the largest count in the grid: readable without colour
AXES = ("transcript", "participant")
COLUMNS_SHOWN = 24  # groups drawn at a time; ] and [ page through the rest


def shade(n: int, most: int) -> str:
    if n <= 0 or most <= 0:
        return SHADES[0]
    return SHADES[max(1, round(n / most * (len(SHADES) - 1)))]


def cell(n: int, most: int) -> Text:
    glyph = shade(n, most)
    text = Text(glyph * 2, style="bold" if glyph == SHADES[-1] else "")
    text.append(f" {n}" if n else " ·", style="" if n else "dim")
    return text


def percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}%" if total else "–"


class OverviewScreen(ProjectListScreen):
    BINDINGS = [
        Binding("enter", "open", "codings in this cell", id="overview.open", show=False),
        Binding("a", "axis", "transcripts / participants / a group", id="overview.axis"),
        Binding("right_square_bracket", "page(1)", "more columns", id="overview.next"),
        Binding("left_square_bracket", "page(-1)", "earlier columns", id="overview.previous"),
        Binding("escape", "close", "back", id="overview.close"),
    ]

    def __init__(self) -> None:
        super().__init__("overview")
        self.by = self.shown_by = "transcript"
        self.codes: list[str] = []
        self.groups: list[str] = []
        self.first = 0  # the first group (column) shown
        self.answer = None

    def compose(self) -> ComposeResult:
        yield Static("", id="overview-head")
        yield Table(cursor_type="cell", zebra_stripes=False)
        yield Footer(show_command_palette=False)

    def quick(self, q) -> bool:
        return q.has("stats", self.by, None, Filters()) and q.has("coverage")

    def prepare(self, q):
        return self.by, q.stats(by=self.by), q.coverage()

    def show(self, answer) -> None:
        by, counts, _ = answer
        self.answer, self.shown_by, self.first = answer, by, 0
        if by == "transcript":
            self.groups = sorted(self.q.inp.transcripts)
        elif by == "participant":
            self.groups = list(self.q.ix.interviewed)
        else:
            self.groups = sorted({c.group for c in counts})
        self.codes = [c.id for c in self.q.ix.codes]
        self.draw()

    def draw(self) -> None:
        """The grid's columns from :attr:`first`, a page of them (a table of a thousand columns
        takes seconds to draw)."""
        by, counts, (by_transcript, by_coder) = self.answer
        book = self.q.inp.codebook
        grid = {(c.code, c.group): c.codings for c in counts}
        most = max(grid.values(), default=0)
        shown = self.groups[self.first:self.first + COLUMNS_SHOWN]
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("theme", key="theme")
        for g in shown:
            table.add_column(Text(g), key=g)
        for code_id in self.codes:
            name = "  " * (book.level(code_id) - 1) + book.get(code_id).name
            table.add_row(Text(name), *(cell(grid.get((code_id, g), 0), most) for g in shown), key=code_id)
        if by == "transcript":
            table.add_row(Text("coded (participant sentences)", style="italic"),
                          *(Text(percent(*by_transcript.get(g, (0, 0)))) for g in shown), key="__coded")
        head = Text("Codings per theme (a theme counts its sub-themes) by ", style="bold")
        head.append(by)
        head.append(f"; shading {SHADES[1]}{SHADES[2]}{SHADES[3]}{SHADES[4]} up to {most}. Coders' progress: ")
        head.append(", ".join(f"{c} {percent(*v)}" for c, v in by_coder.items()) or "nobody has coded yet")
        if len(self.groups) > COLUMNS_SHOWN:
            head.append(f"\ncolumns {self.first + 1}–{self.first + len(shown)} of {len(self.groups)} "
                        "(] shows the next ones, [ the earlier ones)", style="dim")
        self.query_one("#overview-head", Static).update(head)

    def action_page(self, step: int) -> None:
        first = self.first + step * COLUMNS_SHOWN
        if self.answer is None or not 0 <= first < len(self.groups):
            return
        self.first = first
        self.draw()

    def action_axis(self) -> None:
        from coder.core.export.index import attributes
        from coder.ui.pickers import Entry, picker

        if self.q is None:
            return

        def choose(by: str) -> None:
            self.by = by
            self.reload()

        options = [*AXES, *sorted(attributes(self.q.inp))]
        self.app.push_screen(picker([Entry(o, f"themes by {o}", lambda o=o: choose(o)) for o in options],
                                    "Themes by…"))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from coder.ui.screens.retrieval import RetrievalScreen

        table = self.query_one(DataTable)
        row, col = table.cursor_coordinate
        if row >= len(self.codes) or col == 0:
            return
        group = self.groups[self.first + col - 1]
        if self.shown_by in AXES:
            filters = Filters(**{self.shown_by: group})
        else:
            filters = Filters(where=((self.shown_by, group),))
        self.push_then_back(RetrievalScreen(self.codes[row], True, filters))
