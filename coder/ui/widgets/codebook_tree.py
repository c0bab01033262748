"""The codebook as a tree: colour, key, name and counts (this transcript / the project).

The counts are explained where they are shown: a legend in the tree's title
(:data:`COUNTS_LEGEND`) and a tooltip saying it in full.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from coder.core.codebook import Code, Codebook
from coder.ui.commands import LIST_COMMANDS, bindings
from coder.ui.literal import literal


COUNTS_LEGEND = "Codebook · your uses here/all"
COUNTS_TOOLTIP = ("After a code, n/m: your codings with it in this transcript / in all transcripts. "
                  "Enter applies the highlighted code.")


def code_label(code: Code, here: int, total: int) -> Text:
    """``■ 1 Confidence 3/12``: the swatch is decoration, the key and name carry the meaning."""
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append("■ ", style=code.colour)
    label.append(f"{code.key} " if code.key else "  ", style="bold")
    label.append(code.name)
    if here or total:
        label.append(f" {here}/{total}", style="dim")
    return label


class CodebookTree(Tree[str]):
    """Shows a codebook; posts Tree's own NodeHighlighted/NodeSelected messages (data = code id)."""

    BINDINGS = bindings(LIST_COMMANDS)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Codebook", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self.codebook: Codebook | None = None
        self._code_nodes: dict[str, TreeNode[str]] = {}
        self._counts: tuple[dict[str, int], dict[str, int]] = ({}, {})

    def show(self, codebook: Codebook) -> None:
        """Rebuild the tree for a (new or edited) codebook, keeping the highlighted code."""
        current = self.current_code
        self.codebook = codebook
        self.clear()
        self._code_nodes = {}

        def add(parent: TreeNode[str], code: Code) -> None:
            children = codebook.children(code.id)
            label = self._code_label(code)
            if children:
                node = parent.add(label, data=code.id, expand=True)
                for child in children:
                    add(node, child)
            else:
                node = parent.add_leaf(label, data=code.id)
            self._code_nodes[code.id] = node

        for root in codebook.roots:
            add(self.root, root)
        if current in self._code_nodes:
            self.move_cursor(self._code_nodes[current])

    def set_counts(self, here: dict[str, int], total: dict[str, int]) -> None:
        if (here, total) == self._counts or self.codebook is None:
            return
        old_here, old_total = self._counts
        self._counts = (dict(here), dict(total))
        counted = any(here.values()) or any(total.values())
        self.border_title = literal(COUNTS_LEGEND if counted else "Codebook")
        self.tooltip = COUNTS_TOOLTIP if counted else None
        for code_id, node in self._code_nodes.items():
            code = self.codebook.get(code_id)
            unchanged = (old_here.get(code_id), old_total.get(code_id)) == (here.get(code_id), total.get(code_id))
            if code is not None and not unchanged:
                node.set_label(self._code_label(code))

    def _code_label(self, code: Code) -> Text:
        here, total = self._counts
        return code_label(code, here.get(code.id, 0), total.get(code.id, 0))

    @property
    def current_code(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def select_code(self, code_id: str) -> None:
        node = self._code_nodes.get(code_id)
        if node is not None:
            self.move_cursor(node)
