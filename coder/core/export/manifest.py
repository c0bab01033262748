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
    "quote_choice": ("quotes are spread across distinct participants first; then quotes of 40-400 characters, longest "
                     "first, then transcript and position. Joint-display quotes are labelled with the speaker's answer "
                     "to the item; supporting quotes come only from speakers with a positive answer or not asked the "
                     "item (e.g. practitioners), positive first, alternating between roles; quotes of speakers who "
                     "answered otherwise or not at all are listed as 'other views', never as support"),
    "speakers_in_report_tables": ("quote_matrix*, joint_display(_quotes) and pathways(_quotes) name a speaker by role, "
                                  "programme and nation; participant ids, transcripts and other attributes only with "
                                  "--ids. quotes.csv, matrix.csv and participants.csv keep ids (analysis files)"),
    "benchmarks": ("an outcome may have several benchmarks, each for all respondents or for one group (e.g. nation = "
                   "Wales); each joint-display row is compared only with the benchmark for exactly its group and "
                   "benchmark_note says when there is none"),
    "pathways": ("for each codebook leads_to link: counted participants mentioning the first theme, the second, and "
                 "both (share of the first); codings of both by the same speaker in one turn or at most "
                 "pathway_window sentences apart are 'close'. Association in the coded material, not causation"),
    "spreadsheet_safety": RULE,
    "sorting": "rows are in codebook order for codes, and sorted by id or value otherwise",
}


def suppression_rule(min_cell: int) -> str:
    if min_cell <= 1:
        return "none: every count is shown"
    return (f"complementary suppression over every aggregate table at once (theme_by_*, theme_by_outcome, "
            f"joint_display, cooccurrence, pathways): participant counts from 1 to {min_cell - 1}, and differences "
            f"of that size between a count and a count of some of the same people (e.g. respondents minus positive "
            f"answers), are protected; small counts are shown as '<{min_cell}', and further counts are shown as "
            f"'suppressed' until no hidden or protected count can be worked out from the counts shown (sums over "
            f"a group variable's values, differences, and the bounds '<{min_cell}' = 1..{min_cell - 1} and "
            f"'never negative'); percentages, intervals, differences and segment counts that would reveal a hidden "
            f"count are left empty; zero is shown. Row-level tables (participants, quotes, matrix, quote_matrix) "
            f"are not suppressed: do not publish them")


def manifest(inp: ExportInput, options: ExportOptions, tables: list[Table], files: dict[str, Path],
             digests: dict[str, str], sheets: dict[str, str] | None = None, now: datetime | None = None) -> dict:
    """``files``/``digests``: where each table went and the SHA-256 of that file;
    ``sheets``: each table's sheet name when the tables went into one workbook."""
    from coder.core.export.index import input_coverage

    book = inp.codebook
    cover = input_coverage(inp)
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
        "rules": {**RULES, "counting": cover.rule},
        "counting": {"mode": cover.mode, "participants_counted": len(cover.counted),
                     "transcripts_not_done": list(cover.not_done)},
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
