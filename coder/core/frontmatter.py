"""YAML front matter: the ``---`` block at the top of a ``.txt``/``.md`` transcript.

The same YAML mapping rules apply to sidecar files (``<stem>.yaml`` next to a
``.vtt``/``.srt``/``.docx``), so :func:`parse_yaml_mapping` is shared.  Errors
carry the line number in the *file*, not in the YAML fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coder.core.errors import CoderError
from coder.core.yamlfile import GuardedLoader

_OPEN = re.compile(r"---[ \t]*(?:\n|$)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    """A file split into its front matter and its body."""

    data: dict[str, Any]
    body: str
    present: bool = False  # whether the file had a front-matter block at all
    body_line: int = 1  # line of the file on which the body starts
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line in the file


def split_front_matter(text: str, *, file: str | Path | None = None) -> FrontMatter:
    """Split ``text`` (LF-normalised) into front matter and body.

    Front matter is recognised only when the very first line is ``---``; it
    ends at the next line that is ``---`` or ``...``.  The body is everything
    after that closing line, unchanged.
    """
    opening = _OPEN.match(text)
    if not opening:
        return FrontMatter({}, text)
    close = _CLOSE.search(text, opening.end())
    if close is None:
        raise CoderError(
            "the front matter that starts here is never closed",
            file=file,
            line=1,
            hint="end the YAML block with a line containing only ---",
        )
    yaml_text = text[opening.end() : close.start()]
    data, lines = parse_yaml_mapping(yaml_text, file=file, first_line=2, what="front matter")
    body_start = close.end() + 1 if close.end() < len(text) else close.end()
    body_line = text.count("\n", 0, body_start) + 1
    return FrontMatter(data, text[body_start:], True, body_line, lines)


def parse_yaml_mapping(
    text: str, *, file: str | Path | None = None, first_line: int = 1, what: str = "metadata"
) -> tuple[dict[str, Any], dict[str, int]]:
    """A YAML mapping and the file line of each top-level key.

    ``first_line`` is the line of the file on which ``text`` starts.  An empty
    document gives ``{}``.  Invalid YAML, a document that is not a mapping,
    and duplicate keys raise :class:`CoderError` at the right line.
    """
    loader = None
    try:
        loader = GuardedLoader(text, file, first_line)
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise CoderError(
                f"the {what} must be a mapping of keys to values (key: value lines)",
                file=file,
                line=first_line + node.start_mark.line,
            )
        lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in lines:
                raise CoderError(
                    f"the key {key!r} appears twice in the {what} (first on line {lines[key]})",
                    file=file,
                    line=line,
                    hint="keep one of them",
                )
            lines[key] = line
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise CoderError(
            f"the {what} is not valid YAML: {problem}",
            file=file,
            line=first_line + mark.line if mark else first_line,
            hint="check the indentation, and quote values that contain ': ' or start with a special character",
        ) from None
    except yaml.YAMLError as exc:
        raise CoderError(f"the {what} is not valid YAML: {exc}", file=file, line=first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
    return {str(k): v for k, v in data.items()}, lines
