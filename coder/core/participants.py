"""The participant table: one row per participant (attributes + questionnaire answers).

A CSV file with a ``participant_id`` column (``id`` is accepted too).  Every
other column is an attribute (programme, nation, role, …) or a questionnaire
item named by the outcomes definition.  Empty cells mean "not asked / no
answer".  Loading never stops at the first problem; each one carries the
CSV line it is about.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError, Problem

ID_COLUMNS = ("participant_id", "id")


@dataclass(frozen=True)
class ParticipantTable:
    path: Path
    id_column: str
    columns: tuple[str, ...]  # every column, in file order, the id column first
    rows: dict[str, dict[str, str]] = field(repr=False)  # participant id -> column -> value
    lines: dict[str, int] = field(repr=False)  # participant id -> CSV line

    def __contains__(self, pid: str) -> bool:
        return pid in self.rows

    def get(self, pid: str) -> dict[str, str]:
        return self.rows.get(pid, {})

    @property
    def ids(self) -> list[str]:
        return list(self.rows)

    def attribute_columns(self, outcome_columns: set[str]) -> list[str]:
        return [c for c in self.columns if c != self.id_column and c not in outcome_columns]

    @classmethod
    def empty(cls, path: Path) -> "ParticipantTable":
        return cls(path, "participant_id", ("participant_id",), {}, {})


def load_participants(path: Path) -> tuple[ParticipantTable, list[Problem]]:
    """Read the table; raise :class:`CoderError` only if it has no id column at all."""
    from coder.core.text import read_text

    file = str(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise CoderError("the participant table is empty", file=file, line=1,
                         hint="the first line must name the columns, starting with participant_id")
    header = [h.strip() for h in header]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    if id_column is None:
        raise CoderError("the participant table has no `participant_id` column", file=file, line=1,
                         hint=f"rename the column that identifies participants to participant_id (found: {', '.join(header)})")
    problems: list[Problem] = []
    seen_cols: set[str] = set()
    for col in header:
        if col in seen_cols:
            problems.append(Problem(file, 1, f"column '{col}' appears twice"))
        seen_cols.add(col)
    rows: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(Problem(file, line, f"{len(record)} cells where the header has {len(header)}",
                                    hint="check for a missing comma or an unquoted comma in a value"))
        row = {col: (record[i].strip() if i < len(record) else "") for i, col in enumerate(header)}
        pid = row[id_column]
        if not pid:
            problems.append(Problem(file, line, "row without a participant id"))
            continue
        if pid in rows:
            problems.append(Problem(file, line, f"duplicate participant id '{pid}' (first on line {lines[pid]})"))
            continue
        rows[pid] = row
        lines[pid] = line
    columns = (id_column, *[c for c in header if c != id_column])
    return ParticipantTable(path, id_column, columns, rows, lines), problems
