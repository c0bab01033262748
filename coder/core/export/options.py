"""What ``coder export`` is asked to produce."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

DEFAULT_GROUP_BY = ("programme", "nation", "role")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportOptions:
    """Options of one export run.

    ``coder``: one coder's codings, or None for every coder merged.
    ``codes``: restrict every table to these codes and their descendants (empty: all).
    ``group_by``: participant attributes to break themes down by; None means
    ``programme``, ``nation`` and ``role``, each only if the project has it.
    ``min_cell``: counts from 1 to ``min_cell - 1`` in aggregate tables are shown
    as ``"<min_cell>"`` and their percentages left empty (0 or 1: no suppression).
    ``format``: ``csv`` (one file per table) or ``xlsx`` (one workbook, a sheet per table).
    ``quotes_per_cell``: quotes per theme x group in the quote matrix, and per
    row of the joint display.
    ``pathway_window``: in the pathways table, two themes' codings by the same
    speaker count as close together within the same turn or at most this many
    sentences apart.
    ``wave``: the wave to report when transcripts name waves (None: the first);
    ``by_wave``: report every wave, each row marked with its wave (see :mod:`.waves`).
    ``ids``: quote tables meant for reports (quote matrices, joint-display
    quotes, pathways) name speakers by participant id, transcript and
    attributes; without it, only by a descriptor (role, programme, nation).
    """

    coder: str | None = None
    codes: tuple[str, ...] = ()
    group_by: tuple[str, ...] | None = None
    min_cell: int = 0
    format: Literal["csv", "xlsx"] = "csv"
    quotes_per_cell: int = 3
    ids: bool = False
    wave: str | None = None
    by_wave: bool = False
    pathway_window: int = 2

    def to_json(self) -> dict:
        d = asdict(self)
        d["codes"] = list(self.codes)
        d["group_by"] = list(self.group_by) if self.group_by is not None else None
        return d
