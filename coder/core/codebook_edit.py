"""Edit the codebook YAML in place: only the changed value changes.

Used by the TUI to add the selected quote as an example of a code and to edit a
code's definition.  The edit is a splice into the file's text at the place the
YAML parser reports for the value, written in the quoting style already used
there (plain, 'single', "double", folded ``>`` or literal ``|``), so every other
line, comment and quote stays byte for byte as the researcher wrote it.  The
result is parsed again and must equal the old codebook with just that value
changed; if a splice cannot promise that (a flow-style code, say), the edit falls
back to a round-trip through ruamel.yaml, which keeps comments but may reflow.
The file is replaced atomically.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any, Callable

import yaml

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError
from coder.core.yamlfile import check_guards

Splice = Callable[[str, Any], "str | None"]  # (text, the code's node) -> new text, or None: cannot


# ------------------------------------------------------------------ the edits
def add_example(path: Path, code_id: str, quote: str) -> None:
    """Append ``quote`` to the code's ``examples`` (no duplicates)."""
    quote = " ".join(quote.split())
    if not quote:
        raise CoderError("an example quote cannot be empty")

    def change(code: dict) -> bool:
        examples = code.get("examples")
        if examples is None:
            code["examples"] = [quote]
        elif quote in [str(e) for e in examples]:
            return False
        else:
            examples.append(quote)
        return True

    def splice(text: str, node) -> str | None:
        value = _value(node, "examples")
        if value is None:
            return _new_key(text, node, "examples", f"\n{_indent(node)}  - {_inline(quote, _style_of(text))}")
        if isinstance(value, yaml.SequenceNode):
            return _append_item(text, value, quote)
        return None

    _edit(path, code_id, change, splice)


def set_definition(path: Path, code_id: str, text: str) -> None:
    """Replace the code's definition, in the style it was written in."""
    definition = text.strip()

    def change(code: dict) -> bool:
        if str(code.get("definition") or "").strip() == definition:
            return False
        code["definition"] = definition
        return True

    def splice(source: str, node) -> str | None:
        value = _value(node, "definition")
        if value is None:
            return _new_key(source, node, "definition", " " + _inline(definition, '"'))
        if isinstance(value, yaml.ScalarNode):
            return _replace_scalar(source, value, definition)
        return None

    _edit(path, code_id, change, splice)


# ------------------------------------------------------------------ the frame
def _edit(path: Path, code_id: str, change: Callable[[dict], bool], splice: Splice) -> None:
    source = path.read_text(encoding="utf-8")
    check_guards(source, path)  # alias bombs and absurd nesting are refused before any parser sees them
    try:
        before = yaml.safe_load(source)
        root = yaml.compose(source)
    except yaml.YAMLError as exc:
        raise CoderError(f"not valid YAML: {exc}", file=path, hint="fix the codebook file first") from None
    expected = copy.deepcopy(before)
    code = _find_data(expected.get("codes") if isinstance(expected, dict) else None, code_id)
    if code is None:
        raise CoderError(f"no code '{code_id}' in the codebook", file=path)
    if not change(code):
        return
    node = _find_node(_value(root, "codes"), code_id)
    spliced = splice(source, node) if node is not None and not node.flow_style else None
    if spliced is not None and _same(spliced, expected, code_id):
        write_atomic(path, spliced)
        return
    _roundtrip(path, source, code_id, change)


def _same(text: str, expected: Any, code_id: str) -> bool:
    """Whether ``text`` parses to ``expected`` (a block scalar's final newline aside)."""
    try:
        got = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return _stripped(got, code_id) == _stripped(copy.deepcopy(expected), code_id)


def _stripped(data: Any, code_id: str) -> Any:
    code = _find_data(data.get("codes") if isinstance(data, dict) else None, code_id)
    if code is not None and isinstance(code.get("definition"), str):
        code["definition"] = code["definition"].strip()
    return data


def _roundtrip(path: Path, source: str, code_id: str, change: Callable[[dict], bool]) -> None:
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # never reflow
    rt.indent(mapping=2, sequence=4, offset=2)
    data = rt.load(source)
    change(_find_data(data.get("codes"), code_id))
    out = io.StringIO()
    rt.dump(data, out)
    write_atomic(path, out.getvalue())


