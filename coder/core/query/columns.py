"""The export index as columns of integers, so that a retrieval or a grid of counts is a
few array operations instead of a pass over every coding.

Built once per engine, from one piece per transcript (kept while that transcript's passages
are the same, so a rebuild after a coding changed redoes one piece): per coded passage its
transcript, coder, origin and *key* (its transcript and participants: every attribute
filter is decided once per key, then applied to every passage through the key), and the
segments it covers as a compressed list (``unit_ptr``: where each passage's units start
in ``unit_id`` / ``unit_pid``).  Counting distinct segments or participants per group is
then counting distinct (group, unit) pairs.
"""

from __future__ import annotations

import numpy as np

from coder.core.export.index import CodedPassage, ExportIndex
from coder.core.query.counts import MISSING, CodeCount
from coder.core.query.filters import Filters
from coder.core.query.retrieve import Lookup

EMPTY = np.zeros(0, dtype=np.int64)


def _codes(values: list) -> tuple[list, np.ndarray]:
    """Distinct values (sorted) and each value's position among them."""
    names = sorted(set(values))
    where = {v: i for i, v in enumerate(names)}
    return names, np.fromiter((where[v] for v in values), dtype=np.int32, count=len(values))


def _distinct(groups: np.ndarray, items: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, how many distinct items it has (both arrays of the same length)."""
    if not len(groups):
        return np.zeros(n_groups, dtype=np.int64)
    width = int(items.max()) + 1
    pairs = np.sort(groups.astype(np.int64) * width + items)
    first = np.empty(len(pairs), dtype=bool)
    first[0] = True
    np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
    return np.bincount(pairs[first] // width, minlength=n_groups)


class _Piece:
    """One transcript's passages as columns, with its own numbering of values (kept while the
    transcript's passages are the same list: see :class:`~coder.core.export.index.PassageBlocks`)."""

    def __init__(self, block: list[CodedPassage], inp) -> None:
        self.n = len(block)
        self.coders, self.coder_of = _codes([p.coding.coder for p in block])
        self.origins, self.origin_of = _codes([p.coding.origin.kind for p in block])
        self.keys, self.key_of = _codes([(p.coding.transcript, p.participants) for p in block])
        self.codes, self.code_of = _codes([p.code or "" for p in block])
        self.labels, self.label_of = _codes([p.code or p.coding.code for p in block])  # as sorted by code
        self.lengths_quoted = np.fromiter((len(inp.quote(p.coding)) for p in block), dtype=np.int64, count=self.n)
        units = [u for p in block for u in p.units]
        self.lengths = np.fromiter((len(p.units) for p in block), dtype=np.int64, count=self.n)
        unit_at: dict[str, int] = {}
        self.unit_id = np.fromiter((unit_at.setdefault(u, len(unit_at)) for u, _ in units), dtype=np.int64,
                                   count=len(units))
        self.n_units = len(unit_at)
        self.pids, pid_of = _codes([pid or "" for _, pid in units])
        self.pid_of = pid_of
        self.joined: dict[str, tuple[list, np.ndarray]] = {}  # field -> (the list it is numbered by, column)
        # a sentence (``transcript#segment``), not the rest of a turn (``transcript@turn``)
        self.sentence = np.fromiter((u[len(p.coding.transcript)] == "#" for p in block for u, _ in p.units),
                                    dtype=bool, count=len(units))


def _join(pieces: list[_Piece], field: str, of: str, before: list | None = None) -> tuple[list, np.ndarray]:
    """The pieces' columns ``of`` (numbered by their own ``field`` lists) numbered by one sorted
    list.  ``before``: the list of the last build; when the new one is equal, a kept piece's
    column numbered by it is reused."""
    names = sorted({v for piece in pieces for v in getattr(piece, field)})
    if before is not None and names == before:
        names = before
    at: dict | None = None
    parts = []
    for piece in pieces:
        done = piece.joined.get(field)
        if done is None or done[0] is not names:
            if at is None:
                at = {v: i for i, v in enumerate(names)}
            mine = getattr(piece, of)
            done = piece.joined[field] = (names, np.asarray([at[v] for v in getattr(piece, field)], dtype=np.int32)[mine]
                                          if len(mine) else np.zeros(0, dtype=np.int32))
        parts.append(done[1])
    return names, np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


class Columns:
    def __init__(self, ix: ExportIndex, lookup: Lookup, blocks: list[tuple[str, list[CodedPassage]]] | None = None,
                 previous: "Columns | None" = None) -> None:
        """``blocks``: the index's passages by transcript, in order (when it has every coding);
        ``previous``: the columns of the last build, whose pieces are reused for blocks that are
        the same lists."""
        self.ix, self.lookup = ix, lookup
        passages = ix.passages
        if not blocks or sum(len(b) for _, b in blocks) != len(passages):
            blocks = [("", passages)]
        kept = previous.kept if previous is not None else {}
        pieces = []
        self.kept: dict[int, tuple[list, _Piece]] = {}  # id of a block -> (the block, its piece)
        for _, block in blocks:
            hit = kept.get(id(block))
            piece = hit[1] if hit is not None and hit[0] is block else _Piece(block, ix.inp)
            self.kept[id(block)] = (block, piece)
            pieces.append(piece)
        self.tids, self.tid_of = _codes([p.coding.transcript for p in passages]) if blocks[0][0] == "" else (
            [tid for tid, _ in blocks], np.repeat(np.arange(len(blocks), dtype=np.int32), [len(b) for _, b in blocks]))
        before = previous.names if previous is not None else {}
        self.names: dict[str, list] = {}  # field -> the sorted list its column is numbered by
        self.coders, self.coder_of = self._join(pieces, "coders", "coder_of", before)
        self.origins, self.origin_of = self._join(pieces, "origins", "origin_of", before)
        # a key holds its transcript, so the pieces' keys are apart and, in transcript order, sorted
        self.keys = [key for piece in pieces for key in piece.keys]
        starts = np.cumsum([0] + [len(piece.keys) for piece in pieces])
        self.key_of = np.concatenate([piece.key_of + starts[i] for i, piece in enumerate(pieces)]) if pieces \
            else np.zeros(0, dtype=np.int32)
        code_names, code_of = self._join(pieces, "codes", "code_of", before)
        code_at = {c.id: i for i, c in enumerate(ix.codes)}
        self.code_of = np.asarray([code_at.get(c, -1) for c in code_names], dtype=np.int32)[code_of] \
            if len(code_of) else code_of
        self._code_at = code_at
        self.pieces = pieces
        self._rolled: dict[str, np.ndarray] = {}
        # the segments each passage covers
        lengths = np.concatenate([p.lengths for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
        self.unit_ptr = np.zeros(len(passages) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.unit_ptr[1:])
        offsets = np.cumsum([0] + [p.n_units for p in pieces])
        self.unit_id = np.concatenate([p.unit_id + offsets[i] for i, p in enumerate(pieces)]) if pieces else EMPTY
        pids, pid_of = self._join(pieces, "pids", "pid_of", before)
        self.pids = [pid for pid in pids if pid]  # "" is nobody (an interviewer's turn)
        shift = 1 if pids and pids[0] == "" else 0
        self.unit_pid = pid_of.astype(np.int64) - shift  # -1: nobody
        interviewed = set(ix.interviewed)
        self.interviewed = np.array([pid in interviewed for pid in self.pids] + [False], dtype=bool)  # [-1]: nobody
        self.unit_sentence = np.concatenate([p.sentence for p in pieces]) if pieces else np.zeros(0, dtype=bool)
        self._ranks: dict[str, np.ndarray] = {}

    def _join(self, pieces: list[_Piece], field: str, of: str, before: dict[str, list]) -> tuple[list, np.ndarray]:
        names, column = _join(pieces, field, of, before.get(field))
        self.names[field] = names
        return names, column

    # ------------------------------------------------------------- selecting
    def rolled(self, code: str) -> np.ndarray:
        """The passages of a code and its sub-codes, in passage order (worked out when first asked)."""
        found = self._rolled.get(code)
        if found is None:
            if code not in self._code_at:
                return EMPTY
            book = self.ix.inp.codebook
            family = [self._code_at[c] for c in (code, *(d.id for d in book.descendants(code))) if c in self._code_at]
            found = self._rolled[code] = np.flatnonzero(np.isin(self.code_of, family)).astype(np.int64)
        return found

    def of_code(self, code: str | None, with_children: bool) -> np.ndarray:
        if code is None:
            return np.arange(len(self.ix.passages), dtype=np.int64)
        found = self.rolled(code)
        if with_children:
            return found
        at = next(i for i, c in enumerate(self.ix.codes) if c.id == code)
        return found[self.code_of[found] == at]

    def keep(self, indexes: np.ndarray, filters: Filters) -> np.ndarray:
        """The passages of ``indexes`` that ``filters`` keeps (in the same order)."""
        if filters == Filters() or not len(indexes):
            return indexes
        ok = np.ones(len(self.keys), dtype=bool)
        for k, (tid, people) in enumerate(self.keys):
            if filters.transcript is not None and tid != filters.transcript:
                ok[k] = False
            elif filters.participant is not None and filters.participant not in people:
                ok[k] = False
            elif filters.where and not filters.matches_values(self.lookup.values_of(tid, people)):
                ok[k] = False
        out = indexes[ok[self.key_of[indexes]]]
        if filters.coder is not None:
            out = out[self.coder_of[out] == self._position(self.coders, filters.coder)]
        if filters.origin is not None:
            out = out[self.origin_of[out] == self._position(self.origins, filters.origin)]
        return out

    @staticmethod
    def _position(names: list[str], value: str) -> int:
        return names.index(value) if value in names else -1

    # --------------------------------------------------------------- sorting
    def order(self, indexes: np.ndarray, sort: str) -> np.ndarray:
        """``indexes`` sorted by ``sort`` (participant, length, coder or code), ties in passage
        order.  Passages are in transcript order, so a stable sort on the first part of a sort's
        key (:func:`~coder.core.query.retrieve.sort_key`) is the sort on all of it."""
        key = self._ranks.get(sort)
        if key is None:
            key = self._ranks[sort] = self._first_key(sort)
        return indexes[np.argsort(key[indexes], kind="stable")]

    def _first_key(self, sort: str) -> np.ndarray:
        if sort == "coder":
            return self.coder_of
        if sort == "code":
            return self._join(self.pieces, "labels", "label_of", {})[1]
        if sort == "length":  # the longest first
            return -np.concatenate([p.lengths_quoted for p in self.pieces]) if self.pieces else EMPTY
        if sort == "participant":  # no participant (interviewer text) last
            keys = self.keys
            by = sorted(range(len(keys)), key=lambda k: (not keys[k][1], keys[k][1]))
            rank = np.empty(len(keys), dtype=np.int64)
            rank[np.asarray(by, dtype=np.int64)] = np.arange(len(keys))
            return rank[self.key_of] if len(keys) else EMPTY
        raise ValueError(sort)

    # -------------------------------------------------------------- counting
    def _units(self, indexes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every unit the passages cover: its passage, unit id and participant (-1: nobody)."""
        starts, ends = self.unit_ptr[indexes], self.unit_ptr[indexes + 1]
        lengths = ends - starts
        rows = np.repeat(indexes, lengths)
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        return rows, self.unit_id[at], self.unit_pid[at]

    def counts(self, indexes: dict[str, np.ndarray], by: str | None, depth: int | None) -> list[CodeCount]:
        """Per code, codings, distinct segments and distinct interviewed participants per group
        (``by``: None, transcript, coder, participant or an attribute), as
        :func:`coder.core.query.counts.code_counts` counts them."""
        book = self.ix.inp.codebook
        if by in (None, "transcript", "coder"):
            names, group_of = {None: (["all"], np.zeros(len(self.ix.passages), dtype=np.int32)),
                               "transcript": (self.tids, self.tid_of), "coder": (self.coders, self.coder_of)}[by]
        else:
            values = self.pids if by == "participant" else [self.ix.value(pid, by) or MISSING for pid in self.pids]
            names, person_group = _codes(values)
            person_group = np.append(person_group, -1)  # -1: nobody
        order = sorted(range(len(names)), key=lambda g: names[g])
        rows: list[CodeCount] = []
        for code in self.ix.codes:
            level = book.level(code.id)
            if depth is not None and level > depth:
                continue
            found = indexes.get(code.id, EMPTY)
            passage, unit, pid = self._units(found)
            said = self.interviewed[pid]
            passage, unit, pid = passage[said], unit[said], pid[said]
            if by in (None, "transcript", "coder"):
                codings = np.bincount(group_of[found], minlength=len(names))
                group = group_of[passage]
            else:
                group = person_group[pid]
                codings = _distinct(group, passage, len(names))
            segments = _distinct(group, unit, len(names))
            people = _distinct(group, pid, len(names))
            shown = [g for g in order if codings[g]]
            if by is None and not shown:
                shown = [0]
            rows += [CodeCount(code.id, code.name, level, names[g], int(codings[g]), int(segments[g]), int(people[g]))
                     for g in shown]
        return rows

    def coverage(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        """(coded, all) participant segments per transcript and per coder (see
        :func:`coder.core.query.counts.coverage`)."""
        ix = self.ix
        transcripts = ix.inp.transcripts
        totals = {tid: len(t.participant_segments) for tid, t in transcripts.items()}
        names = {tid: t._names_participants for tid, t in transcripts.items()}
        everything = np.arange(len(ix.passages), dtype=np.int64)
        passage, unit, pid = self._units(everything)
        tid = self.tid_of[passage]
        names_none = np.array([not names.get(t, True) for t in self.tids] + [False], dtype=bool)
        counted = self.unit_sentence & ((pid >= 0) | names_none[tid])
        counted &= np.array([t in transcripts for t in self.tids] + [False], dtype=bool)[tid]
        per_t = _distinct(tid[counted], unit[counted], len(self.tids))
        per_c = _distinct(self.coder_of[passage][counted], unit[counted], len(self.coders))
        total = sum(totals.values())
        by_transcript = {t: (0, totals[t]) for t in transcripts}
        by_transcript.update({t: (int(per_t[i]), totals[t]) for i, t in enumerate(self.tids) if t in transcripts})
        by_coder = {c: (int(per_c[i]), total) for i, c in enumerate(self.coders)}
        return by_transcript, by_coder
