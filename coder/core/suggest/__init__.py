"""Code suggestions from a local sentence-embedding model.

Importing this package is cheap: numpy, scikit-learn, torch and
sentence-transformers are imported only when a model is loaded or a
suggester trained.  The names below are loaded on first use.

* :class:`Suggester` (``engine``): ranks codes, learns from codings/rejections.
* :class:`EncoderLoader`, :func:`load_encoder` (``model``): the model, offline.
* :class:`EmbeddingCache`, :class:`CachedEncoder` (``embeddings``): ``.coder/embeddings``.
* :func:`suggest_transcripts`, :func:`write_suggestions` (``batch``): ``coder suggest``.
* :class:`FakeEncoder` (``fake``): a deterministic encoder for tests.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Suggester": "engine",
    "Suggestion": "values",
    "Reason": "values",
    "Scores": "engine",
    "SuggestSettings": "engine",
    "NotReady": "embeddings",
    "EmbeddingCache": "embeddings",
    "CachedEncoder": "embeddings",
    "EncoderLoader": "model",
    "SentenceEncoder": "model",
    "Encoder": "model",
    "load_encoder": "model",
    "DEFAULT_MODEL": "model",
    "Example": "training",
    "BANDS": "calibration",
    "SegmentSuggestion": "batch",
    "suggest_transcripts": "batch",
    "write_suggestions": "batch",
    "FakeEncoder": "fake",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
