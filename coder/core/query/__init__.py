"""Reading back across the project: the one engine behind ``coder find``, ``coder search``,
``coder codes stats`` and the workbench's retrieval screens.

    q = project.query()                       # built from the same index as the exports
    rows = q.find("power", with_children=True, filters=Filters.parse(["nation=Wales"]))
    q.compare("power", "programme")           # the same split side by side, k/N participants
    q.stats(by="programme", depth=1)          # codings, segments, participants per code
    q.search("own voice")                     # every transcript, participants' turns

Everything is counted as the export tables count (:mod:`coder.core.export.index`),
so a screen, the command line and ``quotes.csv`` / ``theme_by_group.csv`` agree.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import numpy as np

from coder.core.errors import CoderError
from coder.core.export.index import PassageBlocks, build_index, check_attribute
from coder.core.export.inputs import ExportInput
from coder.core.export.options import ExportOptions
from coder.core.query.corpus import SPEAKERS, Hits, SearchHit, lowered, search_transcripts
from coder.core.query.columns import Columns
from coder.core.query.counts import BY_FIXED, MISSING, CodeCount
from coder.core.query.filters import ORIGINS, Filters
from coder.core.query.memos import MemoRow, memo_rows, narrow
from coder.core.query.retrieve import SORTS, Lookup, Retrieved, Rows, sort_key
from coder.core.query.source import Source, stamp

if TYPE_CHECKING:
    from coder.core.project import Project

__all__ = ["CodeCount", "Column", "Filters", "MemoRow", "ORIGINS", "ProjectQuery", "Retrieved", "Rows", "SORTS", "SPEAKERS",
           "SearchHit", "Summary"]


_SOURCES: "WeakKeyDictionary[Project, Source]" = WeakKeyDictionary()
_SOURCES_LOCK = threading.Lock()


@contextmanager
def _uncollected():
    """Build with the garbage collector off, and leave what was built out of later collections.

    A build makes millions of small objects that live as long as the engine (and are freed by
    reference counting when it goes); a collection during the build, or any later one walking
    all of them, stops every thread for up to seconds: the screen too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


@dataclass(frozen=True)
class Column:
    """One group of a comparison: its rows, and ``k`` of its ``n`` interviewed participants saying it."""

    value: str
    rows: list[Retrieved]
    k: int
    n: int


@dataclass(frozen=True)
class Summary:
    """A retrieval's size: codings, distinct participants and transcripts, attributes with a value."""

    codings: int
    participants: int
    transcripts: int
    attributes: frozenset[str]


