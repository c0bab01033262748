"""A guard over the UI's source: text built from strings reaches widgets only through
:mod:`coder.ui.literal` (Textual would read a plain or formatted ``str`` as markup), and no toast
asks for markup.  The hostile-text Pilot tests check what is drawn; this catches a new widget or
title added later that a test does not visit."""

from __future__ import annotations

import ast
from pathlib import Path

import coder.ui
from coder.ui.literal import cell, literal

UI = Path(coder.ui.__file__).parent
TITLES = {"border_title", "border_subtitle"}
TEXT_CALLS = {"Static", "Label", "update", "add_row", "add_rows", "update_cell", "add_column", "add_columns",
              "Option", "Entry"}
# Entry's title and help are user text made literal by the pickers; a formatted str is fine there.
FORMATTED_OK = {"Entry"}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _formatted(node: ast.expr) -> bool:
    """A string made at run time (f-string, concatenation, %, .format) rather than a literal one."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return any(isinstance(side, (ast.Constant, ast.JoinedStr)) and not isinstance(getattr(side, "value", ""),
                   (int, float)) for side in (node.left, node.right))
    return isinstance(node, ast.Call) and _name(node.func) == "format"


def offences() -> list[str]:
    out = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(UI.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in TITLES:
                        ok = isinstance(node.value, ast.Constant) or (
                            isinstance(node.value, ast.Call) and _name(node.value.func) == "literal")
                        if not ok:
                            out.append(f"{where}: {target.attr} set from a non-literal; wrap it in literal()")
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name == "notify" and any(k.arg == "markup" and not (isinstance(k.value, ast.Constant)
                                                                       and k.value.value is False)
                                            for k in node.keywords):
                    out.append(f"{where}: notify(markup=...) other than False")
                if name in TEXT_CALLS and name not in FORMATTED_OK:
                    for arg in node.args:
                        if _formatted(arg):
                            out.append(f"{where}: {name}() given a formatted str; wrap it in literal() or cell()")
    return out


def test_ui_text_reaches_widgets_only_through_literal():
    assert offences() == []


def test_the_guard_sees_what_it_guards(tmp_path, monkeypatch):
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "bad.py").write_text(
        'box.border_title = f"Memo on {name}"\nyield Static(f"{quote}")\ntable.add_row(a + "…")\n'
        'self.notify(x, markup=True)\nbox.border_title = literal(f"{name}")\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["UI"]), "UI", tmp_path / "ui")
    found = offences()
    assert sorted(line.split(":")[1] for line in found) == ["1", "2", "3", "4"]


def test_literal_and_cell_keep_every_character():
    for text in ("[/laughs] x", "[@click=app.quit]q[/]", "$var \\[esc] 🎉 Zoe\u0301"):
        assert literal(text).plain == text and cell(text).plain == text
