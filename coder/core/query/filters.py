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

    @classmethod
    def from_text(cls, text: str) -> "Filters":
        """``programme=Local Conversations; nation=Wales; coder=ann; origin=manual`` (empty: no filter)."""
        where, coder, origin = [], None, None
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            col, value = parse_condition(part)
            if col == "coder":
                coder = value
            elif col == "origin":
                origin = value
            else:
                where.append((col, value))
        return cls(tuple(where), coder or None, origin or None)

    @property
    def text(self) -> str:
        """The filter as :meth:`from_text` reads it."""
        parts = [f"{c}={v}" for c, v in self.where]
        parts += [f"coder={self.coder}"] if self.coder else []
        parts += [f"origin={self.origin}"] if self.origin else []
        return "; ".join(parts)

    def matches(self, coder: str, origin: str, values: dict[str, set[str]]) -> bool:
        return self.keeps(coder, origin) and self.matches_values(values)

    def keeps(self, coder: str, origin: str) -> bool:
        """Whether the coder and origin conditions hold."""
        return (self.coder is None or coder == self.coder) and (self.origin is None or origin == self.origin)

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
