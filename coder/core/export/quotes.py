"""quotes.csv (one row per coding, with who said it) and how quotes are chosen for display."""

from __future__ import annotations

from typing import Callable

from coder.core.export.index import CodedPassage, ExportIndex
from coder.core.export.table import Table

PREFERRED_LENGTH = (40, 400)  # characters: quotes in this range are preferred for display
DESCRIPTOR = ("role", "programme", "nation")  # what report quote tables say of a speaker without --ids


def quote_order(p: CodedPassage) -> tuple:
    """Display preference among quotes: within the preferred length first, then the
    longest (up to the preferred maximum), then transcript and position."""
    n = len(p.coding.quote)
    lo, hi = PREFERRED_LENGTH
    c = p.coding
    return (0 if lo <= n <= hi else 1, -min(n, hi), c.transcript, c.start, c.end, c.code, c.coder, c.id)


def pick_quotes(lists: dict[str, list[int]], k: int, key: Callable[[int], tuple],
                first: Callable[[str], int] = lambda pid: 0,
                spread: Callable[[str], str] | None = None) -> list[tuple[str, int]]:
    """Choose ``k`` quotes spread across distinct participants.

    ``lists`` holds each participant's passage indexes, best first (by ``key``).
    Each participant's best quote is taken first, ordered by ``first(participant)``
    and then ``key``; only when fewer than ``k`` participants have quotes are
    second and later quotes used (round by round).  With ``spread`` (e.g. the
    participant's role), each round takes the best quote of every group in turn,
    so participants' and practitioners' voices both appear.  No passage is
    picked twice.
    """
    chosen: list[tuple[str, int]] = []
    used: set[int] = set()
    depth = 0
    while len(chosen) < k:
        layer = sorted((first(pid), key(q[depth]), pid, q[depth]) for pid, q in lists.items() if len(q) > depth)
        if not layer:
            break
        if spread is not None:
            layer = _interleave(layer, lambda item: spread(item[2]))
        for *_, pid, i in layer:
            if i not in used and len(chosen) < k:
                chosen.append((pid, i))
                used.add(i)
        depth += 1
    return chosen


def _interleave(items: list, group: Callable) -> list:
    """Round-robin over groups, each group in its own order, groups in order of their best item."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    out: list = []
    queues = list(groups.values())
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def descriptor(ix: ExportIndex, pid: str) -> str:
    """How report tables name a speaker: 'practitioner, Local Conversations, England' (with --ids, the id first)."""
    values = [ix.value(pid, c) for c in DESCRIPTOR]
    text = ", ".join(v for v in values if v) or "participant"
    return f"{pid} ({text})" if ix.options.ids else text


class Speakers:
    """The speaker columns of a report quote table: a descriptor, and with --ids the id, transcript,
    position and every participant-table column."""

    def __init__(self, ix: ExportIndex, reserved: set[str]) -> None:
        self.ix = ix
        self.cols = person_columns(ix, reserved | {"participant_id", "transcript", "start", "end", "descriptor"})
        self.cache: dict = {}
        self.columns = {"descriptor": f"who said it: {', '.join(DESCRIPTOR)} from the participant table"}
        if ix.options.ids:
            self.columns.update({
                "participant_id": "who said it", "transcript": "transcript id",
                "start": "start position", "end": "end position (exclusive)", **column_meanings(ix, self.cols)})

    def values(self, pid: str, i: int) -> list:
        ix = self.ix
        out: list = [descriptor(ix, pid)]
        if ix.options.ids:
            c = ix.passages[i].coding
            out += [pid, c.transcript, c.start, c.end, *person_values(ix, (pid,), self.cols, self.cache)]
        return out


def person_columns(ix: ExportIndex, reserved: set[str]) -> dict[str, str]:
    """Participant-table columns to carry on quote rows: output name -> table column."""
    return {(col if col not in reserved else f"participant_{col}"): col for col in ix.table_columns}


def person_values(ix: ExportIndex, people: tuple[str, ...], cols: dict[str, str],
                  cache: dict | None = None) -> list[str]:
    """Each column's value for these participants (distinct values joined by '; ')."""
    if cache is not None and people in cache:
        return cache[people]
    out = []
    for col in cols.values():
        values = dict.fromkeys(ix.value(p, col) for p in people)
        out.append("; ".join(v for v in values if v))
    if cache is not None:
        cache[people] = out
    return out


