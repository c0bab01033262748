"""Training items: what the classifiers learn from, as plain values.

Three sources, all reduced to :class:`Example` (text, code, where it came from):

* the codebook: each code's name, its name with definition (and inclusion
  notes), and its example quotes are positives for that code; its exclusion
  notes are hard negatives for it;
* segments the researcher coded: positives for their codes and implicit
  negatives for the other codes (except the code's ancestors and
  descendants, which stay unknown);
* suggestions the researcher rejected: hard negatives for that code.

:func:`build_training_set` turns them into the matrices the classifier
fits, one row per distinct text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal, Sequence, Union

import numpy as np

from coder.core.codebook import Code, Codebook

Kind = Literal["name", "definition", "example", "exclude", "coded", "rejected", "uncoded"]

# Sample weights per kind of evidence (see benchmarks/suggestions.py).
WEIGHTS = {
    "name": 1.0,
    "definition": 1.0,
    "example": 1.0,
    "coded": 1.0,
    "implicit": 1.0,  # a coded segment as a negative for codes it was not given
    "exclude": 1.0,
    "rejected": 2.0,  # an explicit "not this code" counts more than silence
    "uncoded": 0.5,  # a segment the researcher read and left uncoded: a soft "none of these"
}


@dataclass(frozen=True)
class Example:
    """One piece of evidence about one code."""

    text: str
    code: str  # code id
    where: str = ""  # where it came from, shown in reasons ("codebook", "interview-03 ¶12")
    kind: Kind = "coded"


ExampleLike = Union[Example, tuple]


def as_examples(items: Iterable[ExampleLike], kind: Kind) -> list[Example]:
    """Accept :class:`Example` values or ``(text, code_id[, where])`` tuples."""
    out: list[Example] = []
    for item in items:
        if isinstance(item, Example):
            out.append(item)
        else:
            text, code, *rest = item
            out.append(Example(str(text), str(code), str(rest[0]) if rest else "", kind))
    return out


def code_texts(code: Code) -> list[Example]:
    """The codebook's own evidence for one code."""
    where = "codebook"
    out = [Example(code.name, code.id, where, "name")]
    described = " ".join(x for x in (code.definition, code.include) if x.strip())
    if described:
        out.append(Example(f"{code.name}: {described}", code.id, where, "definition"))
    out.extend(Example(q, code.id, where, "example") for q in code.examples if q.strip())
    if code.exclude.strip():
        out.append(Example(code.exclude, code.id, where, "exclude"))
    return out


def candidate_codes(codebook: Codebook, positives: Sequence[Example] = ()) -> list[Code]:
    """Codes worth suggesting: every leaf; a parent with a definition, examples or
    codings of its own; but a top-level heading over other codes (a framework's
    "Short-term changes") only once the researcher has coded with it."""
    coded = {codebook.resolve(c) for c in {e.code for e in positives}}
    parents = {c.parent for c in codebook.codes}
    out = []
    for c in codebook.codes:
        if c.id not in parents or c.id in coded:
            out.append(c)
        elif c.parent is not None and (c.definition.strip() or c.examples):
            out.append(c)
    return out


KINDS: tuple[Kind, ...] = ("name", "definition", "example", "exclude", "coded", "rejected", "uncoded")
_HELD_OUT = (KINDS.index("example"), KINDS.index("coded"), KINDS.index("uncoded"))


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]  # one per row
    Y: np.ndarray  # (n, k) 1 = positive
    W: np.ndarray  # (n, k) sample weight, 0 = unknown
    cv: np.ndarray  # (n,) rows usable as held-out items for calibration
    # The evidence behind the rows, flat: each example (its code resolved), its
    # row, its code's column (-1 for "uncoded") and its kind (index into KINDS).
    evidence: tuple[Example, ...]
    evidence_row: np.ndarray  # (e,)
    evidence_column: np.ndarray  # (e,)
    evidence_kind: np.ndarray  # (e,)

    def of_kind(self, *kinds: Kind) -> np.ndarray:
        """Indexes into ``evidence`` of the examples of these kinds."""
        return np.nonzero(np.isin(self.evidence_kind, [KINDS.index(k) for k in kinds]))[0]

    def rows_with(self, kind: Kind) -> int:
        """How many rows have evidence of ``kind``."""
        return len(np.unique(self.evidence_row[self.evidence_kind == KINDS.index(kind)]))


