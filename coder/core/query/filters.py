"""What a retrieval keeps: ``COL=VALUE`` on participant or transcript attributes, coder, origin."""

from __future__ import annotations

from dataclasses import dataclass

from coder.core.errors import CoderError

ORIGINS = ("manual", "suggestion")


@dataclass(frozen=True)
class Filters:
    """Conditions that must all hold.  ``where`` pairs match a coding when any of its
    participants, or its transcript's front matter, has the attribute with that value
    (compared without regard to case or surrounding spaces)."""

    where: tuple[tuple[str, str], ...] = ()
    coder: str | None = None
    origin: str | None = None

    def __post_init__(self) -> None:
        if self.origin is not None and self.origin not in ORIGINS:
            raise CoderError(f"unknown origin '{self.origin}'", hint=f"use one of: {', '.join(ORIGINS)}")

    @classmethod
    def parse(cls, where: list[str] | tuple[str, ...] = (), coder: str | None = None,
              origin: str | None = None) -> "Filters":
        return cls(tuple(parse_condition(w) for w in where), coder or None, origin or None)

    def matches(self, coder: str, origin: str, values: dict[str, set[str]]) -> bool:
        if self.coder is not None and coder != self.coder:
            return False
        if self.origin is not None and origin != self.origin:
            return False
        return all(fold(value) in values.get(col, ()) for col, value in self.where)


def parse_condition(text: str) -> tuple[str, str]:
    col, sep, value = text.partition("=")
    if not sep or not col.strip():
        raise CoderError(f"a condition must read COLUMN=VALUE, not '{text}'",
                         hint="e.g. --where programme=\"Local Conversations\"")
    return col.strip(), value.strip()


def fold(value: object) -> str:
    return " ".join(str(value).split()).casefold()
