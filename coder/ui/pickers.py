"""Fuzzy pickers in the command palette ("Apply code…", "Filter to code…", …) and the main provider.

Both match with :func:`coder.ui.fuzzy.match` (word starts first), and draw every title and help
line literally: code names, quotes and transcript ids are user text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterable

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from coder.ui.fuzzy import match
from coder.ui.literal import literal

MATCH_STYLE = Style(reverse=True)


@dataclass(frozen=True)
class Entry:
    """One palette line: what it says, its help text and what choosing it does."""

    title: str
    help: str
    callback: Callable[[], Any]
    discover: bool = True


class _EntriesProvider(Provider):
    """Offers a fixed list of entries, matched fuzzily on their titles."""

    entries: tuple[Entry, ...] = ()

    def _entries(self) -> Iterable[Entry]:
        return self.entries

    async def discover(self) -> Hits:
        for entry in self._entries():
            if entry.discover:
                yield DiscoveryHit(literal(entry.title), entry.callback, text=entry.title,
                                   help=_help(entry))

    async def search(self, query: str) -> Hits:
        for entry in self._entries():
            found = match(query, entry.title)
            if found is not None:
                yield Hit(found.score, highlight(entry.title, found.positions), entry.callback,
                          text=entry.title, help=_help(entry))


def _help(entry: Entry) -> Content | None:
    # Content, not str: the palette would read a str as markup.
    return literal(entry.help) if entry.help else None


def highlight(title: str, positions: tuple[int, ...]) -> Content:
    """``title`` drawn literally, the matched letters highlighted."""
    content = literal(title)
    for i in positions:
        if i < len(title) and not title[i].isspace():
            content = content.stylize(MATCH_STYLE, i, i + 1)
    return content


def picker(entries: Iterable[Entry], placeholder: str) -> CommandPalette:
    """A command palette offering only ``entries``."""
    provider = type("Picker", (_EntriesProvider,), {"entries": tuple(entries)})
    return CommandPalette(providers=[provider], placeholder=placeholder)


class ScreenCommands(_EntriesProvider):
    """The palette's view of the current screen: its commands that apply now, and context entries.

    A screen takes part by defining ``palette_entries() -> list[Entry]`` (Hike's
    "commands defined once, shown where ``check_action`` allows").
    """

    def _entries(self) -> Iterable[Entry]:
        # One provider for everything keeps the palette's order stable (providers answer concurrently).
        screen = self.screen
        source = getattr(screen, "palette_entries", None)
        entries = list(source()) if source is not None else []
        app_entries = getattr(self.app, "palette_entries", None)
        return entries + (list(app_entries()) if app_entries is not None else [])


def command_entry(node, command) -> Entry:
    """A palette line for a :class:`~coder.ui.commands.Command`: its title, then (once, not the
    title again) its keys and any detail of its description."""
    from coder.ui.keymap import effective_keys, key_display

    keymap = getattr(getattr(node.app, "settings", None), "keymap", None) or {}
    keys = " ".join(key_display(k) for k in effective_keys(command, keymap))
    detail = command.description[len(command.title):].strip().removeprefix("(").removesuffix(")")
    keys = f"{'keys' if ' ' in keys else 'key'} {keys}" if keys else ""
    help = " · ".join(part for part in (keys, detail) if part)
    return Entry(command.title, help, partial(node.run_action, command.action))
