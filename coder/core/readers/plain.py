"""Plain-text and Markdown transcripts (``.txt``, ``.md``).

The body is kept exactly as written; turns point into it.  A turn starts at a
speaker label: ``Speaker: words``, ``**Speaker:** words`` (Markdown bold, either
side of the colon), optionally with a clock time before or after the label
(``[00:01:23] Speaker:``, ``Speaker (00:01:23):``).  Lines without a label
continue the current turn, across blank lines.  Headings (``# ...``),
horizontal rules and HTML comments (in Markdown) end a turn and belong to
none.  Text that comes before any label forms a turn with no speaker, except
header lines such as ``Date: 14 July 2021`` before the first turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

from coder.core.frontmatter import split_front_matter
from coder.core.readers.base import Parsed, RawTurn
from coder.core.readers.labels import (
    LABEL_LINE,
    PREAMBLE_KEYS,
    LabelPolicy,
    is_label_like,
    normalise_label,
    parse_clock,
)
from coder.core.text import read_text

_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


@dataclass
class _Open:
    """A turn being built."""

    speaker: str
    line: int
    start_time: float | None
    start: int | None = None
    end: int | None = None


def known_speakers(meta: dict[str, Any]) -> list[str]:
    """Speaker labels the metadata names (``interviewers`` and ``speakers`` keys)."""
    names: list[str] = []
    interviewers = meta.get("interviewers")
    if isinstance(interviewers, str):
        names.append(interviewers)
    elif isinstance(interviewers, list):
        names.extend(str(n) for n in interviewers)
    speakers = meta.get("speakers")
    if isinstance(speakers, dict):
        names.extend(str(n) for n in speakers)
    return names


def read_plain(path: str | Path, *, known: Collection[str] = ()) -> Parsed:
    """Read a ``.txt`` or ``.md`` transcript (Markdown rules by suffix)."""
    path = Path(path)
    front = split_front_matter(read_text(path), file=path)
    parsed = parse_plain(
        front.body,
        markdown=path.suffix.lower() == ".md",
        file=path,
        first_line=front.body_line,
        known=[*known, *known_speakers(front.data)],
    )
    return Parsed(parsed.text, parsed.turns, front.data, front.lines, {}, front.present)


def parse_plain(
    body: str,
    *,
    markdown: bool = False,
    file: str | Path | None = None,
    first_line: int = 1,
    known: Collection[str] = (),
) -> Parsed:
    """Turns of an LF-normalised body; ``first_line`` is the body's line in the file."""
    lines = body.split("\n")
    kinds = _classify(lines, markdown)
    policy = LabelPolicy.build((k[1] for k in kinds if isinstance(k, tuple)), known)

    turns: list[RawTurn] = []
    current: _Open | None = None
    seen_speaker = False
    after_break = True
    pos = 0

    def close() -> None:
        nonlocal current
        if current is not None and current.start is not None:
            text = body[current.start : current.end]
            turns.append(
                RawTurn(current.speaker, text, current.start_time, None, current.line, current.start)
            )
        current = None

    for number, (line, kind) in enumerate(zip(lines, kinds)):
        line_no = first_line + number
        line_start, pos = pos, pos + len(line) + 1
        if kind == "blank":
            after_break = True
            continue
        if kind == "break":
            close()
            after_break = True
            continue
        content_from = 0
        if isinstance(kind, tuple):
            match, label = kind
            stamp = match.group("ts") or match.group("ts2") or match.group("ts3")
            strong = after_break or bool(stamp) or bool(match.group("bold"))
            if not seen_speaker and label.casefold() in PREAMBLE_KEYS and not stamp:
                close()  # a detail of the interview, like a heading
                after_break = True
                continue
            if policy.accepts(label, strong=strong):
                close()
                time = parse_clock(stamp, file=file, line=line_no) if stamp else None
                current = _Open(label, line_no, time)
                seen_speaker = True
                content_from = match.end()
        after_break = False
        words = line[content_from:].lstrip()
        if not words.strip():
            continue
        if current is None:
            current = _Open("", line_no, None)
        if current.start is None:
            current.start = line_start + len(line) - len(words)
        current.end = line_start + len(line.rstrip())
    close()
    return Parsed(body, tuple(turns))


def _classify(lines: list[str], markdown: bool) -> list[object]:
    """Per line: "blank", "break", "text", or (match, label) for a candidate label."""
    kinds: list[object] = []
    in_comment = False
    for line in lines:
        stripped = line.strip()
        if in_comment:
            kinds.append("break")
            in_comment = "-->" not in line
            continue
        if not stripped:
            kinds.append("blank")
        elif _HEADING.match(line) or (markdown and _RULE.match(line)):
            kinds.append("break")
        elif markdown and stripped.startswith("<!--"):
            kinds.append("break")
            in_comment = "-->" not in stripped[4:]
        else:
            match = LABEL_LINE.match(line)
            label = normalise_label(match.group("label")) if match else ""
            kinds.append((match, label) if match and is_label_like(label) else "text")
    return kinds
