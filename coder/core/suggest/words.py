"""Word n-gram features (TF-IDF) to sit beside the sentence embeddings.

An embedding captures what a sentence is about; the words a researcher's
codes hinge on ("parking", "rude", "waiting list") are sometimes sharper.
Once enough is coded (see ``SuggestSettings.words_from``) each text gets,
besides its embedding, a sparse row of TF-IDF weights over word unigrams and
bigrams, and each code's logistic regression learns a weight per n-gram.

The vocabulary and the IDF weights come from the whole project's text and
the codebook (:meth:`Vocabulary.build`), not from what is coded, so they stay
the same from one retrain to the next and a code's word weights carry over.
Nothing here depends on scikit-learn's vectoriser: one regex and a dict keep
transforming one sentence well under a millisecond.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

_TOKEN = re.compile(r"[^\W\d_][\w']*", re.UNICODE)


def ngrams(text: str) -> list[str]:
    """Lower-cased words and adjacent word pairs of ``text``."""
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass(frozen=True)
class Vocabulary:
    """N-gram → column, with each column's inverse document frequency."""

    index: dict[str, int]
    idf: np.ndarray  # (v,) float32
    n_docs: int  # texts it was built from
    _rows: dict = field(default_factory=dict, compare=False, repr=False)  # text -> (cols, vals)

    @classmethod
    def build(cls, texts: Iterable[str], *, min_df: int = 2, max_size: int = 30_000) -> "Vocabulary":
        """From the distinct ``texts``: n-grams in at least ``min_df`` of them,
        the ``max_size`` most frequent (ties by n-gram, so the result is stable)."""
        df: Counter[str] = Counter()
        n = 0
        for t in dict.fromkeys(texts):
            n += 1
            df.update(set(ngrams(t)))
        kept = sorted((g for g, c in df.items() if c >= min_df), key=lambda g: (-df[g], g))[:max_size]
        kept.sort()
        idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], np.float32)
        return cls({g: j for j, g in enumerate(kept)}, idf, n)

    def __len__(self) -> int:
        return len(self.index)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of sublinear TF × IDF, each scaled to unit length (an empty row stays 0).

        Each distinct text is weighed once and remembered: a retrain after
        one more coding assembles thousands of known rows in milliseconds.
        """
        rows = [self._row(t) for t in texts]
        indptr = np.zeros(len(rows) + 1, np.int64)
        np.cumsum([len(c) for c, _ in rows], out=indptr[1:])
        cols = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, np.int32)
        vals = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
        return sp.csr_matrix((vals, cols, indptr), shape=(len(rows), len(self.index)))

    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        row = self._rows.get(text)
        if row is None:
            counts = Counter(j for j in map(self.index.get, ngrams(text)) if j is not None)
            cols = np.array(sorted(counts), np.int32)
            vals = np.array([(1.0 + math.log(counts[j])) * self.idf[j] for j in cols], np.float32)
            norm = float(np.linalg.norm(vals))
            row = self._rows[text] = (cols, vals / norm if norm > 0 else vals)
        return row
