"""The query engine's answers computed the slow, obvious way: a pass over every coded passage.
The property tests check the engine's columns against these."""

from __future__ import annotations

from coder.core.export.index import ExportIndex
from coder.core.query import Filters
from coder.core.query.counts import MISSING, CodeCount
from coder.core.query.retrieve import Lookup


def naive_find(ix: ExportIndex, code: str | None, with_children: bool, filters: Filters) -> list[str]:
    """Coding ids of every passage of ``code`` (and its sub-codes) that ``filters`` keeps, in passage order."""
    book = ix.inp.codebook
    family = None if code is None else ({code, *(d.id for d in book.descendants(code))} if with_children else {code})
    lookup = Lookup(ix)
    out = []
    for p in ix.passages:
        if family is not None and p.code not in family:
            continue
        c = p.coding
        if not filters.keeps(c.coder, c.origin.kind, c.transcript, p.participants):
            continue
        if not filters.matches_values(lookup.values(p)):
            continue
        out.append(c.id)
    return out


def code_counts(ix: ExportIndex, indexes: dict[str, list[int]], by: str | None = None,
                depth: int | None = None) -> list[CodeCount]:
    """``indexes`` maps each code to its (rolled-up, filtered) passage indexes."""
    book = ix.inp.codebook
    interviewed = set(ix.interviewed)
    rows: list[CodeCount] = []
    for code in ix.codes:
        level = book.level(code.id)
        if depth is not None and level > depth:
            continue
        groups: dict[str, tuple[set[int], set[str], set[str]]] = {}
        for i in indexes.get(code.id, []):
            p = ix.passages[i]
            if by in (None, "transcript", "coder"):
                key = {None: "all", "transcript": p.coding.transcript, "coder": p.coding.coder}[by]
                g = groups.setdefault(key, (set(), set(), set()))
                g[0].add(i)
                for unit, pid in p.units:
                    if pid in interviewed:
                        g[1].add(unit)
                        g[2].add(pid)
                continue
            for unit, pid in p.units:
                if pid not in interviewed:
                    continue
                key = pid if by == "participant" else (ix.value(pid, by) or MISSING)
                g = groups.setdefault(key, (set(), set(), set()))
                g[0].add(i)
                g[1].add(unit)
                g[2].add(pid)
        if by is None and not groups:
            groups["all"] = (set(), set(), set())
        for key in sorted(groups):
            passages, units, people = groups[key]
            rows.append(CodeCount(code.id, code.name, level, key, len(passages), len(units), len(people)))
    return rows


def coverage(ix: ExportIndex) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """How much is coded: per transcript and per coder, (participant segments coded, participant
    segments in all), counted as coding progress counts (interviewers' sentences left out)."""
    transcripts = ix.inp.transcripts
    keys = {tid: {f"{tid}#{s.id}" for s in t.participant_segments} for tid, t in transcripts.items()}
    total = sum(len(k) for k in keys.values())
    by_transcript: dict[str, set[str]] = {tid: set() for tid in transcripts}
    by_coder: dict[str, set[str]] = {}
    for p in ix.passages:
        tid = p.coding.transcript
        units = {u for u, _ in p.units if u in keys.get(tid, ())}
        if tid in by_transcript:
            by_transcript[tid] |= units
        by_coder.setdefault(p.coding.coder, set()).update(units)
    return ({tid: (len(u), len(keys[tid])) for tid, u in by_transcript.items()},
            {coder: (len(u), total) for coder, u in sorted(by_coder.items())})