def column_meanings(ix: ExportIndex, cols: dict[str, str]) -> dict[str, str]:
    outcome_cols = {o.column: o for o in ix.inp.outcomes}
    meanings = {}
    for name, col in cols.items():
        o = outcome_cols.get(col)
        meanings[name] = (f"the speaker's questionnaire answer to '{o.wording or o.id}' ({col})" if o
                          else f"the speaker's '{col}' from the participant table")
    return meanings


def quotes_table(ix: ExportIndex) -> Table:
    depth = ix.depth
    fixed_head = {
        "transcript": "transcript id (file name without suffix, relative to transcripts/)",
        "participant_id": "participant(s) whose turns the coding overlaps, '; '-separated; empty for interviewer text",
        "speaker": "speaker label(s) of those turns",
    }
    fixed_tail = {
        "code_id": "the code applied",
        "code_name": "its label",
        "code_path": "ids from the top-level theme down to the code, '/'-separated",
        **{f"level_{i}": f"name of the level-{i} code on that path (empty below the code's own level)"
           for i in range(1, depth + 1)},
        "quote": "the reported quote (the researcher's edited version, [brackets] and … marking changes) "
                 "where there is one, else the coded text",
        "original_quote": "the coded text as in the transcript (a line break inside a turn reads as a space)",
        "start": "start position (Unicode code points from 0) in the transcript text",
        "end": "end position, exclusive",
        "start_time": "recording time (hh:mm:ss) at the start of the first turn, where the transcript has timestamps",
        "end_time": "recording time at the end of the last turn, where known",
        "coder": "who applied the code",
        "origin": "manual, or suggestion (accepted from the suggestion model)",
        "model": "suggestion model id (suggestions only)",
        "score": "suggestion score (suggestions only)",
        "suggestion_rank": "rank of the suggestion in its shortlist (suggestions only)",
        "coded_at": "when the code was applied (ISO 8601, UTC)",
        "coding_id": "the coding's id in the coding log",
        "memo": "memos on this coding",
    }
    cols = person_columns(ix, set(fixed_head) | set(fixed_tail))
    columns = {**fixed_head, **column_meanings(ix, cols), **fixed_tail}
    memos: dict[str, list[str]] = {}
    for m in sorted(ix.inp.memos, key=lambda m: (m.time, m.coder, m.text)):
        if m.target_kind == "coding":
            memos.setdefault(m.target, []).append(m.text)
    book = ix.inp.codebook
    people: dict = {}
    rows = []
    for p in ix.passages:
        c = p.coding
        code = book.get(p.code) if p.code else None
        names = ix.path_names(p.code) if p.code else []
        notes = list(dict.fromkeys([t for t in [c.memo, *memos.get(c.id, [])] if t]))
        o = c.origin
        rows.append([
            c.transcript, "; ".join(p.participants), "; ".join(p.speakers),
            *person_values(ix, p.participants, cols, people),
            p.code or c.code, code.name if code else "", "/".join(ix.path(p.code)) if p.code else "",
            *(names + [""] * depth)[:depth],
            ix.inp.quote(c), ix.inp.spoken(c), c.start, c.end, clock(p.start_time), clock(p.end_time), c.coder, o.kind,
            o.model or "", o.score, o.rank, c.time, c.id, "\n".join(notes),
        ])
    return Table("quotes", "Coded quotes", "one coding (a code applied to a passage by one coder)", "",
                 columns, rows)
