"""The workbench on a project, headless, driven by key events: prints one JSON line of figures.

Run by ``benchmarks/retrieval.py`` in a process of its own (so that its memory is the
workbench's): ``python benchmarks/workbench_keys.py ROOT CODE PHRASE``.  ``ROOT bare`` runs the
baseline instead: a bare Textual app whose key opens a screen with a table of the same size,
its rows made in advance.

Each time is from a key (``App.simulate_key``, as a terminal's key reaches the app) to the
first frame the app renders in which the new rows are there: every frame the compositor
renders is checked, so a time is the researcher's wait from the key to rows on screen.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

SIZE = (160, 50)
REPEAT = 5


def rss() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Frames:
    """When the first frame in which ``test()`` holds was rendered, after a key."""

    def __init__(self, app) -> None:
        self.test, self.at = None, None
        display = app._display

        def watched(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None and self.test is not None and self.at is None:
                try:
                    ok = self.test()
                except Exception:  # the screen is still being put together
                    ok = False
                if ok:
                    self.at = time.perf_counter()

        app._display = watched

    async def key(self, app, key: str, test, limit: float = 600.0) -> float:
        self.test, self.at = test, None
        start = time.perf_counter()
        app.simulate_key(key)
        while self.at is None:
            await asyncio.sleep(0.002)
            if time.perf_counter() - start > limit:
                raise SystemExit(f"timed out after {key}")
        self.test = None
        return self.at - start


async def until(test, limit: float = 600.0) -> float:
    start = time.perf_counter()
    while not test():
        await asyncio.sleep(0.01)  # not pilot.pause(): it waits for the process to go idle
        if time.perf_counter() - start > limit:
            raise SystemExit("timed out")
    return time.perf_counter() - start


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


def median(times: list[float]) -> float:
    return statistics.median(times)


async def workbench(root: str, code: str, phrase: str) -> dict:
    from textual.widgets import DataTable, Input

    from coder.ui.app import make_app
    from coder.ui.screens.coding import CodingScreen

    CodingScreen.start_model = lambda self: None  # the model runs in its own process: not this one's memory
    app = make_app(Path(root), "bench")
    app._remember = False
    frames = Frames(app)
    out: dict = {}
    lateness: list[float] = []  # how late a 10 ms timer on the app's loop fires: how long a key would wait

    async def heart():
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            lateness.append(time.perf_counter() - t - 0.01)

    def table(screen_id: str, selector: str = "DataTable"):
        return app.screen.query_one(selector, DataTable) if app.screen.id == screen_id else None

    def has_rows(screen_id: str, before=None):
        """A test: the screen is up with rows, other than ``before`` (the rows it showed)."""
        def test() -> bool:
            t = table(screen_id)
            pager = getattr(app.screen, "pager", None)
            return t is not None and t.row_count > 0 and (before is None or (pager and pager.rows is not before))
        return test

    async def back(pilot) -> None:
        app.simulate_key("escape")
        await until(lambda: app.screen.id == "coding")
        await settle(pilot)

    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: app.screen.transcript is not None)
        await app.workers.wait_for_complete()
        out["open"] = rss()
        asyncio.get_running_loop().create_task(heart())
        app.screen.query_one("#codebook").select_code(code)  # r: the code highlighted in the codebook
        await pilot.pause()
        t = time.perf_counter()
        app.simulate_key("r")
        await until(lambda: app.screen.id == "retrieval")
        out["r_to_screen"] = time.perf_counter() - t
        head = app.screen.query_one("#retrieval-head")
        await until(lambda: str(head.render()).strip())
        out["reading_shown"] = "Reading the project" in str(head.render())
        t = time.perf_counter()
        app.simulate_key("escape")  # while the engine is built
        await until(lambda: app.screen.id != "retrieval")
        out["escape_while_reading"] = time.perf_counter() - t
        lateness.clear()
        out["r_cold"] = await frames.key(app, "r", has_rows("retrieval"))
        late = sorted(lateness)
        out["lag"] = (late[-1], late[int(len(late) * 0.95)], len(late)) if late else (0, 0, 0)
        out["rows"] = len(app.screen.rows)
        out["retrieval"] = rss()
        await back(pilot)

        # warm: the engine built, nothing changed since
        warm = []
        for _ in range(REPEAT):
            warm.append(await frames.key(app, "r", has_rows("retrieval")))
            await back(pilot)
        out["r_warm"] = warm
        await frames.key(app, "r", has_rows("retrieval"))
        await settle(pilot)
        sorts = []
        for _ in range(REPEAT):
            sorts.append(await frames.key(app, "s", has_rows("retrieval", app.screen.pager.rows)))
            await settle(pilot)
        out["sort"] = sorts
        filters = []
        for text in ("programme=Local Conversations", "programme=Active Communities", "nation=Wales",
                     "programme=Local Conversations; nation=Wales", "coder=coder03"):
            app.simulate_key("w")
            await until(lambda: app.screen.id != "retrieval")
            await settle(pilot)
            app.simulate_key("ctrl+u")
            await pilot.press(*text)
            await settle(pilot)
            before = app.screen_stack[-2].pager.rows
            filters.append(await frames.key(app, "enter", has_rows("retrieval", before)))
            await settle(pilot)
        out["filter"] = filters
        compares = []
        for _ in range(REPEAT):
            app.simulate_key("g")
            await until(lambda: app.screen.id != "retrieval")
            await settle(pilot)
            await pilot.press(*"programme")
            await settle(pilot)
            compares.append(await frames.key(
                app, "enter", lambda: app.screen.id == "compare" and app.screen.query_one("#compare-0").row_count > 0))
            app.simulate_key("escape")
            await until(lambda: app.screen.id == "retrieval")
            await settle(pilot)
        out["compare"] = compares
        await back(pilot)

        # corpus search: the screen, a phrase typed, enter
        searches = []
        for _ in range(REPEAT):
            app.simulate_key("ctrl+f")
            await until(lambda: app.screen.id == "corpus-search")
            await settle(pilot)
            app.screen.query_one(Input).focus()
            app.simulate_key("ctrl+u")
            await pilot.press(*phrase)
            await settle(pilot)
            before = app.screen.pager
            searches.append(await frames.key(app, "enter", lambda: app.screen.id == "corpus-search"
                                             and app.screen.pager is not before
                                             and app.screen.query_one(DataTable).row_count > 0))
            await back(pilot)
        out["search"] = searches

        # the overview grid: the first time on this engine, then again
        grid = lambda: app.screen.id == "overview" and app.screen.query_one(DataTable).row_count > 0  # noqa: E731
        out["overview_first"] = await frames.key(app, "ctrl+o", grid)
        await settle(pilot)
        out["overview"] = rss()
        await back(pilot)
        again = []
        for _ in range(REPEAT):
            again.append(await frames.key(app, "ctrl+o", grid))
            await back(pilot)
        out["overview_warm"] = again

        # after one coding (the engine brought up to date), r again
        screen = app.screen
        text = screen.transcript.text
        start = text.index("Respondent: ", len(text) // 3) + len("Respondent: ")
        coding = app.project.apply("bench", screen.tid, code, start, start + 24)
        out["r_after_coding"] = await frames.key(app, "r", has_rows("retrieval"))
        await back(pilot)
        app.project.remove("bench", coding.id)
        await settle(pilot)
        lateness.clear()
        await asyncio.sleep(3)  # the same timer with nothing running: the baseline
        late = sorted(lateness)
        out["idle_lag"] = (late[-1], late[int(len(late) * 0.95)], len(late)) if late else (0, 0, 0)
    return out


async def bare() -> dict:
    """A bare Textual app: ``r`` opens a screen with a table of the same shape, rows made in advance."""
    from rich.text import Text
    from textual.app import App
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Static

    cells = [[Text(f"quote {i} " * 8 + "\ncontext"), Text("transcript"), Text("P001"), Text("participant"),
              Text("Local Conversations"), Text("Wales"), Text("coder01"), Text("manual"), Text("")]
             for i in range(200)]

    class Table(Screen):
        BINDINGS = [Binding("escape", "app.pop_screen", "back")]

        def compose(self):
            yield Static("head")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for name in ("quote", "transcript", "participant", "role", "programme", "nation", "coder", "origin",
                         "memo"):
                table.add_column(name, key=name)
            for i, row in enumerate(cells):
                table.add_row(*row, height=2, key=str(i))

    class Bare(App):
        BINDINGS = [Binding("r", "open", "open")]

        def compose(self):
            yield Static("bare")

        def action_open(self) -> None:
            self.push_screen(Table(id="retrieval"))

    app = Bare()
    frames = Frames(app)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        for _ in range(REPEAT):
            times.append(await frames.key(app, "r", lambda: app.screen.id == "retrieval"
                                          and app.screen.query_one(DataTable).row_count > 0))
            app.simulate_key("escape")
            await until(lambda: app.screen.id != "retrieval")
            await pilot.pause(0.2)
    return {"bare": times}


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        print(json.dumps(asyncio.run(bare())))
    else:
        print(json.dumps(asyncio.run(workbench(*sys.argv[1:4]))))
