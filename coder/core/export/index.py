"""Everything the tables share, computed once: who said each coded passage, which
segments it covers, and which codings count for each code (rolled up).

Units of counting:

* a *segment* is a sentence of a transcript (``Segment``); a coding covers every
  segment it overlaps.  Text outside any segment counts as one unit per turn.
* a coding belongs to the participant(s) of the turn(s) it overlaps
  (``Turn.participant_id``); interviewer turns belong to nobody, so such codings
  appear in quotes.csv but never count for participants.
* *interviewed participants* are the participant ids that appear in at least one
  transcript; those whose transcripts are coded (see :mod:`.coverage`) are the
  *counted* participants, the denominators of every theme table.
* a parent code counts the distinct segments and participants of itself and all
  its descendants: never a sum of its children's counts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from coder.core.codebook import Code
from coder.core.coding import Coding
from coder.core.errors import CoderError
from coder.core.export.coverage import Coverage, coverage
from coder.core.export.inputs import ExportInput
from coder.core.export.options import DEFAULT_GROUP_BY, FORMATS, ExportOptions
from coder.core.export.stats import percent
from coder.core.export.suppress import Disclosure
from coder.core.transcript import Transcript, Turn
from coder.core.transcript_meta import TRANSCRIPT_KEYS

ALL = "all"  # the group variable/value of whole-sample rows


@dataclass(frozen=True)
class CodedPassage:
    """One coding with what the tables need to know about it."""

    coding: Coding
    code: str | None  # the codebook id it resolves to (None: not in the codebook)
    participants: tuple[str, ...]  # distinct, in turn order; empty for interviewer-only text
    speakers: tuple[str, ...]
    units: tuple[tuple[str, str | None], ...]  # (unit key, participant id) per covered segment
    start_time: float | None
    end_time: float | None


@dataclass
class ExportIndex:
    inp: ExportInput
    options: ExportOptions
    codes: list[Code]  # the codes the tables report, in codebook order
    group_by: list[str]
    passages: list[CodedPassage]  # selected codings in stable order
    interviewed: list[str]  # sorted participant ids with at least one transcript
    transcripts_of: dict[str, list[str]]
    coverage: Coverage
    disclosure: Disclosure = field(default_factory=lambda: Disclosure(0))
    _code_passages: dict[str, list[int]] | None = None
    _units: tuple[dict, dict] | None = None
    _attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    _paths: dict[str, list[str]] = field(default_factory=dict)
    _order: list[tuple] | None = None
    _person_quotes: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    # ---------------------------------------------------------------- people
    @property
    def table_columns(self) -> list[str]:
        """Participant-table columns after the id (attributes and answers), in file order."""
        table = self.inp.participants
        return [c for c in table.columns if c != table.id_column]

    def attrs(self, pid: str) -> dict[str, str]:
        """A participant's row; for ids missing from the table, their transcript's front matter."""
        if pid not in self._attrs:
            row = self.inp.participants.get(pid)
            if row:
                self._attrs[pid] = row
            else:
                self._attrs[pid] = _front_matter_attrs(pid, self.inp.transcripts, self.table_columns + self.group_by)
        return self._attrs[pid]

    def value(self, pid: str, variable: str) -> str:
        return self.attrs(pid).get(variable, "")

    def group_values(self, variable: str) -> list[str]:
        return sorted({self.value(p, variable) for p in self.interviewed})

    @property
    def counted(self) -> list[str]:
        """Interviewed participants the theme tables count (see :mod:`.coverage`)."""
        return [p for p in self.interviewed if p in self.coverage.counted]

    def interviewed_members(self, variable: str, value: str) -> list[str]:
        if variable == ALL:
            return self.interviewed
        return [p for p in self.interviewed if self.value(p, variable) == value]

    def members(self, variable: str, value: str) -> list[str]:
        """The group's counted participants: the denominator of its theme figures."""
        return [p for p in self.interviewed_members(variable, value) if p in self.coverage.counted]

    def not_counted(self, variable: str, value: str) -> list[str]:
        """Interviewed participants of the group whose transcripts are not yet coded."""
        return [p for p in self.interviewed_members(variable, value) if p not in self.coverage.counted]

    def groups(self) -> list[tuple[str, str, list[str]]]:
        """(variable, value, counted members): the whole sample first, then each group."""
        out = [(ALL, ALL, self.counted)]
        for var in self.group_by:
            out += [(var, val, self.members(var, val)) for val in self.group_values(var)]
        return out

    # ------------------------------------------------- published counts
    # Every participant count an aggregate table shows goes through these, as the set of people
    # it counts, so small-cell suppression sees every table at once (see :mod:`.suppress`).
    def count(self, people) -> int | str:
        """A published participant count: the number, or its suppression mark."""
        return self.disclosure.show(self.disclosure.record(people))

    def percent(self, people, of, digits: int = 1) -> float | None:
        """100 |people| / |of|, or None when either count is hidden (or ``of`` is empty)."""
        k, n = self.disclosure.record(people), self.disclosure.record(of)
        if self.disclosure.is_hidden(k) or self.disclosure.is_hidden(n):
            return None
        return percent(len(k), len(n), digits)

    def share(self, people, of) -> str:
        """``"k/N (p%)"`` with a whole percentage, as report tables print it."""
        p = self.percent(people, of, digits=0)
        text = f"{self.count(people)}/{self.count(of)}"
        return text if p is None else f"{text} ({int(p)}%)"

    # ----------------------------------------------------------------- codes
    @property
    def code_passages(self) -> dict[str, list[int]]:
        """Per code, its passages and its sub-codes' (rolled up), in passage order."""
        if self._code_passages is None:
            rolled: dict[str, list[int]] = {code.id: [] for code in self.codes}
            for i, passage in enumerate(self.passages):
                if passage.code is None:
                    continue
                for cid in self.path(passage.code):
                    if cid in rolled:
                        rolled[cid].append(i)
            self._code_passages = rolled
        return self._code_passages

    @property
    def code_units(self) -> dict[str, set[str]]:
        """Per code (rolled up), the distinct segments of every speaker."""
        return self._rolled_units()[0]

    @property
    def code_person_units(self) -> dict[str, dict[str, set[str]]]:
        """Per code (rolled up), each interviewed participant's distinct segments."""
        return self._rolled_units()[1]

    def _rolled_units(self) -> tuple[dict, dict]:
        # Built on first use: the tables need them, a retrieval does not.
        if self._units is None:
            interviewed = set(self.interviewed)
            units: dict[str, set[str]] = {}
            person: dict[str, dict[str, set[str]]] = {}
            for cid, indexes in self.code_passages.items():
                mine, per = units.setdefault(cid, set()), person.setdefault(cid, {})
                for i in indexes:
                    for unit, pid in self.passages[i].units:
                        mine.add(unit)
                        if pid in interviewed:
                            per.setdefault(pid, set()).add(unit)
            self._units = (units, person)
        return self._units

    def mentioning(self, code: str) -> set[str]:
        """Counted participants with at least one segment of ``code`` (rolled up)."""
        return set(self.code_person_units.get(code, {})) & self.coverage.counted

    def units_of(self, code: str, people: list[str] | set[str]) -> int:
        """Distinct segments of ``code`` (rolled up) spoken by ``people``."""
        per = self.code_person_units.get(code, {})
        units: set[str] = set()
        for p in people:
            units |= per.get(p, set())
        return len(units)

    def path(self, code_id: str) -> list[str]:
        """Ids from the root down to the code (cached: the codebook walks its parents each time)."""
        if code_id not in self._paths:
            self._paths[code_id] = self.inp.codebook.path(code_id)
        return self._paths[code_id]

    def path_names(self, code_id: str) -> list[str]:
        book = self.inp.codebook
        return [book.get(c).name for c in self.path(code_id) if book.get(c)]

    def quote_key(self, i: int) -> tuple:
        """The display preference of passage ``i`` (see :func:`coder.core.export.quotes.quote_order`)."""
        if self._order is None:
            from coder.core.export.quotes import quote_order

            self._order = [quote_order(p) for p in self.passages]
        return self._order[i]

    def person_quotes(self, code: str) -> dict[str, list[int]]:
        """Per participant, the passages of ``code`` (rolled up) they speak in, best quote first."""
        if code not in self._person_quotes:
            lists: dict[str, list[int]] = {}
            for i in self.code_passages.get(code, []):
                for pid in self.passages[i].participants:
                    lists.setdefault(pid, []).append(i)
            for items in lists.values():
                items.sort(key=self.quote_key)
            self._person_quotes[code] = lists
        return self._person_quotes[code]

    @property
    def depth(self) -> int:
        return max((self.inp.codebook.level(c.id) for c in self.inp.codebook.codes), default=1)


