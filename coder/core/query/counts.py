"""Per-code counts of codings, segments and participants, rolled up as the exports roll up:
a parent counts the *distinct* segments and participants of itself and its sub-codes,
never a sum of its children's counts (see :mod:`coder.core.export.index`)."""

from __future__ import annotations

from dataclasses import dataclass

from coder.core.export.index import ExportIndex

MISSING = "(not recorded)"
BY_FIXED = ("transcript", "participant", "coder")


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    level: int
    group: str  # "all", or the transcript / participant / coder / attribute value
    codings: int
    segments: int  # distinct segments spoken by interviewed participants
    participants: int  # distinct interviewed participants

    def record(self, by: str | None) -> dict:
        out = {"code_id": self.code, "code_name": self.name, "level": self.level}
        if by:
            out[by] = self.group
        return {**out, "codings": self.codings, "segments": self.segments, "participants": self.participants}


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
