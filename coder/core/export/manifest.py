"""manifest.json: what was exported, from what, how, and what every column means."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import coder
from coder.core.export.inputs import ExportInput
from coder.core.export.options import ExportOptions
from coder.core.export.safe import RULE
from coder.core.export.table import Table

RULES = {
    "units": ("a segment is one sentence of a transcript; a coding belongs to the participant(s) whose turns it "
              "overlaps (interviewer text belongs to nobody); 'interviewed participants' are participant ids "
              "appearing in at least one transcript"),
    "roll_up": "a parent theme counts the distinct segments and participants of itself and all its sub-themes, never a sum",
    "percentages": "rounded half up from the exact fraction; 'k/N (p%)' cells use whole percentages",
    "confidence_intervals": "Wilson score interval, 95%",
    "quote_choice": ("quotes are spread across distinct participants first; joint-display quotes prefer speakers "
                     "with a positive answer to the outcome, then speakers not asked it, then others, and alternate "
                     "between roles (participants and practitioners) so both voices appear; then quotes "
                     "of 40-400 characters, longest first, then transcript and position"),
    "spreadsheet_safety": RULE,
    "sorting": "rows are in codebook order for codes, and sorted by id or value otherwise",
}


def suppression_rule(min_cell: int) -> str:
    if min_cell <= 1:
        return "none: every count is shown"
    return (f"in aggregate tables (theme_by_*, theme_by_outcome, joint_display, cooccurrence), participant "
            f"counts from 1 to {min_cell - 1} are shown as '<{min_cell}' and the percentages, intervals and "
            f"differences they would reveal are left empty; zero is shown. Row-level tables (participants, "
            f"quotes, matrix, quote_matrix) are not suppressed: do not publish them")


def manifest(inp: ExportInput, options: ExportOptions, tables: list[Table], files: dict[str, Path],
             digests: dict[str, str], sheets: dict[str, str] | None = None, now: datetime | None = None) -> dict:
    """``files``/``digests``: where each table went and the SHA-256 of that file;
    ``sheets``: each table's sheet name when the tables went into one workbook."""
    book = inp.codebook
    return {
        "tool": "coder",
        "version": coder.__version__,
        "created": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "project": inp.name,
        "content_hash": inp.content_hash(),
        "codebook": {"name": book.name, "file": book.file.name if book.file else "", "codes": len(book.codes)},
        "participants_file": inp.participants.path.name if inp.participants.path else "",
        "coders": inp.coders if inp.coder is None else [inp.coder],
        "coders_merged": inp.coder is None,
        "options": options.to_json(),
        "suppression": suppression_rule(options.min_cell),
        "rules": RULES,
        "left_out": {"count": len(inp.left_out),
                     "rule": "codings whose place is uncertain after a transcript edit are not exported until the "
                             "researcher re-places or confirms them (`coder orphans`, or R in the workbench)",
                     "codings": inp.left_out},
        "unreadable_transcripts": {"count": len(inp.unreadable),
                                   "rule": "a transcript that cannot be read is left out; the rest is exported",
                                   "files": inp.unreadable},
        "skipped_log_lines": {"count": len(inp.skipped_lines),
                              "rule": "damaged coding-log lines are read past; `coder check --repair` quarantines them",
                              "lines": inp.skipped_lines},
        "tables": [{**t.describe(), "file": files[t.name].name,
                    **({"sheet": sheets[t.name]} if sheets else {}), "sha256": digests[t.name]} for t in tables],
    }


def manifest_bytes(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
