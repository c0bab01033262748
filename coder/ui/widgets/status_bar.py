"""One line: project, coder, transcript, progress, model state and save state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    project: str = ""
    coder: str = ""
    transcript: str = ""
    coded: int = 0
    total: int = 0
    model: str = "idle"
    state: str = "saved"  # "saved", "loading…", or an error message
    error: bool = False
    filter: str = ""
    search: str = ""  # "match 3/12" while a search is active
    selection: str = ""  # the extent of a selection wider or narrower than one sentence
    selection_warning: str = ""  # e.g. "includes the interviewer"
    job: str = ""  # a long suggestion job in the background, e.g. "fine-tuning 12/92"


def status_text(status: Status) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(status.coder or "?", style="bold")
    text.append(" · ")
    text.append(status.transcript or "no transcript")
    if status.total:
        text.append(f" · {status.coded}/{status.total} coded")
    if status.selection:
        text.append(f" · {status.selection}", style="bold")
    if status.selection_warning:
        text.append(f" ⚠ {status.selection_warning}", style="bold reverse")
    if status.filter:
        text.append(f" · filter: {status.filter}", style="bold")
    if status.search:
        text.append(f" · {status.search}", style="bold")
    model = status.model
    if model.startswith("error"):
        text.append(" · ⚠ model error", style="bold")
    else:
        text.append(f" · model {'loading…' if model == 'loading' else model}")
    if status.job:
        text.append(f" · {status.job}", style="italic")
    text.append(" · ")
    text.append(("⚠ " if status.error else "") + status.state, style="bold" if status.error else "")
    text.append(f" · {status.project}", style="dim")
    return text


class StatusBar(Static):
    _status: Status | None = None

    @property
    def showing_selection(self) -> bool:
        """Whether the bar shows a selection's extent (which a move back to one sentence must clear)."""
        return bool(self._status and (self._status.selection or self._status.selection_warning))

    def show(self, status: Status) -> None:
        if status != self._status:
            self._status = status
            self.set_class(status.error, "-error")
            self.update(status_text(status), layout=False)  # one line, always: no layout pass
