"""Spans of sentences: how a passage is cut into the pieces that are scored.

A passage of several sentences is scored, per code, as the best of its
sentences each alone and of their pooled (mean) embedding, so one sentence
squarely about a code is not diluted by the rest.  Calibration scores the
held-out coded passages the same way (:func:`split_sentences` stands in for
the segmentation of a coded quote), so the thresholds fit what is scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=\S)")


def split_sentences(text: str) -> list[str]:
    """``text`` cut after ``.``, ``!``, ``?`` (and closing quotes) followed by space."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p] or [text]


def as_span(text: str | Sequence[str]) -> list[str]:
    """A text is a span of one piece; a sequence of texts drops blank ones."""
    return [text] if isinstance(text, str) else [t for t in text if t.strip()] or [""]


@dataclass(frozen=True)
class Pieces:
    """The pieces scored for some spans: every sentence, and for a span of
    several sentences also their pooled vector (text: the sentences joined)."""

    texts: list[str]  # (p,) the words of each piece
    vectors: np.ndarray  # (p, d) unit rows
    owner: np.ndarray  # (p,) the span each piece belongs to, ascending
    pooled: np.ndarray  # (n, d) the span's own vector (its sentence, or the mean)

    @classmethod
    def build(cls, spans: Sequence[Sequence[str]], V: np.ndarray) -> "Pieces":
        """From the spans' sentences and their embeddings ``V`` (one row per sentence, in order)."""
        texts: list[str] = []
        rows: list[np.ndarray] = []
        owner: list[int] = []
        pooled = np.zeros((len(spans), V.shape[1]), np.float32)
        at = 0
        for i, span in enumerate(spans):
            block = V[at : at + len(span)]
            at += len(span)
            texts.extend(span)
            rows.append(block)
            owner.extend([i] * len(span))
            if len(span) == 1:
                pooled[i] = block[0]
                continue
            mean = block.mean(0)
            pooled[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            texts.append(" ".join(span))
            rows.append(pooled[i : i + 1])
            owner.append(i)
        vectors = np.concatenate(rows) if rows else np.zeros((0, V.shape[1]), np.float32)
        return cls(texts, vectors, np.asarray(owner, np.int64), pooled)

    def take(self, mask: np.ndarray) -> "Pieces":
        """The pieces where ``mask`` is true (whole spans, so owners stay ascending)."""
        idx = np.nonzero(mask)[0]
        return Pieces([self.texts[i] for i in idx], self.vectors[idx], self.owner[idx], self.pooled)

    def best(self, values: np.ndarray, n: int) -> np.ndarray:
        """(n, k): per span, the maximum of ``values`` (p, k) over its pieces."""
        out = np.full((n, values.shape[1]), -np.inf, np.float32)
        if len(self.owner):
            spans, starts = np.unique(self.owner, return_index=True)
            out[spans] = np.maximum.reduceat(values, starts, axis=0)
        return out
