"""Which candidates are applied, and with what: the plan a pseudonymised copy follows.

``accept="all"`` takes every candidate the researcher has not rejected (for scripts
and tests); ``accept="reviewed"`` takes the word list's identifiers and the
candidates accepted in review.  A speaker label outside the spoken words
(``Sandra:``) gets the replacement without its brackets (``Name 1:``), so it still
reads as a speaker label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coder.core.errors import CoderError
from coder.core.pseudonym.candidates import Candidate, _word_re, with_column_values
from coder.core.pseudonym.decisions import Decisions
from coder.core.pseudonym.mapping import Mapping, Replacement
from coder.core.pseudonym.patterns import FIXED, NUMBERED
from coder.core.pseudonym.wordlist import WordList
from coder.core.transcript import Transcript

ACCEPT = ("all", "reviewed")
_BRACKETED = re.compile(r"(\[[^\[\]]*\])")


@dataclass
class Plan:
    mappings: dict[str, Mapping] = field(default_factory=dict)  # transcript id -> its replacements
    table: dict[str, str] = field(default_factory=dict)  # every applied original -> its replacement
    key: list[dict] = field(default_factory=list)  # rows of the key file
    unreviewed: list[Candidate] = field(default_factory=list)  # left as written: nobody decided on them

    def replace_text(self, text: str, brackets: bool = True) -> str:
        """Free text (memos, metadata, table cells) with every applied original replaced."""
        pattern = _word_re(self.table)
        if not (pattern and text):
            return text
        return pattern.sub(lambda m: self.table[m.group()] if brackets else _unbracket(self.table[m.group()]), text)

    def replace_reported(self, text: str) -> str:
        """A reported quote with the replacements; inside the researcher's own ``[...]`` a replacement
        loses its brackets (``[Ro] from then`` becomes ``[Name 54] from then``, not ``[[Name 54]]``)."""
        return "".join(f"[{self.replace_text(part[1:-1], brackets=False)}]" if part.startswith("[")
                       else self.replace_text(part) for part in _BRACKETED.split(text))

    def label(self, speaker: str) -> str:
        return _unbracket(self.replace_text(speaker))


def _unbracket(text: str) -> str:
    return re.sub(r"\[([^\[\]]*)\]", r"\1", text)


def _decision(c: Candidate, decisions: Decisions):
    return decisions.get(c.transcript, c.text) or (decisions.get(c.transcript, c.form_of) if c.form_of else None)


def accepted(c: Candidate, decisions: Decisions, accept: str) -> tuple[bool, str]:
    d = _decision(c, decisions)
    replacement = (d.replacement if d and d.replacement else "") or c.replacement
    if d is not None:
        return d.decision != "reject", replacement
    return accept == "all" or c.source == "wordlist", replacement


def make_plan(transcripts: list[Transcript], candidates: list[Candidate], decisions: Decisions,
              accept: str = "reviewed", wordlist: WordList | None = None) -> Plan:
    """``wordlist``: its identifiers (and the values of the columns it replaces) are replaced in titles,
    memos and tables even where no transcript says them."""
    if accept not in ACCEPT:
        raise CoderError(f"--accept must be one of {', '.join(ACCEPT)}, not {accept!r}")
    plan = Plan()
    by_transcript: dict[str, list[Replacement]] = {t.id: [] for t in transcripts}
    seen: dict[tuple[str, str], dict] = {}
    for c in candidates:
        ok, replacement = accepted(c, decisions, accept)
        if not ok:
            if _decision(c, decisions) is None:
                plan.unreviewed.append(c)
            continue
        plan.table.setdefault(c.text, replacement)
        row = seen.get((c.transcript, c.text))
        if row is None:
            row = seen[(c.transcript, c.text)] = {"transcript": c.transcript, "original": c.text,
                                                  "replacement": replacement, "kind": c.kind, "occurrences": 0}
            plan.key.append(row)
        row["occurrences"] += 1
        by_transcript[c.transcript].append(Replacement(c.start, c.end, c.text, replacement))
    for i in with_column_values(wordlist, transcripts).identifiers if wordlist is not None else ():
        d = decisions.get(None, i.text)
        if d is None or d.decision != "reject":  # the same replacement as in the text, where it is said
            for form in (i.text, *i.also):
                plan.table.setdefault(form, (d.replacement if d and d.replacement else "") or i.replacement
                                      or FIXED.get(i.kind) or f"[{NUMBERED.get(i.kind, i.kind).capitalize()}]")
    for t in transcripts:
        reps = [r if t.turn_at(r.start) is not None else Replacement(r.start, r.end, r.original, _unbracket(r.replacement))
                for r in by_transcript[t.id]]
        plan.mappings[t.id] = Mapping(t.text, reps)
    return plan
