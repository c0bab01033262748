"""Segments: the sentences of each turn, found by spaCy's rule-based sentencizer.

The pipeline is ``spacy.blank("en")`` plus the ``sentencizer`` component: it
needs no model download, loads once per process (lazily) and runs at
hundreds of thousands of words a second.  Segments never cross a turn, nor a
blank line within a turn; their spans are trimmed of surrounding whitespace.

A segment's id is ``s-`` + the first 10 hex digits of the SHA-1 of its
normalised text (NFC, whitespace collapsed) + ``-N``, where N counts earlier
occurrences of the same sentence in the transcript (from 1).  Editing or
inserting a sentence therefore changes no other segment's id, except that of
a later repeat of an identical sentence.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import re
import sys
import threading
import unicodedata
from typing import TYPE_CHECKING, Iterator, Sequence

from coder.core.text import flow
from coder.core.transcript import Segment, Turn

if TYPE_CHECKING:
    from spacy.language import Language

CHUNK = 100_000  # longest piece given to spaCy at once (characters)
_OPENERS = {"Ps", "Pi"}  # opening brackets and quotes
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_lock = threading.Lock()
_nlp: Language | None = None


def sentencizer() -> "Language":
    """The shared spaCy pipeline (built on first use)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                spacy = _import_spacy()
                nlp = spacy.blank("en")
                nlp.add_pipe("sentencizer")
                nlp.max_length = CHUNK + 1
                _nlp = nlp
    return _nlp


class _NoTorchHere(importlib.abc.MetaPathFinder):
    """Refuses ``torch`` to one thread while it imports spaCy.

    Importing spaCy imports thinc, which probes for PyTorch by importing it:
    over a second of start-up, for a pipeline (tokenizer + sentencizer) that
    never uses it.  Other threads (e.g. one loading the embedding model) are
    not affected, and if torch is already imported nothing changes.  thinc's
    PyTorch wrappers, which coder does not use, stay disabled.
    """

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001 - importlib protocol
        if (name == "torch" or name.startswith("torch.")) and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"{name} is not needed by the sentencizer", name=name)
        return None


def _import_spacy():
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    blocker = _NoTorchHere()
    sys.meta_path.insert(0, blocker)
    try:
        import spacy
    finally:
        sys.meta_path.remove(blocker)
    return spacy


def normalise_sentence(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def sentence_hash(text: str) -> str:
    return hashlib.sha1(normalise_sentence(text).encode("utf-8")).hexdigest()[:10]


def segment(text: str, turns: Sequence[Turn]) -> tuple[Segment, ...]:
    """The sentences of every turn of ``text``, in order, with stable ids."""
    pieces = [(turn.index, start, end) for turn in turns for start, end in _pieces(text, turn.start, turn.end)]
    nlp = sentencizer()
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    with _lock:  # the tokenizer's caches are not safe to share between threads
        # A line break inside a paragraph is a space (hard-wrapped files): same length, same offsets.
        docs = nlp.pipe((text[s:e].replace("\n", " ") for _, s, e in pieces), batch_size=64)
        for (turn_index, offset, _), doc in zip(pieces, docs):
            spans = [(offset + sent.start_char, offset + sent.end_char) for sent in doc.sents]
            for start, end in _mend_boundaries(text, spans):
                start, end = _trim(text, start, end)
                if start >= end:
                    continue
                words = flow(text[start:end])
                digest = sentence_hash(words)
                seen[digest] = seen.get(digest, 0) + 1
                segments.append(Segment(f"s-{digest}-{seen[digest]}", start, end, turn_index, words))
    return tuple(segments)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the turn's paragraphs, each at most CHUNK long (cut at a line or space)."""
    pos = start
    for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
        yield from _chunks(text, pos, brk.start())
        pos = brk.end()
    yield from _chunks(text, pos, end)


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > CHUNK:
        cut = text.rfind("\n", start + 1, start + CHUNK)
        if cut <= start:
            cut = text.rfind(" ", start + 1, start + CHUNK)
        if cut <= start:
            cut = start + CHUNK
        yield start, cut
        start = cut
    if start < end:
        yield start, end


def _mend_boundaries(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give quote marks and brackets at a sentence boundary to the sentence they belong to.

    The sentencizer keeps punctuation that follows a full stop with the
    sentence it ends, which is right for ``no.”`` but not for ``poster. [laughs]``
    or ``letter. "We've``: an *opening* mark that ends a sentence moves to the
    next one.  A *closing* mark that starts a sentence (``no. ” Then``) moves
    back to the one before.
    """
    for i in range(len(spans) - 1):
        start, end = spans[i]
        cut = end
        while cut > start and (text[cut - 1].isspace() or _opens(text, cut - 1)):
            cut -= 1
        while cut < end and text[cut].isspace():
            cut += 1
        if start < cut < end:
            spans[i] = (start, cut)
            spans[i + 1] = (cut, spans[i + 1][1])
        start, end = spans[i + 1]
        cut = start
        while cut < end and (text[cut].isspace() or _closes(text, cut)):
            cut += 1
        while cut > start and text[cut - 1].isspace():
            cut -= 1
        if start < cut and text[start:cut].strip():
            spans[i] = (spans[i][0], cut)
            spans[i + 1] = (cut, end)
    return spans


_STRAIGHT = "\"'"


def _opens(text: str, k: int) -> bool:
    """An opening bracket or quote: ``(`` ``[`` ``“``, or a straight quote before a word."""
    ch = text[k]
    if ch in _STRAIGHT:
        return _word_follows(text, k) and (k == 0 or text[k - 1].isspace())
    return unicodedata.category(ch) in _OPENERS


def _closes(text: str, k: int) -> bool:
    """A closing bracket or quote: ``)`` ``]`` ``”``, or a quote mark not followed by a word
    (``’cause`` opens a word, it closes nothing)."""
    ch = text[k]
    category = unicodedata.category(ch)
    if ch in _STRAIGHT or category == "Pf":
        return not _word_follows(text, k)
    return category == "Pe"


def _word_follows(text: str, k: int) -> bool:
    return k + 1 < len(text) and text[k + 1].isalnum()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
