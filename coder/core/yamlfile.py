"""Read YAML with line numbers, so every problem can say ``file:line``.

Mappings load as :class:`LineDict` (a ``dict`` that knows the 1-based line of
itself and of each key); sequences as :class:`LineList`.  Duplicate keys in
a mapping, which plain YAML loaders silently overwrite, are reported.

Every YAML file coder reads (codebooks, ``coder.yaml``, outcomes, front
matter, sidecars, user settings, metadata inside imported projects) goes
through :class:`GuardedLoader`, which refuses, at the line of the offending
alias, what could make a small file cost minutes and gigabytes: aliases
(``*name``) that together repeat more than :data:`MAX_ALIAS_EXPANSION` items
and characters (a "billion laughs" bomb), an alias inside its own anchor, and
nesting deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from coder.core.errors import CoderError, Problem


class LineDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list


MAX_ALIAS_EXPANSION = 100_000  # items + characters that aliases may repeat, in all, in one document
MAX_DEPTH = 100  # nested mappings and sequences (aliases expanded)

_DEPTH_HINT = "a codebook, settings or metadata file never needs this; check the file"
_ALIAS_HINT = "write the values out in full; coder refuses aliases that repeat this much (a YAML 'bomb')"


class GuardedLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader with bounded alias expansion and nesting.

    Aliases are checked while the document is composed, before anything is
    built from it, so a refusal costs about as much as reading the file.
    """

    def __init__(self, stream: str, file: str | Path | None = None, first_line: int = 1) -> None:
        super().__init__(stream)
        self._file = file
        self._first_line = first_line
        self._repeated = 0
        self._sizes: dict[int, tuple[int, int]] = {}
        self._open: list[str | None] = []  # anchors of the collections being composed

    def _refuse(self, message: str, mark, hint: str = _ALIAS_HINT) -> CoderError:
        return CoderError(message, file=self._file, line=mark.line + self._first_line, hint=hint)

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise self._refuse(f"the alias *{event.anchor} refers to its own anchor", event.start_mark,
                                   hint="an anchored value cannot contain itself; write it out in full")
            target = self.anchors.get(event.anchor)
            if target is not None:
                size, depth = _measure(target, self._sizes)
                self._repeated += size
                if self._repeated > MAX_ALIAS_EXPANSION:
                    raise self._refuse(
                        f"the alias *{event.anchor} makes the aliases of this file repeat more than "
                        f"{MAX_ALIAS_EXPANSION:,} items and characters", event.start_mark)
                if len(self._open) + depth > MAX_DEPTH:
                    raise self._refuse(f"the alias *{event.anchor} makes the YAML nested more than {MAX_DEPTH} "
                                       "levels deep", event.start_mark, hint=_DEPTH_HINT)
            return super().compose_node(parent, index)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(self._open) >= MAX_DEPTH:
                raise self._refuse(f"the YAML is nested more than {MAX_DEPTH} levels deep", event.start_mark,
                                   hint=_DEPTH_HINT)
            self._open.append(event.anchor)
            try:
                return super().compose_node(parent, index)
            finally:
                self._open.pop()
        return super().compose_node(parent, index)


def _measure(node: yaml.Node, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(items and characters, nesting depth) of ``node`` once every alias in it is expanded (memoised)."""
    key = id(node)
    if key not in memo:
        if isinstance(node, yaml.ScalarNode):
            memo[key] = (1 + len(node.value), 0)
        else:
            memo[key] = (1, 1)  # provisional: a collection still being composed counts once
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
            sizes = [_measure(child, memo) for child in children]
            memo[key] = (1 + sum(n for n, _ in sizes), 1 + max((d for _, d in sizes), default=0))
    return memo[key]


def safe_load(text: str, file: str | Path | None = None, first_line: int = 1) -> Any:
    """``yaml.safe_load`` with the guards of :class:`GuardedLoader` (plain dicts and lists).

    Raises ``yaml.YAMLError`` for invalid YAML (callers word it for their file)
    and :class:`CoderError` for a refused document.
    """
    loader = GuardedLoader(text, file, first_line)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def check_guards(text: str, file: str | Path | None = None) -> None:
    """Refuse ``text`` (before a round-trip editor loads it) if the guards would; invalid YAML passes here."""
    loader = GuardedLoader(text, file)
    try:
        loader.get_single_node()
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()


class _Loader(GuardedLoader):
    """The guarded loader, recording lines and duplicate keys."""

    def __init__(self, stream: str, file: str | Path | None = None, first_line: int = 1) -> None:
        super().__init__(stream, file, first_line)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        self.flatten_mapping(node)
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in out:
                self.duplicates.append((key_node.start_mark.line + 1, str(key)))
            out[key] = self.construct_object(value_node, deep=True)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        out = LineList(self.construct_object(child, deep=True) for child in node.value)
        out.line = node.start_mark.line + 1
        out.item_lines = [child.start_mark.line + 1 for child in node.value]
        return out


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def parse_yaml(text: str, file: str | Path, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse ``text``; raise :class:`CoderError` on a syntax error.

    ``first_line`` is the file line of the text's first line (for front matter).
    Returns the data and a problem per duplicate key.
    """
    loader = _Loader(text, file, first_line)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise CoderError(
            f"not valid YAML: {exc.problem or exc.context}",
            file=file,
            line=line,
            hint="check the indentation and quoting on or just above this line",
        ) from None
    except yaml.YAMLError as exc:
        raise CoderError(f"not valid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    _shift_lines(data, first_line - 1)
    problems = [
        Problem(str(file), line + first_line - 1, f"duplicate key '{key}' (the later value wins)")
        for line, key in loader.duplicates
    ]
    return data, problems


def _shift_lines(data: Any, offset: int) -> None:
    if not offset:
        return
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for v in data.values():
            _shift_lines(v, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for v in data:
            _shift_lines(v, offset)


def line_of(data: Any, default: int | None = None) -> int | None:
    return getattr(data, "line", default)


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    from coder.core.text import read_text

    return parse_yaml(read_text(path), path)
