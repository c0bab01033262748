"""Segments: sentences within turns, exact spans, ids that survive edits."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core import segmenter
from coder.core.segmenter import segment, sentence_hash
from coder.core.text import flow
from coder.core.transcript import Turn


def build(utterances: list[str], speakers: list[str] | None = None) -> tuple[str, list[Turn]]:
    """``Speaker: words`` paragraphs, with turns spanning exactly the words."""
    parts, turns, pos = [], [], 0
    for i, words in enumerate(utterances):
        label = f"{(speakers or ['S'])[i % len(speakers or ['S'])]}: "
        start = pos + len(label)
        turns.append(Turn(i, label[:-2], start, start + len(words)))
        parts.append(label + words)
        pos = start + len(words) + 2
    return "\n\n".join(parts), turns


def texts(segments):
    return [s.text for s in segments]


def assert_well_formed(text, turns, segments):
    previous_end = 0
    for seg in segments:
        assert seg.text == flow(text[seg.start : seg.end])  # the words as read: line breaks are spaces
        assert text[seg.start : seg.end] == text[seg.start : seg.end].strip() and seg.text
        turn = turns[seg.turn]
        assert turn.start <= seg.start < seg.end <= turn.end
        assert seg.start >= previous_end
        previous_end = seg.end
    assert len({s.id for s in segments}) == len(segments)


def test_sentences_of_each_turn():
    text, turns = build(
        ["So how did you hear about it? Was it a friend?", "Well, you know, I saw a poster. It was at the café!"],
        ["Interviewer", "Gwen"],
    )
    segments = segment(text, turns)
    assert texts(segments) == [
        "So how did you hear about it?",
        "Was it a friend?",
        "Well, you know, I saw a poster.",
        "It was at the café!",
    ]
    assert [s.turn for s in segments] == [0, 0, 1, 1]
    assert_well_formed(text, turns, segments)


def test_a_sentence_never_crosses_a_turn_or_a_blank_line():
    text, turns = build(["I went along and", "then what", "we had tea\n\nand cake"])
    assert texts(segment(text, turns)) == ["I went along and", "then what", "we had tea", "and cake"]


def test_an_opening_bracket_or_quote_starts_the_next_sentence():
    text, turns = build(["I saw a poster. [laughs] It was good. “Come along,” she said. (Honestly.)"])
    assert texts(segment(text, turns)) == [
        "I saw a poster.",
        "[laughs] It was good.",
        "“Come along,” she said.",
        "(Honestly.)",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text, turns = build(["She said “no.” Then I left."])
    assert texts(segment(text, turns)) == ["She said “no.”", "Then I left."]


def test_a_straight_quote_that_opens_a_sentence_starts_it():
    text, turns = build(['they said "we\'ve listened". In the\nletter. "We\'ve listened." Well, no.'])
    assert texts(segment(text, turns)) == [
        'they said "we\'ve listened".', "In the letter.", '"We\'ve listened."', "Well, no."]


def test_a_closing_mark_after_a_space_stays_with_its_sentence():
    text, turns = build(["She said “no. ” Then I left. It was good. ) And more. Wait. ’Cause I said."])
    assert texts(segment(text, turns)) == [
        "She said “no. ”", "Then I left.", "It was good. )", "And more.", "Wait.", "’Cause I said."]


def test_a_hard_wrapped_sentence_reads_as_one_line():
    text, turns = build(["I grew up in Cwm Teilo, went away to\nSwansea for a bit.\nCame back."])
    segments = segment(text, turns)
    assert texts(segments) == ["I grew up in Cwm Teilo, went away to Swansea for a bit.", "Came back."]
    assert text[segments[0].start : segments[0].end] == "I grew up in Cwm Teilo, went away to\nSwansea for a bit."


def test_offsets_are_code_points_even_after_emoji_and_accents():
    text, turns = build(["🎉🎂 We had a party. Café’s open! 𝒜 new start."])
    segments = segment(text, turns)
    assert texts(segments) == ["🎉🎂 We had a party.", "Café’s open!", "𝒜 new start."]
    assert_well_formed(text, turns, segments)
    assert segments[1].start == text.index("Café")


def test_ids_are_the_hash_of_the_sentence_with_an_occurrence_number():
    text, turns = build(["Yeah. I think so. Yeah.", "Yeah."])
    ids = [s.id for s in segment(text, turns)]
    yeah = sentence_hash("Yeah.")
    assert ids[0] == f"s-{yeah}-1" and ids[2] == f"s-{yeah}-2" and ids[3] == f"s-{yeah}-3"
    assert ids[1] == f"s-{sentence_hash('I think so.')}-1"


def test_ids_survive_reloading_and_edits_elsewhere():
    before = ["It was good. We met on Tuesdays.", "Why Tuesdays? Was that the bus?", "Aye, the bus. It was."]
    after = [
        "New opening line here. It was good. We met on Tuesdays.",
        "Why Tuesdays? An inserted question? Was that the bus?",
        "Aye, the bus. It was.",
        "A whole new turn at the end.",
    ]
    old = {s.text: s.id for s in segment(*build(before))}
    assert old == {s.text: s.id for s in segment(*build(before))}
    new = {s.text: s.id for s in segment(*build(after))}
    for sentence, sid in old.items():
        assert new[sentence] == sid


def test_ids_ignore_line_wrapping():
    one = segment(*build(["We met on the\nCalder Road estate."]))
    two = segment(*build(["We met on the Calder Road estate."]))
    assert one[0].id == two[0].id


def test_turns_without_words_have_no_segments():
    text = "A: \n\nB: Hi."
    turns = [Turn(0, "A", 3, 3), Turn(1, "B", 8, 11)]
    assert texts(segment(text, turns)) == ["Hi."]


def test_an_enormous_turn_is_cut_into_pieces_at_line_ends(monkeypatch):
    monkeypatch.setattr(segmenter, "CHUNK", 60)
    words = "\n".join(["this line goes on without any full stop at all"] * 20)
    text, turns = build([words + ". The end."])
    segments = segment(text, turns)
    assert_well_formed(text, turns, segments)
    assert all(len(s.text) <= 60 for s in segments)
    assert segments[-1].text == "The end."


# --- properties over arbitrary transcripts ------------------------------------------

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
sentence_text = st.lists(
    st.one_of(
        st.text("abcdefghij ’'éü🎉", min_size=1, max_size=12),
        st.sampled_from([".", "?", "!", "...", ",", " [laughs] ", "“", "”", "(", ")", "\n", "\n\n", "  "]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(any_text, sentence_text), max_size=8))
def test_every_segment_is_its_slice_and_inside_its_turn(utterances):
    text, turns = build(utterances, ["Interviewer", "Gwen"])
    segments = segment(text, turns)
    assert_well_formed(text, turns, segments)
    # every word of every turn is in some segment: nothing is left uncodable
    covered = {i for s in segments for i in range(s.start, s.end)}
    for turn in turns:
        assert all(i in covered for i in range(turn.start, turn.end) if not text[i].isspace())


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence_text, min_size=2, max_size=6), st.data())
def test_inserting_a_sentence_keeps_every_other_id(utterances, data):
    where = data.draw(st.integers(0, len(utterances) - 1))
    extra = data.draw(st.text("klmnopq ", min_size=3, max_size=20).map(lambda s: " Zz" + s + "."))
    old = segment(*build(utterances))
    edited = list(utterances)
    edited[where] = edited[where] + extra
    new_ids = {s.id for s in segment(*build(edited))}
    # a sentence in another turn keeps its id unless the insertion repeats it earlier
    for seg in old:
        if seg.turn != where and seg.id.endswith("-1"):
            assert seg.id in new_ids


def _closing_mark_at(text: str, k: int) -> bool:
    """A closing bracket, or a quote mark that no word follows."""
    ch, after = text[k], text[k + 1 : k + 2]
    if unicodedata.category(ch) == "Pe":
        return True
    return (ch in "\"'" or unicodedata.category(ch) == "Pf") and not after.isalnum()


quoted_text = st.lists(
    st.one_of(
        st.text("abcdefgh", min_size=1, max_size=8),
        st.sampled_from([" ", "  ", "\n", ". ", "? ", "! ", ".", '"', "'", "“", "”", "‘", "’", "(", ")", "[", "]",
                         "[laughs]", " \" ", '. "', '." ', "” ", " “"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quoted_text, min_size=1, max_size=4))
def test_no_sentence_starts_with_a_closing_mark_and_sentences_tile_the_turn(utterances):
    text, turns = build(utterances)
    segments = segment(text, turns)
    assert_well_formed(text, turns, segments)
    for turn in turns:
        mine = [s for s in segments if s.turn == turn.index]
        # tiling: between and around the sentences of a turn there is only whitespace
        bounds = [turn.start] + [p for s in mine for p in (s.start, s.end)] + [turn.end]
        assert all(not text[a:b].strip() for a, b in zip(bounds[::2], bounds[1::2]))
        for s in mine:
            breaks = [m.end() for m in re.finditer(r"\n[ \t]*\n", text[: s.start])]
            paragraph_start = max([turn.start, *breaks])
            if text[paragraph_start : s.start].strip():  # not the first sentence of its paragraph
                assert not _closing_mark_at(text, s.start), (s.text, [m.text for m in mine])
