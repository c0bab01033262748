"""The joint display: each questionnaire outcome beside its benchmark, its linked
themes and the quotes that show it (see :mod:`.joint_quotes` for which quotes).

Outcome figures come from the whole participant table (every questionnaire
respondent the item was asked of, with a non-empty answer), not only from the
interviewed; theme counts and quotes come from the interviews.  Each row is
compared only with the benchmark for exactly its group (``for: {nation: Wales}``
in the outcomes file; the whole-sample row with the benchmark for everyone),
never with another group's, and says so when there is none.
"""

from __future__ import annotations

from coder.core.export.index import ALL, ExportIndex
from coder.core.export.joint_quotes import answer_cells, pick_views, quote_text
from coder.core.export.quotes import Speakers
from coder.core.export.stats import points, wilson_percent
from coder.core.export.table import Table
from coder.core.export.themes import _label
from coder.core.outcomes import Outcome


def _respondents(ix: ExportIndex, o: Outcome) -> list[tuple[str, bool]]:
    """(participant, positive?) for everyone in the table asked the item who answered it."""
    out = []
    for pid, row in ix.inp.participants.rows.items():
        if o.applies_to(row):
            flag = o.is_positive(row.get(o.column, ""))
            if flag is not None:
                out.append((pid, flag))
    return out


def _groups(ix: ExportIndex, o: Outcome, respondents: list[tuple[str, bool]]) -> list[tuple[str, str]]:
    groups = [(ALL, ALL)]
    for var in o.report_by:
        groups += [(var, v) for v in sorted({ix.attrs(p).get(var, "") for p, _ in respondents})]
    return groups


def _benchmark_cells(o: Outcome, var: str, val: str, k: int, n: int, shown: bool) -> list:
    b = o.benchmark_for({} if var == ALL else {var: val})
    if b is None:
        scope = "all respondents" if var == ALL else f"{var} = {_label(val)}"
        note = f"no benchmark for {scope}" if o.benchmarks else "no benchmark for this outcome"
        return [None, "", "", "", note, None]
    diff = points(100 * (k / n - b.value)) if shown else None
    return [points(b.value * 100), b.source, b.year, b.population,
            f"for {b.scope}" + (f"; {b.note}" if b.note else ""), diff]


def joint_display(ix: ExportIndex) -> list[Table]:
    k_quotes = ix.options.quotes_per_cell
    book = ix.inp.codebook
    selected = {c.id for c in ix.codes}
    columns = {
        "outcome_id": "questionnaire outcome", "wording": "the item as asked",
        "positive_answers": "answers counted as positive, '; '-separated",
        "group_variable": "one of the outcome's report_by attributes ('all': every respondent)",
        "group_value": "its value",
        "respondents": "participants asked the item (asked_of) with a non-empty answer, from the whole participant table",
        "positive": "of those, participants with a positive answer",
        "percent": "positive / respondents x 100, one decimal",
        "ci_low": "Wilson 95% interval, lower bound (percent)",
        "ci_high": "Wilson 95% interval, upper bound (percent)",
        "display": "positive/respondents (percent) as a report would print it",
        "benchmark_percent": "national benchmark (percent)",
        "benchmark_source": "where the benchmark comes from",
        "benchmark_year": "its year",
        "benchmark_population": "the population it describes",
        "benchmark_note": "which group the benchmark is for and its note, or that there is none for this row's group",
        "difference_pp": "percent - benchmark_percent, in percentage points (from unrounded figures)",
        "interviewed_in_group": "counted participants in the group (interviewed, transcripts coded): the denominator of linked_themes",
        "not_yet_counted": "interviewed participants in the group whose transcripts are not done yet",
        "linked_themes": "themes linked to the outcome: 'name (id): participants mentioning/counted in group', '; '-separated",
        "quotes": (f"up to {k_quotes} supporting quotes, each with who said it and their answer: only from speakers "
                   "with a positive answer, or not asked the item (e.g. practitioners)"),
        "other_views": (f"up to {k_quotes} quotes coded to a linked theme from speakers who answered the item "
                        "negatively or not at all: reported as dissent, never as support"),
    }
    qfixed = {
        "outcome_id": "questionnaire outcome", "group_variable": "as in joint_display", "group_value": "as in joint_display",
        "view": "supporting (positive answer, or not asked) or other view (answered negatively, or asked and no answer)",
        "quote_rank": "1 is shown first, within the view", "theme": "the linked theme the quote is coded with (or a sub-theme of it)",
        "answer": "the speaker's answer to the item ('not asked' or 'asked, no answer' otherwise)",
        "answer_positive": "yes/no; empty when not asked or not answered",
        "quote": "the coded text", "coding_id": "the coding's id (as in quotes.csv)",
    }
    who = Speakers(ix, set(qfixed))
    qcolumns = {**qfixed, **who.columns}
    rows, qrows = [], []
    for o in ix.inp.outcomes:
        respondents = _respondents(ix, o)
        themes = [t for t in dict.fromkeys(book.resolve(t) for t in o.themes) if t in selected]
        for var, val in _groups(ix, o, respondents):
            in_group = [(pid, flag) for pid, flag in respondents if var == ALL or ix.attrs(pid).get(var, "") == val]
            asked, positive = [pid for pid, _ in in_group], [pid for pid, flag in in_group if flag]
            pct = ix.percent(positive, asked)
            lo, hi = wilson_percent(len(positive), len(asked)) if pct is not None else (None, None)
            members = ix.members(var, val)
            theme_text = "; ".join(
                f"{book.get(t).name} ({t}): {ix.count(ix.mentioning(t) & set(members))}/{ix.count(members)}"
                for t in themes)
            value = ALL if var == ALL else _label(val)
            theme_of, views = pick_views(ix, o, themes, set(members), k_quotes)
            for view, picked in views:
                for rank, (pid, i) in enumerate(picked, start=1):
                    c = ix.passages[i].coding
                    qrows.append([o.id, var, value, view, rank, theme_of[i], *answer_cells(ix, o, pid),
                                  ix.inp.quote(c), c.id, *who.values(pid, i)])
            rows.append([o.id, o.wording, "; ".join(o.positive), var, value,
                         ix.count(asked), ix.count(positive), pct, lo, hi, ix.share(positive, asked),
                         *_benchmark_cells(o, var, val, len(positive), len(asked), pct is not None),
                         ix.count(members), ix.count(ix.not_counted(var, val)), theme_text,
                         *(quote_text(ix, o, picked) for _, picked in views)])
    denominator = ("respondents: participants in the whole participant table asked the item (asked_of) "
                   "with a non-empty answer; linked themes: interviewed participants in the group")
    return [
        Table("joint_display", "Joint display: outcomes, benchmarks, themes and quotes",
              "one outcome x group (every respondent, then each value of each of the outcome's report_by attributes)",
              denominator, columns, rows),
        Table("joint_display_quotes", "Joint display: supporting quotes and other views",
              "one quote of an outcome x group row, supporting or another view",
              "", qcolumns, qrows),
    ]

