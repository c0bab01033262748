"""Codings of a code across every transcript, with who said them, filtered and sorted."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from coder.core.coding import Coding
from coder.core.export.index import CodedPassage, ExportIndex, transcript_attributes
from coder.core.query.filters import Filters, fold
from coder.core.transcript import Transcript

SORTS = ("transcript", "participant", "length", "coder", "code")


@dataclass(frozen=True)
class Retrieved:
    """One coding as a retrieval shows it."""

    coding: Coding
    code: str  # the codebook id it resolves to
    code_name: str
    participants: tuple[str, ...]  # empty for interviewer text
    speakers: tuple[str, ...]
    quote: str  # as read: line breaks inside a turn are spaces
    before: str = ""  # context sentences before the quote (``context`` of them)
    after: str = ""
    memo: str = ""  # memos on the coding, one per line
    attributes: dict[str, str] = field(default_factory=dict)  # attribute -> value(s), '; '-joined

    @property
    def transcript(self) -> str:
        return self.coding.transcript

    @property
    def coder(self) -> str:
        return self.coding.coder

    @property
    def origin(self) -> str:
        return self.coding.origin.kind

    def record(self) -> dict:
        """A flat record (for JSON and CSV): fixed fields first, then the attributes."""
        c = self.coding
        return {"transcript": c.transcript, "participant_id": "; ".join(self.participants),
                "speaker": "; ".join(self.speakers), "code_id": self.code, "code_name": self.code_name,
                "quote": self.quote, "before": self.before, "after": self.after, "start": c.start, "end": c.end,
                "coder": c.coder, "origin": c.origin.kind, "coding_id": c.id, "memo": self.memo,
                **self.attributes}


def attribute_values(ix: ExportIndex, p: CodedPassage) -> dict[str, set[str]]:
    """Every attribute value of a coding, folded: its participants' rows and its transcript's front matter."""
    values: dict[str, set[str]] = {}
    transcript = ix.inp.transcripts.get(p.coding.transcript)
    if transcript is not None:
        for k, v in transcript_attributes(transcript).items():
            values.setdefault(k, set()).add(fold(v))
    for pid in p.participants:
        for k, v in ix.attrs(pid).items():
            if v:
                values.setdefault(k, set()).add(fold(v))
    return values


def display_attributes(ix: ExportIndex, p: CodedPassage) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in ix.table_columns:
        vals = dict.fromkeys(ix.value(pid, col) for pid in p.participants)
        out[col] = "; ".join(v for v in vals if v)
    transcript = ix.inp.transcripts.get(p.coding.transcript)
    for k, v in (transcript_attributes(transcript) if transcript else {}).items():
        if not out.get(k):
            out[k] = v
    return out


def keep(ix: ExportIndex, indexes: list[int], filters: Filters) -> list[int]:
    if filters == Filters():
        return list(indexes)
    out = []
    for i in indexes:
        p = ix.passages[i]
        values = attribute_values(ix, p) if filters.where else {}
        if filters.matches(p.coding.coder, p.coding.origin.kind, values):
            out.append(i)
    return out


def retrieved(ix: ExportIndex, i: int, context: int, memos: dict[str, list[str]]) -> Retrieved:
    p = ix.passages[i]
    c = p.coding
    code = ix.inp.codebook.get(p.code) if p.code else None
    t = ix.inp.transcripts.get(c.transcript)
    before, after = context_of(t, c.start, c.end, context) if t is not None and context > 0 else ("", "")
    notes = list(dict.fromkeys(n for n in [c.memo, *memos.get(c.id, [])] if n))
    return Retrieved(c, p.code or c.code, code.name if code else "", p.participants, p.speakers,
                     ix.inp.quote(c), before, after, "\n".join(notes), display_attributes(ix, p))


def context_of(t: Transcript, start: int, end: int, n: int) -> tuple[str, str]:
    """Up to ``n`` sentences before and after a span, from the same speaker turn(s)."""
    segs = t.segments
    first = bisect.bisect_right([s.end for s in segs], start)
    last = bisect.bisect_left([s.start for s in segs], end)
    turn_a = t.turn_at(start)
    turn_b = t.turn_at(max(start, end - 1))
    before = [s for s in segs[max(0, first - n):first] if turn_a and s.turn == turn_a.index and s.end <= start]
    after = [s for s in segs[last:last + n] if turn_b and s.turn == turn_b.index and s.start >= end]
    a = t.quote(before[0].start, start).strip() if before else ""
    b = t.quote(end, after[-1].end).strip() if after else ""
    return a, b


def sort_rows(rows: list[Retrieved], by: str = "transcript") -> list[Retrieved]:
    keys = {
        "transcript": lambda r: (r.transcript, r.coding.start, r.coding.end, r.code, r.coder),
        "participant": lambda r: (not r.participants, r.participants, r.transcript, r.coding.start),
        "length": lambda r: (-len(r.quote), r.transcript, r.coding.start),
        "coder": lambda r: (r.coder, r.transcript, r.coding.start),
        "code": lambda r: (r.code, r.transcript, r.coding.start),
    }
    if by not in keys:
        from coder.core.errors import CoderError

        raise CoderError(f"cannot sort by '{by}'", hint=f"sort by one of: {', '.join(SORTS)}")
    return sorted(rows, key=keys[by])