# ---------------------------------------------------------------- finding
def _find_data(items: Any, code_id: str) -> Any:
    for item in items or []:
        if not hasattr(item, "get"):
            continue
        if str(item.get("id")) == code_id:
            return item
        found = _find_data(item.get("children"), code_id)
        if found is not None:
            return found
    return None


def _value(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _find_node(items, code_id: str):
    for item in items.value if isinstance(items, yaml.SequenceNode) else []:
        id_node = _value(item, "id")
        if isinstance(id_node, yaml.ScalarNode) and id_node.value == code_id:
            return item
        found = _find_node(_value(item, "children"), code_id)
        if found is not None:
            return found
    return None


# --------------------------------------------------------------- splicing
def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The end of the line holding the last character before ``index`` (a block ends at a line start)."""
    if index > 0 and text[index - 1] == "\n":
        index -= 1
        while index > 0 and text[_line_start(text, index):index].strip() == "":  # trailing blank lines
            index = _line_start(text, index) - 1
        return max(index, 0)
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _indent(node) -> str:
    return " " * node.value[0][0].start_mark.column


def _style_of(text: str) -> str:
    """The quoting most examples in the file use, for a code's first example."""
    styles = [item.style or "" for item in _all_examples(yaml.compose(text))]
    return max(set(styles), key=styles.count) if styles else '"'


def _all_examples(node) -> list:
    out = []
    for item in _value(node, "codes").value if isinstance(_value(node, "codes"), yaml.SequenceNode) else []:
        out += _code_examples(item)
    return out


def _code_examples(node) -> list:
    examples = _value(node, "examples")
    out = [i for i in examples.value if isinstance(i, yaml.ScalarNode)] \
        if isinstance(examples, yaml.SequenceNode) else []
    children = _value(node, "children")
    for child in children.value if isinstance(children, yaml.SequenceNode) else []:
        out += _code_examples(child)
    return out


def _inline(value: str, style: str | None) -> str:
    """``value`` as a one-line scalar in ``style``: plain, 'single' or "double" (the fallback)."""
    if "\n" not in value:
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        if not style:
            try:
                if yaml.safe_load(f"- {value}") == [value] and yaml.safe_load(f"k: {value}") == {"k": value}:
                    return value
            except yaml.YAMLError:
                pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _append_item(text: str, seq, value: str) -> str | None:
    items = seq.value
    if seq.flow_style:
        close = seq.end_mark.index - 1
        if text[close] != "]":
            return None
        style = items[-1].style if items else '"'
        return text[:close] + (", " if items else "") + _inline(value, style) + text[close:]
    if not items or not isinstance(items[-1], yaml.ScalarNode):
        return None
    last = items[-1]
    prefix = text[_line_start(text, last.start_mark.index):last.start_mark.index]
    if prefix.strip() != "-":
        return None
    style = last.style if last.style in ("'", '"', None) else '"'
    at = _line_end(text, last.end_mark.index)
    return text[:at] + "\n" + prefix + _inline(value, style) + text[at:]


def _new_key(text: str, node, key: str, rest: str) -> str | None:
    """Add ``key:`` + ``rest`` to a block mapping: before its children, else after its last value."""
    children = next((k for k, _ in node.value if k.value == "children"), None)
    if children is not None:
        at = _line_start(text, children.start_mark.index)
        return text[:at] + f"{_indent(node)}{key}:{rest}\n" + text[at:]
    at = _line_end(text, node.value[-1][1].end_mark.index)
    return text[:at] + f"\n{_indent(node)}{key}:{rest}" + text[at:]


def _replace_scalar(text: str, node, value: str) -> str | None:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        header_end = text.find("\n", start)
        body_end = _line_end(text, end)
        if header_end < 0 or header_end >= body_end:
            return None
        first = text[header_end + 1:body_end].split("\n")[0]
        indent = first[: len(first) - len(first.lstrip(" "))] or " " * (node.start_mark.column + 2)
        lines = value.split("\n")
        if node.style == ">":  # folded: a single line break reads as a space, so paragraphs need two
            lines = "\n\n".join(lines).split("\n")
        body = "\n".join(indent + line if line else "" for line in lines)
        return text[:header_end + 1] + body + text[body_end:]
    if "\n" in text[start:end] and node.style is None:
        return text[:start] + _inline(value, '"') + text[end:]  # a multi-line plain scalar
    return text[:start] + _inline(value, node.style) + text[end:]
