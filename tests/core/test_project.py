"""The Project facade: codings placed in the current text, orphans, training data, suggestions."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.suggest.fake import FakeEncoder

TRANSCRIPT = textwrap.dedent("""\
    ---
    participant: P1
    interviewers: [Interviewer]
    ---
    Interviewer: How did it start?

    Ana: I went along to the lunch club. I made new friends there. The bus was late that day.

    Interviewer: And now?

    Ana: Now I run the Tuesday group. I feel braver than I did.
    """)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "study"
    Project.init(root)
    (root / "transcripts" / "ana.md").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "transcripts" / "participants.csv").write_text("participant_id,programme,nation,role,q_example\nP1,A,England,participant,Yes\n")
    return Project.open(root)


def span(project: Project, phrase: str) -> tuple[int, int]:
    text = project.transcript("ana").text
    start = text.index(phrase)
    return start, start + len(phrase)


def test_apply_is_in_the_log_before_it_returns(project):
    coding = project.apply("tester", "ana", "example-theme", *span(project, "I made new friends there."))
    lines = (project.root / "codings" / "tester.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["id"] == coding.id
    assert [c.id for c in project.codings()] == [coding.id]


def test_applying_the_same_code_to_the_same_span_twice_codes_it_once(project):
    first = project.apply("tester", "ana", "example-theme", *span(project, "I made new friends there."))
    again = project.apply("tester", "ana", "example-theme", *span(project, "I made new friends there."))
    assert again.id == first.id
    assert len((project.root / "codings" / "tester.jsonl").read_text().splitlines()) == 1
    other = project.apply("someone-else", "ana", "example-theme", *span(project, "I made new friends there."))
    assert other.id != first.id  # another coder's judgement is their own


def test_unknown_codes_and_spans_outside_the_text_are_refused(project):
    with pytest.raises(CoderError, match="unknown code"):
        project.apply("tester", "ana", "no-such-code", 0, 5)
    with pytest.raises(CoderError, match="outside transcript"):
        project.apply("tester", "ana", "example-theme", 0, 10_000)
    assert project.codings() == []


def test_codings_follow_an_edited_transcript_and_orphans_are_listed(project):
    kept = project.apply("tester", "ana", "example-theme", *span(project, "I feel braver than I did."))
    lost = project.apply("tester", "ana", "example-subtheme", *span(project, "The bus was late that day."))
    path = project.root / "transcripts" / "ana.md"
    path.write_text(TRANSCRIPT.replace("How did it start?", "How did it all start, then?")
                    .replace("The bus was late that day.", "Anyway, it rained."), encoding="utf-8")
    placed = {c.id: c for c in project.codings()}
    text = project.transcript("ana").text
    assert text[placed[kept.id].start: placed[kept.id].end] == "I feel braver than I did."
    assert lost.id not in placed
    orphans = project.orphans()
    assert [o.coding.id for o in orphans] == [lost.id]
    assert any("could not be re-placed" in p.message for p in project.check())
    project.discard_orphan("tester", lost.id)
    assert project.orphans() == []


def test_training_data_counts_sentences_read_past_as_uncoded(project):
    project.apply("tester", "ana", "example-theme", *span(project, "I made new friends there."))
    data = project.suggestions.training_data()
    assert data.positives == [("I made new friends there.", "example-theme", "ana")]
    uncoded = [text for text, _, _ in data.uncoded]
    assert uncoded == ["I went along to the lunch club."]  # read before the coding; not the interviewer's


async def test_suggestions_answer_at_once_before_loading_then_rank_codes(project):
    service = project.suggestions
    assert service.status == "idle"
    assert service.suggest("ana", *span(project, "I feel braver than I did.")) == []
    service.encoder = FakeEncoder()
    service.load()
    assert service.status == "ready"
    ranked = service.suggest("ana", *span(project, "I feel braver than I did."))
    assert ranked and {s.code for s in ranked} <= {"example-theme", "example-subtheme"}
    top = ranked[0]
    coding = project.accept("tester", "ana", *span(project, "I feel braver than I did."), top)
    assert (coding.origin.kind, coding.origin.model, coding.origin.rank) == ("suggestion", top.model, 1)
    project.reject("tester", "ana", *span(project, "I went along to the lunch club."), ranked[-1])
    assert len(project.store.state("tester").rejections) == 1
    service.learn()
    assert project.suggestions.ready


def test_examples_and_definitions_are_written_to_the_codebook_keeping_comments(project):
    project.add_example("example-theme", "  A  quote  worth keeping. ")
    project.set_definition("example-subtheme", "A sharper definition.")
    text = project.config.codebook.read_text(encoding="utf-8")
    assert "# The codebook: edit it by hand" in text
    reopened = Project.open(project.root)
    assert "A quote worth keeping." in reopened.codebook.get("example-theme").examples
    assert reopened.codebook.get("example-subtheme").definition == "A sharper definition."


def test_approximate_re_placements_are_listed_until_confirmed(project):
    coding = project.apply("tester", "ana", "example-theme", *span(project, "Now I run the Tuesday group."))
    path = project.root / "transcripts" / "ana.md"
    path.write_text(TRANSCRIPT.replace("Now I run the Tuesday group.", "Now I run the Tuesday groups."), encoding="utf-8")
    (placed,) = project.to_review()
    assert placed.coding.id == coding.id and placed.anchor.label == "moved (fuzzy)"
    text = project.transcript("ana").text
    assert text[placed.start:placed.end] == "Now I run the Tuesday groups."
    assert any("re-placed after transcript edits but need review" in p.message for p in project.check())
    confirmed = project.replace_orphan("tester", coding.id)
    assert (confirmed.start, confirmed.end) == (placed.start, placed.end)
    assert project.to_review() == [] and project.orphans() == []
