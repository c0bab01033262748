"""What WebVTT and SubRip have in common: blocks of cues with timings and text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterator

from coder.core.errors import CoderError
from coder.core.readers.base import RawTurn, clean_words, merge_same_speaker
from coder.core.readers.labels import LabelPolicy, is_label_like, normalise_label

_TIME = r"(?:(\d{1,3}):)?(\d{2}):(\d{2})[.,](\d{3})"
_TIME_RE = re.compile(_TIME + r"\Z")
_TIMING = re.compile(r"[ \t]*(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?\Z")
_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")  # HTML-like tags, and SubRip's {\an8}
_LABEL = re.compile(r"[ \t]*([^:<>\[\]{}\n]{1,60}?)[ \t]*:(?:\s+|\Z)")

TIMING_HINT = "cue timings look like 00:00:01.000 --> 00:00:04.500"


@dataclass
class Piece:
    """Text of one cue (markup stripped) attributed to one speaker (``None``: not named)."""

    speaker: str | None
    text: str
    start_time: float
    end_time: float
    line: int


def blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines with the (1-based) number of their first line."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line.rstrip())
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def is_timing(line: str) -> bool:
    return "-->" in line


def parse_timing(line: str, *, file: str | Path | None, line_no: int) -> tuple[float, float]:
    """Start and end seconds of a cue timing line; cue settings after it are ignored."""
    m = _TIMING.match(line)
    if not m:
        raise CoderError(f"malformed cue timing {line.strip()!r}", file=file, line=line_no, hint=TIMING_HINT)
    start = _seconds(m.group(1), file, line_no)
    end = _seconds(m.group(2), file, line_no)
    if end < start:
        raise CoderError(
            f"the cue ends ({m.group(2)}) before it starts ({m.group(1)})", file=file, line=line_no
        )
    return start, end


def _seconds(stamp: str, file: str | Path | None, line_no: int) -> float:
    m = _TIME_RE.match(stamp)
    if not m or int(m.group(2)) >= 60 or int(m.group(3)) >= 60:
        raise CoderError(f"bad timestamp {stamp!r}", file=file, line=line_no, hint=TIMING_HINT)
    hours, minutes, seconds, millis = m.groups()
    return (((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)) / 1000


def strip_markup(text: str) -> str:
    """Cue text without ``<i>``/``<c.x>``/timestamp tags, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def split_label(line: str) -> tuple[str, str] | None:
    """``("Gwen Morgan", "rest")`` for a line ``Gwen Morgan: rest`` (a candidate only)."""
    m = _LABEL.match(line)
    if not m:
        return None
    label = normalise_label(m.group(1))
    return (label, line[m.end() :]) if is_label_like(label) else None


def resolve_labels(pieces: list[Piece], known: Collection[str]) -> list[Piece]:
    """Turn unattributed pieces whose text starts ``Name:`` into that speaker's words."""
    candidates = [
        (i, found) for i, p in enumerate(pieces) if p.speaker is None and (found := split_label(p.text))
    ]
    policy = LabelPolicy.build((label for _, (label, _) in candidates), known)
    for i, (label, rest) in candidates:
        if policy.accepts(label, strong=True):
            pieces[i].speaker = label
            pieces[i].text = rest
    return pieces


def to_turns(pieces: list[Piece]) -> list[RawTurn]:
    """Pieces in order as turns: unattributed text continues the previous speaker."""
    turns: list[RawTurn] = []
    speaker = ""
    for piece in pieces:
        if piece.speaker is not None:
            speaker = piece.speaker
        words = clean_words(piece.text)
        if words:
            turns.append(RawTurn(speaker, words, piece.start_time, piece.end_time, piece.line))
    return merge_same_speaker(turns)
