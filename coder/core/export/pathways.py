"""Pathways between themes: for each ``leads_to`` link in the codebook, who mentions both.

A link ``social-networks -> community-power`` is the researcher's hypothesis.  The
table reports, for counted participants, how many mention the first theme, the
second, and both (with the share of the first who also mention the second), and
the places where one participant's codings of the two themes sit close together:
in the same speaker turn, or at most ``pathway_window`` sentences apart.  Themes
are rolled up (a sub-theme counts for its parent).  This is association in the
coded material, never evidence that one change caused the other.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from coder.core.export.index import ExportIndex
from coder.core.export.quotes import Speakers, descriptor
from coder.core.export.table import Table

CAVEAT = ("association in the coded material: participants whose interviews were coded with both themes; "
          "it does not show that one change led to the other")


@dataclass(frozen=True)
class _Place:
    first: int  # first and last sentence (segment index) the passage covers
    last: int
    turns: frozenset[int]


@dataclass(frozen=True)
class ClosePair:
    source: int  # passage indexes
    target: int
    people: tuple[str, ...]  # counted participants who say both
    apart: int  # sentences between them (0: overlapping or in the same sentence)
    same_turn: bool


def links(ix: ExportIndex) -> list[tuple[str, str]]:
    """Every ``leads_to`` link between reported codes, in codebook order."""
    selected = {c.id for c in ix.codes}
    book = ix.inp.codebook
    out = []
    for code in ix.codes:
        for target in code.leads_to:
            t = book.resolve(target)
            if t in selected and (code.id, t) not in out:
                out.append((code.id, t))
    return out


def close_pairs(ix: ExportIndex, source: str, target: str) -> list[ClosePair]:
    """Passages of ``source`` and ``target`` said by the same counted participant close together."""
    window = ix.options.pathway_window
    places = _places(ix)
    counted = ix.coverage.counted
    by_transcript: dict[str, list[int]] = {}
    for i in ix.code_passages.get(target, []):
        by_transcript.setdefault(ix.passages[i].coding.transcript, []).append(i)
    pairs = []
    for i in ix.code_passages.get(source, []):
        a = ix.passages[i]
        pa = places.get(i)
        if pa is None:
            continue
        for j in by_transcript.get(a.coding.transcript, []):
            pb = places.get(j)
            people = tuple(p for p in a.participants if p in ix.passages[j].participants and p in counted)
            if i == j or pb is None or not people:
                continue
            apart = max(0, max(pa.first, pb.first) - min(pa.last, pb.last))
            same_turn = bool(pa.turns & pb.turns)
            if same_turn or apart <= window:
                pairs.append(ClosePair(i, j, people, apart, same_turn))
    return pairs


def _places(ix: ExportIndex) -> dict[int, _Place]:
    cache = getattr(ix, "_pathway_places", None)
    if cache is not None:
        return cache
    ends = {tid: [s.end for s in t.segments] for tid, t in ix.inp.transcripts.items()}
    out: dict[int, _Place] = {}
    for n, p in enumerate(ix.passages):
        t = ix.inp.transcripts.get(p.coding.transcript)
        if t is None or not t.segments:
            continue
        seg_ends = ends[t.id]
        first = min(bisect.bisect_right(seg_ends, p.coding.start), len(seg_ends) - 1)
        last = max(first, min(bisect.bisect_left(seg_ends, p.coding.end), len(seg_ends) - 1))
        turns = frozenset(t.segments[k].turn for k in range(first, last + 1))
        out[n] = _Place(first, last, turns)
    ix._pathway_places = out  # type: ignore[attr-defined]
    return out


def pathways(ix: ExportIndex) -> list[Table]:
    k_quotes = ix.options.quotes_per_cell
    window = ix.options.pathway_window
    book = ix.inp.codebook
    columns = {
        "from_code": "the theme a link starts from (codebook `leads_to:`)", "to_code": "the theme it leads to",
        "from_name": "label of from_code", "to_name": "label of to_code",
        "participants_from": "counted participants mentioning from_code (or a sub-theme)",
        "participants_to": "counted participants mentioning to_code (or a sub-theme)",
        "participants_both": "counted participants mentioning both, anywhere in their interviews",
        "share_of_from_percent": "participants_both / participants_from x 100: of those mentioning the first, "
                                 "the share who also mention the second",
        "participants_close": f"counted participants in whose own words the two are coded close together "
                              f"(the same speaker turn, or at most {window} sentences apart)",
        "close_places": "pairs of codings (one of each theme, the same speaker) close together",
        "participants_counted": "all counted participants (the denominator)",
        "quotes": f"up to {k_quotes} places where both are coded close together, each with who said it",
        "caveat": "what the figures can and cannot show",
    }
    rows, qrows = [], []
    who = Speakers(ix, {"from_code", "to_code", "rank", "from_quote", "to_quote", "sentences_apart", "same_turn",
                        "from_coding_id", "to_coding_id"})
    for source, target in links(ix):
        a, b = ix.mentioning(source), ix.mentioning(target)
        pairs = close_pairs(ix, source, target)
        close = {p for pair in pairs for p in pair.people}
        shown = ix.count(close)
        pairs.sort(key=lambda pr: (pr.apart, not pr.same_turn, ix.quote_key(pr.source), ix.quote_key(pr.target)))
        texts = []
        for rank, pair in enumerate(pairs, start=1):
            ca, cb = ix.passages[pair.source].coding, ix.passages[pair.target].coding
            qrows.append([source, target, rank, ix.inp.quote(ca), ix.inp.quote(cb), pair.apart, "yes" if pair.same_turn else "no",
                          ca.id, cb.id, *who.values(pair.people[0], pair.source)])
            if rank <= k_quotes:
                texts.append(f"\u201c{ix.inp.quote(ca)}\u201d \u2192 \u201c{ix.inp.quote(cb)}\u201d \u2014 {descriptor(ix, pair.people[0])}")
        rows.append([source, target, book.get(source).name, book.get(target).name, ix.count(a), ix.count(b),
                     ix.count(a & b), ix.percent(a & b, a), shown, len(pairs) if isinstance(shown, int) else None,
                     ix.count(ix.counted), "\n\n".join(texts), CAVEAT])
    qcolumns = {
        "from_code": "as in pathways", "to_code": "as in pathways", "rank": "closest first",
        "from_quote": "the passage coded with from_code", "to_quote": "the passage coded with to_code",
        "sentences_apart": "sentences between the two passages (0: the same or overlapping sentences)",
        "same_turn": "yes if both are in the same speaker turn",
        "from_coding_id": "coding id (as in quotes.csv)", "to_coding_id": "coding id (as in quotes.csv)",
        **who.columns,
    }
    return [
        Table("pathways", "Pathways between themes (association in the coded material)",
              "one leads_to link of the codebook", "all counted participants", columns, rows),
        Table("pathways_quotes", "Pathways: where both themes are coded close together",
              "one pair of codings of a link's two themes, by the same speaker, close together", "",
              qcolumns, qrows),
    ]
