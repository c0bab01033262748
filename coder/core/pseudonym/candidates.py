"""Candidate identifiers across a project's transcripts.

Sources, strongest first when two overlap: the word list (``pseudonyms.yaml``),
patterns (:mod:`.patterns`), the names of the speakers the project knows, and
spaCy's named entities when a pipeline is installed (:mod:`.ner`).  Each candidate
is one occurrence, with the number of occurrences of the same text across the
corpus and a replacement that is the same for that text everywhere.

Whatever words are found once are candidates wherever else they occur, and so are
the forms of a name: each word of a longer name ("Gemma" and "Hartley" of "Gemma
Hartley", "Hussain" of "Mr Hussain"; a possessive "Gemma's" is the word before its
"'s") and the other forms the word list gives (``also:``).  A form is replaced by its
name's replacement and follows the decision on its name unless it has its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from coder.core.pseudonym import ner
from coder.core.pseudonym.patterns import FIXED, NUMBERED, TITLES, find_patterns
from coder.core.pseudonym.proper import find_proper_nouns, lower_words
from coder.core.pseudonym.wordlist import Identifier, WordList
from coder.core.transcript import Transcript
from coder.core.transcript_meta import _DEFAULT_INTERVIEWER

CONTEXT = 30
SOURCES = ("wordlist", "pattern", "known-name", "ner", "proper-noun")  # priority order


@dataclass(frozen=True)
class Candidate:
    transcript: str
    start: int
    end: int
    text: str
    kind: str
    source: str
    replacement: str = ""
    count: int = 1
    context: str = ""
    form_of: str = ""  # the longer name this is a form of ("Gemma" of "Gemma Hartley")


def known_names(transcripts: Iterable[Transcript]) -> list[str]:
    """The speakers' names: every speaker label that is not a research-team role
    ("Interviewer", "Facilitator 2", …) or a code ("P", "P05"), and each capitalised word of a longer one."""
    names: dict[str, None] = {}
    for t in transcripts:
        labels = [turn.speaker for turn in t.turns]
        labels += list((t.meta.get("speakers") or {}) if isinstance(t.meta.get("speakers"), dict) else [])
        for label in labels:
            label = " ".join(str(label).split())
            if len(label) < 2 or _DEFAULT_INTERVIEWER.match(label) or not label[0].isupper() \
                    or any(ch.isdigit() for ch in label):  # "P05" is already a code, not a name
                continue
            names[label] = None
            for word in label.split():
                if len(word) > 2 and word[0].isupper() and word.isalpha():
                    names[word] = None
    return list(names)


def with_column_values(wordlist: WordList, transcripts: Iterable[Transcript]) -> WordList:
    """The word list with each value of a column it replaces (``replace: {area: "[Area]"}``) as a known
    identifier: the area "Thornbury Vale" is replaced in a title and in what people say, not only in
    the ``area`` field."""
    known = {i.text for i in wordlist.identifiers}
    extra: dict[str, Identifier] = {}
    for t in transcripts:
        for column, replacement in wordlist.replace_columns.items():
            value = " ".join(str(t.meta.get(column) or "").split())
            if len(value) > 2 and value not in known and not value.startswith("["):
                extra.setdefault(value, Identifier(value, column, replacement))
    return replace(wordlist, identifiers=wordlist.identifiers + tuple(extra.values())) if extra else wordlist


def _word_re(words: Iterable[str]) -> re.Pattern | None:
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


_TITLE_WORDS = set(TITLES.split("|"))


def name_forms(name: str) -> list[str]:
    """The words of a longer name that name the person alone ("Gemma", "Hartley"; not "Mrs")."""
    words = [w.rstrip(".") for w in name.split()]
    words = [w for w in words if w not in _TITLE_WORDS and len(w) > 2 and w[0].isupper()
             and w.replace("'", "").replace("’", "").replace("-", "").isalpha()]
    return words if len(name.split()) > 1 else []


_WRAP = re.compile(r"(?<!\n)[ \t]*\n[ \t]*(?!\n)")


def unwrapped(t: Transcript) -> str:
    """The transcript's text with each line break inside a turn's spoken words made a space, the same
    length: a hard-wrapped "Ashworth\nRoad Clinic" is found as "Ashworth Road Clinic", at the same offsets."""
    chars = list(t.text)
    for turn in t.turns:
        for m in _WRAP.finditer(t.text, turn.start, turn.end):
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def _raw(t: Transcript, text: str, wordlist: WordList, names_re, kinds: dict[str, str], entities, lower: set[str]):
    if wordlist.identifiers:
        for m in _word_re(kinds).finditer(text):
            yield m.start(), m.end(), kinds[m.group()], "wordlist"
    for start, end, kind in find_patterns(text):
        yield start, end, kind, "pattern"
    if names_re is not None:
        for m in names_re.finditer(text):
            yield m.start(), m.end(), "name", "known-name"
    for start, end, kind in entities:
        yield start, end, kind, "ner"
    for turn in t.turns:  # the spoken words only: a speaker label is a known name or a role
        for start, end, kind in find_proper_nouns(text[turn.start:turn.end], lower):
            yield turn.start + start, turn.start + end, kind, "proper-noun"


def _non_overlapping(found) -> list[tuple[int, int, str, str]]:
    ranked = sorted(set(found), key=lambda f: (SOURCES.index(f[3]), -(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str, str]] = []
    for f in ranked:
        if all(f[1] <= k[0] or k[1] <= f[0] for k in kept):
            kept.append(f)
    return sorted(kept)


def find_candidates(transcripts: list[Transcript], wordlist: WordList | None = None,
                    use_ner: bool | None = None, progress=None, cache: Path | None = None) -> list[Candidate]:
    """Every candidate in ``transcripts`` (in transcript order, then position); ``progress(what, done,
    total)`` is told of each transcript searched; ``cache``: a folder for the entities found (see
    :func:`.ner.entities_of`)."""
    wordlist = with_column_values(wordlist or WordList(), transcripts)
    use_ner = ner.available() if use_ner is None else use_ner
    kinds = {form: i.kind for i in wordlist.identifiers for form in (i.text, *i.also)}
    found: list[Candidate] = []
    names_re = _word_re(known_names(transcripts))
    lower = lower_words(t.text for t in transcripts)
    texts = [unwrapped(t) for t in transcripts]
    entities = [[] for _ in transcripts]
    if use_ner:
        if progress is not None:
            progress("finding names, places and organisations", 0, len(transcripts))
        entities = ner.entities_of(texts, cache=cache, done=None if progress is None else (
            lambda i: progress("finding names, places and organisations", min(i + 1, len(transcripts) - 1),
                               len(transcripts))))
    for i, t in enumerate(transcripts):
        if progress is not None:
            progress("finding identifiers", i, len(transcripts))
        text = texts[i]
        for start, end, kind, source in _non_overlapping(_raw(t, text, wordlist, names_re, kinds, entities[i], lower)):
            context = text[max(0, start - CONTEXT):end + CONTEXT]
            found.append(Candidate(t.id, start, end, text[start:end], kind, source,
                                   context=" ".join(context.split())))
    forms = {form: i.text for i in wordlist.identifiers for form in i.also}
    for c in found:  # a person's name by each of its words; a proper noun by the ones never in lower case
        for form in name_forms(c.text) if c.kind in ("name", "proper-noun") else ():
            if c.kind == "name" or form.lower() not in lower:  # not "Walking" of "Hollins Cross Walking Football"
                forms.setdefault(form, c.text)
    found = _everywhere(transcripts, texts, found, forms)
    found = [replace(c, form_of=forms[c.text]) if c.text in forms and forms[c.text] != c.text else c for c in found]
    counts = Counter(c.text for c in found)
    names = proposed_replacements(found, wordlist)
    return [replace(c, count=counts[c.text], replacement=names[c.text]) for c in found]


def _everywhere(transcripts: list[Transcript], texts: list[str], found: list[Candidate],
                forms: dict[str, str]) -> list[Candidate]:
    """Add every other occurrence of words found somewhere (an entity the recogniser saw in
    one transcript is the same identifier in the next), and of the forms of names found,
    where nothing else was found."""
    kinds: dict[str, tuple[str, str]] = {}
    for c in found:
        if len(c.text) > 2 and any(ch.isalpha() for ch in c.text):
            kinds.setdefault(c.text, (c.kind, c.source))
    parents = {c.text: c for c in found}
    for form, parent in forms.items():
        if parent in parents:
            kinds.setdefault(form, (parents[parent].kind, parents[parent].source))
    pattern = _word_re(kinds)
    if pattern is None:
        return found
    out = list(found)
    for t, text in zip(transcripts, texts):
        taken = sorted((c.start, c.end) for c in found if c.transcript == t.id)
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            kind, source = kinds[m.group()]
            context = text[max(0, m.start() - CONTEXT):m.end() + CONTEXT]
            out.append(Candidate(t.id, m.start(), m.end(), m.group(), kind, source, context=" ".join(context.split())))
            taken.append((m.start(), m.end()))
    order = {t.id: i for i, t in enumerate(transcripts)}
    return sorted(out, key=lambda c: (order[c.transcript], c.start))


def proposed_replacements(found: list[Candidate], wordlist: WordList) -> dict[str, str]:
    """One replacement per original text: the word list's, a fixed label (``[Email]``), or a
    numbered one (``[Name 1]``, ``[Place 2]``) in order of first appearance."""
    given = {i.text: i.replacement for i in wordlist.identifiers if i.replacement}
    given |= {form: i.replacement for i in wordlist.identifiers if i.replacement for form in i.also}
    out: dict[str, str] = {}
    numbers: Counter = Counter()
    for c in sorted(found, key=lambda c: bool(c.form_of)):  # names first, then their forms
        if c.text in out:
            continue
        if c.text in given:
            out[c.text] = given[c.text]
        elif c.form_of in out:
            out[c.text] = out[c.form_of]
        elif c.kind in NUMBERED:
            label = NUMBERED[c.kind]
            numbers[label] += 1
            out[c.text] = f"[{label} {numbers[label]}]"
        else:
            out[c.text] = FIXED.get(c.kind, f"[{c.kind.capitalize()}]")
    return out
