"""The codebook: a hierarchy of codes read from ``codebooks/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    colour: str = "#888888"
    key: str | None = None
    former_ids: tuple[str, ...] = ()
    line: int | None = None
    leads_to: tuple[str, ...] = ()  # codes this one is thought to lead to (pathways between themes)  # line in the YAML file where the code starts


@dataclass(frozen=True)
class Codebook:
    name: str
    file: Path | None  # the YAML file it was read from
    codes: tuple[Code, ...]  # document order: each parent before its children
    description: str = ""
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = {c.id: c for c in self.codes}
        for c in self.codes:
            for old in c.former_ids:
                index.setdefault(old, c)
        object.__setattr__(self, "_by_id", index)

    def __contains__(self, code_id: str) -> bool:
        return code_id in self._by_id

    def get(self, code_id: str) -> Code | None:
        """The code with this id, or the code that now carries it as a former id."""
        return self._by_id.get(code_id)

    def resolve(self, code_id: str) -> str | None:
        code = self.get(code_id)
        return code.id if code else None

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]

    @property
    def roots(self) -> list[Code]:
        return self.children(None)

    def ancestors(self, code_id: str) -> list[Code]:
        """Root first, excluding the code itself."""
        out: list[Code] = []
        code = self.get(code_id)
        while code is not None and code.parent is not None:
            code = self.get(code.parent)
            if code is None or code in out:
                break
            out.append(code)
        return out[::-1]

    def descendants(self, code_id: str) -> list[Code]:
        out: list[Code] = []
        stack = [c.id for c in self.children(code_id)][::-1]
        while stack:
            c = self.get(stack.pop())
            if c is None or c in out:
                continue
            out.append(c)
            stack.extend(k.id for k in self.children(c.id)[::-1])
        return out

    def path(self, code_id: str) -> list[str]:
        """Ids from the root down to the code itself."""
        code = self.get(code_id)
        return [a.id for a in self.ancestors(code_id)] + ([code.id] if code else [code_id])

    def level(self, code_id: str) -> int:
        """1 for a root code."""
        return len(self.ancestors(code_id)) + 1

    def by_key(self, key: str) -> Code | None:
        return next((c for c in self.codes if c.key == key), None)

    @property
    def leaves(self) -> list[Code]:
        parents = {c.parent for c in self.codes}
        return [c for c in self.codes if c.id not in parents]
