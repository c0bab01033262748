"""A deterministic stand-in for the embedding model, for fast tests.

:class:`FakeEncoder` hashes words (and word pairs) into a fixed number of
signed buckets: texts sharing words get similar vectors, so rankings behave
sensibly, and nothing is loaded.  It has the same interface as the real
:class:`coder.core.suggest.model.SentenceEncoder`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Sequence

import numpy as np

from coder.core.suggest.model import ProgressFn

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class FakeEncoder:
    """Hashing bag-of-words embeddings (``model_id`` ``"fake-bow-<dim>"``)."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"fake-bow-{dim}"
        self.calls = 0  # encode() calls that had texts, like SentenceEncoder.calls
        self.texts_encoded = 0

    def _bucket(self, token: str) -> tuple[int, float]:
        h = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(h, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = [w.lower() for w in _WORD.findall(text)]
            for token in words + [a + " " + b for a, b in zip(words, words[1:])]:
                j, sign = self._bucket(token)
                out[i, j] += sign
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
            else:
                out[i, 0] = 1.0  # empty text: a fixed unit vector
        if texts:
            self.calls += 1
            self.texts_encoded += len(texts)
            if progress:
                progress(len(texts), len(texts))
        return out
