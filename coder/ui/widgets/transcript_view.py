"""The transcript: speaker turns, wrapped text, coded spans and the selection.

A Line API widget: it draws only the visible rows, from a :class:`Layout`
computed once per width, and caches each drawn row until something it shows
changes.  It holds no coding state of its own: the screen sets
:attr:`codings`, :attr:`selection` and friends, and the view posts
:class:`TranscriptView.Clicked` when the researcher clicks a position.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.core.codebook import Codebook
from coder.core.transcript import Transcript
from coder.ui.layout import BLANK, GAP, HEADER, Layout
from coder.ui.widgets.code_detail import MEMO_MARK


@dataclass(frozen=True)
class Mark:
    """A coded span as the view draws it."""

    start: int
    end: int
    code: str
    colour: str
    label: str  # the gutter marker: the code's key, else its initial
    name: str
    memo: bool = False  # the coding carries a memo (marked in the margin where it starts)


def marks_for(codings, codebook: Codebook) -> list[Mark]:
    out = []
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    for coding in sorted(codings, key=lambda c: (c.start, order.get(c.code, 999))):
        code = codebook.get(coding.code)
        memo = bool(coding.memo)
        if code is None:
            out.append(Mark(coding.start, coding.end, coding.code, "#888888", "?", coding.code, memo))
        else:
            out.append(Mark(coding.start, coding.end, code.id, code.colour, code.key or code.name[:1].lower(),
                            code.name, memo))
    return out


def format_time(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """Keys belong to the coding screen: the view binds none of its own (a scroll view's
    ``home``/``end``/arrows would scroll without moving the selection)."""

    COMPONENT_CLASSES = {
        "transcript-view--speaker",
        "transcript-view--interviewer",
        "transcript-view--meta",
        "transcript-view--selection",
        "transcript-view--selection-bar",
        "transcript-view--match",
        "transcript-view--gutter",
        "transcript-view--memo",
    }

    class Clicked(Message):
        def __init__(self, position: int, extend: bool) -> None:
            super().__init__()
            self.position = position
            self.extend = extend

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.transcript: Transcript | None = None
        self.codebook: Codebook | None = None
        self._marks: list[Mark] = []
        self._selection: tuple[int, int] = (0, 0)
        self._matches: list[tuple[int, int]] = []
        self._filter: list[tuple[int, int]] | None = None
        self._layout: Layout | None = None
        self._cache: dict[int, Strip] = {}
        self._colours: dict[str, tuple[Style, Style]] = {}

    # ------------------------------------------------------------ attributes
    def show(self, transcript: Transcript | None, codebook: Codebook | None) -> None:
        self.transcript = transcript
        self.codebook = codebook
        self._filter = None
        self._matches = []
        self._selection = (0, 0)
        self._relayout()
        self.scroll_to(y=0, animate=False, force=True)

    def set_codings(self, codings, codebook: Codebook | None = None) -> None:
        if codebook is not None and codebook is not self.codebook:
            self.codebook = codebook
            self._colours.clear()
            self._cache.clear()
        marks = marks_for(codings, self.codebook) if self.codebook else []
        changed = set(marks) ^ set(self._marks)
        self._marks = marks
        if len(changed) > 20 or not self._cache:
            self._invalidate()
        else:  # redraw only the rows whose codes changed
            for mark in changed:
                self._invalidate_span(mark.start, mark.end)

    def set_selection(self, start: int, end: int, *, scroll: bool = True) -> None:
        if (start, end) != self._selection:
            self._invalidate_span(*self._selection)
            self._selection = (start, end)
            self._invalidate_span(start, end)
        if scroll:
            self.scroll_to_span(start, end)

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self._matches = matches
        self._invalidate()

    def set_filter(self, spans: list[tuple[int, int]] | None) -> None:
        self._filter = spans
        self._relayout()

    @property
    def layout_lines(self) -> Layout | None:
        return self._layout

    # ------------------------------------------------------------- geometry
    def _gutter_width(self) -> int:
        return 16 if self.size.width >= 100 else 5

    def _text_width(self) -> int:
        # Always leave room for the vertical scrollbar, so the wrapping does not change when it appears.
        width = (self.size.width or 80) - self.styles.scrollbar_size_vertical
        return max(10, width - self._gutter_width() - 1)

    def _relayout(self) -> None:
        if self.transcript is None:
            self._layout = None
            self.virtual_size = Size(0, 0)
        else:
            self._layout = Layout(self.transcript, self._text_width(), self._filter)
            self.virtual_size = Size(self._gutter_width() + 1 + self._layout.width, len(self._layout))
        self._invalidate()

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._layout.width != self._text_width():
            self._relayout()
            self.scroll_to_span(*self._selection, center=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._colours.clear()
        self._invalidate()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    def _invalidate_span(self, start: int, end: int) -> None:
        if self._layout is None:
            return
        # Every row is repainted, cached here or not: Textual keeps its own copy of each drawn
        # line, so a row missing from this cache may still be on screen with old styles.
        rows = self._layout.rows_between(start, end)
        for row in rows:
            self._cache.pop(row, None)
        if len(rows):
            self.refresh_lines(rows.start, len(rows))

    def scroll_to_span(self, start: int, end: int, *, center: bool = False) -> None:
        if self._layout is None or not self.size.height:
            return
        rows = self._layout.rows_between(start, end)
        top = rows.start
        if rows.start > 0 and self._layout.lines[rows.start - 1].kind == HEADER:
            top -= 1
        height = self.scrollable_content_region.height or self.size.height
        y = int(self.scroll_offset.y)
        margin = min(3, height // 4)
        if center or top < y + (margin if y else 0) or rows.stop > y + height - margin:
            target = top - height // 3 if rows.stop - top < height - margin else top
            self.scroll_to(y=max(0, target), animate=False, force=True)  # the scrollbar may not be laid out yet

    def position_at(self, x: int, row: int) -> int | None:
        """The text position under a cell of the widget (``row`` counted in the layout)."""
        if self._layout is None or not (0 <= row < len(self._layout)):
            return None
        line = self._layout.lines[row]
        if line.kind != "text":
            return None
        col = x - self._gutter_width() - 1
        return max(line.start, min(line.end - 1, line.start + max(0, col)))

    def on_click(self, event: events.Click) -> None:
        pos = self.position_at(event.x + int(self.scroll_offset.x), event.y + int(self.scroll_offset.y))
        if pos is not None:
            self.post_message(self.Clicked(pos, event.shift))

    # ------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_offset.y)
        width = self.scrollable_content_region.width or self.size.width
        strip = self._cache.get(row)
        if strip is None:
            strip = self._draw(row)
            self._cache[row] = strip
        return strip.crop_extend(int(self.scroll_offset.x), int(self.scroll_offset.x) + width, self.rich_style)

    def _code_styles(self, colour: str) -> tuple[Style, Style]:
        """(highlight for coded text, gutter marker) for a code colour."""
        styles = self._colours.get(colour)
        if styles is None:
            base = self.rich_style
            bg = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
            try:
                code = Color.parse(colour)
            except Exception:
                code = Color.parse("#888888")
            highlight = Style(bgcolor=bg.blend(code, 0.38).rich_color)
            marker = Style(bgcolor=code.rich_color, color=code.get_contrast_text(1.0).rich_color, bold=True)
            styles = (highlight, marker)
            self._colours[colour] = styles
        return styles

    def _draw(self, row: int) -> Strip:
        layout, transcript = self._layout, self.transcript
        if layout is None or transcript is None or row >= len(layout):
            return Strip.blank(0)
        line = layout.lines[row]
        gutter = self._gutter_width()
        base = self.rich_style
        if line.kind == BLANK:
            return Strip([])
        if line.kind == GAP:
            meta = self.get_component_rich_style("transcript-view--meta")
            return Strip([RichSegment(" " * (gutter + 1)), RichSegment("…", base + meta)])
        if line.kind == HEADER:
            return self._draw_header(line.turn, gutter)
        text = transcript.text
        start, end = line.start, line.end
        while end > start and text[end - 1] in " \n":
            end -= 1
        marks = [m for m in self._marks if m.start < max(end, start + 1) and start < m.end]
        segments = self._draw_gutter(marks, start, end, gutter)
        sel_start, sel_end = self._selection
        selection_style = self.get_component_rich_style("transcript-view--selection", partial=True)
        selected = sel_start < max(end, start + 1) and start < sel_end
        # A bar beside every selected line: the extent of the selection shows at a glance.
        bar = self.get_component_rich_style("transcript-view--selection-bar", partial=True)
        segments.append(RichSegment("▌", base + bar) if selected else RichSegment(" "))
        match_style = self.get_component_rich_style("transcript-view--match")
        cuts = {start, end}
        for s, e in [(m.start, m.end) for m in marks] + [(sel_start, sel_end)] + self._matches_in(start, end):
            if start < s < end:
                cuts.add(s)
            if start < e < end:
                cuts.add(e)
        bounds = sorted(cuts)
        for a, b in zip(bounds, bounds[1:]):
            style = base
            covering = [m for m in marks if m.start <= a < m.end]
            if covering:
                style = style + self._code_styles(covering[-1].colour)[0]
            if any(s <= a < e for s, e in self._matches):
                style = style + match_style
            if sel_start <= a < sel_end:
                style = style + selection_style + (Style(underline=True) if covering else Style())
            segments.append(RichSegment(text[a:b].replace("\n", " "), style))
        return Strip(segments)

    def _matches_in(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self._matches if s < end and start < e] if self._matches else []

    def _draw_gutter(self, marks: list[Mark], start: int, end: int, gutter: int) -> list[RichSegment]:
        """Code markers (and at 100 columns the name of a code starting here), then in the gutter's
        last cell ✎ where a coding with a memo starts."""
        out: list[RichSegment] = []
        room = gutter - 1  # the last cell is the memo mark's
        used = 0
        seen: list[str] = []
        gutter_style = self.get_component_rich_style("transcript-view--gutter")
        for m in marks:
            if m.code in seen:
                continue
            seen.append(m.code)
            if used >= room - 1 and len(seen) < len({x.code for x in marks}):
                out.append(RichSegment("+", gutter_style))
                used += 1
                break
            out.append(RichSegment(m.label[:1], self._code_styles(m.colour)[1]))
            used += 1
        starting = [m for m in marks if start <= m.start < max(end, start + 1)]
        if gutter > 8 and starting and used < room - 2:
            label = " " + starting[0].name
            label = label if len(label) <= room - used else label[: room - used - 1] + "…"
            out.append(RichSegment(label, gutter_style))
            used += len(label)
        out.append(RichSegment(" " * max(0, room - used)))
        memo = any(m.memo for m in starting)
        out.append(RichSegment(MEMO_MARK, self.get_component_rich_style("transcript-view--memo"))
                   if memo else RichSegment(" "))
        return out

    def _draw_header(self, index: int, gutter: int) -> Strip:
        turn = self.transcript.turns[index]
        interviewer = not self.transcript.participant_turn(turn)  # the rule suggestions and progress use
        name_style = self.get_component_rich_style(
            "transcript-view--interviewer" if interviewer else "transcript-view--speaker")
        meta = self.get_component_rich_style("transcript-view--meta")
        segments = [RichSegment(" " * (gutter + 1)), RichSegment(turn.speaker, name_style)]
        if turn.start_time is not None:
            segments.append(RichSegment(f"  {format_time(turn.start_time)}", meta))
        if turn.participant_id and turn.participant_id != turn.speaker:
            segments.append(RichSegment(f"  {turn.participant_id}", meta))
        return Strip(segments)
