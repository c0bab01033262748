"""Search the corpus: words, a phrase or a regular expression across every transcript.

Hits come from ``Project.query().search``, the engine of ``coder search``; ``enter`` opens
the transcript with the hit selected, ready to code.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from coder.core.errors import CoderError
from coder.core.query import SearchHit
from coder.core.query.corpus import Hits
from coder.ui.screens.project_list import Pager
from coder.ui.screens.retrieval import clip
from coder.ui.widgets.table import Table


def hit_cell(h: SearchHit, width: int = 80) -> Text:
    """The hit in its sentence, the match in reverse video (visible without colour)."""
    side = max(8, (width - len(h.text)) // 2)
    before = " ".join(h.before.split())
    before = before if len(before) <= side else "…" + before[-(side - 1):]
    cell = Text(before + (" " if h.before[-1:].isspace() else ""))
    cell.append(" ".join(h.text.split()), style="reverse bold")
    cell.append((" " if h.after[:1].isspace() else "") + clip(h.after, side))
    return cell


class CorpusSearchScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "open in transcript", id="corpus.open", show=False),
        Binding("slash", "edit", "new search", id="corpus.edit"),
        Binding("ctrl+a", "speakers", "everyone / participants", id="corpus.speakers", priority=True),
        Binding("ctrl+e", "regex", "words / regular expression", id="corpus.regex", priority=True),
        Binding("escape", "close", "back", id="corpus.close"),
    ]

    def __init__(self, pattern: str = "") -> None:
        super().__init__(id="corpus-search")
        self.pattern, self.regex, self.speakers = pattern, False, "participants"
        self.hits: Sequence[SearchHit] = []
        self.pager: Pager | None = None

    def compose(self) -> ComposeResult:
        yield Input(self.pattern, placeholder="words to find in every transcript (enter searches)", id="corpus-input")
        yield Static("", id="corpus-head")
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("transcript", "speaker", "participant", "hit in context"):
            table.add_column(name, key=name)
        self._head()
        if self.pattern:
            self.run_search()
        else:
            self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.pattern = event.value
        self.run_search()

    def run_search(self) -> None:
        """Search off the screen's thread (the engine may first have to read the project)."""
        head = Text(f"Searching every transcript for “{self.pattern}”…", style="italic")
        self.query_one("#corpus-head", Static).update(head)
        _, now = self.app.project.query_if_current()  # the files' stamp, read here: on the worker it is slow
        self._search(self.pattern, self.regex, self.speakers, now)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, pattern: str, regex: bool, speakers: str, now):
        try:
            return self.app.project.query(now).search(pattern, regex, speakers), None
        except CoderError as exc:
            return [], str(exc)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "search" or event.state is not WorkerState.SUCCESS:
            return
        self.hits, error = event.worker.result
        if error:
            self.notify(error, title="Not a search", severity="error", markup=False)
        table = self.query_one(DataTable)
        self.pager = Pager(table, lambda h: [Text(h.transcript), Text(h.speaker), Text(h.participant_id),
                                             hit_cell(h)])
        self.pager.fill(self.hits)
        self._head()
        if self.hits:
            table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pager is not None:
            self.pager.follow(event.cursor_row)

    def _head(self) -> None:
        per = self.hits.per_transcript() if isinstance(self.hits, Hits) else {}
        head = Text(f"{len(self.hits)} hit(s) in {len(per)} transcript(s)", style="bold")
        head.append(f"; {'regular expression' if self.regex else 'words (any case, any spacing)'}, "
                    f"{'participants’ turns' if self.speakers == 'participants' else 'everyone’s turns'} "
                    "(ctrl+e, ctrl+a change)")
        if per:
            head.append("\n" + ", ".join(f"{t} {n}" for t, n in per.items()), style="dim")
        self.query_one("#corpus-head", Static).update(head)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.hits and table.cursor_row is not None and table.cursor_row < len(self.hits):
            h = self.hits[table.cursor_row]
            self.dismiss((h.transcript, h.start, h.end))

    def action_edit(self) -> None:
        self.query_one(Input).focus()

    def action_speakers(self) -> None:
        self.speakers = "all" if self.speakers == "participants" else "participants"
        self.run_search()

    def action_regex(self) -> None:
        self.regex = not self.regex
        self.run_search()

    def action_close(self) -> None:
        self.dismiss(None)
