"""The joint display: each questionnaire outcome beside its benchmark, its linked
themes and the quotes that show it.

Outcome figures come from the whole participant table (every questionnaire
respondent the item was asked of, with a non-empty answer), not only from the
interviewed; theme counts and quotes come from the interviews.
"""

from __future__ import annotations

from coder.core.export.index import ALL, ExportIndex
from coder.core.export.quotes import Speakers, descriptor, pick_quotes
from coder.core.export.stats import points, wilson_percent
from coder.core.export.table import Table
from coder.core.export.themes import _label
from coder.core.outcomes import Outcome

# The speaker's answer to the item: supporting quotes come only from POSITIVE and NOT_ASKED
# (e.g. practitioners for a participants' item); the rest are "other views", never support.
POSITIVE, NOT_ASKED, NO_ANSWER, NEGATIVE = 0, 1, 2, 3
SUPPORTING = (POSITIVE, NOT_ASKED)
SPREAD_BY = "role"  # supporting quotes alternate between its values (participants, practitioners)


def _respondents(ix: ExportIndex, o: Outcome) -> list[tuple[str, bool]]:
    """(participant, positive?) for everyone in the table asked the item who answered it."""
    table = ix.inp.participants
    out = []
    for pid, row in table.rows.items():
        if o.applies_to(row):
            flag = o.is_positive(row.get(o.column, ""))
            if flag is not None:
                out.append((pid, flag))
    return out


def _answer_class(ix: ExportIndex, o: Outcome, pid: str) -> int:
    row = ix.attrs(pid)
    if not o.applies_to(row):
        return NOT_ASKED
    flag = o.is_positive(row.get(o.column, ""))
    return NO_ANSWER if flag is None else POSITIVE if flag else NEGATIVE


def answer_label(ix: ExportIndex, o: Outcome, pid: str) -> str:
    """'answer: Agree', 'not asked' or 'asked, no answer': printed with every joint-display quote."""
    cls = _answer_class(ix, o, pid)
    if cls == NOT_ASKED:
        return "not asked"
    if cls == NO_ANSWER:
        return "asked, no answer"
    return f"answer: {ix.attrs(pid).get(o.column, '')}"


def _quote_text(ix: ExportIndex, o: Outcome, picked: list[tuple[str, int]]) -> str:
    return "\n\n".join(f"\u201c{ix.passages[i].coding.quote}\u201d \u2014 {descriptor(ix, pid)}; "
                        f"{answer_label(ix, o, pid)}" for pid, i in picked)


def joint_display(ix: ExportIndex) -> list[Table]:
    k_quotes = ix.options.quotes_per_cell
    book = ix.inp.codebook
    selected = {c.id for c in ix.codes}
    columns = {
        "outcome_id": "questionnaire outcome", "wording": "the item as asked",
        "positive_answers": "answers counted as positive, '; '-separated",
        "group_variable": "the outcome's report_by attribute ('all': every respondent)",
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
        groups = [(ALL, ALL)]
        if o.report_by:
            groups += [(o.report_by, v) for v in sorted({ix.attrs(p).get(o.report_by, "") for p, _ in respondents})]
        for var, val in groups:
            in_group = [(pid, flag) for pid, flag in respondents if var == ALL or ix.attrs(pid).get(var, "") == val]
            asked, positive = [pid for pid, _ in in_group], [pid for pid, flag in in_group if flag]
            n, k = len(asked), len(positive)
            pct = ix.percent(positive, asked)
            lo, hi = wilson_percent(k, n) if pct is not None else (None, None)
            b = o.benchmark
            diff = points(100 * (k / n - b.value)) if b is not None and pct is not None else None
            members = ix.members(var, val)
            member_set = set(members)
            theme_text = "; ".join(
                f"{book.get(t).name} ({t}): {ix.count(ix.mentioning(t) & member_set)}/{ix.count(members)}"
                for t in themes)
            theme_of: dict[int, str] = {}
            lists: dict[str, list[int]] = {}
            for t in themes:
                for pid, items in ix.person_quotes(t).items():
                    if pid in member_set:
                        lists.setdefault(pid, []).extend(items)
                for i in ix.code_passages.get(t, []):
                    theme_of.setdefault(i, t)
            lists = {pid: sorted(set(items), key=ix.quote_key) for pid, items in lists.items()}
            value = ALL if var == ALL else _label(val)
            views = []
            for view, classes in (("supporting", SUPPORTING), ("other view", (NEGATIVE, NO_ANSWER))):
                mine = {pid: items for pid, items in lists.items() if _answer_class(ix, o, pid) in classes}
                picked = pick_quotes(mine, k_quotes, ix.quote_key, lambda pid: _answer_class(ix, o, pid),
                                     spread=lambda pid: ix.value(pid, SPREAD_BY))
                views.append(picked)
                for rank, (pid, i) in enumerate(picked, start=1):
                    c = ix.passages[i].coding
                    cls = _answer_class(ix, o, pid)
                    answer = ix.attrs(pid).get(o.column, "") if cls in (POSITIVE, NEGATIVE) else answer_label(ix, o, pid)
                    qrows.append([o.id, var, value, view, rank, theme_of[i], answer,
                                  {POSITIVE: "yes", NEGATIVE: "no"}.get(cls, ""), c.quote, c.id, *who.values(pid, i)])
            quotes, other_views = (_quote_text(ix, o, picked) for picked in views)
            rows.append([o.id, o.wording, "; ".join(o.positive), var, value,
                         ix.count(asked), ix.count(positive), pct, lo, hi, ix.share(positive, asked),
                         points(b.value * 100) if b else None, b.source if b else "", b.year if b else "",
                         b.population if b else "", diff,
                         ix.count(members), ix.count(ix.not_counted(var, val)), theme_text, quotes,
                         other_views])
    denominator = ("respondents: participants in the whole participant table asked the item (asked_of) "
                   "with a non-empty answer; linked themes: interviewed participants in the group")
    return [
        Table("joint_display", "Joint display: outcomes, benchmarks, themes and quotes",
              "one outcome x group (every respondent, then each value of the outcome's report_by)",
              denominator, columns, rows),
        Table("joint_display_quotes", "Joint display: supporting quotes and other views",
              "one quote of an outcome x group row, supporting or another view",
              "", qcolumns, qrows),
    ]

