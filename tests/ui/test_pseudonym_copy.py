"""The identifier review finds its candidates in the background, and writes the pseudonymised
copy from the workbench: a dialog for the folder and the key (checked as typed), a worker
with progress, and where the copy and the key went said at the end."""

from __future__ import annotations

import stat
import threading

from textual.widgets import Checkbox, DataTable, Input, Label

from coder.core.project import Project
from coder.ui.screens.pseudonym_copy import CopyDialog
from coder.ui.screens.pseudonyms import PseudonymScreen
from tests.ui.conftest import ready


def _status(app) -> str:
    return str(app.screen.query_one("#pseudonyms-status", Label).render())


async def test_candidates_are_found_in_the_background_while_keys_work(build, monkeypatch):
    release = threading.Event()
    real = Project.pseudonym_candidates

    def slow(self, use_ner=None, progress=None):
        release.wait(10)
        return real(self, use_ner, progress)

    monkeypatch.setattr(Project, "pseudonym_candidates", slow)
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PseudonymScreen) and screen.candidates is None
        assert "Finding identifiers" in str(screen.query_one("#pseudonyms-detail").render())
        await pilot.press("j", "a", "x")  # nothing to decide yet: no-ops, and no wait
        await pilot.press("w")  # the copy dialog opens while the search goes on
        await pilot.pause()
        assert isinstance(app.screen, CopyDialog)
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        texts = [str(screen.query_one(DataTable).get_row_at(i)[3]) for i in range(screen.query_one(DataTable).row_count)]
        assert "Ana" in texts and "identifiers to review" in _status(app)


async def _fill(pilot, field: Input, value: str) -> None:
    field.focus()
    field.value = value
    await pilot.pause()


async def test_the_copy_is_written_from_the_workbench_with_the_key_kept_apart(build, project_root, tmp_path):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("W")  # from the coding screen: the review screen, asking where at once
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CopyDialog)
        out_field, key_field = dialog.query_one("#copy-out", Input), dialog.query_one("#copy-key", Input)
        assert out_field.value.endswith("study-pseudonymised") and out_field.selected_text == ""
        check = dialog.query_one("#dialog-check", Label)

        await _fill(pilot, key_field, str(project_root / "exports" / "key.csv"))
        assert "the key file must be outside the project" in str(check.render())
        await pilot.press("enter")  # refused: the dialog stays
        await pilot.pause()
        assert app.screen is dialog
        await _fill(pilot, key_field, str(tmp_path / "copy" / "key.csv"))
        await _fill(pilot, out_field, str(tmp_path / "copy"))
        assert "outside the project and outside the copy" in str(check.render())

        await _fill(pilot, key_field, str(tmp_path / "keys" / "study-key.csv"))
        assert str(check.render()).startswith("✓") and "accepted candidates only (--accept reviewed)" in str(check.render())
        dialog.query_one("#copy-all", Checkbox).value = True  # every candidate, as --accept all
        await pilot.pause()
        assert "every candidate not rejected (--accept all)" in str(check.render()), "said in words, not by colour alone"
        key_field.focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PseudonymScreen)
        await pilot.press("j")  # keys work while it writes
        await screen.workers.wait_for_complete()
        await pilot.pause()
        said = _status(app)
        assert str(tmp_path / "copy") in said and str(tmp_path / "keys" / "study-key.csv") in said

    key = tmp_path / "keys" / "study-key.csv"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and "Ana" in key.read_text(encoding="utf-8")
    copy = Project.open(tmp_path / "copy")
    assert not list((tmp_path / "copy").rglob("*key*"))
    assert copy.check() == [] and "Ana" not in copy.transcript("p01-interview").text


async def test_a_copy_of_reviewed_candidates_warns_of_those_nobody_reviewed(build, project_root, tmp_path):
    app = build()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("W")
        await pilot.pause()
        dialog = app.screen
        await _fill(pilot, dialog.query_one("#copy-key", Input), str(tmp_path / "keys" / "key.csv"))
        await _fill(pilot, dialog.query_one("#copy-out", Input), str(tmp_path / "copy"))
        await pilot.press("enter")  # the box left unticked: only reviewed candidates, and nobody reviewed any
        await pilot.pause()
        screen = app.screen
        await screen.workers.wait_for_complete()
        await pilot.pause()
        said = _status(app)
        assert "nobody has reviewed were left as written" in said and "--accept all" in said
        assert any(n.severity == "warning" and "left as written" in n.message for n in app._notifications)
    assert "Ana" in Project.open(tmp_path / "copy").transcript("p01-interview").text  # as the warning says
