"""What a sentence denies or hedges away is taken out before its codes are proposed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.core.suggest.polarity import affirmed

DENIED = [
    "So I wouldn't say friends, no.",
    "Not really.",
    "No, not as such.",
    "Friends, not really, they're people I see on a Tuesday.",
    "I haven't picked up any new skills as such.",
    "I didn't really learn anything new, I already knew how to cook.",
    "Influence decisions? Hardly.",
    "We don't really work with any other organisations.",
]
AFFIRMED = [
    "I'm not nervous any more when I talk to people.",  # a denied negative
    "I don't feel lonely any more.",
    "I'd never used a computer before and now I do the ordering.",  # a contrast with now
    "I wouldn't have met any of my friends without the group.",
    "I've made proper friends, not just people I say hello to.",
    "Before, honestly, I had nobody.",
    "Lockdown was awful, don't get me wrong, but it made people look out for each other.",
    "Yes, definitely.",
    "I made new friends at the group.",
]


@pytest.mark.parametrize("text", DENIED)
def test_a_denied_or_hedged_mention_affirms_nothing(text):
    said = affirmed(text)
    assert said.text == "" and said.denied


@pytest.mark.parametrize("text", AFFIRMED)
def test_affirmations_and_denied_negatives_are_kept_whole(text):
    said = affirmed(text)
    assert said.text == text and not said.denied


def test_only_the_denied_clause_goes():
    said = affirmed("I haven't made any friends there, but I've learned to cook.")
    assert said.denied
    assert "friends" not in said.text and "learned to cook" in said.text


def test_curly_apostrophes_are_read_like_straight_ones():
    assert affirmed("So I wouldn\u2019t say friends, no.").text == ""


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", min_size=1, max_size=8)
CUE = st.sampled_from(["not", "no", "never", "don't", "wouldn't", "hardly", "nobody", "really", "before", "but"])
PUNCT = st.sampled_from([",", ".", "?", "!", ";", " -", ""])


@given(st.lists(st.tuples(st.one_of(WORD, CUE), PUNCT), max_size=25))
def test_what_is_kept_is_the_sentence_s_own_words_in_order(parts):
    text = " ".join(w + p for w, p in parts)
    said = affirmed(text)
    words = re.findall(r"[a-z][a-z']*", text.lower())  # a word starts with a letter; a lone ' is punctuation
    kept = re.findall(r"[a-z][a-z']*", said.text.lower())
    it = iter(words)
    assert all(any(k == w for w in it) for k in kept)  # a subsequence: nothing invented, nothing reordered
    assert said.denied or said.text == text.strip()
