"""Re-anchoring: finding a coding's place again after its transcript was edited.

A coding remembers its span, its exact quote with up to ``ANCHOR_CONTEXT``
code points of prefix and suffix, and the transcript's content hash.  Against
a new text, :func:`reanchor` tries, in order:

``exact``
    The quote is still at the old position (and no other occurrence fits the
    context better).  Automatic.
``moved``
    The quote occurs elsewhere: the occurrence whose prefix/suffix agree best
    with the stored context wins, ties going to the one nearest the expected
    position.  Automatic.
``fuzzy``
    The quote was changed a little: the best approximate match (rapidfuzz)
    near the expected position, or near places where pieces of the quote still
    occur, scoring at least :data:`FUZZY_THRESHOLD`.  The score is
    ``0.8 × quote similarity + 0.2 × context similarity`` (each 0–1, Indel
    similarity), and the quote alone must reach :data:`FUZZY_MIN_QUOTE`.
    Applied, but flagged for review (:attr:`Anchor.needs_review`).
``orphan``
    Nothing good enough; the best candidate seen (if any) is kept for the
    researcher, who re-places (``reanchor`` event) or discards (``remove``) it.

Nothing is shifted or dropped silently: every coding gets an :class:`Anchor`
saying how it was placed.  A placement is also flagged for review
(:attr:`Anchor.review` says why) when an identical quote was found where less
than :data:`REVIEW_CONTEXT` of its context agrees, and, given the transcript's
turns (:func:`resolve_codings` with a :class:`Transcript`), when it lands in
another speaker's turn or another participant's, or far from its old place
(more than the quote and its context away from where the edit left it).

Every re-placed span (and every orphan's candidate) starts and ends on word
boundaries where the original did, and crosses no more turn boundaries than
the original quote did.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from rapidfuzz import fuzz

from coder.core.coding import ANCHOR_CONTEXT, Coding
from coder.core.codings.turns import Turns, turn_labels, turn_review, within_turns
from coder.core.transcript import Transcript, content_hash

FUZZY_THRESHOLD = 0.75  # combined score a fuzzy match needs to be placed
FUZZY_MIN_QUOTE = 0.70  # quote similarity a fuzzy match needs on its own
REVIEW_CONTEXT = 0.25  # exact/moved placements with less context agreement are flagged
MAX_OCCURRENCES = 5000  # occurrences of a short quote considered

Method = Literal["exact", "moved", "fuzzy", "orphan"]


class Anchored(Protocol):
    """Anything anchored like a coding (codings, rejections)."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    text_hash: str


@dataclass(frozen=True)
class Anchor:
    """Where an anchored span is in the new text, and how sure that is.

    For an orphan, ``start``/``end`` are the best candidate seen (or None) and
    ``score`` its score.  ``score`` is 1.0 for an identical quote; ``context``
    is how much of the stored prefix/suffix agrees (0–1).
    """

    method: Method
    start: int | None
    end: int | None
    score: float
    context: float
    review: str = ""  # why a placement needs the researcher ("" when it does not)

    @property
    def placed(self) -> bool:
        return self.method != "orphan"

    @property
    def needs_review(self) -> bool:
        """Fuzzy placements, identical quotes found without their context, and
        placements in another turn's speaker or participant, or far away."""
        return self.placed and bool(self.review or self.method == "fuzzy"
                                    or (self.method == "moved" and self.context < REVIEW_CONTEXT))

    @property
    def label(self) -> str:
        base = "moved (fuzzy)" if self.method == "fuzzy" else self.method
        return f"{base}: {self.review}" if self.review else base


@dataclass(frozen=True)
class PlacedCoding:
    """A coding and where it sits in the transcript's current text."""

    coding: Coding
    anchor: Anchor
    quote: str  # the current text at the new span ("" for an orphan)

    @property
    def start(self) -> int | None:
        return self.anchor.start if self.anchor.placed else None

    @property
    def end(self) -> int | None:
        return self.anchor.end if self.anchor.placed else None


