"""What every format reader returns, and the rendering shared by the cue formats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable


@dataclass(frozen=True)
class RawTurn:
    """One speaker's contribution as a reader found it.

    ``start`` is the offset of ``text`` in :attr:`Parsed.text`; readers of the
    cue formats leave it ``None`` and :func:`render_turns` fills it in.
    """

    speaker: str  # "" when the source names no speaker
    text: str
    start_time: float | None = None  # seconds
    end_time: float | None = None
    line: int | None = None  # where the turn starts in the source (paragraph number for .docx)
    start: int | None = None

    @property
    def end(self) -> int:
        assert self.start is not None
        return self.start + len(self.text)


@dataclass(frozen=True)
class Parsed:
    """A transcript file read into text and turns.

    ``meta`` is metadata written by the researcher inside the file (front
    matter; empty for the cue formats, whose metadata lives in a sidecar), with
    ``meta_lines`` giving each key's line.  ``info`` is what the format itself
    says (WebVTT ``NOTE`` blocks, a .docx title or "Transcribed by" line).
    """

    text: str
    turns: tuple[RawTurn, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    has_front_matter: bool = False


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_words(text: str, *, keep_newlines: bool = False) -> str:
    """Collapse runs of spaces; newlines become spaces (or single newlines if kept)."""
    if keep_newlines:
        text = _BLANK_LINES.sub("\n", text)
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def merge_same_speaker(turns: Iterable[RawTurn], joiner: str = " ") -> list[RawTurn]:
    """Join consecutive turns by the same speaker into one (times span both)."""
    merged: list[RawTurn] = []
    for turn in turns:
        if not turn.text:
            continue
        if merged and merged[-1].speaker == turn.speaker:
            last = merged[-1]
            end_time = turn.end_time if turn.end_time is not None else last.end_time
            merged[-1] = replace(last, text=last.text + joiner + turn.text, end_time=end_time)
        else:
            merged.append(turn)
    return merged


def render_turns(turns: Iterable[RawTurn], info: dict[str, Any] | None = None) -> Parsed:
    """The text of a cue-format transcript: ``Speaker: words`` paragraphs.

    Turns are separated by a blank line; each turn's ``start`` points at its
    words (after ``Speaker: ``).  A turn with no speaker is rendered as its
    words alone.  Turn text must not contain blank lines (:func:`clean_words`).
    """
    parts: list[str] = []
    placed: list[RawTurn] = []
    pos = 0
    for turn in turns:
        if parts:
            parts.append("\n\n")
            pos += 2
        label = f"{turn.speaker}: " if turn.speaker else ""
        parts.append(label + turn.text)
        placed.append(replace(turn, start=pos + len(label)))
        pos += len(label) + len(turn.text)
    return Parsed("".join(parts), tuple(placed), info=dict(info or {}))
