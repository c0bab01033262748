"""Anchors: codings keep their place, or say they lost it, when a transcript is edited."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coder.core.codebook import Code, Codebook
from coder.core.coding import Coding, Origin
from coder.core.codings import (
    FUZZY_THRESHOLD,
    CodingStore,
    needs_review,
    orphans,
    quote_at,
    reanchor,
    resolve_codings,
    unknown_code_codings,
)
from coder.core.codings.anchor import _context
from coder.core.transcript import content_hash

TEXT = (
    "Interviewer: How did taking part change things for you?\n\n"
    "Ana: I never thought I'd speak at a meeting, but I did. Now I run the Tuesday group "
    "and people come to me for advice. It's made a real difference.\n\n"
    "Interviewer: And your health?\n\n"
    "Ana: I walk every day with the group. I feel better than I have in years. "
    "It's made a real difference to my sleep as well.\n"
)
QUOTE = "I never thought I'd speak at a meeting"


def coding(text: str, phrase: str, occurrence: int = 0, cid: str = "c1") -> Coding:
    i = -1
    for _ in range(occurrence + 1):
        i = text.index(phrase, i + 1)
    quote, prefix, suffix = quote_at(text, i, i + len(phrase))
    return Coding(cid, "ana", "t1", "confidence", i, i + len(phrase), quote, prefix, suffix,
                  content_hash(text), Origin(), "2024-06-18T09:00:00.000Z")  # fmt: skip


def placed(c: Coding, new: str):
    a = reanchor(c, new)
    return a, (new[a.start : a.end] if a.start is not None else None)


def test_an_unchanged_transcript_places_everything_exactly():
    cs = [coding(TEXT, QUOTE), coding(TEXT, "the group", cid="c2")]
    result = resolve_codings(cs, TEXT)
    assert [p.anchor.method for p in result] == ["exact", "exact"]
    assert [p.quote for p in result] == [QUOTE, "the group"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: "[Transcribed 3 May]\n\n" + t,  # inserted before
        lambda t: t.replace("Interviewer: How did taking part", "Interviewer (Sam): How did taking part"),
        lambda t: t.replace("How did taking part change things for you?", "What changed?"),  # deleted before
    ],
)
def test_edits_before_a_coding_move_it_with_its_text(edit):
    c = coding(TEXT, QUOTE)
    new = edit(TEXT)
    a, got = placed(c, new)
    assert (a.method, got, a.start) == ("moved", QUOTE, new.index(QUOTE))
    assert not a.needs_review


def test_edits_after_a_coding_leave_it_exactly_where_it_was():
    c = coding(TEXT, QUOTE)
    new = TEXT.replace("my sleep", "my sleep and my mood") + "\n[End of recording]\n"
    a, got = placed(c, new)
    assert (a.method, a.start, got) == ("exact", c.start, QUOTE)


@pytest.mark.parametrize(
    "old, new",
    [
        ("speak at a meeting", "speak out at a public meeting"),  # inserted inside
        ("I'd speak", "speaking"),  # deleted inside
        ("I never thought I'd speak", "I never imagined I would speak"),  # reworded slightly
    ],
)
def test_a_slightly_changed_quote_is_placed_fuzzily_and_flagged_for_review(old, new):
    c = coding(TEXT, QUOTE)
    edited = TEXT.replace(old, new)
    expected = QUOTE.replace(old, new)
    a, got = placed(c, edited)
    assert a.method == "fuzzy" and a.label == "moved (fuzzy)" and a.needs_review
    assert got == expected
    assert FUZZY_THRESHOLD <= a.score < 1.0


def test_a_rewritten_or_deleted_quote_becomes_an_orphan_with_its_best_candidate():
    c = coding(TEXT, QUOTE)
    for edited in (
        TEXT.replace(QUOTE, "Public speaking was new for me"),
        TEXT.replace(QUOTE + ", but I did. ", ""),
    ):
        a, _ = placed(c, edited)
        assert a.method == "orphan" and not a.placed
        assert a.score < FUZZY_THRESHOLD


def test_a_moved_paragraph_takes_its_codings_along():
    paragraphs = TEXT.split("\n\n")
    c = coding(TEXT, "I walk every day with the group")
    paragraphs.insert(0, paragraphs.pop(3))
    new = "\n\n".join(paragraphs)
    a, got = placed(c, new)
    assert (a.method, got, a.start) == ("moved", "I walk every day with the group", new.index("I walk"))


def test_context_picks_the_right_one_of_two_identical_quotes():
    second = coding(TEXT, "It's made a real difference", occurrence=1)
    first = coding(TEXT, "It's made a real difference", occurrence=0)
    new = "Interviewer: Thanks for coming.\n\n" + TEXT.replace("I walk every day", "I walk most days")
    for c, occurrence in ((first, 0), (second, 1)):
        a, _ = placed(c, new)
        i = -1
        for _ in range(occurrence + 1):
            i = new.index("It's made a real difference", i + 1)
        assert (a.method, a.start) == ("moved", i)
    # With its own sentence deleted, the first lands on the other copy only with a review flag.
    gone = TEXT.replace(" It's made a real difference.\n\n", "\n\n")
    a, _ = placed(first, gone)
    assert (a.method, a.start) == ("moved", gone.index("It's made a real difference")) and a.needs_review


def test_same_content_with_crlf_on_disk_gives_identical_positions():
    """Transcripts are LF-normalised when read, so CRLF on disk changes nothing."""
    c = coding(TEXT, QUOTE)
    on_disk = TEXT.replace("\n", "\r\n").encode("utf-8")
    read_back = on_disk.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    a, got = placed(c, read_back)
    assert (a.method, a.start, a.end, got) == ("exact", c.start, c.end, QUOTE)


def test_a_quote_spanning_lines_survives_a_line_ending_change_fuzzily():
    crlf = TEXT.replace("\n", "\r\n")
    c = coding(crlf, "you?\r\n\r\nAna: I never thought")  # coded on text that kept its CRs
    a, got = placed(c, TEXT)
    assert a.method == "fuzzy" and got == "you?\n\nAna: I never thought"


def test_results_come_back_in_input_order_and_never_drop_a_coding():
    cs = [coding(TEXT, p, cid=p) for p in ("the group", QUOTE, "my sleep", "Interviewer")]
    new = TEXT.replace("my sleep", "my appetite")
    result = resolve_codings(cs, new)
    assert [p.coding.id for p in result] == [c.id for c in cs]
    assert [p.anchor.method for p in result] == ["exact", "exact", "orphan", "exact"]
    assert result[2].start is None and result[2].quote == ""


# --- orphans, review lists, codebook changes --------------------------------------


def test_orphans_list_what_needs_a_decision():
    keep = coding(TEXT, QUOTE, cid="keep")
    lost = coding(TEXT, "my sleep", cid="lost")
    elsewhere = Coding("far", "ana", "t2", "health", 0, 5, "Hello", "", " there", "h", Origin(), "t")
    new = TEXT.replace("my sleep", "my appetite")
    found = orphans([keep, lost, elsewhere], {"t1": new})
    assert [(o.coding.id, o.reason) for o in found] == [("lost", "text changed"), ("far", "transcript missing")]
    assert found[0].old_quote == "my sleep"
    assert found[0].candidate_quote == new[found[0].candidate_start : found[0].candidate_end]


def test_only_uncertain_placements_are_listed_for_review():
    cs = [coding(TEXT, QUOTE, cid="a"), coding(TEXT, "I walk every day with the group", cid="b")]
    result = resolve_codings(cs, TEXT.replace("I walk every day", "I walk most days"))
    assert [p.coding.id for p in needs_review(result)] == ["b"]


def test_an_orphan_can_be_re_placed_or_discarded_and_both_are_logged(tmp_path):
    store = CodingStore(tmp_path / "codings")
    store.load()
    q, s = TEXT.index(QUOTE), TEXT.index("my sleep")
    a = store.apply("ana", "t1", TEXT, "confidence", q, q + len(QUOTE))
    b = store.apply("ana", "t1", TEXT, "health", s, s + len("my sleep"))
    new = TEXT.replace(QUOTE, "Public speaking was new for me").replace("my sleep", "my appetite")
    assert [o.coding.id for o in orphans(store.state(), {"t1": new})] == [a.id, b.id]
    i = new.index("Public speaking")
    placed_again = store.replace("ana", a.id, i, i + 30, new)
    store.remove("ana", b.id, reason="orphan discarded")
    assert orphans(store.state(), {"t1": new}) == []
    assert placed_again.text_hash == content_hash(new) and placed_again.id == a.id
    again = CodingStore(tmp_path / "codings")
    again.load()
    assert resolve_codings(again.state().codings.values(), new)[0].anchor.method == "exact"


def test_codebook_changes_never_drop_codings():
    book = Codebook(
        "test", None,
        (Code("self-confidence", "Confidence", former_ids=("confidence",)), Code("skills", "New skills")),
    )  # fmt: skip
    renamed = coding(TEXT, QUOTE, cid="r")  # code "confidence", now "self-confidence"
    removed = Coding("x", "ana", "t1", "power", 0, 5, "Inter", "", "", "h", Origin(), "t")
    assert book.resolve(renamed.code) == "self-confidence"
    assert unknown_code_codings([renamed, removed], book) == [removed]


# --- properties ---------------------------------------------------------------------

words = st.sampled_from("the group met every week in hall and we became friends after course my".split())
sentence = st.lists(words, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
documents = st.lists(sentence, min_size=3, max_size=12).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(doc=documents, data=st.data())
def test_edits_outside_a_coding_never_lose_it_and_context_decides_between_copies(doc, data):
    start = data.draw(st.integers(0, len(doc) - 8))
    end = data.draw(st.integers(start + 8, min(len(doc), start + 60)))
    c = Coding("c", "ana", "t", "x", start, end, *quote_at(doc, start, end), content_hash(doc), Origin(), "t")
    where = data.draw(st.sampled_from(["before", "after"]))
    insert = data.draw(st.text(alphabet="abcxyz .\n", max_size=40))
    cut = data.draw(st.integers(0, 30))
    if where == "before":
        at = data.draw(st.integers(0, start))
        new = doc[: max(0, at - cut)] + insert + doc[at:]
        expected = start + len(insert) - min(cut, at)
    else:
        at = data.draw(st.integers(end, len(doc)))
        new = doc[:at] + insert + doc[at + cut :]
        expected = start
    assume(new[expected : expected + end - start] == c.quote)
    a = reanchor(c, new)
    stop = expected + end - start
    if (expected > 0 and new[expected - 1].isalnum() and new[expected].isalnum()) or (
        stop < len(new) and new[stop - 1].isalnum() and new[stop].isalnum()
    ):  # the edit glued a word onto the coding's edge ("in group" cut to "inup"): the words changed
        assert a.placed, "a coding is never lost to an edit beside it"
        return
    assert a.placed and new[a.start : a.end] == c.quote and a.score == 1.0
    # Either the true place, or a copy of the quote whose context fits at least as well.
    ctx_true = _context(c, new, expected, expected + end - start)
    assert a.start == expected or a.context >= ctx_true


@settings(max_examples=100, deadline=None)
@given(doc=documents, data=st.data())
def test_a_small_insertion_inside_a_long_quote_keeps_it_in_place(doc, data):
    assume(len(doc) >= 60)
    start = data.draw(st.integers(0, len(doc) - 40))
    end = data.draw(st.integers(start + 40, min(len(doc), start + 100)))
    c = Coding("c", "ana", "t", "x", start, end, *quote_at(doc, start, end), content_hash(doc), Origin(), "t")
    at = data.draw(st.integers(start + 1, end - 1))
    insert = data.draw(st.text(alphabet="qvz", min_size=1, max_size=3))
    new = doc[:at] + insert + doc[at:]
    assume(c.quote not in new)  # a repeated sentence elsewhere would rightly be found instead
    a = reanchor(c, new)
    assert a.method == "fuzzy"
    assert a.start < end + len(insert) and start < a.end  # overlaps where the edited quote is


@pytest.mark.parametrize(
    "new_sentence",
    [
        "Honestly nobody tells you how small everything gets.",  # rewritten: an orphan's candidate
        "You don't realise, do you, how much the world shrinks.",  # reworded: a fuzzy placement
    ],
)
def test_fuzzy_spans_and_candidates_start_and_end_on_word_boundaries(new_sentence):
    old = "It was, yeah. It was. You don't realise, do you, how much your world shrinks. She had dementia."
    c = coding(old, "You don't realise, do you, how much your world shrinks.")
    new = old.replace("It was, yeah. It was. You don't realise, do you, how much your world shrinks.",
                      "It was, yeah, it really was. " + new_sentence)
    anchor = reanchor(c, new)
    assert anchor.start is not None
    span = new[anchor.start : anchor.end]
    assert not new[anchor.start - 1].isalnum() and span[0].isalnum()
    assert span.endswith(".") and not new[anchor.end].isalnum()
