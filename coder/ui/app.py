"""The coding workbench app and the factory the CLI and the tests both use.

    from coder.ui.app import make_app
    make_app(Path("."), "ana").run()

Start-up stays light: nothing here imports spaCy, torch or pandas.  The
transcript and the suggestion model load in thread workers after the first
paint (see :class:`~coder.ui.screens.coding.CodingScreen`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from textual.app import App

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.ui.commands import APP_COMMANDS, bindings
from coder.ui.jobs import Jobs
from coder.ui.keymap import check_keymap
from coder.ui.pickers import Entry, ScreenCommands, command_entry
from coder.ui.settings import UserSettings, load_settings

STATE_FILE = "ui.json"  # under the project's .coder/ cache folder: the last transcript opened


class CoderApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "coder"
    BINDINGS = bindings(APP_COMMANDS)
    COMMANDS = {ScreenCommands}
    COMMAND_PALETTE_DISPLAY = "ctrl+p"

    def __init__(self, project: Project, coder: str, *, settings: UserSettings | None = None,
                 settings_error: CoderError | None = None, encoder=None, remember: bool = True) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.settings = settings or UserSettings()
        self.encoder = encoder
        self.jobs = Jobs(self)  # cross-validation and fine-tuning, in background processes
        self._settings_error = settings_error
        self._remember = remember
        self.sub_title = project.name

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every toast (from any screen or widget) shows its message literally, never as markup:
        messages quote transcript words, code names and file names (see :mod:`coder.ui.literal`)."""
        super().notify(str(message), title=str(title), severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        from coder.ui.screens.coding import CodingScreen

        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.set_keymap(self.settings.keymap)
        self.push_screen(CodingScreen())
        if self._settings_error is not None:
            self.notify(str(self._settings_error), title="Settings ignored", severity="error", timeout=10)
        for message in check_keymap(self.settings.keymap):
            self.notify(message, title="Keymap", severity="warning", timeout=10)
        self.jobs.watch()
        if not self.coder:  # asked at once, so that a name typed while the app starts reaches the dialog
            self.screen.action_switch_coder()

    def on_unmount(self) -> None:
        from coder.ui.pauses import release

        self.jobs.close()
        self.project.close()  # the suggestion model's process ends with the workbench
        release()

    def remember_coder(self, name: str) -> None:
        """Keep a first-time coder name in the user's settings, so the next start knows it."""
        from coder.ui.settings import default_settings_path, remember_coder

        path = self.settings.path or default_settings_path()
        try:
            remember_coder(path, name)
        except CoderError as exc:
            self.notify(str(exc), title="Name not saved in settings", severity="warning")
            return
        self.notify(f"Saved in {path}: you will code as {name} next time too (C switches).", timeout=6)

    def palette_entries(self) -> list[Entry]:
        """The app-wide commands the palette offers on every screen (after the screen's own)."""
        out = [command_entry(self, c) for c in APP_COMMANDS if c.palette]
        out.append(Entry("Choose a theme…", "Pick any Textual theme", self.action_change_theme))
        return out

    # ---------------------------------------------------------------- actions
    def action_help(self) -> None:
        from coder.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def edit_definition(self, code_id: str, after: Callable[[], None]) -> None:
        """Edit a code's definition in a dialog; ``after`` runs once the codebook file has it."""
        from coder.ui.screens.dialogs import LongTextDialog

        try:
            code = self.project.codebook.get(code_id)
        except CoderError as exc:
            self.notify(str(exc), title="Codebook problem", severity="error")
            return
        if code is None:
            return

        def save(text: str | None) -> None:
            if text is None or text == code.definition.strip():
                return
            try:
                self.project.set_definition(code_id, text)
            except CoderError as exc:
                self.notify(str(exc), title="Not done", severity="error")
                return
            self.notify(f"Definition of {code.name} saved to the codebook", timeout=3)
            after()

        self.push_screen(LongTextDialog(f"Definition of {code.name}", code.definition.strip(), what="definition"),
                         save)

    # ------------------------------------------------------- remembered state
    # .coder/ui.json: {"transcript": the last one opened, "positions": {coder: {transcript: offset}}}.
    # A cache: failing to read or write it is not worth bothering the researcher.
    def _state_path(self) -> Path:
        return self.project.config.cache / STATE_FILE

    def _read_state(self) -> dict:
        if not self._remember:
            return {}
        try:
            state = json.loads(self._state_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self, **changes) -> None:
        if not self._remember:
            return
        state = {**self._read_state(), **changes}
        try:
            self._state_path().parent.mkdir(exist_ok=True)
            self._state_path().write_text(json.dumps(state), encoding="utf-8")
        except OSError:
            pass

    def initial_transcript(self, ids: list[str]) -> str | None:
        """The transcript to open first: the last one opened here, else the first."""
        if not ids:
            return None
        last = self._read_state().get("transcript")
        return last if last in ids else ids[0]

    def remember_transcript(self, tid: str) -> None:
        self._write_state(transcript=tid)

    def last_position(self, tid: str) -> int | None:
        """Where this coder's selection last started in a transcript (a character offset)."""
        positions = self._read_state().get("positions")
        mine = positions.get(self.coder) if isinstance(positions, dict) else None
        offset = mine.get(tid) if isinstance(mine, dict) else None
        return offset if isinstance(offset, int) and offset >= 0 else None

    def remember_position(self, tid: str, offset: int) -> None:
        if not self.coder:
            return
        positions = self._read_state().get("positions")
        positions = positions if isinstance(positions, dict) else {}
        mine = positions.get(self.coder)
        positions[self.coder] = {**(mine if isinstance(mine, dict) else {}), tid: offset}
        self._write_state(positions=positions)

def _coder_name(option: str | None, settings: UserSettings) -> str:
    """Who codes: option, CODER_NAME, then the settings file; "" when nobody is set (the app asks)."""
    from coder.core.codings.identity import resolve_coder

    who = resolve_coder(option, settings_file=settings.path, required=False)
    return who.name if who else ""


def make_app(root: Path, coder: str | None = None, *, encoder=None, settings_path: Path | None = None) -> CoderApp:
    """Open the project at ``root`` and build the app (raises CoderError if it is not a project).

    ``coder``: who codes (else CODER_NAME, else the settings file, else the app asks).
    ``encoder``: a sentence encoder for the suggestions (tests pass a fake one).
    ``settings_path``: the user settings file (default ``$XDG_CONFIG_HOME/coder/settings.yaml``).
    """
    project = Project.open(root)
    error = None
    try:
        settings = load_settings(settings_path)
    except CoderError as exc:
        settings, error = UserSettings(settings_path), exc
    return CoderApp(project, _coder_name(coder, settings), settings=settings, settings_error=error,
                    encoder=encoder)
