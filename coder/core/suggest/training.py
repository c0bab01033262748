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
    coded = {codebook.resolve(e.code) for e in positives}
    parents = {c.parent for c in codebook.codes}
    out = []
    for c in codebook.codes:
        if c.id not in parents or c.id in coded:
            out.append(c)
        elif c.parent is not None and (c.definition.strip() or c.examples):
            out.append(c)
    return out


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]  # one per row
    items: list[list[Example]]  # the evidence behind each row
    Y: np.ndarray  # (n, k) 1 = positive
    W: np.ndarray  # (n, k) sample weight, 0 = unknown
    cv: np.ndarray  # (n,) rows usable as held-out items for calibration


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
    related: dict[str, set[int]] = {}
    for c in codes:
        family = {a.id for a in codebook.ancestors(c.id)} | {d.id for d in codebook.descendants(c.id)}
        related[c.id] = {column[x] for x in family if x in column}

    rows: dict[str, int] = {}
    texts: list[str] = []
    items: list[list[Example]] = []

    def row(text: str) -> int:
        i = rows.get(text)
        if i is None:
            i = rows[text] = len(texts)
            texts.append(text)
            items.append([])
        return i

    pos_r, pos_c, pos_w = [], [], []  # positives
    rel_r, rel_c = [], []  # ancestors/descendants of a positive: unknown
    exc_r, exc_c = [], []  # exclusion notes: hard negatives
    evidence = [e for c in codes for e in code_texts(c)] + list(positives)
    for e in evidence:
        code = codebook.resolve(e.code)
        if code not in column or not e.text.strip():
            continue
        i, j = row(e.text), column[code]
        items[i].append(e if e.code == code else Example(e.text, code, e.where, e.kind))
        if e.kind == "exclude":
            exc_r.append(i)
            exc_c.append(j)
            continue
        pos_r.append(i)
        pos_c.append(j)
        pos_w.append(WEIGHTS.get(e.kind, 1.0))
        for r in related[code]:
            rel_r.append(i)
            rel_c.append(r)
    n_evidence_rows = len(texts)
    rej_r, rej_c = [], []
    for e in rejections:
        code = codebook.resolve(e.code)
        if code not in column or not e.text.strip():
            continue
        i, j = row(e.text), column[code]
        items[i].append(Example(e.text, code, e.where, "rejected"))
        rej_r.append(i)
        rej_c.append(j)

    n_known_rows = len(texts)
    for e in uncoded:
        if e.text.strip() and e.text not in rows:
            items[row(e.text)].append(Example(e.text, "", e.where, "uncoded"))
    n = len(texts)
    Y = np.zeros((n, k), np.float32)
    # Everything not said otherwise is a negative for texts from the codebook
    # or coded segments, and unknown for texts known only from rejections.
    W = np.zeros((n, k), np.float32)
    W[:n_evidence_rows] = WEIGHTS["implicit"]
    W[rel_r, rel_c] = 0.0
    W[exc_r, exc_c] = np.maximum(W[exc_r, exc_c], WEIGHTS["exclude"])
    W[rej_r, rej_c] = WEIGHTS["rejected"]
    W[n_known_rows:] = WEIGHTS["uncoded"]
    Y[pos_r, pos_c] = 1.0
    W[pos_r, pos_c] = 0.0
    np.maximum.at(W, (np.array(pos_r, dtype=np.intp), np.array(pos_c, dtype=np.intp)),
                  np.array(pos_w, dtype=np.float32))  # a coding outweighs a rejection of the same pair
    kinds = [{e.kind for e in its} for its in items]
    cv = np.array([bool(ks & {"example", "coded", "uncoded"}) for ks in kinds], dtype=bool)
    return TrainingSet(texts, items, Y, W, cv)
