"""Where a pseudonymised copy and its key go: a dialog with the two paths, checked as they are typed.

The check is the one ``coder pseudonymise --out DIR --key FILE`` makes
(:meth:`Project.check_pseudonym_places`): the copy outside the project, the key outside the
project (so its exports), outside the copy and out of any git repository that would track it.
Its answer is shown under the fields, literally; enter writes only where it allows.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label

from coder.core.errors import CoderError
from coder.ui.literal import literal


def default_places(root: Path) -> tuple[Path, Path]:
    """Beside the project: ``study-pseudonymised/`` for the copy and ``study-pseudonym-key.csv`` for the key."""
    root = root.resolve()
    return root.parent / f"{root.name}-pseudonymised", root.parent / f"{root.name}-pseudonym-key.csv"


class CopyDialog(ModalScreen[tuple[Path, Path, str] | None]):
    """The copy's folder, the key file and which candidates to apply (the accepted ones, as
    ``--accept reviewed``, or every one not rejected, as ``--accept all``): enter (in either field)
    writes, tab moves, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="copy-dialog.cancel")]

    def __init__(self, check, out: Path, key: Path) -> None:
        super().__init__(classes="dialog")
        self._check, self._out, self._key = check, out, key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal("Write a pseudonymised copy")
            yield Label("Folder for the copy (outside the project):")
            yield Input(str(self._out), id="copy-out", select_on_focus=False)
            yield Label("Key file (outside the project and the copy, not where git tracks it; owner-only):")
            yield Input(str(self._key), id="copy-key", select_on_focus=False)
            yield Checkbox("Replace every candidate not rejected, not only the accepted ones (--accept all)",
                           False, id="copy-all")
            yield Label("", id="dialog-check")
            yield Label("enter to write · tab to the next field (space ticks the box) · esc to cancel",
                        classes="dialog-help")

    def on_mount(self) -> None:
        field = self.query_one("#copy-out", Input)
        field.focus()
        field.cursor_position = len(field.value)
        self.problem()

    def _paths(self) -> tuple[Path, Path]:
        return Path(self.query_one("#copy-out", Input).value.strip()), \
            Path(self.query_one("#copy-key", Input).value.strip())

    def problem(self) -> str | None:
        """What is wrong with the two paths (also shown under them), or None."""
        out, key = self._paths()
        try:
            out, key = self._check(out, key)
            which = ("every candidate not rejected (--accept all)" if self.query_one("#copy-all", Checkbox).value
                     else "the accepted candidates only (--accept reviewed)")
            problem, message = None, f"✓ the copy goes to {out}, the key to {key}; replacing {which}"
        except CoderError as exc:
            problem = message = str(exc)
        label = self.query_one("#dialog-check", Label)
        label.update(literal(message))
        label.set_class(problem is not None, "refused")
        return problem

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.problem()

    def on_checkbox_changed(self, _event: Checkbox.Changed) -> None:
        self.problem()  # the line under the fields says which candidates, in words as well as the tick

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        problem = self.problem()
        if problem is not None:
            self.notify(problem, title="Not there", severity="error")
            return
        out, key = self._paths()
        accept = "all" if self.query_one("#copy-all", Checkbox).value else "reviewed"
        self.dismiss((out.expanduser(), key.expanduser(), accept))

    def action_cancel(self) -> None:
        self.dismiss(None)
