"""Scoring :class:`~coder.core.suggest.context.Reading` values: the one path for the
workbench and ``coder suggest``.

:func:`suggest_readings` ranks codes for spans of readings with any
:class:`~coder.core.suggest.engine.Suggester` whose encoder is a
:class:`ReadingEncoder` (see :func:`reading_encoder`).  A reading with a
question reaches the engine as an :class:`InContext` string: its own text,
carrying the question, so word features and exact-text lookups see the
sentence while the encoder returns the sentence's embedding plus ``weight``
times the question's, renormalised.  Both embeddings are cached under their
own text, so a question shared by a whole answer is embedded once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

import numpy as np

from coder.core.suggest.calibration import capped
from coder.core.suggest.context import Reading
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache
from coder.core.suggest.values import Suggestion


class InContext(str):
    """A sentence's text that carries the question it answers (compares as the text)."""

    question: str
    weight: float

    def __new__(cls, text: str, question: str, weight: float) -> "InContext":
        self = super().__new__(cls, text)
        self.question = question
        self.weight = weight
        return self

    def __getnewargs__(self):
        return (str(self), self.question, self.weight)


class ReadingEncoder(CachedEncoder):
    """A cached encoder that blends each :class:`InContext` text's question into its embedding."""

    def encode(self, texts, progress=None, *, block: bool = True) -> np.ndarray:
        texts = list(texts)
        asked = [(i, t.question, t.weight) for i, t in enumerate(texts) if isinstance(t, InContext) and t.question]
        if not asked:
            return super().encode(texts, progress, block=block)
        questions = list(dict.fromkeys(q for _, q, _ in asked))
        V = super().encode([str(t) for t in texts] + questions, progress, block=block)
        out, Q = V[: len(texts)].copy(), V[len(texts):]
        at = {q: j for j, q in enumerate(questions)}
        for i, q, w in asked:
            v = out[i] + w * Q[at[q]]
            out[i] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out


def reading_encoder(encoder, cache_dir=None) -> ReadingEncoder:
    """``encoder`` (a model, a loader or a :class:`CachedEncoder`) as a :class:`ReadingEncoder`."""
    if isinstance(encoder, ReadingEncoder):
        return encoder
    if isinstance(encoder, CachedEncoder):
        return ReadingEncoder(encoder.source, encoder.cache)
    return ReadingEncoder(encoder, EmbeddingCache(cache_dir, encoder.model_id))


def readable(suggester) -> None:
    """Give ``suggester`` a :class:`ReadingEncoder` if it has another encoder (once)."""
    if not isinstance(suggester.encoder, ReadingEncoder):
        suggester.encoder = reading_encoder(suggester.encoder)


def scored(reading: Reading) -> str:
    """What the engine ranks codes for, for one reading."""
    text = reading.sentence.strip()
    return InContext(text, reading.question, reading.weight) if reading.question else text


def _texts(texts: Sequence[str]):
    texts = [t for t in texts if t]
    return texts[0] if len(texts) == 1 else texts


def caps(suggester, spans: Sequence[Sequence[Reading]], *, block: bool = True) -> list[dict[str, int] | None]:
    """For each span that denies something, the highest band each code may have (None: no cap).

    The band what the span affirms gets when scored alone, without its
    question (what is denied may be the question); 0 (weak) for every code
    when it affirms nothing.
    """
    out: list[dict[str, int] | None] = [None] * len(spans)
    todo = [i for i, span in enumerate(spans) if any(r.denied for r in span)]
    some = [i for i in todo if any(r.affirmed for r in spans[i])]
    for i in todo:
        out[i] = {}
    if some:
        sc = suggester.score([_texts([r.affirmed for r in spans[i]]) for i in some], block=block)
        for i, row in zip(some, sc.bands):
            out[i] = {c.id: int(b) for c, b in zip(sc.codes, row)}
    return out


def suggest_readings(
    suggester,
    spans: Sequence[Sequence[Reading]],
    *,
    top: int | None = 5,
    min_band: str = "weak",
    exclude: Sequence[Iterable[str]] | None = None,
    block: bool = True,
    progress=None,
) -> list[list[Suggestion]]:
    """Ranked codes for each span of readings (see :class:`~coder.core.suggest.context.Reading`).

    A suggestion for a span read with a question says so in its reason.
    """
    readable(suggester)
    todo = [i for i, span in enumerate(spans) if any(r.sentence.strip() for r in span)]
    out: list[list[Suggestion]] = [[] for _ in spans]
    if not todo:
        return out
    texts = [_texts([scored(r) for r in spans[i]]) for i in todo]
    denied = any(r.denied for i in todo for r in spans[i])
    limits = caps(suggester, [spans[i] for i in todo], block=block) if denied else None
    ranked = suggester.suggest_many(texts, top=top, min_band=min_band, block=block, progress=progress, caps=limits,
                                    exclude=[exclude[i] for i in todo] if exclude is not None else None)
    for i, row in zip(todo, ranked):
        question = next((r.question for r in spans[i] if r.question), "")
        out[i] = [_asked(s, question) for s in row] if question else row
    return out


def score_spans(suggester, spans: Sequence[Sequence[Reading]], *, block: bool = True, progress=None):
    """The engine's :class:`~coder.core.suggest.engine.Scores` for spans of readings, bands capped
    as :func:`suggest_readings` caps them: a code is shown ``possible`` or better for a span
    exactly when its band here is (cross-validation scores held-out passages with this)."""
    readable(suggester)
    sc = suggester.score([_texts([scored(r) for r in span]) or "" for span in spans], block=block,
                         progress=progress)
    if not any(r.denied for span in spans for r in span):
        return sc
    limits = caps(suggester, spans, block=block)
    bands = np.array([[capped(int(b), c.id, limit) for c, b in zip(sc.codes, row)]
                      for row, limit in zip(sc.bands, limits)], dtype=sc.bands.dtype).reshape(sc.bands.shape)
    return replace(sc, bands=bands)


def score_readings(suggester, readings: Sequence[Reading]):
    """:func:`score_spans` for one-sentence readings (for measuring)."""
    return score_spans(suggester, [[r] for r in readings])


def _asked(s: Suggestion, question: str) -> Suggestion:
    return replace(s, reason=replace(s.reason, question=question)) if s.reason else s
