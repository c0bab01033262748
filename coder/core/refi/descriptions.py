"""A code's definition, guidance and examples as one REFI-QDA ``Description``, and back.

REFI-QDA gives a code a single free-text description, so coder writes::

    <definition>

    Include: <include>

    Exclude: <exclude>

    Examples:
    - <quote>
    - <quote>

    coder id: <id>

Each block is present only when it has content; the last line only when the
code's id is not simply derived from its name, so a round trip through
another program keeps the id (and with it every coding's code and every GUID).
Descriptions written by other programs are plain text: they become the definition.
"""

from __future__ import annotations

import re
import unicodedata

from coder.core.codebook import Code

ID_MARK = "coder id: "
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "item") -> str:
    """A lower-case id from a name: ``"New friends"`` -> ``new-friends``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = _SLUG_DROP.sub("-", ascii_text).strip("-")
    return out[:60].strip("-") or fallback


def _one_line(text: str) -> str:
    return " ".join(text.split())


def code_description(code: Code) -> str:
    blocks = [code.definition.strip()] if code.definition.strip() else []
    if code.include.strip():
        blocks.append("Include: " + code.include.strip())
    if code.exclude.strip():
        blocks.append("Exclude: " + code.exclude.strip())
    if code.examples:
        blocks.append("Examples:\n" + "\n".join("- " + _one_line(e) for e in code.examples))
    if code.id != slug(code.name):
        blocks.append(ID_MARK + code.id)
    return "\n\n".join(blocks)


def parse_description(text: str) -> dict:
    """``definition``, ``include``, ``exclude``, ``examples`` and ``id`` (None if absent) from a description."""
    out: dict = {"definition": "", "include": "", "exclude": "", "examples": [], "id": None}
    definition: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        stripped = block.strip()
        if stripped.startswith("Include: "):
            out["include"] = stripped[len("Include: "):].strip()
        elif stripped.startswith("Exclude: "):
            out["exclude"] = stripped[len("Exclude: "):].strip()
        elif stripped.startswith("Examples:") and all(
            line.strip().startswith("- ") for line in stripped.split("\n")[1:] if line.strip()
        ):
            out["examples"] = [line.strip()[2:].strip() for line in stripped.split("\n")[1:] if line.strip()]
        elif stripped.startswith(ID_MARK) and "\n" not in stripped:
            out["id"] = stripped[len(ID_MARK):].strip() or None
        elif stripped:
            definition.append(stripped)
    out["definition"] = "\n\n".join(definition)
    return out
