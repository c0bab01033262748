"""Every memo of the project (on codings, transcripts and codes) with what it is about."""

from __future__ import annotations

from dataclasses import dataclass

from coder.core.export.index import ExportIndex


@dataclass(frozen=True)
class MemoRow:
    kind: str  # coding, transcript, code or project (the journal)
    target: str
    coder: str
    time: str
    text: str
    transcript: str = ""  # the transcript it is about (coding and transcript memos)
    code: str = ""  # the code it is about (coding and code memos)
    start: int = 0  # the coding's place (coding memos)
    end: int = 0
    about: str = ""  # the coded quote, or the transcript or code name


def memo_rows(ix: ExportIndex) -> list[MemoRow]:
    """Every memo, newest first."""
    book = ix.inp.codebook
    passages = {p.coding.id: p for p in ix.passages}
    rows: list[MemoRow] = []
    for m in ix.inp.memos:
        if m.target_kind == "coding":
            p = passages.get(m.target)
            if p is None:
                continue  # a coding since removed
            c = p.coding
            rows.append(MemoRow("coding", m.target, m.coder, m.time, m.text, c.transcript, p.code or c.code,
                                c.start, c.end, ix.inp.quote(c)))
        elif m.target_kind == "transcript":
            rows.append(MemoRow("transcript", m.target, m.coder, m.time, m.text, m.target, about=m.target))
        elif m.target_kind == "project":
            rows.append(MemoRow("project", m.target, m.coder, m.time, m.text, about="project journal"))
        else:
            found = book.get(m.target)
            rows.append(MemoRow("code", m.target, m.coder, m.time, m.text, code=found.id if found else m.target,
                                about=found.name if found else m.target))
    seen = {(r.target, r.text) for r in rows if r.kind == "coding"}
    for p in ix.passages:  # a memo carried on the coding itself (unless it is one of the above)
        c = p.coding
        if c.memo and (c.id, c.memo) not in seen:
            rows.append(MemoRow("coding", c.id, c.coder, c.time, c.memo, c.transcript, p.code or c.code,
                                c.start, c.end, ix.inp.quote(c)))
    return sorted(rows, key=lambda r: r.time, reverse=True)


def narrow(rows: list[MemoRow], book, coder: str | None = None, code: str | None = None,
           transcript: str | None = None) -> list[MemoRow]:
    """The memos of ``coder``, about ``code`` (with its sub-codes) or ``transcript`` (the project
    journal is about neither: it is left out when either is given)."""
    family = None
    if code is not None:
        family = {code, *(d.id for d in book.descendants(code))}
    return [r for r in rows if (coder is None or r.coder == coder) and (transcript is None or r.transcript == transcript)
            and (family is None or r.code in family)]
