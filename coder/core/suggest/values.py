"""What a suggestion is: plain frozen values, cheap to import and to pickle.

The workbench receives these from the suggestion worker process, so this
module imports nothing heavy (no numpy): unpickling a :class:`Suggestion`
in the UI's interpreter loads only this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from coder.core.coding import Origin


@dataclass(frozen=True)
class Reason:
    """Why a code was suggested: its closest piece of evidence."""

    text: str
    kind: str  # "name", "definition", "example" (codebook) or "coded"
    where: str  # "codebook", or where the coded segment is
    similarity: float  # cosine to the segment
    question: str = ""  # the interviewer's question the segment was read with, if any

    def __str__(self) -> str:
        src = "codebook " + self.kind if self.where == "codebook" else f"coded in {self.where}"
        asked = f" · answering “{self.question}”" if self.question else ""
        return f"like “{self.text}” ({src}){asked}"


@dataclass(frozen=True)
class Suggestion:
    code: str  # code id
    name: str
    score: float  # the classifier's probability, 0–1
    band: str  # "strong", "possible" or "weak"
    rank: int  # 1 = best
    reason: Reason | None
    model: str  # embedding model id

    def origin(self) -> Origin:
        """The coding origin to record if the researcher accepts this suggestion."""
        return Origin("suggestion", self.model, round(self.score, 4), self.rank, self.band)
