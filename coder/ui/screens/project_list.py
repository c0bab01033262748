"""What the screens that read back across the project share: the query engine, built and
asked off the screen's thread (a large project takes seconds to index: the screen says it
is reading and every key still works), a table filled a page at a time, and going back
with a place to show (transcript, start, end)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import work
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from coder.core.errors import CoderError

PAGE = 200  # rows added to a table at a time, as the cursor nears the last one shown
MARGIN = 10  # rows drawn at first beyond a screenful, so the first frame comes soon
LOADING = "Reading the project… (the list fills in when it is ready; escape goes back)"


class Pager:
    """A long list's rows added to a table a page at a time: tens of thousands of codings are
    listed at once, but only what the cursor comes near is drawn."""

    def __init__(self, table: DataTable, cells: Callable[[object], list], height: int = 1) -> None:
        self.table, self.cells, self.height = table, cells, height
        self.rows: Sequence = ()
        self.shown = 0

    def fill(self, rows: Sequence) -> None:
        self.rows, self.shown = rows, 0
        self.table.clear()
        self.more(self.table.app.size.height // self.height + MARGIN)  # a screenful: the rest as the cursor nears

    def more(self, n: int = PAGE) -> None:
        end = min(len(self.rows), self.shown + n)
        for i in range(self.shown, end):
            self.table.add_row(*self.cells(self.rows[i]), height=self.height, key=str(i))
        self.shown = end

    def follow(self, row: int) -> None:
        """Add the next page when the cursor is within a quarter page (or half of what is shown)
        of the last row shown."""
        if self.shown < len(self.rows) and row >= self.shown - min(PAGE // 4, self.shown // 2):
            self.more()


class ProjectListScreen(Screen):
    COLUMNS: tuple[str, ...] = ()  # fixed columns, added once (screens that vary them add their own)

    def __init__(self, id: str) -> None:
        super().__init__(id=id)
        self.q = None

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in self.COLUMNS:
            table.add_column(name, key=name)
        table.focus()
        self.reload()

    # ----------------------------------------------------- reading, off-thread
    def reload(self) -> None:
        """Ask again (the project's current state, the screen's current settings).  When the
        engine is built and current and the answer is quick, it is drawn at once, in the same
        frame as the key (no worker: a thread's answer waits for the screen's next turn, and
        the screen's work slows the thread); else it is asked off the screen's thread and
        drawn when it comes."""
        q, now = self.app.project.query_if_current()
        if q is not None and self.quick(q):
            self.workers.cancel_group(self, "query")  # an older question's answer must not follow
            self.q = q
            self.show(self.prepare(q))
            return
        if self.q is None:
            self.say_loading()
        self._ask(now)

    def quick(self, q) -> bool:
        """Whether :meth:`prepare` on the engine ``q`` takes no longer than a frame."""
        return True

    def say_loading(self) -> None:
        self.query_one(f"#{self.id}-head", Static).update(Text(LOADING, style="italic"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="query")
    def _ask(self, now):
        q = self.app.project.query(now)  # reused while no file changed; else rebuilt from what did not
        return q, self.prepare(q)

    def prepare(self, q):
        """What the screen shows, computed from the engine ``q`` (on a worker thread: no widgets here)."""
        return None

    def show(self, answer) -> None:
        """Draw ``answer`` (what :meth:`prepare` returned), on the screen's thread."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "query":
            return
        if event.state is WorkerState.SUCCESS:
            self.q, answer = event.worker.result
            self.show(answer)
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, CoderError) else f"{type(error).__name__}: {error}"
            self.query_one(f"#{self.id}-head", Static).update(Text(message))
            self.notify(message, title="Cannot read the project", severity="error", markup=False)

    # ---------------------------------------------------------------- the list
    def current_of(self, rows: Sequence):
        """The row under the table's cursor, or None."""
        table = self.query_one(DataTable)
        if not rows or table.cursor_row is None or table.cursor_row >= min(len(rows), table.row_count):
            return None
        return rows[table.cursor_row]

    def push_then_back(self, screen: Screen) -> None:
        """Open ``screen``; when it comes back with a place, go back with it too."""
        self.app.push_screen(screen, lambda place: self.dismiss(place) if place else None)

    def action_close(self) -> None:
        self.dismiss(None)
