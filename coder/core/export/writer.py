"""Writing tables: CSV or one XLSX workbook, atomically and byte-for-byte reproducibly.

* CSV: UTF-8 (no byte-order mark), ``\\n`` line ends, a header row, empty cells
  for missing values.
* XLSX: one sheet per table plus an ``about`` sheet describing every column;
  text that a spreadsheet could run as a formula is stored as quote-prefixed
  text (see :mod:`coder.core.export.safe`); the workbook's internal
  timestamps are fixed, so the same tables give the same bytes.
* Every file is written to a temporary file in the same folder, flushed and
  fsynced, then renamed over the target: a crash never leaves half a file.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError
from coder.core.export.table import Table

FIXED_TIME = datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
SHEET_NAME_MAX = 31

def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    table.frame(safe=True).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def write_csv(table: Table, out_dir: Path) -> Path:
    return write_atomic(out_dir / table.file, csv_bytes(table))


def sheet_names(tables: list[Table]) -> dict[str, str]:
    """Table name -> a unique sheet name of at most 31 characters."""
    out: dict[str, str] = {}
    used: set[str] = {"about"}
    for t in tables:
        name = t.name[:SHEET_NAME_MAX]
        n = 2
        while name.lower() in used:
            suffix = f"~{n}"
            name = t.name[: SHEET_NAME_MAX - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        out[t.name] = name
    return out


def xlsx_bytes(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from coder.core.export.safe import is_risky

    names = sheet_names(tables)
    about = Table("about", "About these tables", "one column of one table", "",
                  {"sheet": "sheet name", "table": "table", "unit": "what one row is",
                   "denominator": "what percentages are out of", "column": "column name", "meaning": "what it holds"},
                  [[names[t.name], t.title, t.unit, t.denominator, col, meaning]
                   for t in tables for col, meaning in t.columns.items()])
    book = Workbook(write_only=True)

    def cell(sheet, value):
        if value.__class__ is not str:
            return value
        # control characters other than tab and newline cannot be stored in a workbook
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not is_risky(value):
            return value
        guarded = WriteOnlyCell(sheet, value)
        guarded.data_type = "s"  # text, never a formula, shown as written
        guarded.quotePrefix = True  # and kept text when the researcher edits it
        return guarded

    for t in [about, *tables]:
        sheet = book.create_sheet(names.get(t.name, t.name))
        for row in [list(t.columns), *t.rows]:
            sheet.append([cell(sheet, v) for v in row])
    props = book.properties
    props.created = props.modified = FIXED_TIME
    props.creator = props.lastModifiedBy = "coder"
    buf = io.BytesIO()
    book.save(buf)
    return fixed_zip(buf.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """Re-pack a workbook with fixed entry times and a fixed "modified" property
    (openpyxl stamps the time of saving), so identical content gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise CoderError(f"{out_dir} is a file, not a folder", hint="give --out a folder to write the tables to")
