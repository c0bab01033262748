"""Hard-wrapped transcripts (a line break every ~70 characters inside a turn, as
transcription services deliver them) read as running text everywhere: sentences,
quotes, search, exports and suggestions; positions still point into the file's text."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.core.export import export_project
from coder.core.project import Project
from coder.core.search import find_phrase
from coder.core.suggestions import training_data
from coder.core.text import flow

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hard-wrapped-interview.txt"
TID = "lc-eng-p31-interview"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "study"
    Project.init(root)
    shutil.copy(FIXTURE, root / "transcripts" / f"{TID}.txt")
    return Project.open(root)


def span(text: str, phrase: str) -> tuple[int, int]:
    """The span of ``phrase`` in ``text``, wherever the file breaks its lines."""
    (found,) = find_phrase(text, phrase)[:1]
    return found


def test_flow_turns_line_breaks_into_single_spaces():
    assert flow("went away to\nSwansea") == "went away to Swansea"
    assert flow("trailing  \n   indented\n\nnext paragraph") == "trailing indented next paragraph"
    assert flow("no breaks here") == "no breaks here"


def test_sentences_of_a_hard_wrapped_file_have_no_line_breaks(project):
    t = project.transcript(TID)
    assert any("\n" in t.text[s.start : s.end] for s in t.segments)  # the file really is hard-wrapped
    assert all("\n" not in s.text for s in t.segments)
    assert "It was the computer corner, really." in [s.text for s in t.segments]
    for s in t.segments:
        assert " ".join(t.text[s.start : s.end].split()) == s.text


def test_a_quote_keeps_the_break_between_turns_but_not_inside_one(project):
    t = project.transcript(TID)
    start, _ = span(t.text, "Not in a million years.")
    _, end = span(t.text, "What do you think made")
    assert t.quote(start, end) == "Not in a million years.\n\n[00:01:41] Interviewer: What do you think made"
    a, b = span(t.text, "you seen the computer corner")
    assert t.text[a:b] == "you seen\nthe computer corner"
    assert t.quote(a, b) == "you seen the computer corner"


def test_the_opening_quote_after_a_full_stop_starts_the_next_sentence(project):
    texts = [s.text for s in project.transcript(TID).segments]
    assert "In the letter." in texts
    assert '"We\'ve listened."' in texts


def test_search_finds_phrases_across_line_breaks_in_any_case(project):
    text = project.transcript(TID).text
    matches = find_phrase(text, "COMPUTER   corner")
    assert len(matches) == 3
    assert [flow(text[a:b]).lower() for a, b in matches] == ["computer corner"] * 3
    assert any("\n" in text[a:b] for a, b in matches)
    assert find_phrase(text, "  ") == []


words = st.text("abcdef", min_size=1, max_size=6)
fillers = st.text("uvwxyz", min_size=1, max_size=6)  # never contain a phrase word
spaces = st.sampled_from([" ", "  ", "\n", " \n", "\n  ", "\t", "\n\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=4), st.lists(st.tuples(fillers, st.booleans()), max_size=30), st.data())
def test_a_phrase_is_found_at_every_occurrence_whatever_the_spacing(phrase, pieces, data):
    parts: list[str] = []
    planted: list[tuple[int, int]] = []
    pos = 0

    def add(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for filler, plant_here in pieces:
        add(filler)
        add(data.draw(spaces))
        if plant_here:
            start = pos
            for i, word in enumerate(phrase):
                if i:
                    add(data.draw(spaces))
                add("".join(c.upper() if data.draw(st.booleans()) else c for c in word))
            planted.append((start, pos))
            add(data.draw(spaces))
    text = "".join(parts)
    query = data.draw(spaces).join(phrase)
    found = find_phrase(text, query)
    assert found == planted
    for a, b in found:
        assert " ".join(text[a:b].split()).lower() == " ".join(phrase)


def exported_quotes(project: Project, out: Path) -> list[str]:
    export_project(project, out)
    with (out / "quotes.csv").open(encoding="utf-8") as f:
        return [row["quote"] for row in csv.DictReader(f)]


def test_exported_quotes_read_as_running_text_and_the_log_keeps_the_exact_words(project, tmp_path):
    t = project.transcript(TID)
    phrases = ["I stood up and spoke. Me! I'd never have done that before.",
               "If I see Pat in the Co-op now we stop and talk for twenty minutes, and before I'd have just nodded."]
    for phrase in phrases:
        project.apply("tester", TID, "example-theme", *span(t.text, phrase))
    assert exported_quotes(project, tmp_path / "out") == phrases
    logged = [json.loads(line) for line in (project.root / "codings" / "tester.jsonl").read_text().splitlines()]
    assert all("\n" in e["quote"] and e["quote"] == t.text[e["start"] : e["end"]] for e in logged)


def test_suggestions_learn_from_the_words_as_read(project):
    t = project.transcript(TID)
    project.apply("tester", TID, "example-theme", *span(t.text, "Knowing people. You're not on your own any more."))
    data = training_data(project)
    assert [p[0] for p in data.positives] == ["Knowing people. You're not on your own any more."]
    assert all("\n" not in text for text, _, _ in data.uncoded)


def test_codings_on_a_hard_wrapped_file_survive_a_rewrap_elsewhere_and_an_inserted_turn(project):
    t = project.transcript(TID)
    phrase = "I stood up and spoke. Me! I'd never have done that before."
    coding = project.apply("tester", TID, "example-theme", *span(t.text, phrase))
    path = project.root / "transcripts" / f"{TID}.txt"
    text = path.read_text(encoding="utf-8")
    first_turn = ("[00:00:04] Interviewer: Thanks for making the time. Could you start by telling me\n"
                  "how you first came across the library group?")
    assert first_turn in text
    edited = text.replace(first_turn, first_turn.replace(" me\nhow", "\nme how")).replace(
        "[00:00:42]", "[00:00:40] Interviewer: Right.\n\n[00:00:42]")
    path.write_text(edited, encoding="utf-8")
    (placed,) = project.codings()
    new = project.transcript(TID)
    assert placed.id == coding.id
    assert new.quote(placed.start, placed.end) == phrase
    assert new.text[placed.start : placed.end] == t.text[coding.start : coding.end]
    assert project.orphans() == [] and project.to_review() == []


def test_a_coding_in_a_paragraph_that_is_rewrapped_stays_on_its_words_and_is_offered_for_review(project):
    t = project.transcript(TID)
    phrase = "I stood up and spoke. Me! I'd never have done that before."
    project.apply("tester", TID, "example-theme", *span(t.text, phrase))
    path = project.root / "transcripts" / f"{TID}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stood up and spoke. Me! I'd never have done that\nbefore.",
                                 "stood up and\nspoke. Me! I'd never have done that before."), encoding="utf-8")
    (placed,) = project.codings()
    assert project.transcript(TID).quote(placed.start, placed.end) == phrase
    assert project.orphans() == []


@pytest.fixture(scope="module")
def wrapped(tmp_path_factory):
    root = tmp_path_factory.mktemp("wrapped") / "study"
    Project.init(root)
    shutil.copy(FIXTURE, root / "transcripts" / f"{TID}.txt")
    return Project.open(root).transcript(TID)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_span_reads_as_its_words_with_breaks_only_between_turns(wrapped, data):
    t = wrapped
    start = data.draw(st.integers(0, len(t.text) - 1))
    end = data.draw(st.integers(start + 1, len(t.text)))
    quote = t.quote(start, end)
    assert quote.split() == t.text[start:end].split()
    turn = t.turn_at(start)
    if turn is not None and end <= turn.end:
        assert "\n" not in quote
