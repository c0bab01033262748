"""The suggestion-quality panel (Q): decisions by band at once, cross-validation in a background process."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable

from tests.ui.conftest import log_events, ready


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def drawn(app, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id).render())


async def until(pilot, condition, seconds: float = 90.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await asyncio.sleep(0.1)
        await pilot.pause()
    raise AssertionError("the condition did not hold in time")


async def test_the_quality_panel_opens_counts_decisions_by_band_and_never_blocks_a_key(build, project_root):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        coding = app.screen
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await ready(pilot)
        top = coding.suggestions[0]
        await pilot.press("enter")  # accept: the band it was shown in goes into the log
        await pilot.pause()
        (accepted,) = [e for e in log_events(project_root) if e["type"] == "apply"]
        assert accepted["origin"]["band"] == top.band

        await pilot.press("A")
        await pilot.pause()
        assert app.screen.id == "quality"
        await until(pilot, lambda: app.jobs.get("quality") is not None and app.jobs.get("quality").state != "idle")
        job = app.jobs.get("quality")
        assert job.state in ("running", "done") and job._proc is not None  # cross-validation runs in its own process
        await until(pilot, lambda: rows(app, "#quality-bands"))
        table = {r[0]: r for r in rows(app, "#quality-bands")}
        assert table[top.band][1:] == ["1", "0", "1.00"]
        assert "omputing…" in drawn(app, "#quality-progress") or job.state == "done"

        # Keys work while it runs: back to the transcript, move, come back.
        before = coding.sel.cursor
        await pilot.press("escape", "j")
        await pilot.pause()
        assert app.screen is coding and coding.sel.cursor != before

        await until(pilot, lambda: job.state == "done")
        await pilot.press("A")
        await until(pilot, lambda: rows(app, "#quality-codes"))
        codes = {r[0]: r for r in rows(app, "#quality-codes")}
        assert codes[top.code][1] == "1"  # coded once: no figures, and says why
        assert codes[top.code][-1] == "too few codings (1 of 8)"
        await until(pilot, lambda: "not yet (no code has 8 coded passages yet)" in drawn(app, "#quality-progress"))
        assert app.jobs.get("quality") is job  # nothing changed since: the saved result, not recomputed
        assert "omputing" not in drawn(app, "#quality-progress")
        assert "Fine-tuning is off" in drawn(app, "#quality-fine-tune")
        await pilot.press("escape")
        assert app.screen is coding

        # A new coding makes the saved result stale: it is shown, marked, and recomputed in the background.
        await pilot.press("j", "2")
        await ready(pilot)
        await pilot.press("A")
        await until(pilot, lambda: app.jobs.get("quality") is not job)
        await until(pilot, lambda: app.jobs.get("quality").state == "done")
        await until(pilot, lambda: "omputing" not in drawn(app, "#quality-progress"))
        await pilot.press("r")  # r recomputes even when nothing changed
        await until(pilot, lambda: app.jobs.get("quality").running or app.jobs.get("quality").state == "done")
        await pilot.press("escape")


async def test_the_panel_is_in_the_command_palette(build):
    from coder.ui.commands import BY_ID

    command = BY_ID["quality.open"]
    assert command.key == "A" and command.palette and command.action == "quality"
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"suggestion quality")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "quality", 10)


async def test_the_panel_shows_fine_tuning_progress_and_a_due_round_starts_by_itself(build, project_root,
                                                                                   monkeypatch):
    from coder.core.suggest.background import BackgroundJob

    config = project_root / "coder.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fine_tune: true\n", encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "fine_tune_after: 1\n", encoding="utf-8")  # a small project
    app = build()
    started: list[str] = []

    def start(kind: str) -> BackgroundJob:  # record instead of training a real model here
        job = BackgroundJob(kind, project_root, project_root / ".coder")
        job.state, job.stage, job.done, job.total = "running", "step", 3, 10
        app.jobs.running[kind] = job
        started.append(kind)
        return job

    async with app.run_test(size=(120, 36)) as pilot:
        monkeypatch.setattr(app.jobs, "start", start)
        await ready(pilot)
        app.jobs._check()
        await ready(pilot)
        assert started == []  # nothing coded yet: no round is due
        await pilot.press("right_curly_bracket", "right_curly_bracket", "1")
        await ready(pilot)
        app.jobs._check()
        await ready(pilot)
        await until(pilot, lambda: started == ["fine-tune"], 10)
        await until(pilot, lambda: "fine-tuning 3/10" in drawn(app, "StatusBar"), 10)  # on the coding screen too
        await pilot.press("A")
        await until(pilot, lambda: "Fine-tuning in the background: step 3 of 10…" in drawn(app, "#quality-fine-tune"), 10)


async def test_a_missing_fine_tuned_model_is_said_in_a_toast_and_on_the_panel(build, monkeypatch):
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        service = app.project.suggestions
        monkeypatch.setattr(service, "follow", lambda: ("all-MiniLM-L6-v2-ft-0123abcd", "all-MiniLM-L6-v2"))
        await asyncio.to_thread(app.jobs._follow_model)  # the periodic check, on its worker thread
        await pilot.pause()
        assert "is missing from .coder/models/" in app.jobs.fallback
        toasts = [n.message for n in app._notifications]
        assert any("all-MiniLM-L6-v2-ft-0123abcd is missing" in m and "stock model all-MiniLM-L6-v2" in m
                   for m in toasts), toasts
        await pilot.press("A")
        await until(pilot, lambda: "(the fine-tuned model all-MiniLM-L6-v2-ft-0123abcd is missing"
                    in drawn(app, "#quality-fine-tune"), 10)
