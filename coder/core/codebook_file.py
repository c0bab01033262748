"""Read and validate a codebook YAML file.

Schema (documented in the README)::

    name: My codebook
    description: optional
    codes:
      - id: confidence            # stable id: letters, digits, '-', '_', '.'
        name: Confidence
        key: "1"                  # optional one-character shortcut
        colour: "#e6194b"         # optional, #rgb or #rrggbb
        definition: ...
        include: ...              # optional guidance
        exclude: ...
        examples: ["a quote", ...]
        former_ids: [self-esteem] # optional: ids this code was known by
        leads_to: [community-power] # optional: codes it is thought to lead to (pathways)
        children: [...]           # nested codes, or use `parent: <id>` instead

Every problem is reported with its file and line; loading never stops at the
first one, so ``coder check`` can list them all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from coder.core.codebook import Code, Codebook
from coder.core.errors import CoderError, Problem, Severity
from coder.core.yamlfile import LineDict, line_of, read_yaml

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
KNOWN_FIELDS = {
    "id", "name", "parent", "definition", "include", "exclude", "examples",
    "colour", "color", "key", "former_ids", "children", "memo", "leads_to",
}
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)


def load_codebook(path: Path) -> tuple[Codebook, list[Problem]]:
    """Load ``path``; return the codebook and every problem found.

    Raises :class:`CoderError` only when the file cannot be read as YAML at all.
    """
    data, problems = read_yaml(path)
    file = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CoderError(
            "a codebook must be a mapping with a `codes:` list",
            file=file,
            line=line_of(data, 1),
            hint="start the file with `name: ...` and `codes:` followed by `- id: ...` items",
        )
    raw: list[tuple[dict, str | None]] = []
    _flatten(data["codes"], None, raw, problems, file)
    codes = [_code(item, parent, problems, file, i) for i, (item, parent) in enumerate(raw)]
    codes = [c for c in codes if c is not None]
    problems += _check_structure(codes, file)
    book = Codebook(
        name=str(data.get("name") or path.stem),
        file=path,
        codes=tuple(_document_order(codes)),
        description=str(data.get("description") or ""),
    )
    return book, problems


def _flatten(items: Any, parent: str | None, out: list, problems: list[Problem], file: str) -> None:
    for item in items or []:
        if not isinstance(item, dict):
            problems.append(Problem(file, line_of(items), "each code must be a mapping with `id` and `name`"))
            continue
        out.append((item, parent))
        children = item.get("children")
        if children is not None and not isinstance(children, list):
            problems.append(Problem(file, item.line_of("children"), "`children` must be a list of codes"))
        elif children:
            _flatten(children, str(item.get("id", "")) or None, out, problems, file)


def _text(item: LineDict, key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value).strip()


def _code(item: LineDict, parent: str | None, problems: list[Problem], file: str, index: int) -> Code | None:
    line = item.line
    code_id = _text(item, "id")
    if not code_id:
        problems.append(Problem(file, line, "code without an `id`", hint="give every code a stable id, e.g. `id: new-skills`"))
        return None
    if not ID_RE.match(code_id):
        problems.append(Problem(file, item.line_of("id"), f"code id '{code_id}' may only hold letters, digits, '-', '_' and '.'"))
    name = _text(item, "name")
    if not name:
        problems.append(Problem(file, item.line_of("name"), f"code '{code_id}' has an empty name"))
    for key in item:
        if key not in KNOWN_FIELDS:
            problems.append(Problem(file, item.line_of(key), f"unknown field '{key}' in code '{code_id}'", Severity.WARNING))
    colour = _text(item, "colour") or _text(item, "color")
    if colour and not COLOUR_RE.match(colour):
        problems.append(Problem(file, item.line_of("colour" if "colour" in item else "color"),
                                f"code '{code_id}' has a bad colour '{colour}'", hint="use #rrggbb, e.g. #4e79a7"))
        colour = ""
    key = _text(item, "key") or None
    if key is not None and len(key) != 1:
        problems.append(Problem(file, item.line_of("key"), f"code '{code_id}' key '{key}' must be one character"))
        key = None
    examples = item.get("examples") or []
    if not isinstance(examples, list):
        problems.append(Problem(file, item.line_of("examples"), f"`examples` of '{code_id}' must be a list of quotes"))
        examples = []
    definition = _text(item, "definition")
    if not definition:
        problems.append(Problem(file, line, f"code '{code_id}' has no definition", Severity.WARNING,
                                hint="a definition helps other coders and the suggestions"))
    if not examples and not item.get("children"):
        problems.append(Problem(file, line, f"code '{code_id}' has no example quotes", Severity.WARNING,
                                hint="5–10 example quotes are the biggest lever on suggestion quality"))
    explicit_parent = _text(item, "parent") or None
    if explicit_parent and parent:
        problems.append(Problem(file, item.line_of("parent"), f"code '{code_id}' is nested under '{parent}' and also names parent '{explicit_parent}'"))
    former = item.get("former_ids") or []
    leads = item.get("leads_to") or []
    return Code(
        id=code_id,
        name=name or code_id,
        parent=parent or explicit_parent,
        definition=definition,
        include=_text(item, "include"),
        exclude=_text(item, "exclude"),
        examples=tuple(str(e).strip() for e in examples if str(e).strip()),
        colour=colour or PALETTE[index % len(PALETTE)],
        key=key,
        former_ids=tuple(str(f) for f in (former if isinstance(former, list) else [former])),
        line=line,
        leads_to=tuple(str(t) for t in (leads if isinstance(leads, list) else [leads])),
    )


def _check_structure(codes: list[Code], file: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Code] = {}
    keys: dict[str, Code] = {}
    for c in codes:
        for name in (c.id, *c.former_ids):
            if name in seen:
                problems.append(Problem(file, c.line, f"duplicate code id '{name}' (first at line {seen[name].line})",
                                        hint="ids must be unique, including former_ids"))
            else:
                seen[name] = c
        if c.key is not None:
            if c.key in keys:
                problems.append(Problem(file, c.line, f"key '{c.key}' of '{c.id}' is already used by '{keys[c.key].id}' (line {keys[c.key].line})"))
            else:
                keys[c.key] = c
    ids = {c.id for c in codes}
    parents = {c.id: c.parent for c in codes}
    for c in codes:
        if c.parent is not None and c.parent not in ids:
            problems.append(Problem(file, c.line, f"code '{c.id}' has unknown parent '{c.parent}'"))
    for c in codes:
        for target in c.leads_to:
            if target not in seen:
                problems.append(Problem(file, c.line, f"code '{c.id}' leads_to unknown code '{target}'",
                                        hint="list code ids from this codebook"))
            elif seen[target].id == c.id:
                problems.append(Problem(file, c.line, f"code '{c.id}' leads_to itself"))
    for c in codes:
        node, steps = c.parent, 0
        while node is not None and steps <= len(codes):
            if node == c.id:
                problems.append(Problem(file, c.line, f"code '{c.id}' is its own ancestor (a cycle of parents)"))
                break
            node, steps = parents.get(node), steps + 1
    return problems


def _document_order(codes: list[Code]) -> list[Code]:
    """Parents before children, siblings in file order; cycles and orphans kept at the end."""
    by_parent: dict[str | None, list[Code]] = {}
    ids = {c.id for c in codes}
    for c in codes:
        by_parent.setdefault(c.parent if c.parent in ids else None, []).append(c)
    out: list[Code] = []
    seen: set[str] = set()

    def visit(parent: str | None) -> None:
        for c in by_parent.get(parent, []):
            if c.id not in seen:
                seen.add(c.id)
                out.append(c)
                visit(c.id)

    visit(None)
    out += [c for c in codes if c.id not in seen]
    return out
