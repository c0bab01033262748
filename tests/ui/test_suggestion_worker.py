"""The workbench with its model in a worker process (the fake encoder, pickled into it), and who gets suggestions."""

from __future__ import annotations

import os
import signal

from coder.core.suggest.fake import FakeEncoder
from tests.ui.conftest import log_events, ready


def drawn(widget) -> str:
    return str(widget.render())


def option_texts(app) -> list[str]:
    box = app.screen.query_one("#suggestions")
    return [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]


def in_worker(build):
    app = build(encoder=None)  # no stand-in for the app: the model goes to a worker process…
    app.project.suggestions.encoder = FakeEncoder()  # …which is handed the fake one
    return app


async def test_suggestions_come_from_the_worker_and_a_crash_leaves_the_workbench_working(build, project_root):
    app = in_worker(build)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen, service = app.screen, app.project.suggestions
        assert screen._model_status() == "ready" and service._worker is not None
        await pilot.press("j")
        await ready(pilot)
        assert screen.suggestions and screen.suggestions[0].model == "fake-bow-256"
        proc = service._worker._proc
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        await pilot.press("j")
        await ready(pilot)
        assert screen.suggestions == []
        assert "model error" in drawn(screen.query_one("#status"))
        assert any("the suggestion process stopped" in t for t in option_texts(app))
        await pilot.press("1")  # coding goes on without suggestions
        await ready(pilot)
        assert [e["code"] for e in log_events(project_root) if e.get("code")] == ["confidence"]


async def test_quitting_ends_the_worker_process(build):
    app = in_worker(build)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        proc = app.project.suggestions._worker._proc
        assert proc.poll() is None
    assert proc.returncode is not None  # ended and reaped with the app


async def test_an_interviewer_sentence_gets_no_suggestions(build):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("j")
        await ready(pilot)
        assert screen.suggestions, "a participant's sentence has some"
        await pilot.press("right_curly_bracket")  # the interviewer's next question
        await ready(pilot)
        assert screen.is_interviewer(screen.nav[screen.sel.cursor])
        assert screen.suggestions == []
        assert option_texts(app) == ["no suggestions here"]
