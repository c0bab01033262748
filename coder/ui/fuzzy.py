"""The fuzzy matcher of the command palette and every picker: what a typed query matches, and how well.

A researcher types the start of a word, or a word's first letters, or a few letters of a
word: ``pwr`` means Community *p*o*w*e*r*, not *P*artnerships *w*ith local o*r*ganisations.
Matches rank in tiers, best first:

0. the whole name;  1. the start of the name;  2. the start of a word;
3. the first letters of words (``cp`` = Community power);
4. letters of one word, from its start (``pwr`` = power);  5. anywhere inside;
6. letters scattered across words.

Within a tier, a match over fewer words, with more letters on word starts and smaller
gaps, ranks first.  Case is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

TIERS = 7
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, order=True)
class Match:
    """How well a query matches; smaller sorts first (better)."""

    tier: int
    words: int  # words the matched letters fall in
    missed_starts: int  # matched letters not on a word start
    gaps: int  # letters skipped between matched letters
    positions: tuple[int, ...] = ()

    @property
    def score(self) -> float:
        """A number in (0, 1]; higher is better, in the same order as the Match itself."""
        penalty = min(self.words, 9) * 100 + min(self.missed_starts, 9) * 10 + min(self.gaps, 9)
        return (TIERS - self.tier - penalty / 1000) / TIERS


def _words(candidate: str) -> tuple[list[int], list[bool]]:
    """For each character: the index of its word (-1 between words) and whether it starts one."""
    word_of, start = [-1] * len(candidate), [False] * len(candidate)
    for n, m in enumerate(_WORD.finditer(candidate)):
        start[m.start()] = True
        for i in range(m.start(), m.end()):
            word_of[i] = n
    return word_of, start


@lru_cache(maxsize=4096)
def match(query: str, candidate: str) -> Match | None:
    """How ``query`` matches ``candidate``, or None when it does not (every letter, in order)."""
    q, c = "".join(query.split()).lower(), candidate.lower()
    if not q:
        return None
    word_of, start = _words(candidate)
    flat = " ".join(query.split()).lower()
    at = c.find(flat)
    if at >= 0:
        ats = [i for i in range(at, len(c)) if c.startswith(flat, i)]
        at = next((i for i in ats if start[i]), at)
        tier = 0 if c == flat else 1 if at == 0 else 2 if start[at] else 5
        span = range(at, at + len(flat))
        words = len({word_of[i] for i in span if word_of[i] >= 0}) or 1
        return Match(tier, words, int(not start[at]), 0, tuple(span))
    best = _align(q, c, tuple(word_of), tuple(start))
    if best is None:
        return None
    words, missed, gaps, positions = best
    if missed == 0:
        tier = 3
    elif words == 1 and start[positions[0]]:
        tier = 4
    else:
        tier = 6
    return Match(tier, words, missed, gaps, positions)


def _align(q: str, c: str, word_of: tuple[int, ...], start: tuple[bool, ...]):
    """The best placement of q's letters in c, in order: fewest words, then most word starts,
    then fewest skipped letters (dynamic programming over the places each letter occurs)."""
    previous: dict[int, tuple] = {}
    for n, letter in enumerate(q):
        current: dict[int, tuple] = {}
        for i, ch in enumerate(c):
            if ch != letter:
                continue
            here = (0 if start[i] else 1)
            if n == 0:
                current[i] = (1, here, 0, (i,))
                continue
            options = [(w + (word_of[i] != word_of[j]), m + here, g + (i - j - 1), p + (i,))
                       for j, (w, m, g, p) in previous.items() if j < i]
            if options:
                current[i] = min(options)
        if not current:
            return None
        previous = current
    return min(previous.values())


def rank(query: str, candidates: list[str]) -> list[str]:
    """``candidates`` that match ``query``, best first (ties keep their order)."""
    scored = [(m.tier, m.words, m.missed_starts, m.gaps, i)
              for i, cand in enumerate(candidates) if (m := match(query, cand)) is not None]
    return [candidates[t[-1]] for t in sorted(scored)]
