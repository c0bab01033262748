"""Finding candidate identifiers: patterns, known names, the word list, and spaCy when installed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from coder.core.errors import CoderError
from coder.core.pseudonym import find_candidates, known_names, load_wordlist
from coder.core.pseudonym import ner
from coder.core.pseudonym.mapping import Mapping, Replacement
from coder.core.pseudonym.patterns import find_patterns
from coder.core.transcripts import load_transcript

BODY = """---
participant: X-01
interviewers: [Interviewer]
---
Interviewer: Tell me about the group, Sandra.

Sandra Holt: I live at 12 Calder Road, Leeds LS6 2AB. Ring me on 0113 496 0000 or
+44 7700 900123, or write to sandra.holt@example.org. My NHS number is 943 476 5919.
Sandra's neighbour goes to St Mary's Health Centre on Fenwick Walk.
"""


def _transcript(tmp_path: Path, body: str = BODY, name: str = "t1.txt"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return load_transcript(path, tmp_path)


def _found(cands):
    return {(c.text, c.kind) for c in cands}


def test_patterns_find_each_kind():
    kinds = {(BODY[a:b], k) for a, b, k in find_patterns(BODY)}
    assert ("12 Calder Road", "address") in kinds
    assert ("Fenwick Walk", "street") in kinds
    assert ("LS6 2AB", "postcode") in kinds
    assert ("0113 496 0000", "phone") in kinds
    assert ("+44 7700 900123", "phone") in kinds
    assert ("sandra.holt@example.org", "email") in kinds
    assert ("943 476 5919", "nhs-number") in kinds
    assert not any(k == "nhs-number" and "0113" in BODY[a:b] for a, b, k in find_patterns(BODY))


def test_sentence_words_are_not_part_of_a_street():
    kinds = {(t[a:b], k) for t in ["So Thornley Road runs past"] for a, b, k in find_patterns(t)}
    assert kinds == {("Thornley Road", "street")}


def test_known_names_are_the_speakers_not_the_interviewer(tmp_path):
    t = _transcript(tmp_path)
    assert known_names([t]) == ["Sandra Holt", "Sandra", "Holt"]
    cands = find_candidates([t], use_ner=False)
    names = [c for c in cands if c.kind == "name"]
    assert [c.text for c in names] == ["Sandra", "Sandra Holt", "Sandra"]
    assert {c.replacement for c in names if c.text == "Sandra"} == {"[Name 1]"}
    assert all(c.count == 2 for c in names if c.text == "Sandra")
    assert "Tell me about the group, Sandra." in names[0].context


def test_candidates_do_not_overlap_and_patterns_win(tmp_path):
    cands = find_candidates([_transcript(tmp_path)], use_ner=False)
    spans = sorted((c.start, c.end) for c in cands)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert ("sandra.holt@example.org", "email") in _found(cands)


def test_word_list_gives_kind_and_replacement(tmp_path):
    (tmp_path / "pseudonyms.yaml").write_text(
        "identifiers:\n  - text: St Mary's Health Centre\n    kind: facility\n    replacement: '[Health centre]'\n"
        "participants:\n  drop: [gender]\n  replace: {area: '[Area]'}\n", encoding="utf-8")
    words = load_wordlist(tmp_path)
    assert words.drop_columns == ("gender",) and words.replace_columns == {"area": "[Area]"}
    cands = find_candidates([_transcript(tmp_path)], words, use_ner=False)
    hit = [c for c in cands if c.source == "wordlist"]
    assert [(c.text, c.kind, c.replacement) for c in hit] == [("St Mary's Health Centre", "facility", "[Health centre]")]


def test_word_list_refuses_an_alias_bomb_at_its_line(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    (tmp_path / "pseudonyms.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CoderError, match="repeat more than") as e:
        load_wordlist(tmp_path)
    assert str(e.value.file).endswith("pseudonyms.yaml") and e.value.line


def test_word_list_mistakes_name_the_file(tmp_path):
    (tmp_path / "pseudonyms.yaml").write_text("identifiers:\n  - kind: name\n", encoding="utf-8")
    with pytest.raises(CoderError, match="needs a `text`"):
        load_wordlist(tmp_path)


def test_sample_project_candidates_without_spacy(repo):
    from coder.core.project import Project

    p = Project.open(repo)
    cands = find_candidates(p.transcripts(), load_wordlist(p.root), use_ner=False)
    texts = {c.text for c in cands}
    assert {"Sandra", "Brenda", "Calder Road", "Fenwick Walk"} <= texts
    by_text: dict[str, set] = {}
    for c in cands:
        by_text.setdefault(c.text, set()).add(c.replacement)
        assert p.transcript(c.transcript).text[c.start:c.end] == c.text
    assert all(len(r) == 1 for r in by_text.values())  # one replacement per original, project-wide


@pytest.mark.skipif(not ner.available(), reason="no spaCy pipeline with an entity recogniser installed (pip install 'coder[ner]')")
def test_named_entities_when_a_pipeline_is_installed(tmp_path):
    body = "---\nparticipant: X-01\n---\nInterviewer: And then?\n\nP: I met Margaret Thompson at Oxfam in Manchester.\n"
    cands = find_candidates([_transcript(tmp_path, body)], use_ner=True)
    found = _found(cands)
    assert ("Margaret Thompson", "name") in found
    assert any(k == "place" and t == "Manchester" for t, k in found)


def test_without_a_pipeline_ner_finds_nothing(monkeypatch):
    monkeypatch.setattr(ner, "load_pipeline", lambda: None)
    assert list(ner.find_entities("Margaret went to Manchester.")) == []


# ------------------------------------------------------------------ the offset mapping
def test_mapping_moves_spans_exactly():
    text = "I met Sandra at 12 Calder Road today."
    a, b = text.index("Sandra"), text.index("12")
    m = Mapping(text, [Replacement(a, a + 6, "Sandra", "[Name 1]"), Replacement(b, b + 14, "12 Calder Road", "[Address]")])
    assert m.text == "I met [Name 1] at [Address] today."
    s, e = m.span(text.index("at"), len(text))
    assert m.text[s:e] == "at [Address] today."
    s, e = m.span(a + 2, a + 4)  # inside a name: covers the whole replacement
    assert m.text[s:e] == "[Name 1]"
    assert m.span(0, a) == (0, a)  # ends right before a replacement: stays before it


@given(st.text(alphabet="ab ", min_size=1, max_size=40), st.data())
def test_mapping_keeps_unreplaced_text(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    reps = [Replacement(a, b, text[a:b], "[X]") for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    m = Mapping(text, reps)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = m.span(start, end)
    assert 0 <= s <= e <= len(m.text)
    inside = [r for r in reps if start < r.end and r.start < end]
    if not inside:
        assert m.text[s:e] == text[start:end]
    else:  # the quote with each replaced original (cut or whole) swapped for its replacement
        assert m.text[s:e].count("[X]") == len(inside)


def test_words_found_in_one_transcript_are_candidates_wherever_they_appear(tmp_path, monkeypatch):
    """The recogniser may see "Mrs Donnelly" in one interview and miss her in the next:
    every occurrence of words found anywhere is a candidate, with the same replacement."""
    seen = "---\nparticipant: X-01\n---\nInterviewer: Who?\n\nP: Mrs Donnelly runs it.\n"
    missed = "---\nparticipant: X-02\n---\nInterviewer: Who?\n\nQ: I asked Mrs Donnelly again.\n"
    a, b = _transcript(tmp_path, seen, "a.txt"), _transcript(tmp_path, missed, "b.txt")
    monkeypatch.setattr(ner, "available", lambda: True)
    monkeypatch.setattr(ner, "entities_of", lambda texts, nlp=None, done=None, cache=None: [
        [(text.index("Mrs Donnelly"), text.index("Mrs Donnelly") + 12, "name")] if "runs it" in text else []
        for text in texts])
    cands = [c for c in find_candidates([a, b]) if c.text == "Mrs Donnelly"]
    assert [(c.transcript, c.count, c.replacement) for c in cands] == [("a", 2, "[Name 1]"), ("b", 2, "[Name 1]")]
    assert known_names([a, b]) == []  # one-letter and numbered labels are codes, not names


# ------------------------------------------------------------ shapes, forms, whole entities
def _shapes(text: str) -> set[tuple[str, str]]:
    return {(text[a:b], k) for a, b, k in find_patterns(text)}


def test_organisations_and_facilities_by_the_word_that_ends_their_name():
    found = _shapes("The grant came from Calderdale Council and Age UK. She sees Dr Patel at Beck Lane Surgery "
                    "and the kids go to Brookside Primary School, then the Salvation Army hall.")
    assert {("Calderdale Council", "organisation"), ("Age UK", "organisation"), ("Salvation Army", "organisation"),
            ("Beck Lane Surgery", "facility"), ("Brookside Primary School", "facility")} <= found
    assert not any(t.startswith("The ") for t, _ in found)  # a sentence's first word is not part of a name
    assert _shapes("The Council said no.") == set()  # a bare organisation word names nobody


def test_people_named_with_a_title_or_a_family_word():
    found = _shapes("Mrs Donnelly and Auntie Pat came, Big Steve too, and Father Michael said Mr. Hussain knew.")
    assert {("Mrs Donnelly", "name"), ("Auntie Pat", "name"), ("Big Steve", "name"), ("Father Michael", "name"),
            ("Mr. Hussain", "name")} <= found


def test_dates_need_a_day_or_a_year_with_the_month():
    found = _shapes("It was the 3rd of March, or 14 July 2021, or last Tuesday the 9th, June 2020, 09/03/2021.")
    assert {t for t, k in found if k == "date"} == {"the 3rd of March", "14 July 2021", "last Tuesday the 9th",
                                                     "June 2020", "09/03/2021"}
    assert _shapes("May I ask? In March we met on a Tuesday.") == set()


def test_the_words_of_a_name_are_replaced_wherever_they_stand_alone(tmp_path):
    """Found as "Mrs Donnelly" once, "Donnelly" alone elsewhere is the same person: same replacement,
    and a decision on the name holds for its forms."""
    a = _transcript(tmp_path, "---\nparticipant: X-01\n---\nInterviewer: Who?\n\nP: Mrs Donnelly runs it.\n", "a.txt")
    b = _transcript(tmp_path, "---\nparticipant: X-02\n---\nInterviewer: Who?\n\nQ: Donnelly's house, yes.\n", "b.txt")
    cands = find_candidates([a, b], use_ner=False)
    form = next(c for c in cands if c.transcript == "b")
    assert (form.text, form.form_of, form.replacement) == ("Donnelly", "Mrs Donnelly", "[Name 1]")

    from coder.core.pseudonym import Decisions
    from coder.core.pseudonym.plan import make_plan

    decisions = Decisions(tmp_path / "d.yaml")
    decisions.decide("Mrs Donnelly", "accept-everywhere", replacement="[Neighbour]")
    plan = make_plan([a, b], cands, decisions, accept="reviewed")
    assert plan.mappings["b"].text.endswith("Q: [Neighbour]'s house, yes.\n")
    decisions.decide("Mrs Donnelly", "reject")
    assert "Donnelly's house" in make_plan([a, b], cands, decisions, accept="reviewed").mappings["b"].text


def test_word_list_forms_share_the_replacement(tmp_path):
    (tmp_path / "pseudonyms.yaml").write_text(
        "identifiers:\n  - text: Steven Price\n    replacement: '[Caretaker]'\n    also: [Big Steve, Stevie]\n",
        encoding="utf-8")
    t = _transcript(tmp_path, "---\nparticipant: X-01\n---\nInterviewer: Who?\n\nP: Big Steve, or Stevie, "
                              "Steven Price on the rota.\n")
    cands = find_candidates([t], load_wordlist(tmp_path), use_ner=False)
    assert {(c.text, c.replacement) for c in cands} == {("Big Steve", "[Caretaker]"), ("Stevie", "[Caretaker]"),
                                                         ("Steven Price", "[Caretaker]")}
    (tmp_path / "pseudonyms.yaml").write_text("identifiers:\n  - text: X\n    also: Stevie\n", encoding="utf-8")
    with pytest.raises(CoderError, match="`also`"):
        load_wordlist(tmp_path)


def test_an_entity_takes_the_capitalised_words_of_its_name(monkeypatch):
    """The recogniser tags "Merthyr" of "Merthyr Tydfil" and "UK" of "Age UK": the candidate is the whole name."""
    class Ent:
        def __init__(self, text, word, label):
            self.start_char = text.index(word)
            self.end_char, self.label_, self.text = self.start_char + len(word), label, word

    text = "I grew up in Merthyr Tydfil, and Age UK helped. I told Sandra I would. NHS staff came."
    spans = [("Merthyr", "GPE"), ("UK", "GPE"), ("Sandra", "PERSON"), ("NHS", "ORG")]
    class Nlp:
        def pipe(self, texts, batch_size=None):
            return (type("Doc", (), {"ents": [Ent(t, w, label) for w, label in spans]})() for t in texts)

    nlp = Nlp()
    assert [text[a:b] for a, b, _ in ner.find_entities(text, nlp)] == ["Merthyr Tydfil", "Age UK", "Sandra"]


def test_proper_nouns_are_the_capitalised_words_the_corpus_never_writes_in_lower_case():
    from coder.core.pseudonym.proper import find_proper_nouns, lower_words

    text = ("Gemma Hartley, my neighbour, came. Oh Gemma was there. We met Derek at the local conversation. "
            "Honestly Shazia's there on Tuesday. Halifax is nice, honestly, we met on Zoom. The Local Conversation paid.")
    found = [text[a:b] for a, b, _ in find_proper_nouns(text, lower_words([text]))]
    assert found == ["Gemma Hartley", "Gemma", "Derek", "Shazia", "Halifax", "Zoom"]
    # "Local Conversation" is written in lower case too


def test_a_name_only_ever_said_at_the_start_of_a_sentence_is_a_candidate_and_ordinary_words_are_not():
    from coder.core.pseudonym.proper import find_proper_nouns, lower_words

    text = ("Jayden came round. Honestly, it helped. Slowly I got better. Cheers. Hobbies, I have a hobby. "
            "Managing money is hard. Fly-tipping is bad, we fly kites. Gosh. Brenda's the one. Tiredness. "
            "Because it rained. Rhiannon, my neighbour, and Gareth. Ring me. Thank you.")
    found = [text[a:b] for a, b, _ in find_proper_nouns(text, lower_words([text]))]
    assert found == ["Jayden", "Brenda", "Rhiannon", "Gareth"]


def test_first_names_common_in_the_uk_are_not_taken_for_ordinary_english():
    from coder.core.pseudonym.english import is_ordinary

    names = ("Jayden Brenda Carol Derek Fiona Gareth Maureen Colin Chloe Steve Michael Gemma Emily Kelly Grace Ruby "
             "Precious Jack Lily Holly Sally Tracey Williams Roberts Evans Hughes Rhiannon Siobhan Kwame Agnieszka").split()
    assert [n for n in names if is_ordinary(n, set())] == []
    ordinary = "Honestly Slowly Normally Managing Keeping Fenced Tiredness Cheers Yeah Gosh Because Everyone".split()
    assert [w for w in ordinary if not is_ordinary(w, set())] == []


def test_a_proper_noun_found_once_is_a_candidate_everywhere_and_without_a_model(tmp_path):
    a = _transcript(tmp_path, "---\nparticipant: X-01\n---\nInterviewer: Who?\n\nP: I go with Shazia.\n", "a.txt")
    b = _transcript(tmp_path, "---\nparticipant: X-02\n---\nInterviewer: Who?\n\nQ: Shazia runs it.\n", "b.txt")
    cands = find_candidates([a, b], use_ner=False)
    assert [(c.transcript, c.text, c.kind, c.replacement) for c in cands] == [
        ("a", "Shazia", "proper-noun", "[Name or place 1]"), ("b", "Shazia", "proper-noun", "[Name or place 1]")]


def test_forms_of_a_proper_noun_are_only_its_words_never_in_lower_case(tmp_path):
    a = _transcript(tmp_path, "---\nparticipant: X-01\n---\nInterviewer: Where?\n\nP: I go to Hollins Cross Walking "
                              "Football on a Monday.\n", "a.txt")
    b = _transcript(tmp_path, "---\nparticipant: X-02\n---\nInterviewer: And?\n\nQ: Walking is good, I like walking. "
                              "We meet up in Hollins after.\n", "b.txt")
    texts = [(c.transcript, c.text) for c in find_candidates([a, b], use_ner=False)]
    assert texts == [("a", "Hollins Cross Walking Football"), ("b", "Hollins")]


def test_entities_are_read_once_per_text_and_the_cache_holds_no_words(tmp_path):
    """Finding again (the review screen reopened, `--list` then `--out`) reads only changed transcripts."""
    read: list[str] = []

    class Ent:
        def __init__(self, text):
            self.start_char = text.index("Sandra")
            self.end_char, self.label_, self.text = self.start_char + 6, "PERSON", "Sandra"

    class Nlp:
        meta = {"name": "core_web_sm", "version": "3.8.0"}

        def pipe(self, texts, batch_size=None):
            for t in texts:
                read.append(t)
                yield type("Doc", (), {"ents": [Ent(t)]})()

    texts = ["I told Sandra.", "Sandra came round."]
    first = ner.entities_of(texts, Nlp(), cache=tmp_path)
    again = ner.entities_of([texts[1], "Then Sandra left."], Nlp(), cache=tmp_path)
    assert first == [[(7, 13, "name")], [(0, 6, "name")]] and again == [[(0, 6, "name")], [(5, 11, "name")]]
    assert read == [*texts, "Then Sandra left."]
    assert "Sandra" not in "".join(p.read_text() for p in tmp_path.iterdir())


def test_hard_wrapped_lines_do_not_split_an_identifier(tmp_path):
    """Transcripts are often wrapped at a fixed width: a name, clinic, date or street across a line break
    is one candidate, at the offsets of the original text, and the same identifier as on one line."""
    body = ("---\nparticipant: X-01\n---\nInterviewer: And then?\n\nP: I had my op at Ashworth\nRoad Clinic on "
            "the 22nd of\nFebruary 2020. Then Ashworth Road Clinic\nsent me to St Aidan's Church Hall. Everyone "
            "calls me Ro. Ro from\nback then, e-mail ro.gallagher@example.net, wouldn't.\n")
    t = _transcript(tmp_path, body)
    cands = find_candidates([t], use_ner=False)
    assert [(c.text, c.kind) for c in cands] == [
        ("Ashworth Road Clinic", "facility"), ("the 22nd of February 2020", "date"), ("Ashworth Road Clinic", "facility"),
        ("St Aidan's Church Hall", "facility"), ("Ro", "proper-noun"), ("Ro", "proper-noun"),
        ("ro.gallagher@example.net", "email")]
    assert all(" ".join(t.text[c.start:c.end].split()) == c.text for c in cands)
    assert len({c.replacement for c in cands if c.text == "Ashworth Road Clinic"}) == 1


_PIECES = ["Jayden", "Ro", "Honestly,", "came", "to", "Ashworth", "Road", "Clinic", "the", "3rd", "of", "March",
           "Mrs", "Pemberton", "07700 900461", "said", "Tamsin's", "fine", ".", ",", "\n", "\n", "[laughs]"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=25), min_size=1, max_size=3))
def test_candidates_in_wrapped_text_are_exact_spans_and_replacing_them_keeps_the_rest(tmp_path_factory, turns):
    """Whatever the words and wherever the lines break: each candidate is the text at its offsets (a line break
    read as a space), candidates never overlap, and replacing them all changes nothing else."""
    said = [" ".join(words).replace(" \n ", "\n").strip() or "Yes." for words in turns]
    body = "---\nparticipant: X-01\n---\n" + "".join(
        f"{'Interviewer' if i % 2 else 'P'}: {words}\n\n" for i, words in enumerate(said))
    t = _transcript(tmp_path_factory.mktemp("t"), body)
    cands = find_candidates([t], use_ner=False)
    spans = sorted((c.start, c.end) for c in cands)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for c in cands:
        assert t.text[c.start:c.end].replace("\n", " ") == c.text
    m = Mapping(t.text, [Replacement(c.start, c.end, c.text, "[X]") for c in cands])
    kept, at = [], 0
    for a, b in spans:
        kept.append(t.text[at:a])
        at = b
    kept.append(t.text[at:])
    assert m.text.split("[X]") == kept


def test_a_transcript_written_apart_from_the_rules_keeps_no_identifier(tmp_path):
    """A fictional interview written in the style of a real one, not to fit the rules (hard-wrapped, a
    nickname, a name said only at the start of sentences, a clinic across a line break, a phone number,
    an e-mail, a date): without spaCy, replacing every candidate leaves none of its identifiers."""
    path = tmp_path / "unseen.txt"
    shutil.copy(Path(__file__).parents[2] / "data" / "pseudonym-unseen.txt", path)
    t = load_transcript(path, tmp_path)
    cands = find_candidates([t], use_ner=False)
    left = Mapping(t.text, [Replacement(c.start, c.end, c.text, c.replacement) for c in cands]).text
    identifiers = ["Roisin", "Gallagher", "Ro", "Pennington", "Stalybridge", "Kieran", "Bazza", "Tamsin", "Ashworth",
                   "Okonkwo", "Vale Hub", "07700 900461", "ro.gallagher", "22nd of February", "Aidan", "Ozzy",
                   "Pemberton"]
    assert [i for i in identifiers if re.search(rf"(?<!\w){re.escape(i)}(?!\w)", left)] == []
    assert {c.text for c in cands} <= {*identifiers, "Roisin Gallagher", "Pennington Street", "Dr Okonkwo",
                                       "Mrs Pemberton", "Ashworth Road Clinic", "St Aidan's Church Hall",
                                       "ro.gallagher@example.net", "the 22nd of February 2020",
                                       "Massive"}  # and one ordinary word, said only as a sentence of its own
