"""Suggestions for whole transcripts, as a table (``coder suggest``).

Inputs are plain values, so this does not depend on how the coding log is
stored: transcripts, the codebook, and the researcher's codings and
rejections as ``(text, code_id[, where])`` tuples or
:class:`~coder.core.suggest.training.Example` values.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Iterable, Sequence

from coder.core.atomic import write_atomic
from coder.core.codebook import Codebook
from coder.core.errors import CoderError
from coder.core.suggest.calibration import band_rank
from coder.core.suggest.context import read
from coder.core.suggest.contextual import reading_encoder, suggest_readings
from coder.core.suggest.embeddings import CachedEncoder
from coder.core.suggest.engine import Suggester, SuggestSettings
from coder.core.suggest.model import Encoder, EncoderLoader, ProgressFn
from coder.core.suggest.training import ExampleLike, as_examples
from coder.core.transcript import Transcript

FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class SegmentSuggestion:
    """One suggested code for one segment: a row of the output."""

    transcript: str
    segment: str
    speaker: str
    start: int
    end: int
    text: str
    code: str
    code_name: str
    score: float
    band: str
    rank: int
    reason: str  # the closest example or coded segment
    reason_where: str  # "codebook", or where that segment was coded
    model: str
    question: str = ""  # the interviewer's question the segment was read with, if any

    def to_dict(self) -> dict:
        return asdict(self)


COLUMNS = tuple(SegmentSuggestion.__dataclass_fields__)


def suggest_transcripts(
    transcripts: Sequence[Transcript],
    codebook: Codebook,
    positives: Iterable[ExampleLike] = (),
    rejections: Iterable[ExampleLike] = (),
    uncoded: Iterable[ExampleLike] = (),
    *,
    encoder: Encoder | EncoderLoader | CachedEncoder | None = None,
    cache_dir: str | os.PathLike | None = None,
    top: int | None = 3,
    min_band: str = "possible",
    progress: ProgressFn | None = None,
    settings: SuggestSettings = SuggestSettings(),
    suggester: Suggester | None = None,
    context: bool = True,
    polarity: bool = True,
) -> list[SegmentSuggestion]:
    """Suggest up to ``top`` codes at ``min_band`` or better for every segment.

    Each segment is read as the workbench reads it
    (:func:`~coder.core.suggest.context.read`): with the interviewer's
    question before it, and without what it denies (``context`` and
    ``polarity`` switch these off).  Codes a segment's text already has (or
    had rejected) are not suggested for it.  ``progress(done, total)``
    follows the embedding of all texts, the slow part; training and ranking
    after it take a moment.  Pass an
    existing ``suggester`` to reuse its training; otherwise one is trained
    here, with ``encoder`` (default: the configured default model, loaded
    offline) and the embedding cache in ``cache_dir``.
    """
    band_rank(min_band)  # validate early
    positives = as_examples(positives, "coded")
    rejections = as_examples(rejections, "rejected")
    uncoded = as_examples(uncoded, "uncoded")
    if suggester is None:
        suggester = Suggester(codebook, reading_encoder(encoder or EncoderLoader(), cache_dir), settings=settings)
    segments = [(t, s) for t in transcripts for s in t.segments]
    readings = [read(t, s, context=context, polarity=polarity) for t, s in segments]
    asked = list(dict.fromkeys(r.question for r in readings if r.question))
    texts = [r.sentence for r in readings] + [r.affirmed for r in readings if r.denied] + asked
    suggester.prepare(texts + [e.text for e in positives + rejections + uncoded], progress)
    suggester.train(positives, rejections, uncoded)

    done: dict[str, set[str]] = {}
    for e in positives + rejections:
        done.setdefault(e.text, set()).add(e.code)
    ranked = suggest_readings(
        suggester, [[r] for r in readings], top=top, min_band=min_band,
        exclude=[done.get(s.text, ()) for _, s in segments], block=True,
    )
    rows: list[SegmentSuggestion] = []
    for (tr, seg), sugs in zip(segments, ranked):
        speaker = tr.turns[seg.turn].speaker if 0 <= seg.turn < len(tr.turns) else ""
        for s in sugs:
            rows.append(
                SegmentSuggestion(
                    transcript=tr.id,
                    segment=seg.id,
                    speaker=speaker,
                    start=seg.start,
                    end=seg.end,
                    text=seg.text,
                    code=s.code,
                    code_name=s.name,
                    score=round(s.score, 4),
                    band=s.band,
                    rank=s.rank,
                    reason=s.reason.text if s.reason else "",
                    reason_where=s.reason.where if s.reason else "",
                    model=s.model,
                    question=s.reason.question if s.reason else "",
                )
            )
    return rows


def format_suggestions(rows: Sequence[SegmentSuggestion], fmt: str) -> str:
    """The rows as CSV (with a header) or JSON Lines."""
    if fmt not in FORMATS:
        raise CoderError(f"unknown output format {fmt!r}", hint="use csv or jsonl")
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.to_dict() for r in rows)
    else:
        for r in rows:
            buf.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    return buf.getvalue()


def write_suggestions(
    rows: Sequence[SegmentSuggestion],
    dest: str | os.PathLike | IO[str],
    fmt: str | None = None,
) -> None:
    """Write rows to a path (atomically; format from the suffix unless given) or a stream."""
    if not isinstance(dest, (str, os.PathLike)):
        dest.write(format_suggestions(rows, fmt or "csv"))
        return
    path = Path(dest)
    write_atomic(path, format_suggestions(rows, fmt or path.suffix.lstrip(".").lower() or "csv"))
