"""The features of the training rows, kept from one retrain to the next.

A retrain after one coding sees thousands of rows it saw a moment ago and
one or two new ones.  Looking each of them up again (hashing the text for
the embedding cache, assembling its TF-IDF row) was most of the retrain's
time once the classifier itself updated incrementally; :class:`RowFeatures`
keeps the previous retrain's matrices by text and only computes rows for
texts it has not seen, so the matrices come out identical to computing them
afresh, in a fraction of the time.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from coder.core.suggest.words import Vocabulary


class RowFeatures:
    """Embeddings (and word rows) of texts, reused by text between calls."""

    def __init__(self) -> None:
        self._row: dict[str, int] = {}
        self._X: np.ndarray | None = None
        self._S: sp.csr_matrix | None = None
        self._vocabulary: Vocabulary | None = None
        self._source: object = None

    def features(
        self,
        texts: Sequence[str],
        embed: Callable[[list[str]], np.ndarray],
        vocabulary: Vocabulary | None,
        source: object,
    ) -> tuple[np.ndarray, sp.csr_matrix | None]:
        """``(X, S)`` for ``texts``: ``embed(texts)`` and ``vocabulary.transform(texts)``
        (None without a vocabulary), computed only for texts not seen last time.

        ``source``: what embeds (the encoder); when it changes nothing is reused.
        """
        texts = list(texts)
        known = self._X is not None and source is self._source
        idx = np.fromiter((self._row.get(t, -1) for t in texts), np.int64, len(texts)) if known \
            else np.full(len(texts), -1, np.int64)
        new = np.nonzero(idx < 0)[0]
        fresh = [texts[i] for i in new]
        if len(new) == len(texts):
            X = embed(texts)
        else:
            X = np.empty((len(texts), self._X.shape[1]), np.float32)
            old = idx >= 0
            X[old] = self._X[idx[old]]
            if len(new):
                X[new] = embed(fresh)
        S = None
        if vocabulary is not None:
            if vocabulary is self._vocabulary and self._S is not None and len(new) < len(texts):
                # Old rows from the last matrix, new ones after them, then put in order.
                order = np.where(idx >= 0, idx, 0)
                order[new] = self._S.shape[0] + np.arange(len(new))
                both = sp.vstack([self._S, vocabulary.transform(fresh)], format="csr") if len(new) else self._S
                S = both[order]
            else:
                S = vocabulary.transform(texts)
        self._row = {t: i for i, t in enumerate(texts)}
        self._X, self._S, self._vocabulary, self._source = X, S, vocabulary, source
        return X, S
