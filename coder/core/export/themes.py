"""Theme tables: how often, and for whom, each theme comes up.

Counts are of *counted participants* (interviewed, with their transcripts coded:
see :mod:`coder.core.export.coverage`), with segments beside them; parents count the distinct segments and participants of
themselves and their descendants.
"""

from __future__ import annotations

from coder.core.export.index import ALL, ExportIndex
from coder.core.export.stats import points
from coder.core.export.table import Table

MISSING = "(not recorded)"


def _label(value: str) -> str:
    return value if value else MISSING


def group_denominator(variable: str, value: str) -> str:
    if variable == ALL:
        return "all interviewed participants whose transcripts are coded"
    return f"interviewed participants with {variable} = {_label(value)} whose transcripts are coded"


NOT_COUNTED = "interviewed participants in the group not yet counted (their transcripts are not done)"


def _code_columns() -> dict[str, str]:
    return {
        "code_id": "the theme (code) id",
        "code_name": "its label",
        "code_path": "ids from the top-level theme down, '/'-separated",
        "level": "1 for a top-level theme",
    }


def theme_by_group(ix: ExportIndex) -> Table:
    columns = {
        **_code_columns(),
        "group_variable": "participant attribute the row is about ('all': the whole interviewed sample)",
        "group_value": f"its value ({MISSING!r} when the participant table leaves it empty)",
        "segments": "distinct segments (sentences) coded with the theme or any sub-theme, spoken by participants in the group",
        "participants_mentioning": "participants in the group with at least one such segment",
        "participants_in_group": "counted participants in the group (the denominator; see the manifest's 'counting' rule)",
        "percent": "participants_mentioning / participants_in_group x 100, one decimal",
        "denominator": "what the percentage is out of, in words",
        "not_yet_counted": NOT_COUNTED,
    }
    book = ix.inp.codebook
    groups = ix.groups()
    rows = []
    for code in ix.codes:
        mentioning = ix.mentioning(code.id)
        for var, val, members in groups:
            k = mentioning.intersection(members)
            shown = ix.count(k)
            segments = ix.units_of(code.id, members) if isinstance(shown, int) else None  # 1 segment = 1 person
            rows.append([code.id, code.name, "/".join(ix.path(code.id)), book.level(code.id),
                         var, _label(val) if var != ALL else ALL, segments,
                         shown, ix.count(members), ix.percent(k, members),
                         group_denominator(var, val), ix.count(ix.not_counted(var, val))])
    return Table("theme_by_group", "Themes by participant group (long)",
                 "one theme x group (the whole sample, then each value of each group variable)",
                 "counted participants in the group: interviewed, with their transcripts coded",
                 columns, rows)


def theme_crosstabs(ix: ExportIndex) -> list[Table]:
    """One wide table per group variable: themes down, group values across, ``k/N (p%)``."""
    book = ix.inp.codebook
    tables = []
    for var in ix.group_by:
        values = ix.group_values(var)
        members = {v: ix.members(var, v) for v in values}
        columns = {**_code_columns(),
                   "all": "all counted participants: mentioning/counted (percent)"}
        names = {}
        for v in values:
            name = _label(v) if _label(v) not in columns else f"{var}={_label(v)}"
            names[v] = name
            columns[name] = f"counted participants with {var} = {_label(v)}: mentioning/counted in group (percent)"
        rows = []
        for code in ix.codes:
            mentioning = ix.mentioning(code.id)
            row = [code.id, code.name, "/".join(ix.path(code.id)), book.level(code.id),
                   ix.share(mentioning, ix.counted)]
            row += [ix.share(mentioning.intersection(members[v]), members[v]) for v in values]
            rows.append(row)
        rows.append(["", "not yet counted", "", "", ix.count(ix.not_counted(ALL, ALL)),
                     *[ix.count(ix.not_counted(var, v)) for v in values]])
        tables.append(Table(f"theme_by_{var}", f"Themes by {var} (k/N participants, %)",
                            "one theme; the last row: interviewed participants not yet counted",
                            f"counted participants with each {var} value", columns, rows))
    return tables


def theme_by_outcome(ix: ExportIndex) -> Table:
    book = ix.inp.codebook
    columns = {
        "outcome_id": "questionnaire outcome",
        "wording": "its wording",
        **_code_columns(),
        "linked": "yes if the outcomes definition links this theme to the outcome",
        "positive_n": "counted participants asked the item who gave a positive answer",
        "positive_mentioning": "of those, participants mentioning the theme",
        "positive_percent": "positive_mentioning / positive_n x 100",
        "other_n": "counted participants asked the item who answered, but not positively",
        "other_mentioning": "of those, participants mentioning the theme",
        "other_percent": "other_mentioning / other_n x 100",
        "difference_pp": "positive_percent - other_percent, in percentage points (unrounded inputs)",
    }
    rows = []
    for o in ix.inp.outcomes:
        pos, other = [], []
        for pid in ix.counted:
            row = ix.attrs(pid)
            if not o.applies_to(row):
                continue
            flag = o.is_positive(row.get(o.column, ""))
            if flag is not None:
                (pos if flag else other).append(pid)
        linked = {book.resolve(t) for t in o.themes}
        for code in ix.codes:
            mentioning = ix.mentioning(code.id)
            kp, ko = mentioning.intersection(pos), mentioning.intersection(other)
            p_pos, p_other = ix.percent(kp, pos), ix.percent(ko, other)
            diff = None
            if p_pos is not None and p_other is not None:
                diff = points(100 * (len(kp) / len(pos) - len(ko) / len(other)))
            rows.append([o.id, o.wording, code.id, code.name, "/".join(ix.path(code.id)), book.level(code.id),
                         "yes" if code.id in linked else "no",
                         ix.count(pos), ix.count(kp), p_pos, ix.count(other), ix.count(ko), p_other, diff])
    return Table("theme_by_outcome", "Themes by questionnaire outcome",
                 "one outcome x theme",
                 "counted participants asked the item (outcome's asked_of) with a non-empty answer, "
                 "split by whether the answer is positive",
                 columns, rows)

