"""A finished table: its rows and what they mean (for the manifest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str  # file stem (``quotes`` -> quotes.csv) and sheet name
    title: str
    unit: str  # what one row is
    denominator: str  # what percentages are out of ("" when the table has none)
    columns: dict[str, str]  # column -> meaning, in output order
    rows: list[list[Any]] = field(repr=False, compare=False)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def frame(self, safe: bool = False):
        """The rows as a pandas DataFrame (object dtype: ints stay ints, None stays empty).

        ``safe``: neutralise text cells and column names that a spreadsheet would
        run as formulas (see :mod:`coder.core.export.safe`), as written to files.
        """
        import pandas as pd

        from coder.core.export.safe import neutralise, neutralise_rows

        if safe:
            return pd.DataFrame(neutralise_rows(self.rows), columns=[neutralise(c) for c in self.columns], dtype=object)
        return pd.DataFrame(self.rows, columns=list(self.columns), dtype=object)

    def records(self) -> list[dict[str, Any]]:
        names = list(self.columns)
        return [dict(zip(names, row)) for row in self.rows]

    def describe(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "unit": self.unit,
            "denominator": self.denominator,
            "rows": len(self.rows),
            "columns": [{"name": c, "meaning": m} for c, m in self.columns.items()],
        }
