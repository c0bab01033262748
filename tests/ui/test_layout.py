"""Wrapping a transcript into screen lines: a hard-wrapped turn reflows like running text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coder.core.transcript import Transcript, Turn
from coder.ui.layout import TEXT, Layout, wrap


def one_turn(words: str) -> Transcript:
    text = "Sian: " + words
    return Transcript("t", None, "txt", text, (Turn(0, "Sian", 6, len(text)),), ())


def drawn(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """What each line shows (the view draws a line break as a space and leaves trailing spaces out)."""
    return [text[a:b].replace("\n", " ").rstrip() for a, b in spans]


def test_a_hard_wrapped_turn_reflows_to_the_width():
    wrapped = one_turn("I work at the Co-op in town, three days. I grew up in Cwm\nTeilo, went away to Swansea for\na bit.")
    layout = Layout(wrapped, 30)
    lines = [line for line in layout.lines if line.kind == TEXT]
    assert drawn(wrapped.text, [(line.start, line.end) for line in lines]) == [
        "I work at the Co-op in town,", "three days. I grew up in Cwm", "Teilo, went away to Swansea", "for a bit."]


def test_a_blank_line_inside_a_turn_still_starts_a_new_line():
    text = "first paragraph\n\nsecond"
    assert drawn(text, wrap(text, 0, len(text), 40)) == ["first paragraph", "second"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text("abcdefghij", min_size=1, max_size=14), min_size=1, max_size=40), st.data(),
       st.integers(8, 60))
def test_line_breaks_inside_a_paragraph_wrap_exactly_like_spaces(words, data, width):
    separators = [data.draw(st.sampled_from([" ", "\n"])) for _ in words[1:]]
    with_breaks = words[0] + "".join(s + w for s, w in zip(separators, words[1:]))
    with_spaces = with_breaks.replace("\n", " ")
    assert wrap(with_breaks, 0, len(with_breaks), width) == wrap(with_spaces, 0, len(with_spaces), width)
