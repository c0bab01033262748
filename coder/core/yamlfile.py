"""Read YAML with line numbers, so every problem can say ``file:line``.

Mappings load as :class:`LineDict` (a ``dict`` that knows the 1-based line of
itself and of each key); sequences as :class:`LineList`.  Duplicate keys in
a mapping, which plain YAML loaders silently overwrite, are reported.
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


class _Loader(yaml.SafeLoader):
    """SafeLoader that records lines and duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
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
    loader = _Loader(text)
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
