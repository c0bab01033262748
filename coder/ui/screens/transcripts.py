"""Switch transcript: each one's progress and its participants' attributes."""

from __future__ import annotations

import bisect

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label
from textual.worker import Worker, WorkerState, get_current_worker

from coder.core.errors import CoderError
from coder.ui.commands import LIST_COMMANDS, bindings
from coder.ui.literal import cell
from coder.ui.widgets.table import Table

COLUMNS = ("transcript", "coded", "words", "participant", "programme", "nation", "role")


def coded_segments(segments, codings) -> int:
    """How many of ``segments`` overlap at least one coding."""
    starts = [s.start for s in segments]
    covered: set[int] = set()
    for c in codings:
        i = max(0, bisect.bisect_right(starts, c.start) - 1)
        while i < len(segments) and segments[i].start < c.end:
            if c.start < segments[i].end:
                covered.add(i)
            i += 1
    return len(covered)


def column_widths(project, ids: list[str]) -> dict[str, int]:
    """Fixed widths, known before any transcript is read, so the table never jumps while it fills:
    ids from the list, attributes from the participant table (a longer value is cut)."""
    widths = {"transcript": max([10, *map(len, ids)]), "coded": 16, "words": 6, "participant": 14}
    try:
        table = project.participants
        rows = [table.get(pid) for pid in table.ids]
    except CoderError:
        rows = []
    for name in COLUMNS[4:]:
        widths[name] = min(24, max([len(name), *(len(str(row.get(name) or "")) for row in rows)]))
    return widths


class TranscriptsScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "back", id="transcripts.close"),
        *bindings(LIST_COMMANDS),
        Binding("g", "first", "first", show=False),
        Binding("G", "last", "last", show=False),
    ]

    def __init__(self, current: str | None) -> None:
        super().__init__(classes="dialog")
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide") as box:
            box.border_title = "Transcripts"
            yield Table(cursor_type="row", zebra_stripes=True)
            yield Label("enter opens · esc goes back · progress = participant sentences coded by you", classes="dialog-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        project = self.app.project
        try:
            ids = project.transcript_ids()
        except CoderError as exc:
            self.notify(str(exc), severity="error", title="Not done")
            ids = []
        widths = column_widths(project, ids)
        for name in COLUMNS:
            table.add_column(name, key=name, width=widths[name])
        for tid in ids:
            table.add_row(cell(tid), "…", "…", "…", "…", "…", "…", key=tid)
        if self.current in ids:
            table.move_cursor(row=ids.index(self.current))
        table.focus()
        self._fill(ids)

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcript-list")
    def _fill(self, ids: list[str]) -> None:
        project, coder = self.app.project, self.app.coder
        worker = get_current_worker()
        for tid in ids:
            if worker.is_cancelled:
                return
            try:
                transcript = project.transcript(tid)
                info = project.transcript_info(transcript)
                codings = project.codings(coder, tid) if coder else []  # nobody named yet: nothing coded
                attrs = project.participants.get(info.participants[0]) if info.participants else {}
            except CoderError as exc:
                self.app.call_from_thread(self._row, tid, ("error", "", exc.message[:40], "", "", ""))
                continue
            counted = transcript.participant_segments
            total = len(counted) or 1
            done = coded_segments(counted, codings)
            people = ", ".join(info.participants) if len(info.participants) <= 2 else \
                f"{info.participants[0]} +{len(info.participants) - 1}"
            cells = (f"{done}/{len(counted)} {100 * done // total}%", str(info.words), people,
                     attrs.get("programme", transcript.meta.get("programme", "")),
                     attrs.get("nation", transcript.meta.get("nation", "")),
                     attrs.get("role", transcript.meta.get("role", "")))
            self.app.call_from_thread(self._row, tid, cells)

    def _row(self, tid: str, cells: tuple[str, ...]) -> None:
        table = self.query_one(DataTable)
        for column, value in zip(COLUMNS[1:], cells):
            table.update_cell(tid, column, cell(value))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"could not list transcripts: {event.worker.error}", severity="error")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_first(self) -> None:
        self.query_one(DataTable).action_scroll_top()

    def action_last(self) -> None:
        self.query_one(DataTable).action_scroll_bottom()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
