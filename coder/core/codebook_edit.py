"""Edit the codebook YAML in place, keeping the researcher's comments and layout.

Used by the TUI to add the selected quote as an example of a code and to edit
a code's definition.  Round-trips through ruamel.yaml so comments, key order
and quoting survive; the file is replaced atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError
from coder.core.yamlfile import check_guards


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _find(items: Any, code_id: str) -> Any:
    for item in items or []:
        if not hasattr(item, "get"):
            continue
        if str(item.get("id")) == code_id:
            return item
        found = _find(item.get("children"), code_id)
        if found is not None:
            return found
    return None


def _edit(path: Path, code_id: str, change) -> None:
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    check_guards(text, path)
    data = yaml.load(text)
    code = _find(data.get("codes") if hasattr(data, "get") else None, code_id)
    if code is None:
        raise CoderError(f"no code '{code_id}' in the codebook", file=path)
    change(code)
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue())


def add_example(path: Path, code_id: str, quote: str) -> None:
    """Append ``quote`` to the code's ``examples`` (no duplicates)."""
    from ruamel.yaml.comments import CommentedSeq

    quote = " ".join(quote.split())
    if not quote:
        raise CoderError("an example quote cannot be empty")

    def change(code) -> None:
        examples = code.get("examples")
        if examples is None:
            examples = code["examples"] = CommentedSeq()
        if quote not in [str(e) for e in examples]:
            examples.append(quote)

    _edit(path, code_id, change)


def set_definition(path: Path, code_id: str, text: str) -> None:
    text = text.strip()

    def change(code) -> None:
        code["definition"] = text

    _edit(path, code_id, change)
