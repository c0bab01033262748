"""The key footer, changed in place.

Textual's :class:`~textual.widgets.Footer` rebuilds all its keys whenever the
keys that apply change (the model becomes ready, there is something to undo, a
selection starts): some thirty widgets removed, created, styled and mounted,
which held a busy two-core machine for 0.1–0.3 s, so a key pressed then was
drawn late.  :class:`KeyFooter` works out the same keys as Textual's footer
and mounts only those that appear and removes only those that go; the keys
that stay are not touched.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from textual._context import active_message_pump
from textual.compose import compose
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def _signature(widget: Widget) -> tuple:
    """What a footer item shows and does: equal signatures draw and act the same."""
    children = list(widget.children) or list(getattr(widget, "_pending_children", ()))
    return (type(widget).__name__, tuple(sorted(widget.classes)), getattr(widget, "key", None),
            getattr(widget, "key_display", None), getattr(widget, "description", None),
            getattr(widget, "action", None), str(widget.tooltip or ""),
            str(getattr(widget, "content", "")), tuple(_signature(child) for child in children))


class KeyFooter(Footer):
    """A :class:`~textual.widgets.Footer` that mounts and removes only the keys that changed."""

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._update_keys)

    def fresh_items(self) -> list[Widget]:
        """The items Textual's footer would mount now (new widgets, not mounted)."""
        token = active_message_pump.set(self)  # the keys bind to this footer's reactives
        try:
            items = compose(self)
        finally:
            active_message_pump.reset(token)
        for item in items:
            for key in (item, *getattr(item, "_pending_children", ())):
                if isinstance(key, FooterKey):  # born with the footer's compactness: no restyling of each
                    key.set_reactive(FooterKey.compact, self.compact)  # key (twice) once it is mounted
        return items

    async def _update_keys(self) -> None:
        if not self.is_attached or self._pruning:
            return
        old = [w for w in self.children if not w.has_class("-textual-system")]
        new = self.fresh_items()
        old_signatures, new_signatures = [_signature(w) for w in old], [_signature(w) for w in new]
        if old_signatures == new_signatures:
            return
        keep: list[Widget] = []  # the footer's items in their new order
        gone: list[Widget] = []
        fresh: set[Widget] = set()
        matcher = SequenceMatcher(a=old_signatures, b=new_signatures, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                keep.extend(old[i1:i2])
            else:
                gone.extend(old[i1:i2])
                keep.extend(new[j1:j2])
                fresh.update(new[j1:j2])
        async with self.batch():
            if gone:
                await self.remove_children(gone)
            for index, widget in enumerate(keep):
                if widget in fresh:
                    if index:
                        await self.mount(widget, after=keep[index - 1])
                    else:
                        await self.mount(widget, before=0) if self.children else await self.mount(widget)
