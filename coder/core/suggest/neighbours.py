"""Memory of coded and rejected passages: learning from one example.

A logistic regression moves only a little for one new coding, so a close
paraphrase of a sentence just coded would still be a weak suggestion.  The
engine therefore also remembers every coded passage (and every rejected
suggestion) with its embedding, and for a new segment looks up, per code,
the most similar passage coded with it (and rejected for it).  How the
similarities change the scores is the engine's business
(:func:`neighbour_shift`); this module only finds them, cheaply: one matrix
product against the memory and a maximum per code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from coder.core.suggest.training import Example


@dataclass(frozen=True)
class Memory:
    """Passages with their embeddings, each remembered for one code (column)."""

    vectors: np.ndarray  # (m, d), unit rows, sorted by column
    columns: np.ndarray  # (m,) code column of each passage, ascending
    examples: tuple[Example, ...]  # (m,) the passage, for reasons
    rows: np.ndarray  # (m,) the training row each passage is (to hold some out)
    k: int  # number of code columns
    present: np.ndarray = field(init=False, repr=False)  # the columns with passages…
    starts: np.ndarray = field(init=False, repr=False)  # …and where each one's passages start

    def __post_init__(self) -> None:
        present, starts = np.unique(self.columns, return_index=True)
        object.__setattr__(self, "present", present)
        object.__setattr__(self, "starts", starts)

    @classmethod
    def build(
        cls, vectors: np.ndarray, columns: Sequence[int], examples: Sequence[Example], rows: Sequence[int], k: int
    ) -> "Memory":
        columns = np.asarray(columns, dtype=np.int64)
        order = np.argsort(columns, kind="stable")
        return cls(
            np.ascontiguousarray(np.asarray(vectors, np.float32)[order]),
            columns[order],
            tuple(examples[i] for i in order),
            np.asarray(rows, dtype=np.int64)[order],
            k,
        )

    def __len__(self) -> int:
        return len(self.columns)

    def subset(self, keep: np.ndarray) -> "Memory":
        """The passages where ``keep`` (a boolean mask) is true."""
        idx = np.nonzero(keep)[0]
        return Memory(self.vectors[idx], self.columns[idx], tuple(self.examples[i] for i in idx), self.rows[idx], self.k)

    def similarities(self, Q: np.ndarray, chunk: int = 2048) -> np.ndarray:
        """(n, k): for each query row and code, the cosine to the most similar
        passage remembered for that code (-1 where the code has none)."""
        Q = np.asarray(Q, np.float32)
        out = np.full((len(Q), self.k), -1.0, np.float32)
        if not len(self) or not len(Q):
            return out
        for a in range(0, len(Q), chunk):
            sims = Q[a : a + chunk] @ self.vectors.T
            out[a : a + chunk, self.present] = np.maximum.reduceat(sims, self.starts, axis=1)
        return out

    def nearest(self, q: np.ndarray, column: int) -> tuple[Example, float] | None:
        """The passage remembered for ``column`` most similar to ``q``, and that similarity."""
        lo, hi = np.searchsorted(self.columns, [column, column + 1])
        if lo == hi:
            return None
        sims = self.vectors[lo:hi] @ np.asarray(q, np.float32)
        best = int(np.argmax(sims))
        return self.examples[lo + best], float(sims[best])


def neighbour_shift(similarity: np.ndarray, start: float, weight: float) -> np.ndarray:
    """The logit added for a neighbour at ``similarity``: 0 up to ``start``,
    then rising linearly to ``weight`` at an identical passage."""
    span = max(1.0 - start, 1e-6)
    return weight * np.clip((np.asarray(similarity) - start) / span, 0.0, None)
