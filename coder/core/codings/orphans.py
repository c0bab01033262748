"""Codings that need the researcher: orphans after transcript edits, codes gone from the codebook.

Nothing here changes the log.  The researcher decides: re-place an orphan
(``CodingStore.replace``, a ``reanchor`` event), discard it
(``CodingStore.remove(..., reason="orphan discarded")``), or restore the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from coder.core.codebook import Codebook
from coder.core.coding import Coding
from coder.core.codings.anchor import PlacedCoding, resolve_codings
from coder.core.codings.state import State
from coder.core.transcript import Transcript


@dataclass(frozen=True)
class Orphan:
    """A coding that could not be placed confidently, with the best candidate seen."""

    coding: Coding
    reason: Literal["text changed", "transcript missing", "transcript unreadable"]
    candidate_start: int | None = None
    candidate_end: int | None = None
    candidate_quote: str = ""
    score: float = 0.0  # the candidate's score (below the fuzzy threshold)

    @property
    def old_quote(self) -> str:
        return self.coding.quote


def resolve_all(
    codings: Iterable[Coding], transcripts: Mapping[str, Transcript | str]
) -> dict[str, list[PlacedCoding]]:
    """Place codings of many transcripts (keyed by transcript id); codings of missing transcripts are left out."""
    by_transcript: dict[str, list[Coding]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript, []).append(c)
    return {
        tid: resolve_codings(group, transcripts[tid]) for tid, group in by_transcript.items() if tid in transcripts
    }


def orphans(codings: Iterable[Coding] | State, transcripts: Mapping[str, Transcript | str]) -> list[Orphan]:
    """Codings whose quote can no longer be placed, or whose transcript is gone; in transcript/text order."""
    items = list(codings.codings.values() if isinstance(codings, State) else codings)
    out: list[Orphan] = []
    for tid, placed in resolve_all(items, transcripts).items():
        text = transcripts[tid].text if isinstance(transcripts[tid], Transcript) else transcripts[tid]
        for p in placed:
            a = p.anchor
            if a.placed:
                continue
            quote = text[a.start : a.end] if a.start is not None else ""
            out.append(Orphan(p.coding, "text changed", a.start, a.end, quote, a.score))
    out += [Orphan(c, "transcript missing") for c in items if c.transcript not in transcripts]
    return sorted(out, key=lambda o: (o.coding.transcript, o.coding.start, o.coding.id))


def needs_review(placed: Iterable[PlacedCoding]) -> list[PlacedCoding]:
    """Placements applied automatically but worth a look (fuzzy, or found without their context)."""
    return [p for p in placed if p.anchor.placed and p.anchor.needs_review]


def unknown_code_codings(codings: Iterable[Coding] | State, codebook: Codebook) -> list[Coding]:
    """Codings whose code is not in the codebook (not even as a former id of a renamed code).

    They stay in the log until the researcher removes them or restores the code.
    """
    items = codings.codings.values() if isinstance(codings, State) else codings
    return sorted(
        (c for c in items if codebook.get(c.code) is None), key=lambda c: (c.code, c.transcript, c.start)
    )
