"""Taguette's ways with codebooks: a flat list of tags whose names are paths (``parent.child``).

* :func:`dotted_tree` turns the flat codes of a REFI-QDA file Taguette wrote into a
  tree (``health.mental`` becomes ``mental`` under ``health``; a missing ``health`` is
  made), so the import keeps the hierarchy Taguette shows;
* :func:`codebook_csv` writes the codebook as the CSV Taguette's "import codebook"
  reads: columns ``path`` (the dotted path of names) and ``description`` (the definition).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from coder.core.codebook import Codebook
from coder.core.refi.model import RefiCode, RefiProject


def is_taguette(project: RefiProject) -> bool:
    return project.origin.strip().casefold().startswith("taguette")


def dotted_tree(project: RefiProject) -> RefiProject:
    """The project with flat ``a.b.c`` code names made into a tree (parents first)."""
    if any(c.parent for c in project.codes) or not any("." in c.name for c in project.codes):
        return project
    by_path = {c.name: c for c in project.codes}
    made: dict[str, RefiCode] = {}

    def guid_of(path: str) -> str:
        if path in by_path:
            return by_path[path].guid
        if path not in made:
            head, _, last = path.rpartition(".")
            made[path] = RefiCode(f"taguette-path:{path}", last or path, guid_of(head) if head else None)
        return made[path].guid

    placed = []
    for code in project.codes:
        head, _, last = code.name.rpartition(".")
        if head and last:
            placed.append((code.name.count("."), replace(code, name=last, parent=guid_of(head))))
        else:
            placed.append((0, code))
    placed += [(path.count("."), code) for path, code in made.items()]
    ordered = tuple(code for _, code in sorted(placed, key=lambda item: item[0]))  # stable: parents first
    return replace(project, codes=ordered)


def codebook_csv(codebook: Codebook) -> str:
    """The codebook as Taguette imports it: ``path,description``, a path being names joined by dots."""
    def name(code_id: str) -> str:
        code = codebook.get(code_id)
        return " ".join((code.name if code else code_id).replace(".", " ").split())

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "description"])
    for code in codebook.codes:
        writer.writerow([".".join(name(i) for i in codebook.path(code.id)), " ".join(code.definition.split())])
    return out.getvalue()
