"""WebVTT captions (``.vtt``) as Teams and Zoom export them.

Teams names the speaker with a voice span, ``<v Gwen Morgan>words</v>``; Zoom
starts the cue text with ``Gwen Morgan: words``.  Cue ids, cue settings,
``NOTE``/``STYLE``/``REGION`` blocks and formatting tags (``<c>``, ``<i>``,
inline timestamps) are not words and are dropped; ``NOTE`` texts are kept in
``info["notes"]``.  Consecutive cues by the same speaker form one turn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Collection

from coder.core.errors import CoderError
from coder.core.readers.base import Parsed, render_turns
from coder.core.readers.cues import (
    TIMING_HINT,
    Piece,
    blocks,
    is_timing,
    parse_timing,
    resolve_labels,
    strip_markup,
    to_turns,
)
from coder.core.readers.labels import normalise_label
from coder.core.text import read_text

_HEADER = re.compile(r"WEBVTT(?:[ \t\n]|\Z)")
_NOTE = re.compile(r"NOTE(?:[ \t]|\Z)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>", re.IGNORECASE)


def read_vtt(path: str | Path, *, known: Collection[str] = ()) -> Parsed:
    path = Path(path)
    return parse_vtt(read_text(path), file=path, known=known)


def parse_vtt(text: str, *, file: str | Path | None = None, known: Collection[str] = ()) -> Parsed:
    """Turns of an LF-normalised WebVTT file (empty text gives an empty transcript)."""
    if not text.strip():
        return Parsed("", ())
    if not _HEADER.match(text):
        raise CoderError(
            "not a WebVTT file: the first line must be WEBVTT",
            file=file,
            line=1,
            hint="export captions as WebVTT, or give the file the suffix of its real format",
        )
    notes: list[str] = []
    pieces: list[Piece] = []
    for index, (line_no, block) in enumerate(blocks(text)):
        if index == 0:
            continue  # the WEBVTT header block
        head = block[0].strip()
        if _NOTE.match(head):
            note = "\n".join([head[4:].strip(), *(b.strip() for b in block[1:])]).strip()
            if note:
                notes.append(note)
            continue
        if head in ("STYLE", "REGION"):
            continue
        if is_timing(block[0]):
            timing_at = 0
        elif len(block) > 1 and is_timing(block[1]):
            timing_at = 1  # a cue id line first
        else:
            raise CoderError(
                f"malformed cue: {head[:40]!r} is neither a cue timing, a cue id followed by a "
                "timing, nor a NOTE",
                file=file,
                line=line_no,
                hint=TIMING_HINT + ", each cue separated by a blank line",
            )
        timing_line = line_no + timing_at
        start, end = parse_timing(block[timing_at], file=file, line_no=timing_line)
        payload = "\n".join(block[timing_at + 1 :])
        pieces.extend(_voices(payload, start, end, timing_line))
    turns = to_turns(resolve_labels(pieces, known))
    return render_turns(turns, {"notes": notes} if notes else {})


def _voices(payload: str, start: float, end: float, line: int) -> list[Piece]:
    """The cue's text split at ``<v Name>`` spans (text before any span names nobody)."""
    pieces: list[Piece] = []
    speaker: str | None = None
    pos = 0
    for m in _VOICE.finditer(payload):
        if m.start() > pos:
            pieces.append(Piece(speaker, strip_markup(payload[pos : m.start()]), start, end, line))
        speaker = normalise_label(m.group(1) or "")
        pos = m.end()
    pieces.append(Piece(speaker, strip_markup(payload[pos:]), start, end, line))
    return [p for p in pieces if p.text.strip()]
