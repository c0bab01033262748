"""Proper nouns by the corpus's own spelling: a capitalised word in mid-sentence that the
transcripts never write in lower case ("there's Shazia who runs", "like Derek", "a trip to
Blackpool") names someone or somewhere, whoever says it; "the Local Conversation" does not
("local" and "conversation" are written in lower case elsewhere).

Works without any model.  A run of capitalised words is one candidate ("Mill Hollow") when
any of its words is such a word; at the start of a sentence, where every word is capitalised,
a run whose first word is such a word and no ordinary English word (:mod:`.english`): "Jayden came
round", "Gemma Hartley, my neighbour"; not "Honestly", "Slowly", "Cheers", nor a verb telling
someone ("Ring me", "Thank you").  Days, months, festivals, nationalities and the research
team's roles are left out: they identify nobody.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from coder.core.pseudonym.english import is_ordinary
from coder.core.pseudonym.patterns import _NOT_NAMES, EMAIL

_WORD = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)?"
_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?: {_WORD})*(?![\w])")
# where a sentence starts: after its end, a line break or a speaker label, and any "[laughs]" or "[pause]"
_SENTENCE_END = re.compile(r"(?:\A|[.!?…:]\s*|\n\s*)(?:\[[^\[\]\n]*\]\s*)*\Z")
_OBJECT = re.compile(r" (?:me|you|him|her|us|them|it|yourself|myself|everyone|everybody)\b")
_ADDRESSES = re.compile(rf"{EMAIL.pattern}|\b(?:https?://|www\.)\S+")
_LOWER = re.compile(r"\b[a-z][a-z'’-]*\b")
NOT_IDENTIFYING = set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays Thursdays Fridays "
    "Saturdays Sundays January February March April May June July August September October November December "
    "Christmas Easter Eid Diwali Ramadan Hanukkah Halloween New Year God Jesus Lord Covid Coronavirus Brexit "
    "English Scottish Welsh Irish British Polish Indian Pakistani Bangladeshi African Caribbean European Asian "
    "Muslim Christian Catholic Protestant Hindu Sikh Jewish Buddhist England Scotland Wales Britain Ireland "
    "Interviewer Facilitator Researcher Moderator Mum Mam Dad Nan Nana Gran Granny Grandad Grandma Auntie Uncle "
    "Mr Mrs Ms Miss Dr OK Okay Yeah Erm Ooh".split()) | set(_NOT_NAMES.split("|"))


def lower_words(texts: Iterable[str]) -> set[str]:
    """Every word the texts write in lower case (not counting e-mail addresses and web addresses:
    "ro.gallagher@example.net" does not make "Ro" an ordinary word)."""
    out: set[str] = set()
    for text in texts:
        out.update(_LOWER.findall(_ADDRESSES.sub(" ", text)))
    return out


def _proper(word: str, lower: set[str]) -> bool:
    base = re.split(r"['’]", word)[0]
    return len(base) > 1 and base not in NOT_IDENTIFYING and base.lower() not in lower \
        and word.lower() not in lower


def find_proper_nouns(text: str, lower: set[str]) -> Iterator[tuple[int, int, str]]:
    for m in _RUN.finditer(text):
        words, start = m.group().split(" "), m.start()
        first = _SENTENCE_END.search(text, max(0, start - 40), start) is not None
        stripped = 0
        while words and (words[0] in NOT_IDENTIFYING or (first and not _proper(words[0], lower))
                         or (first and not stripped and is_ordinary(words[0], lower))):
            start += len(words.pop(0)) + 1  # "Oh", "Mrs", or an ordinary word starting the sentence
            stripped += 1
        if not words:
            continue
        opens_sentence = first and not stripped  # with a word never in lower case and not ordinary English
        if not opens_sentence and not any(_proper(w, lower) for w in words):
            continue
        end = start + len(" ".join(words))
        if opens_sentence and len(words) == 1 and _OBJECT.match(text, end):
            continue  # a verb telling someone: "Tell me", "Thank you", "Ring them"
        if text[end - 2:end] in ("'s", "’s"):  # the name, not its possessive
            end -= 2
        yield start, end, "proper-noun"
