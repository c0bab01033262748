"""The framework matrix (participant x theme) and the quote matrix (theme x group)."""

from __future__ import annotations

from coder.core.export.index import ALL, ExportIndex
from coder.core.export.quotes import Speakers, column_meanings, descriptor, person_columns, person_values, pick_quotes
from coder.core.export.table import Table
from coder.core.export.themes import _label


def framework_matrix(ix: ExportIndex) -> Table:
    fixed = {"participant_id": "the participant's id",
             "transcript_ids": "transcripts the participant speaks in, '; '-separated",
             "counted": "yes if the theme tables count this participant (their transcripts are coded), else no"}
    cols = person_columns(ix, set(fixed))
    columns = {**fixed, **column_meanings(ix, cols)}
    mention_cols, count_cols = [], []
    for code in ix.codes:
        name = code.id if code.id not in columns else f"theme_{code.id}"
        columns[name] = f"1 if the participant mentions '{code.name}' (or a sub-theme), else 0"
        mention_cols.append(name)
    for code in ix.codes:
        name = f"n_{code.id}"
        name = name if name not in columns else f"theme_{name}"
        columns[name] = f"distinct segments of the participant coded '{code.name}' (or a sub-theme)"
        count_cols.append(name)
    per = {c.id: ix.code_person_units.get(c.id, {}) for c in ix.codes}
    rows = []
    for pid in ix.interviewed:
        counts = [len(per[c.id].get(pid, ())) for c in ix.codes]
        rows.append([pid, "; ".join(ix.transcripts_of.get(pid, [])), "yes" if pid in ix.coverage.counted else "no",
                     *person_values(ix, (pid,), cols),
                     *[1 if n else 0 for n in counts], *counts])
    return Table("matrix", "Framework matrix: participant x theme", "one interviewed participant", "",
                 columns, rows)


def quote_matrix(ix: ExportIndex) -> list[Table]:
    """The long quote matrix, and a wide one per group variable (quotes joined in a cell)."""
    k = ix.options.quotes_per_cell
    fixed = {
        "code_id": "the theme", "code_name": "its label",
        "group_variable": "participant attribute ('all': the whole interviewed sample)",
        "group_value": "its value",
        "quote_rank": f"1..{k}: order of preference within the cell",
        "quote": "the coded text", "coding_id": "the coding's id (as in quotes.csv)",
    }
    who = Speakers(ix, set(fixed))
    columns = {**fixed, **who.columns}
    groups = ix.groups()
    rows = []
    cells: dict[tuple[str, str, str], list[str]] = {}
    for code in ix.codes:
        lists = ix.person_quotes(code.id)
        for var, val, members in groups:
            mine = {pid: lists[pid] for pid in members if pid in lists}
            for rank, (pid, i) in enumerate(pick_quotes(mine, k, ix.quote_key), start=1):
                c = ix.passages[i].coding
                value = ALL if var == ALL else _label(val)
                rows.append([code.id, code.name, var, value, rank, ix.inp.quote(c), c.id, *who.values(pid, i)])
                cells.setdefault((code.id, var, value), []).append(f"\u201c{ix.inp.quote(c)}\u201d ({descriptor(ix, pid)})")
    tables = [Table("quote_matrix", "Quote matrix (long)", "one quote chosen for a theme x group cell", "",
                    columns, rows)]
    for var in ix.group_by:
        values = [_label(v) for v in ix.group_values(var)]
        wide = {"code_id": "the theme", "code_name": "its label", "all": "quotes from the whole interviewed sample"}
        wide.update({v: f"quotes from participants with {var} = {v}" for v in values if v not in wide})
        wide_rows = [[code.id, code.name, "\n\n".join(cells.get((code.id, ALL, ALL), [])),
                      *["\n\n".join(cells.get((code.id, var, v), [])) for v in values if v not in ("code_id", "code_name", "all")]]
                     for code in ix.codes]
        tables.append(Table(f"quote_matrix_{var}", f"Quote matrix: themes x {var}", "one theme", "",
                            wide, wide_rows))
    return tables
