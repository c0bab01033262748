"""What a retrieval keeps: ``COL=VALUE`` on participant or transcript attributes, coder, origin."""

from __future__ import annotations

from dataclasses import dataclass

from coder.core.errors import CoderError

ORIGINS = ("manual", "suggestion")
NAMED = ("coder", "origin", "transcript", "participant")  # conditions on the coding itself, not an attribute


@dataclass(frozen=True)
class Filters:
    """Conditions that must all hold.  ``where`` pairs match a coding when any of its
    participants, or its transcript's front matter, has the attribute with that value
    (compared without regard to case or surrounding spaces)."""

    where: tuple[tuple[str, str], ...] = ()
    coder: str | None = None
    origin: str | None = None
    transcript: str | None = None
    participant: str | None = None

    def __post_init__(self) -> None:
        if self.origin is not None and self.origin not in ORIGINS:
            raise CoderError(f"unknown origin '{self.origin}'", hint=f"use one of: {', '.join(ORIGINS)}")

    @classmethod
    def parse(cls, where: list[str] | tuple[str, ...] = (), coder: str | None = None,
              origin: str | None = None) -> "Filters":
        return cls(tuple(parse_condition(w) for w in where), coder or None, origin or None)

    @classmethod
    def from_text(cls, text: str) -> "Filters":
        """``programme=Local Conversations; nation=Wales; coder=ann; origin=manual`` (empty: no filter)."""
        where, named = [], {}
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            col, value = parse_condition(part)
            if col in NAMED:
                named[col] = value or None
            else:
                where.append((col, value))
        return cls(tuple(where), **named)

    @property
    def text(self) -> str:
        """The filter as :meth:`from_text` reads it."""
        parts = [f"{c}={v}" for c, v in self.where]
        parts += [f"{name}={getattr(self, name)}" for name in NAMED if getattr(self, name)]
        return "; ".join(parts)

    def keeps(self, coder: str, origin: str, transcript: str = "", participants: tuple[str, ...] = ()) -> bool:
        """Whether the coder, origin, transcript and participant conditions hold."""
        return ((self.coder is None or coder == self.coder) and (self.origin is None or origin == self.origin)
                and (self.transcript is None or transcript == self.transcript)
                and (self.participant is None or self.participant in participants))

    def matches_values(self, values: dict[str, set[str]]) -> bool:
        """Whether every ``where`` condition holds for these (folded) attribute values."""
        return all(fold(value) in values.get(col, ()) for col, value in self.where)


def parse_condition(text: str) -> tuple[str, str]:
    col, sep, value = text.partition("=")
    if not sep or not col.strip():
        raise CoderError(f"a condition must read COLUMN=VALUE, not '{text}'",
                         hint="e.g. --where programme=\"Local Conversations\"")
    return col.strip(), value.strip()


def fold(value: object) -> str:
    return " ".join(str(value).split()).casefold()
