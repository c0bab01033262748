"""SubRip subtitles (``.srt``).

Numbered cues, ``00:00:01,000 --> 00:00:04,500``, then text lines.  A cue
whose text starts ``Speaker: `` names its speaker; a cue without a label
continues the previous speaker.  Formatting (``<i>``, ``<font>``, ``{\\an8}``)
is dropped.  Consecutive cues by the same speaker form one turn.
"""

from __future__ import annotations

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
from coder.core.text import read_text


def read_srt(path: str | Path, *, known: Collection[str] = ()) -> Parsed:
    path = Path(path)
    return parse_srt(read_text(path), file=path, known=known)


def parse_srt(text: str, *, file: str | Path | None = None, known: Collection[str] = ()) -> Parsed:
    """Turns of an LF-normalised SubRip file (empty text gives an empty transcript)."""
    pieces: list[Piece] = []
    for line_no, block in blocks(text):
        if is_timing(block[0]):
            timing_at = 0
        elif block[0].strip().isdigit() and len(block) > 1 and is_timing(block[1]):
            timing_at = 1
        else:
            raise CoderError(
                f"malformed cue: expected a cue number and a timing line, found {block[0].strip()[:40]!r}",
                file=file,
                line=line_no + (1 if block[0].strip().isdigit() else 0),
                hint="SubRip " + TIMING_HINT.replace(".", ",") + ", each cue separated by a blank line",
            )
        timing_line = line_no + timing_at
        start, end = parse_timing(block[timing_at], file=file, line_no=timing_line)
        words = strip_markup("\n".join(block[timing_at + 1 :]))
        if words.strip():
            pieces.append(Piece(None, words, start, end, timing_line))
    return render_turns(to_turns(resolve_labels(pieces, known)))
