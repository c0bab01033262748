"""Per-code counts of codings, segments and participants, rolled up as the exports roll up:
a parent counts the *distinct* segments and participants of itself and its sub-codes,
never a sum of its children's counts (see :mod:`coder.core.export.index`)."""

from __future__ import annotations

from dataclasses import dataclass

MISSING = "(not recorded)"
BY_FIXED = ("transcript", "participant", "coder")


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    level: int
    group: str  # "all", or the transcript / participant / coder / attribute value
    codings: int
    segments: int  # distinct segments spoken by interviewed participants
    participants: int  # distinct interviewed participants

    def record(self, by: str | None) -> dict:
        out = {"code_id": self.code, "code_name": self.name, "level": self.level}
        if by:
            out[by] = self.group
        return {**out, "codings": self.codings, "segments": self.segments, "participants": self.participants}