def build_index(inp: ExportInput, options: ExportOptions, blocks: "PassageBlocks | None" = None) -> ExportIndex:
    """The index of ``inp``; ``blocks`` keeps each transcript's passages between builds, so a
    rebuild after a few codings changed recomputes only their transcripts'."""
    _check_options(options)
    codes = _selected_codes(inp, options)
    selected = {c.id for c in codes}
    group_by = _group_by(inp, options)
    transcripts_of = blocks.people(inp) if blocks is not None else participant_transcripts(inp)
    blocks = blocks if blocks is not None else PassageBlocks()
    passages = blocks.passages(inp, selected if options.codes else None)
    cover = coverage(transcripts_of, set(inp.done), {tid for tid, _ in blocks.last})
    return ExportIndex(inp, options, codes, group_by, passages, sorted(transcripts_of), transcripts_of, cover,
                       Disclosure(options.min_cell))


class PassageBlocks:
    """Each transcript's coded passages, kept while its text, its codings and the codebook are
    the same objects (a cache: dropping it changes nothing but the time a build takes)."""

    def __init__(self) -> None:
        self._blocks: dict[str, tuple[object, object, list[Coding], list[CodedPassage]]] = {}
        self.last: list[tuple[str, list[CodedPassage]]] = []  # the blocks of the last build, in order
        self._given: tuple[list[Coding], dict[str, list[Coding]]] | None = None
        self._people: tuple[dict, dict[str, list[str]]] | None = None

    def given(self, inp: ExportInput, groups: dict[str, list[Coding]]) -> None:
        """``inp``'s codings by transcript, as its maker holds them (each group in the order of
        ``inp.codings``, and the same list while that transcript's codings are the same), so
        that a build neither groups every coding again nor compares unchanged groups."""
        self._given = (inp.codings, groups)

    def people(self, inp: ExportInput) -> dict[str, list[str]]:
        """:func:`participant_transcripts`, kept while the transcripts are the same."""
        if self._people is None or self._people[0] is not inp.transcripts:
            self._people = (inp.transcripts, participant_transcripts(inp))
        return self._people[1]

    def passages(self, inp: ExportInput, selected: set[str] | None) -> list[CodedPassage]:
        """Every coding of ``inp`` (of the ``selected`` codes when given) as a passage, in a stable
        order: by transcript, place, code, coder and id."""
        book = inp.codebook
        if self._given is not None and self._given[0] is inp.codings:
            groups = self._given[1]
        else:
            groups = {}
            for c in inp.codings:
                groups.setdefault(c.transcript, []).append(c)
        out: list[CodedPassage] = []
        fresh: dict[str, tuple] = {}
        self.last = []
        for tid in sorted(groups):
            given = groups[tid]
            t = inp.transcripts.get(tid)
            cached = self._blocks.get(tid)
            if cached is not None and cached[0] is t and cached[1] is book and (cached[2] is given
                                                                                 or cached[2] == given):
                block = cached[3]
            else:
                locator = _Locator(t) if t is not None else None
                block = [locator.passage(c, book.resolve(c.code)) if locator
                         else CodedPassage(c, book.resolve(c.code), (), (), (), None, None)
                         for c in sorted(given, key=lambda c: (c.start, c.end, c.code, c.coder, c.id))]
            fresh[tid] = (t, book, given, block)
            self.last.append((tid, block))
            out += block if selected is None else [p for p in block if p.code in selected]
        self._blocks = fresh
        return out


