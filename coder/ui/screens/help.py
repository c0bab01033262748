"""Every key, from the command table and the user's keymap."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coder.core.errors import CoderError
from coder.ui.commands import ALL_COMMANDS, Command
from coder.ui.keymap import effective_keys, key_display


def keys_table(commands: tuple[Command, ...], keymap: dict[str, str], code_names: dict[str, str] | None = None
               ) -> Table:
    """Every command with its keys after the user's keymap; digit keys name the code they apply."""
    code_names = code_names or {}
    table = Table(box=None, expand=True, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("keys", no_wrap=True)
    table.add_column("does")
    table.add_column("binding id", style="dim", no_wrap=True)
    group = None
    for c in commands:
        if c.group != group:
            group = c.group
            table.add_row(Text(group, style="bold underline"), "", "")
        description = c.description
        if c.id.startswith("code.apply-"):
            name = code_names.get(c.id.removeprefix("code.apply-"))
            description += f": {name}" if name else " (no code has this key)"
        table.add_row(Text(" ".join(key_display(k) for k in effective_keys(c, keymap))), Text(description), Text(c.id))
    return table


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "back", id="help.close")]

    def compose(self) -> ComposeResult:
        keymap = self.app.settings.keymap
        try:
            names = {c.key: c.name for c in self.app.project.codebook.codes if c.key}
        except CoderError:
            names = {}
        with VerticalScroll(id="help-body"):
            yield Static("Keys of the coding screen. Remap any of them in settings.yaml under "
                         "`keymap:` by binding id (e.g. `code.apply: ctrl+a`). The footer shows the keys "
                         "that apply now; ctrl+p finds any command by name.", id="help-intro")
            yield Static(keys_table(ALL_COMMANDS, keymap, names), id="help-keys")
        yield Footer(show_command_palette=False)
