"""Code co-occurrence: which themes are applied to the same passages and by the same people.

Pairs are counted with roll-up (a coding of a sub-theme counts for its parents
too); pairs of a code with its own ancestor are left out, as they co-occur by
construction.
"""

from __future__ import annotations

from itertools import combinations

from coder.core.export.index import ExportIndex
from coder.core.export.table import Table


def _overlap_pairs(ix: ExportIndex) -> dict[tuple[str, str], int]:
    """Pairs of codings whose spans overlap, counted per (rolled-up) code pair."""
    selected = {c.id for c in ix.codes}
    order = {c.id: n for n, c in enumerate(ix.codes)}
    chains = {}
    counts: dict[tuple[str, str], int] = {}
    by_transcript: dict[str, list[int]] = {}
    for i, p in enumerate(ix.passages):
        if p.code is not None:
            by_transcript.setdefault(p.coding.transcript, []).append(i)
    for idxs in by_transcript.values():
        active: list[int] = []
        for i in sorted(idxs, key=lambda i: (ix.passages[i].coding.start, ix.passages[i].coding.end)):
            c = ix.passages[i].coding
            active = [j for j in active if ix.passages[j].coding.end > c.start]
            for j in active:
                a, b = ix.passages[j].code, ix.passages[i].code
                for x in chains.setdefault(a, [k for k in ix.path(a) if k in selected]):
                    for y in chains.setdefault(b, [k for k in ix.path(b) if k in selected]):
                        if x == y:
                            continue
                        key = (x, y) if order[x] < order[y] else (y, x)
                        counts[key] = counts.get(key, 0) + 1
            active.append(i)
    return counts


def cooccurrence(ix: ExportIndex) -> Table:
    columns = {
        "code_a": "first code (codebook order)", "code_b": "second code",
        "name_a": "label of code_a", "name_b": "label of code_b",
        "overlapping_codings": "pairs of codings (one of each code, or a sub-code) whose spans overlap",
        "segments": "distinct segments (sentences, any speaker) coded with both",
        "participants": "counted participants who mention both (anywhere in their interviews)",
        "participants_interviewed": "all counted participants (interviewed, transcripts coded: the denominator)",
        "percent": "participants / participants_interviewed x 100",
    }
    overlaps = _overlap_pairs(ix)
    everyone = ix.counted
    rows = []
    for a, b in combinations(ix.codes, 2):
        if a.id in ix.path(b.id) or b.id in ix.path(a.id):
            continue
        seg = len(ix.code_units[a.id] & ix.code_units[b.id])
        both = ix.mentioning(a.id) & ix.mentioning(b.id)
        shown = ix.count(both)
        if not isinstance(shown, int):
            seg = None  # a segment count could tell how many people it is
        rows.append([a.id, b.id, a.name, b.name, overlaps.get((a.id, b.id), 0), seg,
                     shown, ix.count(everyone), ix.percent(both, everyone)])
    return Table("cooccurrence", "Code co-occurrence", "one pair of codes (neither an ancestor of the other)",
                 "all counted participants", columns, rows)
