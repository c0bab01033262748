"""Codings of a code across every transcript, with who said them, filtered and sorted."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
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


class Lookup:
    """The index, with what retrieval derives per transcript and per group of speakers computed once."""

    def __init__(self, ix: ExportIndex) -> None:
        self.ix = ix
        self._values: dict[tuple, dict[str, set[str]]] = {}
        self._display: dict[tuple, dict[str, str]] = {}
        self._bounds: dict[str, tuple[list[int], list[int]]] = {}

    def values(self, p: CodedPassage) -> dict[str, set[str]]:
        """Every attribute value of a coding, folded: its participants' rows and its transcript's front matter."""
        return self.values_of(p.coding.transcript, p.participants)

    def values_of(self, tid: str, participants: tuple[str, ...]) -> dict[str, set[str]]:
        key = (tid, participants)
        if key not in self._values:
            values: dict[str, set[str]] = {}
            for k, v in self._transcript_attrs(tid).items():
                values.setdefault(k, set()).add(fold(v))
            for pid in participants:
                for k, v in self.ix.attrs(pid).items():
                    if v:
                        values.setdefault(k, set()).add(fold(v))
            self._values[key] = values
        return self._values[key]

    def display(self, p: CodedPassage) -> dict[str, str]:
        return self.display_of(p.coding.transcript, p.participants)

    def display_of(self, tid: str, participants: tuple[str, ...]) -> dict[str, str]:
        """Attribute -> its participants' distinct values ('; '-joined), else the transcript's."""
        key = (tid, participants)
        if key not in self._display:
            out: dict[str, str] = {}
            for col in self.ix.table_columns:
                vals = dict.fromkeys(self.ix.value(pid, col) for pid in participants)
                out[col] = "; ".join(v for v in vals if v)
            for k, v in self._transcript_attrs(tid).items():
                if not out.get(k):
                    out[k] = v
            self._display[key] = out
        return self._display[key]

    def _transcript_attrs(self, tid: str) -> dict[str, str]:
        t = self.ix.inp.transcripts.get(tid)
        return transcript_attributes(t) if t is not None else {}

    def bounds(self, t: Transcript) -> tuple[list[int], list[int]]:
        """Segment starts and ends of a transcript, for binary search."""
        if t.id not in self._bounds:
            self._bounds[t.id] = ([s.start for s in t.segments], [s.end for s in t.segments])
        return self._bounds[t.id]

    def retrieved(self, i: int, context: int, memos: dict[str, list[str]]) -> Retrieved:
        p = self.ix.passages[i]
        c = p.coding
        inp = self.ix.inp
        code = inp.codebook.get(p.code) if p.code else None
        t = inp.transcripts.get(c.transcript)
        before, after = ("", "")
        if t is not None and context > 0:
            before, after = context_of(t, c.start, c.end, context, self.bounds(t))
        notes = list(dict.fromkeys(n for n in [c.memo, *memos.get(c.id, [])] if n))
        return Retrieved(c, p.code or c.code, code.name if code else "", p.participants, p.speakers,
                         inp.quote(c), before, after, "\n".join(notes), self.display(p))


def context_of(t: Transcript, start: int, end: int, n: int,
               bounds: tuple[list[int], list[int]] | None = None) -> tuple[str, str]:
    """Up to ``n`` sentences before and after a span, from the same speaker turn(s)."""
    segs = t.segments
    starts, ends = bounds or ([s.start for s in segs], [s.end for s in segs])
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    turn_a = t.turn_at(start)
    turn_b = t.turn_at(max(start, end - 1))
    before = [s for s in segs[max(0, first - n):first] if turn_a and s.turn == turn_a.index and s.end <= start]
    after = [s for s in segs[last:last + n] if turn_b and s.turn == turn_b.index and s.start >= end]
    a = t.quote(before[0].start, start).strip() if before else ""
    b = t.quote(end, after[-1].end).strip() if after else ""
    return a, b


def sort_key(by: str):
    """The key of sort ``by``, a function of (coding, code id, participants, quote length)."""
    keys = {
        "transcript": lambda c, code, people, n: (c.transcript, c.start, c.end, code, c.coder),
        "participant": lambda c, code, people, n: (not people, people, c.transcript, c.start),
        "length": lambda c, code, people, n: (-n, c.transcript, c.start),
        "coder": lambda c, code, people, n: (c.coder, c.transcript, c.start),
        "code": lambda c, code, people, n: (code, c.transcript, c.start),
    }
    if by not in keys:
        from coder.core.errors import CoderError

        raise CoderError(f"cannot sort by '{by}'", hint=f"sort by one of: {', '.join(SORTS)}")
    return keys[by]


def sort_rows(rows: list[Retrieved], by: str = "transcript") -> list[Retrieved]:
    key = sort_key(by)
    return sorted(rows, key=lambda r: key(r.coding, r.code, r.participants, len(r.quote)))


class Rows(Sequence):
    """The rows of a retrieval, each built when it is read: a screen shows a page of what may
    be tens of thousands of codings, the command line writes them all."""

    def __init__(self, lookup: Lookup, indexes, context: int, memos: dict[str, list[str]]) -> None:
        self.lookup, self.indexes, self.context, self.memos = lookup, indexes, context, memos
        self._built: dict[int, Retrieved] = {}

    def __len__(self) -> int:
        return len(self.indexes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        at = int(self.indexes[i])
        row = self._built.get(at)
        if row is None:
            row = self._built[at] = self.lookup.retrieved(at, self.context, self.memos)
        return row

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({len(self)} codings)"
