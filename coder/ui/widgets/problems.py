"""The codebook's problems, shown for as long as they last (a toast would vanish before it is read)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from coder.core.errors import Problem, Severity


def problems_text(problems: list[Problem], root: Path) -> Text:
    """``file:line: message (hint)`` for each error, under a line saying what to do."""
    out = Text()
    out.append("The codebook is broken: fix the file; it is read again when saved.\n", style="bold")
    for problem in problems:
        file = problem.file
        try:
            file = str(Path(file).resolve().relative_to(root.resolve()))
        except (ValueError, OSError):
            pass
        where = f"{file}:{problem.line}" if problem.line else file
        out.append(f"{where}: ", style="bold")
        out.append(problem.message + (f" ({problem.hint})" if problem.hint else "") + "\n")
    out.rstrip()
    return out


class ProblemsPanel(Static):
    """Hidden while there is no error; else every error of the codebook, with its place."""

    problems: list[Problem] = []

    def show(self, problems: list[Problem], root: Path) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors == self.problems:
            return
        self.problems = errors
        self.display = bool(errors)
        if errors:
            self.update(problems_text(errors, root))