def quote_at(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The quote, prefix and suffix stored with a span of ``text``."""
    return text[start:end], text[max(0, start - ANCHOR_CONTEXT) : start], text[end : end + ANCHOR_CONTEXT]


def _common_prefix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def _context(item: Anchored, text: str, start: int, end: int) -> float:
    """Share of the stored prefix/suffix that agrees at ``start..end``, from the quote outwards."""
    p, s = item.prefix, item.suffix
    total = len(p) + len(s)
    if total == 0:
        return 1.0
    agree = _common_suffix(p, text[max(0, start - len(p)) : start]) + _common_prefix(s, text[end : end + len(s)])
    return agree / total


def _fuzzy_context(item: Anchored, text: str, start: int, end: int) -> float:
    p, s = item.prefix, item.suffix
    total = len(p) + len(s)
    if total == 0:
        return 1.0
    got_p, got_s = text[max(0, start - len(p)) : start], text[end : end + len(s)]
    return (len(p) * fuzz.ratio(p, got_p) + len(s) * fuzz.ratio(s, got_s)) / (100 * total)


def _occurrences(text: str, quote: str) -> list[int]:
    out: list[int] = []
    i = text.find(quote)
    while i >= 0 and len(out) < MAX_OCCURRENCES:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _refine(quote: str, text: str, start: int, end: int) -> tuple[int, int, float]:
    """Adjust an approximate span's ends to maximise similarity with the quote."""
    k = min(80, max(8, len(quote) // 2))
    best = (fuzz.ratio(quote, text[start:end]), start, end)
    for e in range(max(start + 1, end - k), min(len(text), end + k) + 1):
        r = fuzz.ratio(quote, text[start:e])
        if r > best[0]:
            best = (r, start, e)
    _, start, end = best
    for s in range(max(0, start - k), min(end - 1, start + k) + 1):
        r = fuzz.ratio(quote, text[s:end])
        if r > best[0]:
            best = (r, s, end)
    r, s, e = best
    return s, e, r / 100


def _inside_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def _fit(item: Anchored, text: str, start: int, end: int, turns: Turns | None = None) -> tuple[int, int]:
    """Make an approximate span whole words, within as many turns as the original quote crossed.

    An alignment can start or stop inside a word ("ody tells you…", "…than we
    eve") or run on into the next speaker's label; a researcher never selects
    like that, so neither does a re-placement.
    """
    quote = item.quote
    if turns:
        start, end = within_turns(start, end, turns, turn_labels(quote))
    if not _inside_word(item.prefix[-1:] + quote[:1], len(item.prefix[-1:])):
        while _inside_word(text, start):
            start -= 1
    if not _inside_word(quote[-1:] + item.suffix[:1], len(quote[-1:])):
        while _inside_word(text, end):
            end += 1
        if quote[-1:] in ".!?" and 0 < end < len(text) and text[end - 1].isalnum() and text[end] in ".!?":
            end += 1
    if quote[:1] and not quote[:1].isspace():
        while start < end and text[start].isspace():
            start += 1
    if quote[-1:] and not quote[-1:].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    if turns:  # widening to whole words never leaves a turn: labels end in ": "
        start, end = within_turns(start, end, turns, turn_labels(quote))
    return start, end


def _seeds(quote: str, text: str, expected: int) -> list[int]:
    """Expected starts: the old place, plus where distinctive pieces of the quote still occur."""
    centers = [expected]
    n = len(quote)
    if n >= 24:
        k = 12
        for off in (0, n // 2 - k // 2, n - k):
            piece = quote[off : off + k]
            i, hits = text.find(piece), 0
            while i >= 0 and hits < 4:
                centers.append(i - off)
                hits += 1
                i = text.find(piece, i + 1)
    return centers


def _fuzzy(item: Anchored, text: str, expected: int, turns: Turns | None = None) -> tuple[int, int, float, float] | None:
    """The best approximate placement: (start, end, combined score, context) or None.

    Candidates: the quote's length at the expected place, and the best
    alignment (rapidfuzz ``partial_ratio_alignment``) in a window around the
    expected place and around each seed; each is refined, then scored with its
    context.  Ties go to the candidate nearest the expected place.
    """
    quote = item.quote
    n = len(quote)
    pad = max(n, 64)
    spans: list[tuple[int, int]] = []
    if expected < len(text):
        spans.append((expected, min(len(text), expected + n)))
    done: list[int] = []
    for center in _seeds(quote, text, expected):
        if any(abs(center - c) < pad // 2 for c in done):
            continue
        done.append(center)
        lo, hi = max(0, center - pad), min(len(text), center + n + pad)
        if hi <= lo:
            continue
        al = fuzz.partial_ratio_alignment(quote, text[lo:hi])
        if al is not None and al.dest_end > al.dest_start:
            spans.append((lo + al.dest_start, lo + al.dest_end))
    best: tuple[int, int, float, float] | None = None
    best_key = None
    for s0, e0 in spans:
        s, e, _ = _refine(quote, text, s0, e0)
        s, e = _fit(item, text, s, e, turns)
        if e <= s:
            continue
        qsim = fuzz.ratio(quote, text[s:e]) / 100
        ctx = _fuzzy_context(item, text, s, e)
        score = 0.8 * qsim + 0.2 * ctx if (item.prefix or item.suffix) else qsim
        key = (round(score, 6), -abs(s - expected))
        if best_key is None or key > best_key:
            best, best_key = (s, e, score, ctx), key
    return best


def reanchor(item: Anchored, new_text: str, *, text_hash: str | None = None, shift: int = 0,
             turns: Turns | None = None) -> Anchor:
    """Where ``item`` (a coding or anything anchored like one) belongs in ``new_text``.

    ``text_hash`` saves hashing the text again; ``shift`` is a guess of how far
    text before the span moved (``resolve_codings`` passes the last shift it saw);
    ``turns`` (each turn's words, :class:`Turns`) keeps approximate spans
    within as many turns as the original crossed.
    """
    quote, start, end = item.quote, item.start, item.end
    n = len(quote)
    if not quote:
        return Anchor("orphan", None, None, 0.0, 0.0)
    if new_text[start:end] == quote:
        if (text_hash or content_hash(new_text)) == item.text_hash:
            return Anchor("exact", start, end, 1.0, 1.0)
        if _context(item, new_text, start, end) == 1.0:
            return Anchor("exact", start, end, 1.0, 1.0)
    expected = min(max(0, start + shift), len(new_text))
    if shift and new_text[expected : expected + n] == quote and _context(item, new_text, expected, expected + n) == 1.0:
        return Anchor("moved", expected, expected + n, 1.0, 1.0)
    identical: Anchor | None = None
    found = _occurrences(new_text, quote)
    if found:
        span = len(new_text) + 1

        contexts = {pos: _context(item, new_text, pos, pos + n) for pos in found}

        def rank(pos: int) -> float:  # all its context agreeing outweighs any nearness
            return contexts[pos] - min(abs(pos - expected), abs(pos - start)) / span + (contexts[pos] >= 1.0)

        pos = max(found, key=rank)
        ctx = contexts[pos]
        identical = Anchor("exact" if pos == start else "moved", pos, pos + n, 1.0, ctx)
        if ctx >= 0.5:
            return identical
    # No identical quote, or only out of context: an edited quote in its old
    # context may be the better place.
    fuzzy = _fuzzy(item, new_text, expected, turns)
    placed = None
    if fuzzy is not None:
        s, e, score, ctx = fuzzy
        if score >= FUZZY_THRESHOLD and fuzz.ratio(quote, new_text[s:e]) >= 100 * FUZZY_MIN_QUOTE:
            placed = Anchor("fuzzy", s, e, round(score, 4), round(ctx, 4))
    if identical is not None and (
        placed is None
        or placed.score <= 0.8 + 0.2 * identical.context
        or new_text[placed.start : placed.end] == quote
        or placed.start <= identical.start < identical.end <= placed.end  # the same text, only widened
    ):
        return identical
    if placed is not None:
        return placed
    if fuzzy is None:
        return Anchor("orphan", None, None, 0.0, 0.0)
    s, e, score, ctx = fuzzy
    return Anchor("orphan", s, e, round(score, 4), round(ctx, 4))


def resolve_codings(codings: Iterable[Coding], transcript: Transcript | str) -> list[PlacedCoding]:
    """Place each coding of one transcript in its current text; results in the input order.

    Codings already anchored to this exact text are placed without searching;
    the others are re-anchored in text order, each using the shift seen for the
    previous one as a first guess.  Given a :class:`Transcript`, spans keep to
    its turns and a placement in another speaker's or participant's turn, or
    far from its old place, is flagged for review (:func:`turn_review`); where
    a coding's old place is now is judged by the nearest *other* coding found
    again with all its context (the edit moved both alike).
    """
    text = transcript.text if isinstance(transcript, Transcript) else transcript
    turns = Turns((t.start, t.end) for t in transcript.turns) if isinstance(transcript, Transcript) else None
    text_hash = content_hash(text)
    items: Sequence[Coding] = list(codings)
    anchors: dict[int, Anchor] = {}
    guesses: dict[int, int] = {}
    shifts: dict[str, int] = {}  # last shift seen, per text version the codings were made on
    landmarks: dict[str, list[tuple[int, int, int]]] = {}  # per text version: (old start, shift, index), sure ones
    for i in sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end)):
        c = items[i]
        guesses[i] = shift = shifts.get(c.text_hash, 0)
        a = anchors[i] = reanchor(c, text, text_hash=text_hash, shift=shift, turns=turns)
        if a.method in ("exact", "moved") and a.start is not None and not a.needs_review:
            shifts[c.text_hash] = a.start - c.start
            if a.context >= 1.0:
                landmarks.setdefault(c.text_hash, []).append((c.start, a.start - c.start, i))
    if isinstance(transcript, Transcript):
        for i, a in anchors.items():
            c = items[i]
            if c.text_hash != text_hash and a.placed:
                shift = _nearest_shift(landmarks.get(c.text_hash, []), c.start, i, guesses[i])
                anchors[i] = replace(a, review=turn_review(c, transcript, a, c.start + shift))
    return [
        PlacedCoding(c, anchors[i], text[anchors[i].start : anchors[i].end] if anchors[i].placed else "")
        for i, c in enumerate(items)
    ]


def _nearest_shift(landmarks: list[tuple[int, int, int]], start: int, own: int, default: int) -> int:
    """The shift of the sure placement nearest to ``start`` (by old position), other than the coding's own."""
    k = bisect.bisect_left(landmarks, (start,))
    near = [landmarks[j] for j in (k - 2, k - 1, k, k + 1) if 0 <= j < len(landmarks) and landmarks[j][2] != own]
    if not near:
        return default
    return min(near, key=lambda m: abs(m[0] - start))[1]
