"""Fuzzy pickers in the command palette ("Apply code…", "Filter to code…", …) and the main provider."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterable

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider


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
                yield DiscoveryHit(entry.title, entry.callback, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.callback, help=entry.help)


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


def run_action_entry(node, title: str, help: str, action: str) -> Entry:
    return Entry(title, help, partial(node.run_action, action))
