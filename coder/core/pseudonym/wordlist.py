"""The project's word list, ``pseudonyms.yaml`` at the project root (optional)::

    identifiers:                       # known identifiers, found wherever they appear
      - text: St Mary's Health Centre
        kind: facility                 # name, place, organisation, facility, date, ...
        replacement: "[Health centre]"
      - text: Beckside
        kind: place
        replacement: "[Estate]"
      - text: Steven Price
        also: [Big Steve, Stevie]      # other forms: the same replacement, the same decision
    participants:                      # the participant table in a pseudonymised copy
      drop: [gender]                   # columns left out (and the same keys in transcript metadata)
      replace: {area: "[Area]"}        # columns whose every value becomes this text (metadata too)

Every other cell of the participant table, and every metadata value, gets the same
replacements as the transcripts' text.

Read with the project's guarded YAML loader (aliases that would expand a small
file into gigabytes are refused at their line).  The file holds identifiers, so
it is never copied into a pseudonymised copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError
from coder.core.frontmatter import parse_yaml_mapping
from coder.core.text import read_text

WORDLIST = "pseudonyms.yaml"


@dataclass(frozen=True)
class Identifier:
    text: str
    kind: str
    replacement: str
    also: tuple[str, ...] = ()  # other forms of the same identifier (a nickname, a short name)


@dataclass(frozen=True)
class WordList:
    identifiers: tuple[Identifier, ...] = ()
    drop_columns: tuple[str, ...] = ()
    replace_columns: dict[str, str] = field(default_factory=dict)
    path: Path | None = field(default=None, compare=False)


def _strings(value, file: Path, line: int | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CoderError(f"`{what}` must be a list of column names", file=file, line=line)
    return tuple(value)


def load_wordlist(root: Path) -> WordList:
    path = root / WORDLIST
    if not path.exists():
        return WordList()
    data, lines = parse_yaml_mapping(read_text(path), file=path, what="word list")
    unknown = set(data) - {"identifiers", "participants"}
    if unknown:
        key = sorted(unknown)[0]
        raise CoderError(f"unknown key {key!r} in the word list", file=path, line=lines.get(key),
                         hint="the keys are `identifiers` and `participants`")
    items = data.get("identifiers") or []
    if not isinstance(items, list):
        raise CoderError("`identifiers` must be a list", file=path, line=lines.get("identifiers"))
    out = []
    for i, item in enumerate(items):
        line = lines.get("identifiers")
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise CoderError(f"identifier {i + 1} needs a `text`", file=path, line=line,
                             hint="write `- text: ...` with optional `kind:` and `replacement:`")
        kind = str(item.get("kind") or "name")
        replacement = item.get("replacement")
        also = item.get("also") or []
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            raise CoderError(f"`also` of identifier {i + 1} must be a list of other forms", file=path, line=line,
                             hint="e.g. also: [Big Steve, Stevie]")
        out.append(Identifier(item["text"].strip(), kind, str(replacement) if replacement else "",
                              tuple(a.strip() for a in also)))
    parts = data.get("participants") or {}
    if not isinstance(parts, dict):
        raise CoderError("`participants` must be a mapping with `drop` and `replace`", file=path,
                         line=lines.get("participants"))
    line = lines.get("participants")
    swap = parts.get("replace") or {}
    if not isinstance(swap, dict) or not all(isinstance(v, str) for v in swap.values()):
        raise CoderError("`replace` must map column names to the text that replaces their values", file=path,
                         line=line, hint='e.g. replace: {area: "[Area]"}')
    return WordList(tuple(out), _strings(parts.get("drop"), path, line, "drop"),
                    {str(k): v for k, v in swap.items()}, path)
