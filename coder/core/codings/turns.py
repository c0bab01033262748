"""Turns in re-anchoring: which speaker a coding was in, and spans that keep to their turns.

A re-placement must not carry a coding into another speaker's words: an
approximate span is clipped to as many turns as the original quote crossed
(:func:`within_turns`), and a placement that lands in another speaker's turn,
another participant's, or far from where the edit left it is flagged for
review (:func:`turn_review`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coder.core.coding import ANCHOR_CONTEXT
from coder.core.transcript import Transcript

if TYPE_CHECKING:
    from coder.core.codings.anchor import Anchor, Anchored

class Turns:
    """Each turn's words as ``(start, end)`` in text order, with their starts for bisecting."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.starts = [s for s, _ in self.spans]

    def __bool__(self) -> bool:
        return bool(self.spans)
_LABEL = re.compile(r"(?:^|\n)[ \t]*[*_]{0,2}([^\s:*_.?!,;][^\n:*.?!;]{0,39}):[*_]{0,2}[ \t]")  # Ana: / **Ana:**


def turn_labels(quote: str) -> int:
    """How many turns begin inside ``quote`` (a ``Speaker:`` label after a line break)."""
    return sum(1 for m in _LABEL.finditer(quote) if m.start() > 0 or quote.startswith("\n"))


def within_turns(start: int, end: int, turns: Turns, crossings: int) -> tuple[int, int]:
    """Clip ``start:end`` to the ``crossings + 1`` consecutive turns it overlaps most."""
    lo = max(0, bisect.bisect_right(turns.starts, start) - 1)
    hi = bisect.bisect_left(turns.starts, end)
    spans = turns.spans
    over = [i for i in range(lo, hi) if spans[i][0] < end and start < spans[i][1]]
    if not over:  # only labels or the gaps between turns: nothing anyone said
        return start, start
    if len(over) <= crossings + 1:
        if crossings == 0:  # one turn: leave out a label or gap before/after it
            return max(start, spans[over[0]][0]), min(end, spans[over[0]][1])
        return start, end
    k = crossings + 1

    def overlap(j: int) -> int:
        a, b = spans[over[j]][0], spans[over[j + k - 1]][1]
        return min(end, b) - max(start, a)

    j = max(range(len(over) - k + 1), key=overlap)
    return max(start, spans[over[j]][0]), min(end, spans[over[j + k - 1]][1])


def old_speaker(item: Anchored, transcript: Transcript, expected: int) -> str | None:
    """Whose turn the coding was in: as recorded, else the ``Speaker:`` label its
    prefix shows, else the turn at (or last before) its expected place now."""
    recorded = getattr(item, "speaker", "")
    if recorded:
        return recorded
    prefix = item.prefix
    line_start = prefix.rfind("\n") + 1
    if line_start or len(prefix) < ANCHOR_CONTEXT:  # the prefix reaches the start of the line
        m = _LABEL.match("\n" + prefix[line_start:])
        if m:
            return m.group(1).strip()
    starts = [t.start for t in transcript.turns]
    i = bisect.bisect_right(starts, expected) - 1
    return transcript.turns[max(i, 0)].speaker if transcript.turns else None


def turn_review(item: Anchored, transcript: Transcript, anchor: Anchor, expected: int) -> str:
    """Why a placement in an edited transcript needs the researcher ("" if it does not):
    another speaker's turn, another participant's, or far from where the edit left it."""
    if anchor.review:
        return anchor.review
    full_context = anchor.context >= 1.0
    turn = transcript.turn_at(anchor.start)
    was = old_speaker(item, transcript, expected)
    if turn is not None and was is not None and was != turn.speaker:
        why = f"now in {turn.speaker}'s turn (was {was}'s)"
        before = next((t for t in transcript.turns if t.speaker == was), None)
        if before is not None and before.participant_id and before.participant_id != turn.participant_id:
            why += ": another participant"
        return why
    if not full_context and abs(anchor.start - expected) > len(item.quote) + 2 * ANCHOR_CONTEXT:
        return f"{abs(anchor.start - expected)} characters from its old place"
    return ""
