"""The researcher's decisions on candidates, kept in ``pseudonymise/decisions.yaml``.

One entry per decision, plain YAML that git can diff::

    decisions:
      - text: Sandra
        decision: accept-everywhere   # accept (in one transcript), reject, accept-everywhere
        replacement: "[Name 1]"       # optional: an edited replacement
      - text: March
        decision: reject
      - text: Gwen
        transcript: lc-eng-focus-group
        decision: accept

A decision without ``transcript`` holds in every transcript, including ones added
later; one with ``transcript`` holds there and wins over the project-wide one.
The file is replaced atomically on every change.  It names identifiers, so it is
never copied into a pseudonymised copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError
from coder.core.frontmatter import parse_yaml_mapping
from coder.core.text import read_text

DECISIONS = Path("pseudonymise") / "decisions.yaml"
VERBS = ("accept", "reject", "accept-everywhere")


@dataclass(frozen=True)
class Decision:
    text: str
    decision: str
    transcript: str | None = None
    replacement: str = ""

    def to_yaml(self) -> dict:
        d: dict = {"text": self.text}
        if self.transcript:
            d["transcript"] = self.transcript
        d["decision"] = self.decision
        if self.replacement:
            d["replacement"] = self.replacement
        return d


class Decisions:
    """Decisions by (transcript or None, text)."""

    def __init__(self, path: Path, items: list[Decision] | None = None) -> None:
        self.path = path
        self._items: dict[tuple[str | None, str], Decision] = {}
        for d in items or []:
            self._items[(d.transcript, d.text)] = d

    @classmethod
    def load(cls, root: Path) -> "Decisions":
        path = root / DECISIONS
        if not path.exists():
            return cls(path)
        data, lines = parse_yaml_mapping(read_text(path), file=path, what="decisions file")
        raw = data.get("decisions") or []
        if not isinstance(raw, list):
            raise CoderError("`decisions` must be a list", file=path, line=lines.get("decisions"))
        items = []
        for i, d in enumerate(raw):
            ok = isinstance(d, dict) and isinstance(d.get("text"), str) and d.get("decision") in VERBS
            if not ok:
                raise CoderError(f"decision {i + 1} needs `text` and `decision` ({', '.join(VERBS)})",
                                 file=path, line=lines.get("decisions"))
            items.append(Decision(d["text"], d["decision"], d.get("transcript") or None,
                                  str(d.get("replacement") or "")))
        return cls(path, items)

    def __iter__(self):
        return iter(sorted(self._items.values(), key=lambda d: (d.text, d.transcript or "")))

    def get(self, transcript: str, text: str) -> Decision | None:
        return self._items.get((transcript, text)) or self._items.get((None, text))

    def decide(self, text: str, decision: str, transcript: str | None = None, replacement: str = "") -> Decision:
        """Record a decision (replacing an earlier one on the same text and transcript) and save."""
        if decision not in VERBS:
            raise CoderError(f"unknown decision {decision!r}", hint=f"use one of {', '.join(VERBS)}")
        if decision == "accept-everywhere":
            transcript = None
            for key in [k for k in self._items if k[1] == text and k[0] is not None]:
                del self._items[key]
        made = Decision(text, decision, transcript, replacement)
        self._items[(transcript, text)] = made
        self.save()
        return made

    def save(self) -> None:
        header = "# Decisions on pseudonymisation candidates, written by coder (see README: Pseudonymising).\n"
        body = yaml.safe_dump({"decisions": [d.to_yaml() for d in self]}, allow_unicode=True, sort_keys=False)
        write_atomic(self.path, header + body)