def build_training_set(
    codebook: Codebook,
    codes: Sequence[Code],
    positives: Sequence[Example],
    rejections: Sequence[Example],
    uncoded: Sequence[Example] = (),
) -> TrainingSet:
    """Rows of texts with, per code, a label (Y) and a weight (W; 0 = unknown).

    ``uncoded`` are segments the researcher has read and left uncoded: soft
    negatives for every code, and held-out negatives for calibration, so the
    bands learn how often ordinary talk looks like a code.
    """
    column = {c.id: j for j, c in enumerate(codes)}
    k = len(codes)
    related = np.zeros((k, k), bool)  # [j, r]: code r is an ancestor or descendant of code j
    for c in codes:
        for x in [a.id for a in codebook.ancestors(c.id)] + [d.id for d in codebook.descendants(c.id)]:
            if x in column:
                related[column[c.id], column[x]] = True
    resolved: dict[str, int | None] = {}  # code id as written -> its column (None: not a candidate)
    rows: dict[str, int] = {}
    texts: list[str] = []
    evidence: list[Example] = []
    ev_row: list[int] = []
    ev_col: list[int] = []
    ev_kind: list[int] = []

    def add(examples: Iterable[Example], kind: Kind | None) -> None:
        """Each example with a code in the codebook (or none, for uncoded) onto its text's row."""
        kind_index = {kind: i for i, kind in enumerate(KINDS)}
        row, text_append, append = rows.get, texts.append, evidence.append
        row_append, col_append, kind_append = ev_row.append, ev_col.append, ev_kind.append
        for e in examples:
            j = -1 if kind == "uncoded" else resolved.get(e.code, -2)
            if j == -2:
                code = codebook.resolve(e.code)
                j = resolved[e.code] = column.get(code) if code is not None else None
            if j is None or not e.text.strip():
                continue
            kd = kind or e.kind
            code = codes[j].id if j >= 0 else ""
            i = row(e.text)
            if i is None:
                i = rows[e.text] = len(texts)
                text_append(e.text)
            elif kd == "uncoded":
                continue  # a text known otherwise is not also a soft negative
            append(e if e.code == code and e.kind == kd else Example(e.text, code, e.where, kd))
            row_append(i)
            col_append(j)
            kind_append(kind_index[kd])

    add([e for c in codes for e in code_texts(c)] + list(positives), None)
    n_evidence_rows = len(texts)
    add(rejections, "rejected")
    n_known_rows = len(texts)
    add(uncoded, "uncoded")
    n = len(texts)
    er = np.array(ev_row, dtype=np.intp)
    ec = np.array(ev_col, dtype=np.intp)
    ek = np.array(ev_kind, dtype=np.int8)
    positive = ~np.isin(ek, [KINDS.index(x) for x in ("exclude", "rejected", "uncoded")])
    pos_r, pos_c = er[positive], ec[positive]
    pos_w = np.array([WEIGHTS.get(x, 1.0) for x in KINDS], np.float32)[ek[positive]]
    exc = ek == KINDS.index("exclude")
    rej = ek == KINDS.index("rejected")
    rel_at, rel_c = np.nonzero(related[pos_c])
    Y = np.zeros((n, k), np.float32)
    # Everything not said otherwise is a negative for texts from the codebook
    # or coded segments, and unknown for texts known only from rejections.
    W = np.zeros((n, k), np.float32)
    W[:n_evidence_rows] = WEIGHTS["implicit"]
    W[pos_r[rel_at], rel_c] = 0.0
    W[er[exc], ec[exc]] = np.maximum(W[er[exc], ec[exc]], WEIGHTS["exclude"])
    W[er[rej], ec[rej]] = WEIGHTS["rejected"]
    W[n_known_rows:] = WEIGHTS["uncoded"]
    Y[pos_r, pos_c] = 1.0
    W[pos_r, pos_c] = 0.0
    np.maximum.at(W, (pos_r, pos_c), pos_w)  # a coding outweighs a rejection of the same pair
    cv = np.zeros(n, dtype=bool)
    cv[er[np.isin(ek, _HELD_OUT)]] = True
    return TrainingSet(texts, Y, W, cv, tuple(evidence), er.astype(np.int64), ec.astype(np.int64), ek)
