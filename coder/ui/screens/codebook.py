"""The codebook screen: every code's definition, guidance and examples; edit without leaving the app.

Edits go through the facade, which rewrites the YAML preserving comments, so
the file stays hand-editable.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Tree

from coder.core.errors import CoderError
from coder.ui.literal import literal
from coder.ui.widgets.code_detail import CodeDetail
from coder.ui.widgets.codebook_tree import CodebookTree


class CodebookScreen(Screen):
    BINDINGS = [
        Binding("D,enter", "edit_definition", "edit definition", id="codebook.definition"),
        Binding("e", "new_example", "add example", id="codebook.example"),
        Binding("r", "retrieve", "codings across transcripts", id="codebook.retrieve"),
        Binding("N", "rename", "rename id", id="codebook.rename"),
        Binding("M", "merge", "merge into…", id="codebook.merge"),
        Binding("escape", "close", "back", id="codebook.close"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="codebook-main"):
            tree = CodebookTree(id="codebook-tree")
            tree.border_title = "Codebook"
            yield tree
            detail = CodeDetail(id="codebook-detail")
            detail.border_title = "Code"
            yield detail
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(CodebookTree).focus()

    def reload(self) -> None:
        try:
            codebook = self.app.project.codebook
        except CoderError as exc:
            self.notify(str(exc), title="Codebook problem", severity="error")
            return
        tree = self.query_one(CodebookTree)
        tree.show(codebook)
        if tree.current_code is None and codebook.roots:  # open on the first code, not on nothing
            tree.select_code(codebook.roots[0].id)
        file = getattr(codebook, "file", None)
        tree.border_subtitle = literal(file.name if file else "")
        self._detail()

    def _detail(self) -> None:
        tree = self.query_one(CodebookTree)
        code_id = tree.current_code
        codebook = tree.codebook
        self.query_one(CodeDetail).show(codebook.get(code_id) if code_id and codebook else None, codebook,
                                        examples=100)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._detail()

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        self.action_edit_definition()

    def action_edit_definition(self) -> None:
        code_id = self.query_one(CodebookTree).current_code
        if code_id:
            self.app.edit_definition(code_id, self.reload)

    def action_new_example(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        code_id = self.query_one(CodebookTree).current_code
        if not code_id:
            return

        def save(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                self.app.project.add_example(code_id, text.strip())
            except CoderError as exc:
                self.notify(str(exc), title="Not done", severity="error")
                return
            self.notify("Example added", timeout=2)
            self.reload()

        self.app.push_screen(TextDialog("New example quote (participants' own words)", "", "quote"), save)

    def action_retrieve(self) -> None:
        from coder.ui.screens.retrieval import RetrievalScreen

        code_id = self.query_one(CodebookTree).current_code
        if code_id:
            self.app.push_screen(RetrievalScreen(code_id), lambda place: self.dismiss(place) if place else None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_rename(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        code_id = self.query_one(CodebookTree).current_code
        if not code_id:
            return

        def rename(new: str | None) -> None:
            new = (new or "").strip()
            if new and new != code_id:
                self._edit(lambda: self.app.project.rename_code(code_id, new),
                           f"Renamed {code_id} to {new}: its codings follow (former_ids)")

        self.app.push_screen(TextDialog(f"New id for {code_id} (its codings follow)", code_id, "id"), rename)

    def action_merge(self) -> None:
        from coder.ui.pickers import Entry, picker

        tree = self.query_one(CodebookTree)
        code_id, book = tree.current_code, tree.codebook
        if not code_id or book is None:
            return
        entries = [Entry(c.name, f"merge {code_id} into {c.id}; its codings follow",
                         lambda into=c.id: self._edit(lambda: self.app.project.merge_codes([code_id], into),
                                                      f"Merged {code_id} into {into}"))
                   for c in book.codes if c.id != code_id]
        self.app.push_screen(picker(entries, f"Merge {code_id} into…"))

    def _edit(self, change, done: str) -> None:
        try:
            change()
        except CoderError as exc:
            self.notify(str(exc), title="Not done", severity="error", markup=False)
            return
        self.notify(done, timeout=3, markup=False)
        self.reload()
