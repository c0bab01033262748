"""The one fuzzy matcher of the palette and the pickers: word starts first, and the palette says
each command once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.ui.fuzzy import match, rank
from tests.ui.conftest import ready

SAMPLE = ["Confidence", "New skills", "Social networks", "New friends", "Connectedness and belonging",
          "Community power", "Influence over local decisions", "Collective action",
          "Partnerships with local organisations", "Health and wellbeing"]


@pytest.mark.parametrize("query, first", [
    ("pwr", "Community power"),  # letters of one word beat letters scattered over three
    ("power", "Community power"),
    ("cp", "Community power"),  # first letters of words
    ("hw", "Health and wellbeing"),
    ("conf", "Confidence"),
    ("net", "Social networks"),  # a word's start beats the middle of "Connectedness"
    ("part", "Partnerships with local organisations"),
    ("ca", "Collective action"),
    ("new f", "New friends"),
    ("local", "Influence over local decisions"),
])
def test_best_match_for_what_researchers_type(query, first):
    assert rank(query, SAMPLE)[0] == first


def test_tiers_whole_then_prefix_then_word_start_then_inside():
    names = ["Xpower", "Power tools", "Community power", "Power"]
    assert rank("power", names) == ["Power", "Power tools", "Community power", "Xpower"]


words = st.text(alphabet="abcdefgh", min_size=1, max_size=8)


@given(st.lists(words, min_size=1, max_size=4), st.lists(words, min_size=1, max_size=4))
def test_a_word_start_always_beats_the_inside_of_a_word(left, right):
    """Typing the start of a word ranks a name with that word above one that holds it only inside."""
    word = right[0]
    with_start = " ".join(left + [word])
    inside = " ".join(["z" + w for w in left]) + " q" + word
    if word in with_start[: -len(word)]:  # the word also occurs earlier: a different case
        return
    assert match(word, with_start) < match(word, inside)


@given(st.text(max_size=12), st.text(max_size=30))
def test_a_match_places_every_letter_in_order(query, candidate):
    found = match(query, candidate)
    letters = "".join(query.split()).lower()
    if found is None:
        return
    placed = "".join(candidate.lower()[i] for i in found.positions if not candidate[i].isspace())
    assert placed == letters
    assert list(found.positions) == sorted(found.positions)
    assert 0 < found.score <= 1


async def test_palette_says_each_command_once(build):
    from textual.command import CommandList

    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await ready(pilot)
        await pilot.pause(0.3)
        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert any(p.startswith("Search the text\n") for p in prompts)
        for prompt in prompts:
            title, _, help = prompt.partition("\n")
            assert title not in help, prompt
        search = next(p for p in prompts if p.startswith("Search the text"))
        assert "key /" in search


async def test_code_picker_ranks_word_starts_first(build, project_root):
    from textual.command import CommandList

    path = project_root / "codebooks" / "test.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: partnerships\n    name: Partnerships with local "
                    "organisations\n    key: \"9\"\n    definition: Work with others.\n", encoding="utf-8")
    app = build()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("a", *"pwr")
        await ready(pilot)
        await pilot.pause(0.3)
        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert [p.split("\n")[0] for p in prompts] == ["6 Community power", "9 Partnerships with local organisations"]