class ProjectQuery:
    """Answers over one state of the project; immutable, so answers are kept once computed."""

    def __init__(self, inp: ExportInput, blocks: PassageBlocks | None = None,
                 previous: "ProjectQuery | None" = None) -> None:
        """``blocks`` and ``previous`` (the engine of an earlier state) let the build reuse what
        is the same: each transcript's passages and columns."""
        self.inp = inp
        blocks = blocks if blocks is not None else PassageBlocks()
        with _uncollected():
            self.ix = build_index(inp, ExportOptions(group_by=[]), blocks)
            self.lookup = Lookup(self.ix)
            self.columns = Columns(self.ix, self.lookup, blocks.last, previous.columns if previous else None)
        self._memos: dict[str, list[str]] = {}
        for m in sorted(inp.memos, key=lambda m: (m.time, m.coder, m.text)):
            if m.target_kind == "coding":
                self._memos.setdefault(m.target, []).append(m.text)
        self._answers: dict[tuple, object] = {}
        self._lower: dict[str, tuple] = dict(previous._lower) if previous else {}  # id -> (transcript, lowered)

    @classmethod
    def of(cls, project: "Project", now: "tuple | None" = None) -> "ProjectQuery":
        """The engine over the project's current files, reused while none of them has changed;
        after a change, rebuilt from what the change left as it was (:mod:`.source`).  ``now``:
        the files' stamp if the caller has just read it (:meth:`current`): a stamp read on a
        worker while the screen draws takes a hundred times longer (each ``stat`` waits for the
        interpreter), and one older than the files read only costs a rebuild later."""
        with _SOURCES_LOCK:
            source = _SOURCES.get(project)
            if source is None:
                source = _SOURCES[project] = Source()
        now = now if now is not None else stamp(project)
        with source.lock:
            if source.query is None or source.stamp != now:
                from coder.core.export.waves import view

                # The exports' own view: with waves, the first wave, so answers are those of the tables.
                with _uncollected():
                    inp = view(source.input(project, now), None)[0]
                source.query = cls(inp, source.blocks, source.query)
            return source.query

    @classmethod
    def current(cls, project: "Project") -> "tuple[ProjectQuery | None, tuple]":
        """(the engine :meth:`of` would return if it is built and no file has changed since, else
        None, at once: a build in progress is not waited for; the files' stamp).  A few
        milliseconds: what a screen asks before it draws, to answer without a worker when it can."""
        now = stamp(project)
        source = _SOURCES.get(project)
        if source is None or source.query is None or not source.lock.acquire(blocking=False):
            return None, now
        try:
            return (source.query if source.stamp == now else None), now
        finally:
            source.lock.release()

    def has(self, *key) -> bool:
        """Whether an answer is kept already (``has("stats", by, depth, filters)``, ``has("coverage")``,
        ``has("memos")``, ``has("cases")``): asking for it again costs nothing."""
        return key in self._answers

    def _kept(self, key: tuple, compute):
        if key not in self._answers:
            self._answers[key] = compute()
        return self._answers[key]

    # ------------------------------------------------------------- retrieval
    def code_id(self, code: str) -> str:
        book = self.inp.codebook
        found = book.resolve(code)
        if found is None:
            by_name = [c.id for c in book.codes if c.name.casefold() == code.casefold()]
            if len(by_name) != 1:
                raise CoderError(f"unknown code '{code}'", file=book.file,
                                 hint="give a code id as written in the codebook (`id:`); `coder codes stats` lists them")
            found = by_name[0]
        return found

    def check_filters(self, filters: Filters) -> None:
        """A user error for a filter on an attribute no participant or transcript has, or on a
        coder with no codings."""
        for col, _ in filters.where:
            check_attribute(self.inp, col, "filter by")
        coders = self.columns.coders
        if filters.coder is not None and filters.coder not in coders:
            raise CoderError(f"coder '{filters.coder}' has no codings in this project",
                             hint=f"coders with codings: {', '.join(coders)}" if coders else "nobody has coded yet")

    def _indexes(self, code: str | None, with_children: bool, filters: Filters):
        self.check_filters(filters)
        found = self.columns.of_code(None if code is None else self.code_id(code), with_children)
        return self.columns.keep(found, filters)

    def find(self, code: str | None, with_children: bool = False, filters: Filters = Filters(),
             sort: str = "transcript", context: int = 0) -> Rows:
        """Every coding of ``code`` (with ``with_children``, of its sub-codes too; None: of every code)
        that the filters keep, sorted; the rows are built as they are read."""
        sort_key(sort)  # a user error for an unknown sort
        indexes = self._indexes(code, with_children, filters)
        if sort != "transcript":  # passages are in transcript order already
            indexes = self.columns.order(indexes, sort)
        return Rows(self.lookup, indexes, context, self._memos)

    def summary(self, rows: Rows) -> "Summary":
        """Who and where ``rows`` come from, and which attributes have a value among them,
        from the distinct (transcript, participants) of the rows: no row is built."""
        keys = self.columns.keys
        present = [keys[int(k)] for k in np.unique(self.columns.key_of[rows.indexes])] if len(rows.indexes) else []
        people = {p for _, group in present for p in group}
        valued = {col for tid, group in present for col, v in self.lookup.display_of(tid, group).items() if v}
        return Summary(len(rows), len(people), len({tid for tid, _ in present}), frozenset(valued))

    def compare(self, code: str, variable: str, with_children: bool = True, filters: Filters = Filters(),
                sort: str = "transcript", context: int = 0) -> list[Column]:
        """The retrieval split by the values of one attribute, with ``k/N participants`` per value
        (N: interviewed participants with that value, as in theme_by_group.csv)."""
        check_attribute(self.inp, variable, "compare by")
        rows = self.find(code, with_children, filters, sort, context)
        ix = self.ix
        interviewed = set(ix.interviewed)
        values = sorted({ix.value(p, variable) for p in ix.interviewed})
        keys = self.columns.keys
        out = []
        for value in values:
            members = set(ix.members(variable, value))
            mine = np.fromiter((bool(members.intersection(people)) for _, people in keys), dtype=bool, count=len(keys))
            indexes = rows.indexes[mine[self.columns.key_of[rows.indexes]]] if len(keys) else rows.indexes
            said = {p for k in np.unique(self.columns.key_of[indexes]) for p in keys[k][1]
                    if p in members and p in interviewed}
            out.append(Column(value or MISSING, Rows(self.lookup, indexes, context, self._memos), len(said),
                              len(members)))
        return out

    # ---------------------------------------------------------------- counts
    def stats(self, by: str | None = None, depth: int | None = None, filters: Filters = Filters()) -> list[CodeCount]:
        if by is not None and by not in BY_FIXED:
            check_attribute(self.inp, by)
        if depth is not None and depth < 1:
            raise CoderError(f"--depth must be 1 or more, not {depth}")

        def count() -> list[CodeCount]:
            indexes = {c.id: self._indexes(c.id, True, filters) for c in self.ix.codes}
            return self.columns.counts(indexes, by, depth)

        return self._kept(("stats", by, depth, filters), count)

    def coverage(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        """(coded, all) participant segments per transcript, and per coder over the project."""
        return self._kept(("coverage",), self.columns.coverage)

    def memos(self, coder: str | None = None, code: str | None = None,
              transcript: str | None = None) -> list[MemoRow]:
        """Every memo (on codings, transcripts and codes), newest first, optionally narrowed."""
        rows = self._kept(("memos",), lambda: memo_rows(self.ix))
        return narrow(rows, self.inp.codebook, coder, self.code_id(code) if code else None, transcript)

    def cases(self) -> list[dict]:
        """One record per interviewed participant: their attributes, transcripts, codings and
        coded segments (counted as the exports count)."""
        return self._kept(("cases",), self._cases)

    def _cases(self) -> list[dict]:
        ix = self.ix
        codings: dict[str, int] = {}
        units: dict[str, set[str]] = {}
        for p in ix.passages:
            for pid in p.participants:
                codings[pid] = codings.get(pid, 0) + 1
            for unit, pid in p.units:
                units.setdefault(pid, set()).add(unit)
        return [{"participant_id": pid, **{c: ix.value(pid, c) for c in ix.table_columns},
                 "transcripts": "; ".join(ix.transcripts_of.get(pid, [])), "codings": codings.get(pid, 0),
                 "segments": len(units.get(pid, ()))} for pid in ix.interviewed]

    # ---------------------------------------------------------------- search
    def search(self, pattern: str, regex: bool = False, speakers: str = "participants") -> Hits:
        transcripts = [self.inp.transcripts[t] for t in sorted(self.inp.transcripts)]
        return search_transcripts(transcripts, pattern, regex, speakers, self._lowered)

    def _lowered(self, t) -> str | None:
        """A transcript's text in lower case for phrase search, kept while it is the same transcript."""
        kept = self._lower.get(t.id)
        if kept is None or kept[0] is not t:
            kept = self._lower[t.id] = (t, lowered(t.text))
        return kept[1]
