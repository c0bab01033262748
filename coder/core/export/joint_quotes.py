"""The joint display's quotes: supporting quotes, and other views, each labelled with the speaker's answer.

A quote coded to a theme linked to an outcome is evidence *for* the outcome's
positive figure only when its speaker gave a positive answer, or was not asked
(e.g. a practitioner for a participants' item).  Quotes of speakers who answered
negatively, or were asked and did not answer, are listed as *other views*:
reported, never presented as support.
"""

from __future__ import annotations

from coder.core.export.index import ExportIndex
from coder.core.export.quotes import descriptor, pick_quotes
from coder.core.outcomes import Outcome

POSITIVE, NOT_ASKED, NO_ANSWER, NEGATIVE = 0, 1, 2, 3
VIEWS = (("supporting", (POSITIVE, NOT_ASKED)), ("other view", (NEGATIVE, NO_ANSWER)))
SPREAD_BY = "role"  # quotes alternate between its values (participants, practitioners)


def answer_class(ix: ExportIndex, o: Outcome, pid: str) -> int:
    row = ix.attrs(pid)
    if not o.applies_to(row):
        return NOT_ASKED
    flag = o.is_positive(row.get(o.column, ""))
    return NO_ANSWER if flag is None else POSITIVE if flag else NEGATIVE


def answer_label(ix: ExportIndex, o: Outcome, pid: str) -> str:
    """'answer: Agree', 'not asked' or 'asked, no answer': printed with every joint-display quote."""
    cls = answer_class(ix, o, pid)
    if cls == NOT_ASKED:
        return "not asked"
    if cls == NO_ANSWER:
        return "asked, no answer"
    return f"answer: {ix.attrs(pid).get(o.column, '')}"


def answer_cells(ix: ExportIndex, o: Outcome, pid: str) -> list[str]:
    """The quote row's ``answer`` and ``answer_positive``."""
    cls = answer_class(ix, o, pid)
    answer = ix.attrs(pid).get(o.column, "") if cls in (POSITIVE, NEGATIVE) else answer_label(ix, o, pid)
    return [answer, {POSITIVE: "yes", NEGATIVE: "no"}.get(cls, "")]


def pick_views(ix: ExportIndex, o: Outcome, themes: list[str], people: set[str],
               k: int) -> tuple[dict[int, str], list[tuple[str, list[tuple[str, int]]]]]:
    """(passage -> the linked theme it is coded with, [(view, [(participant, passage)])])."""
    theme_of: dict[int, str] = {}
    lists: dict[str, list[int]] = {}
    for t in themes:
        for pid, items in ix.person_quotes(t).items():
            if pid in people:
                lists.setdefault(pid, []).extend(items)
        for i in ix.code_passages.get(t, []):
            theme_of.setdefault(i, t)
    lists = {pid: sorted(set(items), key=ix.quote_key) for pid, items in lists.items()}
    views = []
    for view, classes in VIEWS:
        mine = {pid: items for pid, items in lists.items() if answer_class(ix, o, pid) in classes}
        views.append((view, pick_quotes(mine, k, ix.quote_key, lambda pid: answer_class(ix, o, pid),
                                        spread=lambda pid: ix.value(pid, SPREAD_BY))))
    return theme_of, views


def quote_text(ix: ExportIndex, o: Outcome, picked: list[tuple[str, int]]) -> str:
    return "\n\n".join(f"\u201c{ix.inp.quote(ix.passages[i].coding)}\u201d \u2014 {descriptor(ix, pid)}; "
                       f"{answer_label(ix, o, pid)}" for pid, i in picked)
