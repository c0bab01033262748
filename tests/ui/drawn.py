"""What the transcript view has drawn: the highlighted text positions, read from its rendered lines.

The lines come from ``render_lines``, through Textual's own line cache, so a row that was never
repainted shows here with its old styles, as it does on screen.
"""

from __future__ import annotations

from textual.geometry import Region


def highlighted(view) -> set[int]:
    """Text positions drawn with the selection style (reverse video) in the visible rows."""
    layout = view.layout_lines
    if layout is None:
        return set()
    strips = view.render_lines(Region(0, 0, view.size.width, view.size.height))
    top = int(view.scroll_offset.y)
    text_x = view._gutter_width() + 1
    out: set[int] = set()
    for y, strip in enumerate(strips):
        row = top + y
        if row >= len(layout) or layout.lines[row].kind != "text":
            continue
        x = 0
        for segment in strip:
            width = len(segment.text)
            if segment.style is not None and segment.style.reverse and x >= text_x:
                out.update(layout.lines[row].start + x - text_x + i for i in range(width))
            x += width
    return out


def visible_span_positions(view, start: int, end: int) -> set[int]:
    """Positions of ``[start, end)`` on the visible rows, as the view draws them (no trailing blanks)."""
    layout, text = view.layout_lines, view.transcript.text
    top = int(view.scroll_offset.y)
    out: set[int] = set()
    for row in range(top, min(len(layout), top + view.size.height)):
        line = layout.lines[row]
        if line.kind != "text":
            continue
        stop = line.end
        while stop > line.start and text[stop - 1] in " \n":
            stop -= 1
        out.update(range(max(start, line.start), min(end, stop)))
    return out


def shown_selection(app) -> str:
    """The highlighted words on screen, in text order, joined as one quote."""
    view = app.screen.view
    text, out, last = view.transcript.text, [], None
    for p in sorted(highlighted(view)):
        if last is not None and p != last + 1:
            out.append(" ")  # the blank at a row's end is not drawn
        out.append(text[p])
        last = p
    return " ".join("".join(out).split())


def selected_text(app) -> str:
    """The text of the screen's selection, the span the next code is applied to."""
    start, end = app.screen.span
    return " ".join(app.screen.transcript.text[start:end].split())
