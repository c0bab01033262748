"""An answer is read with the interviewer's question before it, in the workbench and in
``coder suggest`` alike; interviewers' own sentences get no suggestions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coder.core.project import Project
from coder.core.suggest.context import question_before, read, read_span
from coder.core.suggest.fake import FakeEncoder
from coder.core.suggestions import participant_turns

ROOT = Path(__file__).resolve().parents[3]

INTERVIEW = """\
---
title: Test interview
fictional: true
participant: P01
interviewers: [Interviewer]
---
**Interviewer:** Thanks for coming. Has the group helped you meet new people?

**Ana:** Yes, definitely.

**Interviewer:** Right. And do you feel more confident these days? Be honest.

**Ana:** No, not really. I wouldn't say friends, no. I'm not nervous any more when I talk to people.
"""

UNLINKED = """\
Interviewer: Has the group helped you meet new people?

Ana: Yes, definitely.
"""


@pytest.fixture
def project(tmp_path) -> Project:
    (tmp_path / "codebooks").mkdir()
    (tmp_path / "transcripts").mkdir()
    shutil.copy(ROOT / "codebooks" / "social-determinants.yaml", tmp_path / "codebooks")
    (tmp_path / "coder.yaml").write_text("name: Reading test\ncodebook: codebooks/social-determinants.yaml\n")
    (tmp_path / "transcripts" / "p01.md").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "transcripts" / "plain.txt").write_text(UNLINKED, encoding="utf-8")
    return Project.open(tmp_path)


def segment(transcript, text):
    return next(s for s in transcript.segments if s.text == text)


def test_an_answer_is_read_with_the_last_question_of_the_interviewer_turn_before(project):
    t = project.transcript("p01")
    assert read(t, segment(t, "Yes, definitely.")).question == "Has the group helped you meet new people?"
    later = read(t, segment(t, "I'm not nervous any more when I talk to people."))
    assert later.question == "And do you feel more confident these days?"  # the question, not "Be honest."
    assert read(t, segment(t, "Right.")).question == ""  # the interviewer's own sentence


def test_without_linked_participants_an_interviewer_label_still_says_who_asks(project):
    t = project.transcript("plain")
    s = segment(t, "Yes, definitely.")
    assert read(t, s).question == "Has the group helped you meet new people?"
    assert participant_turns(t) == {s.turn}  # and the interviewer's question gets no suggestions


def test_when_no_one_is_known_to_interview_no_one_can_tell_who_asks(project):
    (project.root / "transcripts" / "two.txt").write_text(
        "Ben: Has the group helped you meet new people?\n\nAna: Yes, definitely.\n", encoding="utf-8")
    t = project.transcript("two")
    s = segment(t, "Yes, definitely.")
    assert question_before(t, s.turn) == "" and read(t, s).question == ""
    assert participant_turns(t) is None  # everyone's sentences get suggestions


def test_a_denial_is_read_as_such(project):
    t = project.transcript("p01")
    assert read(t, segment(t, "No, not really.")).denied
    assert read(t, segment(t, "I wouldn't say friends, no.")).affirmed == ""
    assert not read(t, segment(t, "I'm not nervous any more when I talk to people.")).denied


def test_a_selection_is_read_sentence_by_sentence(project):
    t = project.transcript("p01")
    first, last = segment(t, "No, not really."), segment(t, "I'm not nervous any more when I talk to people.")
    readings = read_span(t, first.start, last.end)
    assert [r.sentence for r in readings] == ["No, not really.", "I wouldn't say friends, no.", last.text]
    assert {r.question for r in readings} == {"And do you feel more confident these days?"}


@pytest.fixture
def service(project):
    service = project.suggestions
    service.encoder = FakeEncoder()
    service.load()
    return service


def test_interviewer_sentences_get_no_suggestions_unless_asked(service, project):
    t = project.transcript("p01")
    q = segment(t, "Has the group helped you meet new people?")
    assert service.suggest("p01", q.start, q.end) == []
    assert service.suggest("p01", q.start, q.end, all_speakers=True)


def test_the_workbench_and_coder_suggest_read_alike_and_say_so(service, project, tmp_path):
    import csv

    t = project.transcript("p01")
    out = tmp_path / "out.csv"
    service.write(out, ["p01"], top=3, min_band="weak")
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["segment"] for r in rows} <= {s.id for s in t.segments if t.turns[s.turn].participant_id}
    for s in t.segments:
        mine = [r for r in rows if r["segment"] == s.id]
        shown = service.suggest("p01", s.start, s.end, k=3)
        assert [(r["code"], r["band"], r["question"]) for r in mine] == [
            (x.code, x.band, x.reason.question if x.reason else "") for x in shown]
    yes = service.suggest("p01", *(lambda s: (s.start, s.end))(segment(t, "Yes, definitely.")), k=3)
    assert yes and all("answering “Has the group helped you meet new people?”" in str(x.reason) for x in yes)


def test_a_denial_ranks_but_proposes_nothing(service, project):
    t = project.transcript("p01")
    for text in ("No, not really.", "I wouldn't say friends, no."):
        s = segment(t, text)
        ranked = service.suggest("p01", s.start, s.end, k=None)
        assert ranked and all(x.band == "weak" for x in ranked)


def test_the_question_is_blended_into_the_embedding_and_never_cached_as_the_sentence(tmp_path):
    import numpy as np

    from coder.core.suggest.contextual import InContext, reading_encoder

    enc = reading_encoder(FakeEncoder(), tmp_path)
    plain, question = enc.encode(["Yes, definitely.", "Has the group helped you meet new people?"])
    [blended] = enc.encode([InContext("Yes, definitely.", "Has the group helped you meet new people?", 0.5)])
    expected = plain + 0.5 * question
    np.testing.assert_allclose(blended, expected / np.linalg.norm(expected), atol=1e-6)
    np.testing.assert_array_equal(enc.encode(["Yes, definitely."])[0], plain)


def test_a_reading_survives_the_trip_to_the_suggestion_worker(project):
    import pickle

    from coder.core.suggest.contextual import InContext, scored

    t = project.transcript("p01")
    reading = read(t, segment(t, "Yes, definitely."))
    assert pickle.loads(pickle.dumps(reading)) == reading
    text = pickle.loads(pickle.dumps(scored(reading)))
    assert isinstance(text, InContext) and text == "Yes, definitely." and text.question == reading.question
