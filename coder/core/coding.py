"""Codings and memos: the values the coding log folds into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ANCHOR_CONTEXT = 32  # code points of prefix/suffix kept with every quote


@dataclass(frozen=True)
class Origin:
    """Where a coding came from: the researcher, or an accepted suggestion."""

    kind: Literal["manual", "suggestion"] = "manual"
    model: str | None = None
    score: float | None = None
    rank: int | None = None
    band: str | None = None  # "strong", "possible" or "weak" when shown; older lines lack it

    def to_json(self) -> dict:
        d: dict = {"kind": self.kind}
        if self.kind == "suggestion":
            d.update(model=self.model, score=self.score, rank=self.rank)
            if self.band:
                d["band"] = self.band
        return d

    @classmethod
    def from_json(cls, d: dict | None) -> "Origin":
        d = d or {}
        return cls(d.get("kind", "manual"), d.get("model"), d.get("score"), d.get("rank"), d.get("band"))


@dataclass(frozen=True)
class Coding:
    """A code applied to ``text[start:end]`` of one transcript by one coder.

    ``quote``/``prefix``/``suffix`` and ``text_hash`` anchor it (like the W3C
    TextQuoteSelector) so it can be re-placed when the transcript changes.
    """

    id: str
    coder: str
    transcript: str
    code: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    text_hash: str
    origin: Origin
    time: str  # ISO 8601, UTC
    memo: str = ""
    speaker: str = ""  # the speaker of the turn it was made in, when recorded
    reported: str = ""  # the researcher's edited quotation for publication (see coder.core.reported)


@dataclass(frozen=True)
class Memo:
    """A memo on a coding, a transcript or a code, or on the project (the journal)."""

    target_kind: Literal["coding", "transcript", "code", "project"]
    target: str
    text: str
    coder: str
    time: str
