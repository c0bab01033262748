"""Renaming and merging codes in the codebook YAML, keeping comments and layout.

Neither touches a coding log: a renamed or merged-away id is listed under the
surviving code's ``former_ids``, which is how every coding follows it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from coder.core.atomic import write_atomic
from coder.core.codebook import Codebook
from coder.core.codebook_file import ID_RE
from coder.core.errors import CoderError
from coder.core.yamlfile import check_guards


class _Codes:
    """The YAML items of some codes, and the list each sits in (for removing it)."""

    def __init__(self, data: Any, ids: list[str], path: Path) -> None:
        self._items: dict[str, Any] = {}
        self._lists: dict[str, Any] = {}
        self._walk(data.get("codes") if hasattr(data, "get") else None, set(ids))
        for code_id in ids:
            if code_id not in self._items:
                raise CoderError(f"no code '{code_id}' in the codebook", file=path)

    def _walk(self, items: Any, wanted: set[str]) -> None:
        for item in items or []:
            if not hasattr(item, "get"):
                continue
            if str(item.get("id")) in wanted:
                self._items[str(item.get("id"))] = item
                self._lists[str(item.get("id"))] = items
            self._walk(item.get("children"), wanted)

    def __getitem__(self, code_id: str) -> Any:
        return self._items[code_id]

    def parent_list(self, code_id: str) -> Any:
        return self._lists[code_id]


def edit_codebook(path: Path, ids: list[str], change: Callable[[_Codes], None]) -> None:
    """Apply ``change`` to the items of codes ``ids`` through a ruamel.yaml round trip (comments,
    order and quoting kept; lines never reflowed), then replace the file atomically."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8")
    check_guards(text, path)
    data = rt.load(text)
    change(_Codes(data, ids, path))
    out = io.StringIO()
    rt.dump(data, out)
    write_atomic(path, out.getvalue())


def _former(code):
    from ruamel.yaml.comments import CommentedSeq

    former = code.get("former_ids")
    if former is None or isinstance(former, str):
        seq = CommentedSeq([former] if former else [])
        seq.fa.set_flow_style()
        code["former_ids"] = former = seq
    return former


def _current(book: Codebook, code_id: str, role: str) -> str:
    code = book.get(code_id)
    if code is None:
        raise CoderError(f"unknown code '{code_id}'", file=book.file, hint="give a code id as written in the codebook (`id:`)")
    if code.id != code_id:
        raise CoderError(f"'{code_id}' is a former id of '{code.id}'", file=book.file, line=code.line,
                         hint=f"give the current id as the {role}: {code.id}")
    return code.id


def rename_code(path: Path, book: Codebook, old: str, new: str) -> None:
    """Give code ``old`` the id ``new``; ``old`` joins its ``former_ids``."""
    old = _current(book, old, "code to rename")
    if not ID_RE.match(new):
        raise CoderError(f"'{new}' cannot be a code id", hint="use letters, digits, '-', '_' or '.', starting with a letter or digit")
    taken = book.get(new)
    if taken is not None and taken.id != old:
        raise CoderError(f"the id '{new}' is already taken by code '{taken.id}'", file=book.file, line=taken.line,
                         hint="to combine the two codes, use `coder codes merge`")
    if new == old:
        return

    def change(codes) -> None:
        code = codes[old]
        code["id"] = new
        former = _former(code)
        if new in former:
            former.remove(new)  # renamed back to an id it had before
        if old not in former:
            former.append(old)

    edit_codebook(path, [old], change)


def merge_codes(path: Path, book: Codebook, sources: list[str], into: str) -> None:
    """Remove each source code; its id and former ids join ``into``'s ``former_ids``."""
    into = _current(book, into, "code to merge into")
    ids = [_current(book, s, "code to merge") for s in sources]
    for s in ids:
        if s == into:
            raise CoderError(f"cannot merge '{s}' into itself", hint="list the other codes, then --into this one")
        if book.children(s):
            raise CoderError(f"code '{s}' has sub-codes", file=book.file, line=book.get(s).line,
                             hint="merge or move its sub-codes first")
        if s in [a.id for a in book.ancestors(into)]:
            raise CoderError(f"cannot merge '{s}' into its own sub-code '{into}'", file=book.file, line=book.get(s).line)

    def change(codes) -> None:
        former = _former(codes[into])
        for s in ids:
            for old in [s, *book.get(s).former_ids]:
                if old not in former:
                    former.append(old)
        for s in ids:
            parent_list = codes.parent_list(s)
            parent_list.remove(codes[s])

    edit_codebook(path, [into, *ids], change)
