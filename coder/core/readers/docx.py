"""Word documents (``.docx``) as transcription services write them.

Recognised paragraphs:

* a speaker header on its own, with a time or a colon:
  ``Interviewer [00:00:05]``, ``Speaker 1 (00:01:02):``, ``Gwen  0:05``,
  ``Interviewer:`` — followed by the utterance paragraph(s);
* a label and words in one paragraph: ``Interviewer: So how did...``;
* before the first turn: a Title/Heading paragraph (kept as ``info["title"]``),
  a "Transcribed by ..." line (``info["transcribed_by"]``) and header details
  such as ``Date: 14 July 2021`` (``info["header"]``); headings are never turns.

Paragraphs of one speaker are joined by a newline; consecutive turns by the
same speaker are merged.  ``RawTurn.line`` is the paragraph number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Collection

from coder.core.errors import CoderError
from coder.core.readers.base import Parsed, RawTurn, clean_words, merge_same_speaker, render_turns
from coder.core.readers.labels import (
    CLOCK,
    LABEL_LINE,
    PREAMBLE_KEYS,
    LabelPolicy,
    is_label_like,
    normalise_label,
    parse_clock,
)

_HEADER = re.compile(
    rf"[ \t]*(?:[\[(](?P<ts>{CLOCK})[\])][ \t]*)?"
    rf"(?P<label>[^\s:\[\]<>(][^:\[\]<>\n]{{0,59}}?)[ \t]*"
    rf"(?:[\[(](?P<ts2>{CLOCK})[\])]|[ \t]+(?P<ts3>{CLOCK}))?"
    rf"[ \t]*(?P<colon>:)?[ \t]*\Z"
)
_TRANSCRIBED = re.compile(r"\s*(?:transcribed|transcription|transcript)\s+(?:by|from)\b[:\s]*(.*)", re.I | re.S)


def read_docx(path: str | Path, *, known: Collection[str] = ()) -> Parsed:
    path = Path(path)
    try:
        import docx

        document = docx.Document(str(path))
        paragraphs = [(p.text, p.style.name if p.style is not None else "") for p in document.paragraphs]
    except Exception as exc:  # python-docx raises many types for a damaged or non-docx file
        raise CoderError(
            f"cannot read this Word document ({type(exc).__name__}: {exc})",
            file=path,
            hint="open it in Word and save it again as .docx (old .doc files are not supported)",
        ) from None
    return parse_paragraphs(paragraphs, file=path, known=known)


def parse_paragraphs(
    paragraphs: list[tuple[str, str]], *, file: str | Path | None = None, known: Collection[str] = ()
) -> Parsed:
    """Turns from ``(text, style name)`` paragraphs in document order."""
    found = [_classify(text) for text, _ in paragraphs]
    policy = LabelPolicy.build((f[1] for f in found if f[0] != "text"), known)

    info: dict[str, object] = {}
    header: list[str] = []
    turns: list[RawTurn] = []
    speaker: str | None = None  # None until the first turn
    words: list[str] = []
    start_time: float | None = None
    first_para = 0

    def close() -> None:
        nonlocal first_para
        text = clean_words("\n".join(words), keep_newlines=True)
        if text:
            turns.append(RawTurn(speaker or "", text, start_time, None, first_para))
        words.clear()
        first_para = 0

    for number, ((text, style), (kind, label, stamp, rest)) in enumerate(zip(paragraphs, found), start=1):
        if not text.strip():
            continue
        if style.startswith(("Title", "Heading", "Subtitle")):
            close()
            if speaker is None and style.startswith("Title"):
                info.setdefault("title", clean_words(text))
            continue
        if speaker is None and not words:
            transcribed = _TRANSCRIBED.match(text)
            if transcribed:
                info["transcribed_by"] = clean_words(transcribed.group(1))
                continue
            if kind == "inline" and label.casefold() in PREAMBLE_KEYS and not stamp:
                header.append(clean_words(text))
                continue
        if kind != "text" and (stamp or policy.accepts(label, strong=True)):
            close()
            speaker, first_para = label, number
            start_time = parse_clock(stamp, file=file, line=number) if stamp else None
            text = rest
        elif not words:
            if speaker is None:
                speaker, start_time = "", None
            if first_para == 0:
                first_para = number
        words.append(text)
    close()
    if header:
        info["header"] = header
    return render_turns(merge_same_speaker(turns, joiner="\n"), info)


def _classify(text: str) -> tuple[str, str, str | None, str]:
    """(kind, label, time, rest): kind is "header", "inline" or "text"."""
    first = text.split("\n", 1)[0]
    m = _HEADER.match(first)
    if m and "\n" not in text.strip():
        label = normalise_label(m.group("label"))
        stamp = m.group("ts") or m.group("ts2") or m.group("ts3")
        if is_label_like(label) and (stamp or m.group("colon")):
            return "header", label, stamp, ""
    m = LABEL_LINE.match(first)
    if m and not m.group("bold"):
        label = normalise_label(m.group("label"))
        if is_label_like(label):
            stamp = m.group("ts") or m.group("ts2") or m.group("ts3")
            return "inline", label, stamp, text[m.end() :]
    return "text", "", None, text
