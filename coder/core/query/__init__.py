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

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from coder.core.errors import CoderError
from coder.core.export.index import build_index, check_attribute
from coder.core.export.inputs import ExportInput
from coder.core.export.options import ExportOptions
from coder.core.query.corpus import SPEAKERS, SearchHit, search_transcripts
from coder.core.query.counts import BY_FIXED, MISSING, CodeCount, code_counts, coverage
from coder.core.query.filters import ORIGINS, Filters
from coder.core.query.memos import MemoRow, memo_rows
from coder.core.query.retrieve import SORTS, Lookup, Retrieved, sort_rows

if TYPE_CHECKING:
    from coder.core.project import Project

__all__ = ["CodeCount", "Column", "Filters", "MemoRow", "ORIGINS", "ProjectQuery", "Retrieved", "SORTS", "SPEAKERS",
           "SearchHit"]


_BUILT: "WeakKeyDictionary[Project, tuple[tuple, ProjectQuery]]" = WeakKeyDictionary()


def _stamp(project: "Project") -> tuple:
    """What the engine is built from, as (path, modification time, size): every coding action
    appends to a log before it returns, so a new coding, memo or undo changes the stamp."""
    from coder.core.transcript_meta import sidecar_for

    cfg = project.config
    transcripts = project.transcript_paths()
    paths = [cfg.codebook, cfg.participants, cfg.outcomes, *transcripts, *(sidecar_for(t) for t in transcripts)]
    if cfg.codings.is_dir():
        paths += sorted(cfg.codings.glob("*.jsonl"))
    out = []
    for path in paths:
        if path is not None and path.exists():
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


@dataclass(frozen=True)
class Column:
    """One group of a comparison: its rows, and ``k`` of its ``n`` interviewed participants saying it."""

    value: str
    rows: list[Retrieved]
    k: int
    n: int


class ProjectQuery:
    def __init__(self, inp: ExportInput) -> None:
        self.inp = inp
        self.ix = build_index(inp, ExportOptions(group_by=[]))
        self.lookup = Lookup(self.ix)
        self._memos: dict[str, list[str]] = {}
        for m in sorted(inp.memos, key=lambda m: (m.time, m.coder, m.text)):
            if m.target_kind == "coding":
                self._memos.setdefault(m.target, []).append(m.text)

    @classmethod
    def of(cls, project: "Project") -> "ProjectQuery":
        """The engine over the project's current files, reused while none of them has changed
        (building it reads every transcript and indexes every coding)."""
        stamp = _stamp(project)
        cached = _BUILT.get(project)
        if cached is None or cached[0] != stamp:
            from coder.core.export.waves import view

            # The exports' own view: with waves, the first wave, so answers are those of the tables.
            cached = _BUILT[project] = (stamp, cls(view(ExportInput.from_project(project), None)[0]))
        return cached[1]

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
        coders = self.inp.coders
        if filters.coder is not None and filters.coder not in coders:
            raise CoderError(f"coder '{filters.coder}' has no codings in this project",
                             hint=f"coders with codings: {', '.join(coders)}" if coders else "nobody has coded yet")

    def _indexes(self, code: str | None, with_children: bool, filters: Filters) -> list[int]:
        self.check_filters(filters)
        if code is None:  # every code
            return self.lookup.keep(list(range(len(self.ix.passages))), filters)
        code = self.code_id(code)
        if with_children:
            indexes = self.ix.code_passages.get(code, [])
        else:
            indexes = [i for i in self.ix.code_passages.get(code, []) if self.ix.passages[i].code == code]
        return self.lookup.keep(indexes, filters)

    def find(self, code: str | None, with_children: bool = False, filters: Filters = Filters(),
             sort: str = "transcript", context: int = 0) -> list[Retrieved]:
        """Every coding of ``code`` (with ``with_children``, of its sub-codes too; None: of every code)
        that the filters keep."""
        rows = [self.lookup.retrieved(i, context, self._memos) for i in self._indexes(code, with_children, filters)]
        return sort_rows(rows, sort)

    def compare(self, code: str, variable: str, with_children: bool = True, filters: Filters = Filters(),
                sort: str = "transcript", context: int = 0) -> list[Column]:
        """The retrieval split by the values of one attribute, with ``k/N participants`` per value
        (N: interviewed participants with that value, as in theme_by_group.csv)."""
        check_attribute(self.inp, variable, "compare by")
        rows = self.find(code, with_children, filters, sort, context)
        ix = self.ix
        interviewed = set(ix.interviewed)
        values = sorted({ix.value(p, variable) for p in ix.interviewed})
        out = []
        for value in values:
            members = set(ix.members(variable, value))
            mine = [r for r in rows if members.intersection(r.participants)]
            said = {p for r in mine for p in r.participants if p in members and p in interviewed}
            out.append(Column(value or MISSING, mine, len(said), len(members)))
        return out

    # ---------------------------------------------------------------- counts
    def stats(self, by: str | None = None, depth: int | None = None, filters: Filters = Filters()) -> list[CodeCount]:
        if by is not None and by not in BY_FIXED:
            check_attribute(self.inp, by)
        if depth is not None and depth < 1:
            raise CoderError(f"--depth must be 1 or more, not {depth}")
        indexes = {c.id: self._indexes(c.id, True, filters) for c in self.ix.codes}
        return code_counts(self.ix, indexes, by, depth)

    def coverage(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        """(coded, all) participant segments per transcript, and per coder over the project."""
        return coverage(self.ix)

    def memos(self, coder: str | None = None, code: str | None = None,
              transcript: str | None = None) -> list[MemoRow]:
        """Every memo (on codings, transcripts and codes), newest first, optionally narrowed."""
        return memo_rows(self.ix, coder, self.code_id(code) if code else None, transcript)

    def cases(self) -> list[dict]:
        """One record per interviewed participant: their attributes, transcripts, codings and
        coded segments (counted as the exports count)."""
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
    def search(self, pattern: str, regex: bool = False, speakers: str = "participants") -> list[SearchHit]:
        transcripts = [self.inp.transcripts[t] for t in sorted(self.inp.transcripts)]
        return search_transcripts(transcripts, pattern, regex, speakers)
