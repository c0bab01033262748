"""Speaker labels and clock times, as transcripts write them.

A line such as ``Gwen: well, I...`` starts a turn, but so might look ``And I
said: no way``.  Readers therefore accept a label when it is *shaped* like a
name (at most four capitalised words, optionally a bracketed note such as
``Interviewer (SL)``), or when the researcher's metadata names it, or when the
same label recurs often enough that it must be a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable

from coder.core.errors import CoderError

# A clock time as written in transcripts: [h]h:mm[:ss][.fff]
CLOCK = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_CLOCK_PARTS = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?\Z")

# A line that starts with a speaker label; the utterance follows match.end().
LABEL_LINE = re.compile(
    rf"[ \t]*(?:[\[(](?P<ts>{CLOCK})[\])][ \t]*)?"
    rf"(?P<bold>\*\*|__)?[ \t]*"
    rf"(?:[\[(](?P<ts2>{CLOCK})[\])][ \t]*)?"
    rf"(?P<label>[^\s:*_\[\]<>#(][^:*<>\[\]\n]{{0,59}}?)"
    rf"(?:[ \t]*[\[(](?P<ts3>{CLOCK})[\])])?"
    rf"[ \t]*(?(bold)(?:\*\*|__)?:(?:\*\*|__)?|:)"
    rf"(?=[ \t]|$)"
)

_WORD = r"[^\W_][\w.'’&-]*"
_STRICT = re.compile(rf"{_WORD}(?: {_WORD}){{0,3}}(?: \([^()]{{1,30}}\))?\Z")
_LOOSE = re.compile(r"[^\s:<>*#\[\]][^:<>*#\[\]]{0,59}\Z")

# Lines such as "Date: 14 July 2021" at the top of a transcript are details of
# the interview, not speakers.
PREAMBLE_KEYS = frozenset(
    "date time duration length location place venue file filename recording audio "
    "project title transcriber transcription interview".split()
)

RECURRING = 3  # a label that is not name-shaped is a speaker if used this often


def normalise_label(label: str) -> str:
    return " ".join(label.split())


def is_name_shaped(label: str) -> bool:
    """``Gwen``, ``Speaker 1``, ``Dr Rhys-Evans``, ``Interviewer (SL)``."""
    return bool(_STRICT.match(label)) and (label[0].isupper() or label[0].isdigit())


def is_label_like(label: str) -> bool:
    """Anything that could conceivably be a speaker's name (at most six words)."""
    return bool(_LOOSE.match(label)) and len(label.split()) <= 6


@dataclass(frozen=True)
class LabelPolicy:
    """Decides which candidate labels in one file are speakers."""

    known: frozenset[str]  # casefolded labels named by the metadata
    counts: Counter

    @classmethod
    def build(cls, candidates: Iterable[str], known: Collection[str] = ()) -> "LabelPolicy":
        return cls(frozenset(k.casefold() for k in known), Counter(candidates))

    def accepts(self, label: str, *, strong: bool) -> bool:
        """``strong``: the position makes a label likely (paragraph start, timestamp)."""
        if label.casefold() in self.known:
            return True
        if is_name_shaped(label):
            return strong or self.counts[label] >= 2
        return self.counts[label] >= RECURRING


def parse_clock(text: str, *, file: str | Path | None = None, line: int | None = None) -> float:
    """Seconds for ``h:mm:ss``, ``mm:ss`` (with optional ``.fff``); a bad time is a CoderError."""
    m = _CLOCK_PARTS.match(text.strip())
    if not m:
        raise CoderError(f"{text!r} is not a time like 00:01:23", file=file, line=line)
    a, b, c, frac = m.groups()
    if c is None:  # mm:ss
        hours, minutes, seconds = 0, int(a), int(b)
        if seconds >= 60:
            raise CoderError(f"{text!r} is not a valid time (seconds above 59)", file=file, line=line)
    else:
        hours, minutes, seconds = int(a), int(b), int(c)
        if minutes >= 60 or seconds >= 60:
            raise CoderError(
                f"{text!r} is not a valid time (minutes and seconds must be below 60)",
                file=file,
                line=line,
                hint="write times as hh:mm:ss",
            )
    millis = int((frac or "0").ljust(3, "0"))
    return (((hours * 60 + minutes) * 60 + seconds) * 1000 + millis) / 1000
