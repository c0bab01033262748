"""User-facing errors and problems.

A :class:`CoderError` is a mistake the *user* can fix (a bad file, a missing
column); it carries the file and line it is about and a hint.  The CLI and the
TUI show it as ``file:line: message`` and never as a traceback.  A
:class:`Problem` is one finding of a validation pass (``coder check``); many
problems can be reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file."""

    file: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class CoderError(Exception):
    """A mistake the user can fix. Never shown with a traceback."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> "CoderError":
        errors = [p for p in problems if p.severity is Severity.ERROR]
        first = errors[0] if errors else problems[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return cls(first.message + more, file=first.file, line=first.line, hint=first.hint)