def participant_transcripts(inp: ExportInput) -> dict[str, list[str]]:
    """Each interviewed participant's transcripts, sorted."""
    transcripts_of: dict[str, list[str]] = {}
    for tid in sorted(inp.transcripts):
        for pid in _people(inp.transcripts[tid]):
            transcripts_of.setdefault(pid, []).append(tid)
    return transcripts_of


def input_coverage(inp: ExportInput, transcripts_of: dict[str, list[str]] | None = None) -> Coverage:
    """Who the theme tables count (see :mod:`coder.core.export.coverage`)."""
    return coverage(transcripts_of if transcripts_of is not None else participant_transcripts(inp),
                    set(inp.done), {c.transcript for c in inp.codings})


class _Locator:
    """Finds the turns and segments a span overlaps (binary search, O(log n))."""

    def __init__(self, transcript: Transcript) -> None:
        self.t = transcript
        self.turn_ends = [max(t.end, t.start + 1) for t in transcript.turns]
        self.seg_ends = [s.end for s in transcript.segments]

    def passage(self, c: Coding, code: str | None) -> CodedPassage:
        t = self.t
        turns: list[Turn] = []
        i = bisect.bisect_right(self.turn_ends, c.start)
        while i < len(t.turns) and t.turns[i].start < c.end:
            turns.append(t.turns[i])
            i += 1
        units: list[tuple[str, str | None]] = []
        covered: set[int] = set()
        i = bisect.bisect_right(self.seg_ends, c.start)
        while i < len(t.segments) and t.segments[i].start < c.end:
            seg = t.segments[i]
            if 0 <= seg.turn < len(t.turns):
                units.append((f"{t.id}#{seg.id}", t.turns[seg.turn].participant_id))
                covered.add(seg.turn)
            i += 1
        for turn in turns:  # text of a turn that no segment covers still counts once
            if turn.index not in covered:
                units.append((f"{t.id}@{turn.index}", turn.participant_id))
        people = tuple(dict.fromkeys(tr.participant_id for tr in turns if tr.participant_id))
        speakers = tuple(dict.fromkeys(tr.speaker for tr in turns))
        start_time = turns[0].start_time if turns else None
        end_time = turns[-1].end_time if turns else None
        return CodedPassage(c, code, people, speakers, tuple(units), start_time, end_time)


