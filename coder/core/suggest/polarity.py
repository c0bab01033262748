"""Negated and hedged mentions: what a sentence denies is not evidence for a code.

"So I wouldn't say friends, no." mentions friends, and a sentence embedding
scores it close to *New friends*.  :func:`affirmed` takes out what the
sentence denies or hedges away (the words a negation cue governs, up to the
end of its clause, and the clauses that go on from the denial), leaving what
it affirms::

    >>> affirmed("So I wouldn't say friends, no.").text
    ''
    >>> affirmed("I haven't made any friends there, but I've learned to cook.").text
    "I haven't, but I've learned to cook."

A negated *negative* is kept, because it affirms: "I'm not nervous any more"
is about confidence, "I don't feel lonely any more" about belonging; so is a
sentence about the past, which contrasts with now ("I'd never used a computer
before", "Before, I had nobody").  A bare hedge after a topic ("Friends, not
really.", "Influence decisions? Hardly.") takes the topic out with it.

The suggestions still rank codes for the whole sentence, but propose (band
"possible" or better) only what the affirmed part earns on its own (see
:class:`coder.core.suggest.context.Reading`): researchers also code stances
("Nobody listens to us up here." is community power to a coder), so a denied
mention stays in the shortlist, weak.

Plain rules over words, no model: microseconds a sentence, the same in the
workbench and in ``coder suggest``.  Measured on the labelled set in
``tests/data/negation.yaml`` by ``benchmarks/sample_suggestions.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*'?|[^\sA-Za-z]")

NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "hardly", "barely", "scarcely",
    "nae", "cannae", "didnae", "wouldnae", "couldnae", "dinnae", "havenae", "isnae", "wasnae", "no'", "nah",
})
# Not denials: "not just people I say hello to", "no bother", "don't get me wrong", "I won't forget that".
NOT_CUES = frozenset({("no", "bother"), ("nae", "bother"), ("no", "doubt"), ("no", "end"), ("no", "problem"),
                      ("no", "question"), ("no", "wonder"), ("no", "way"), ("never", "looked"), ("not", "saying"),
                      ("don't", "get"), ("won't", "forget"), ("couldn't", "believe"), ("can't", "believe"),
                      ("never", "thought"), ("not", "bad")})
EMPHASIS = frozenset({"just", "only", "even"})  # "we weren't just the people who moaned": not a denial
# A cue after one of these is in a clause about something else ("if they hadn't knocked on my door").
SUBORDINATE = frozenset({"if", "because", "cos", "unless", "when", "whether", "why", "what", "who"})
# A sentence about the past contrasts with now ("Before, I had nobody"; "I'd never been to a meeting").
PAST = frozenset({"before", "used", "life", "i'd", "we'd",
                  "had"})
# Where a cue's reach ends: the clause.
BOUNDARY_WORDS = frozenset({"but", "though", "although", "however", "and", "because", "cos", "until", "till",
                            "whereas", "while", "except", "apart", "yet"})
# Words that turn back from a denial to what is affirmed.
TURNS = frozenset({"but", "though", "although", "however", "now", "yet", "except", "apart", "instead", "whereas"})
# Denying one of these affirms the opposite ("not nervous any more", "not on the tablets any more").
NEGATIVE_STATES = frozenset({
    "nervous", "shy", "scared", "afraid", "frightened", "terrified", "anxious", "anxiety", "worried", "worry",
    "lonely", "loneliness", "isolated", "alone", "outsider", "stuck", "depressed", "depression", "low", "bored",
    "embarrassed", "ashamed", "struggle", "struggling", "stressed", "stress", "ill", "poorly", "sick", "pain",
    "tablets", "medication", "pills", "bad", "worse", "hard", "difficult", "quiet", "timid", "lost", "invisible",
})
# A contrast with the present ("I'd never used a computer before"; "I wouldn't have met them without the group").
CONTRAST_WORDS = frozenset({"before", "otherwise", "without", "until", "till"})
FILLERS = frozenset({
    "i", "i'm", "i'd", "i've", "i'll", "me", "my", "we", "we're", "we'd", "we've", "us", "our", "you", "your", "it",
    "it's", "its", "they", "them", "their", "he", "she", "his", "her", "this", "that", "that's", "there", "there's",
    "the", "a", "an", "so", "well", "oh", "erm", "er", "um", "uh", "yeah", "yes", "aye", "really", "say", "said",
    "think", "suppose", "guess", "know", "mean", "sure", "honest", "honestly", "to", "be", "is", "was", "were",
    "am", "are", "been", "do", "does", "did", "have", "has", "had", "would", "could", "should", "will", "can",
    "much", "as", "such", "of", "in", "on", "at", "for", "with", "like", "just", "quite", "very", "any", "more",
    "all", "if", "or", "and", "but", "still", "then", "now", "though", "one", "way", "thing", "things", "lot",
    "actually", "maybe", "perhaps", "probably", "right", "okay", "ok", "laughs", "what",
})


@dataclass(frozen=True)
class Affirmed:
    """What a sentence affirms: its text with denied and hedged clauses taken out.

    ``text`` is ``""`` when nothing is left to score.  ``denied`` is true when
    a negation cue took something out, or when the sentence is a bare "no"
    ("Not really.", "No, not as such."): then the question it answers is
    denied too.
    """

    text: str
    denied: bool

    @property
    def empty(self) -> bool:
        return not self.text


def _tokens(text: str) -> list[tuple[str, int, int]]:
    norm = text.replace("\u2019", "'").replace("\u2018", "'")
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]


def _is_cue(words: list[str], i: int) -> bool:
    w = words[i]
    if not (w in NEGATIONS or w.endswith("n't") or w.endswith("nae")):
        return False
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return (w, nxt) not in NOT_CUES and nxt not in EMPHASIS


def _boundary(word: str) -> bool:
    return word in BOUNDARY_WORDS or not word[0].isalpha()


def content(words) -> bool:
    """Whether these words say anything beyond fillers, pronouns and cues."""
    return any(w[0].isalpha() and w not in FILLERS and w not in NEGATIONS and not w.endswith("n't") for w in words)


def affirmed(text: str, *, elaborations: bool = True) -> Affirmed:
    """``text`` with what it denies or hedges away taken out (see the module doc).

    With ``elaborations``, the clauses that go on from a denial after a comma
    ("I didn't learn anything new, I already knew how to cook") go with it,
    up to a word that turns back ("but", "now", …).
    """
    toks = _tokens(text)
    words = [t[0] for t in toks]
    if any(w in PAST for w in words) and "than" not in words:
        return Affirmed(text.strip(), False)
    drop = [False] * len(toks)
    cued = False
    denying = False  # inside the clauses that go on from a denial
    clause_start = 0  # first token of the current clause
    i = 0
    while i < len(toks):
        if _boundary(words[i]):
            clause_start = i + 1
            if words[i] in TURNS or words[i] in ".!?" or (i + 1 < len(toks) and words[i + 1] in TURNS):
                denying = False
            i += 1
            continue
        if denying:
            drop[i] = True
            i += 1
            continue
        if not _is_cue(words, i):
            i += 1
            continue
        cued = True
        end = i + 1
        while end < len(toks) and not _boundary(words[end]):
            end += 1
        scope = words[i + 1 : end]
        opener = words[max(clause_start - 1, 0) : i]
        kept = (any(w in NEGATIVE_STATES for w in words[clause_start:end])
                or (any(w in CONTRAST_WORDS for w in scope) and "than" not in scope)
                or any(w in SUBORDINATE for w in opener))
        if not kept:
            if content(scope) or content(words[clause_start:i]):
                for j in range(i + 1, end):
                    drop[j] = True
            else:  # a bare hedge ("Friends, not really."): it denies the clause before it
                back = clause_start - 1
                while back > 0 and not (_boundary(words[back - 1]) and words[back - 1] in ".!"):
                    back -= 1
                for j in range(max(back, 0), i):
                    drop[j] = True
            denying = elaborations
        i = end
    if not cued:
        return Affirmed(text.strip(), False)
    kept_spans = [(s, e) for (w, s, e), d in zip(toks, drop) if not d]
    left = [w for (w, _, _), d in zip(toks, drop) if not d]
    if not content(left):
        return Affirmed("", True)
    if not any(drop):
        return Affirmed(text.strip(), False)
    out, last = [], None
    for s, e in kept_spans:
        if last is not None and s > last and (text[s].isalnum() or not text[last:s].strip()):
            out.append(" ")  # the original's own space, or one for the words taken out between
        out.append(text[s:e])
        last = e
    return Affirmed(re.sub(r"\s*([,;:])(\s*[,;:.!?])+", r"\2", "".join(out)).strip(" ,;:"), True)