def _people(t: Transcript) -> list[str]:
    ids = [tr.participant_id for tr in t.turns if tr.participant_id]
    meta_pid = t.meta.get("participant")
    if isinstance(meta_pid, str) and meta_pid:
        ids.append(meta_pid)
    speakers = t.meta.get("speakers")
    if isinstance(speakers, dict):
        ids += [str(v) for v in speakers.values() if v]
    return list(dict.fromkeys(ids))


def _front_matter_attrs(pid: str, transcripts: dict[str, Transcript], columns: list[str]) -> dict[str, str]:
    for tid in sorted(transcripts):
        meta = transcripts[tid].meta
        if meta.get("participant") == pid:
            return {c: str(meta[c]) for c in columns if c in meta and meta[c] is not None}
    return {}


def _check_options(options: ExportOptions) -> None:
    if options.format not in FORMATS:
        raise CoderError(f"unknown export format '{options.format}'", hint="use csv or xlsx")
    if options.min_cell < 0:
        raise CoderError(f"--min-cell must be 0 or more, not {options.min_cell}")
    if options.pathway_window < 0:
        raise CoderError(f"--pathway-window must be 0 or more, not {options.pathway_window}")
    if options.quotes_per_cell < 1:
        raise CoderError(f"--quotes-per-cell must be at least 1, not {options.quotes_per_cell}")


def _selected_codes(inp: ExportInput, options: ExportOptions) -> list[Code]:
    book = inp.codebook
    if not options.codes:
        return list(book.codes)
    chosen: set[str] = set()
    for cid in options.codes:
        code = book.get(cid)
        if code is None:
            raise CoderError(f"unknown code '{cid}'", file=book.file,
                             hint="give code ids as written in the codebook (`id:`)")
        chosen.add(code.id)
        chosen.update(d.id for d in book.descendants(code.id))
    return [c for c in book.codes if c.id in chosen]


def transcript_attributes(t: Transcript) -> dict[str, str]:
    """A transcript's own attributes: the scalar front-matter keys coder does not reserve."""
    return {str(k): str(v) for k, v in t.meta.items()
            if isinstance(v, (str, int, float)) and k not in TRANSCRIPT_KEYS and not str(k).startswith("__")}


def attributes(inp: ExportInput) -> set[str]:
    """Every attribute a participant or transcript can be grouped or filtered by."""
    available = set(inp.participants.columns) - {inp.participants.id_column}
    for t in inp.transcripts.values():
        available.update(transcript_attributes(t))
    return available


def check_attribute(inp: ExportInput, name: str, verb: str = "group by") -> None:
    if name not in attributes(inp):
        raise CoderError(f"cannot {verb} '{name}': no such participant or transcript attribute",
                         file=inp.participants.path, line=1,
                         hint=f"attributes: {', '.join(sorted(attributes(inp))) or '(none)'}")


def _group_by(inp: ExportInput, options: ExportOptions) -> list[str]:
    available = attributes(inp)
    if options.group_by is None:
        return [g for g in DEFAULT_GROUP_BY if g in available]
    for g in options.group_by:
        check_attribute(inp, g)
    return list(dict.fromkeys(options.group_by))
