"""How good the suggestions are on a project: decisions by band from the log, and cross-validation per code."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from coder.core.coding import Origin
from coder.core.project import Project
from coder.core.suggest.background import BackgroundJob
from coder.core.suggest.fake import FakeEncoder
from coder.core.suggest.quality import (
    UNRECORDED,
    Quality,
    cross_validate,
    kappa,
    outcomes,
    project_quality,
    saved,
)
from coder.core.suggest.values import Suggestion
from coder.core.suggestions import TrainingData
from tests.core.suggest.test_suggest_worker import write

CODER = "ana"


def suggestion(code: str, band: str, score: float = 0.7, rank: int = 1) -> Suggestion:
    return Suggestion(code, code, score, band, rank, None, "fake-bow-256")


def sentence_spans(project: Project) -> list[tuple[int, int]]:
    t = project.transcript("p01")
    return [(s.start, s.end) for s in t.segments]


def test_accepted_and_rejected_suggestions_are_counted_by_the_band_they_were_shown_in(tmp_path):
    project = Project.open(write(tmp_path / "study"))
    spans = sentence_spans(project)
    decisions = [  # (band, accepted?) on distinct (span, code) pairs
        ("strong", True), ("strong", True), ("strong", True), ("strong", False),
        ("possible", True), ("possible", False), ("possible", False),
        ("weak", False),
    ]
    codes = ["confidence", "skills", "power"]
    pairs = [(span, code) for span in spans for code in codes]
    for (band, accepted), ((start, end), code) in zip(decisions, pairs):
        if accepted:
            project.accept(CODER, "p01", start, end, suggestion(code, band))
        else:
            project.reject(CODER, "p01", start, end, suggestion(code, band))
    # An accept that was undone does not count; a manual coding is not a suggestion.
    (start, end), code = pairs[len(decisions)]
    project.accept(CODER, "p01", start, end, suggestion(code, "weak"))
    project.store.undo(CODER)
    project.apply(CODER, "p01", "power", *spans[-1])

    reopened = Project.open(project.root)  # the bands are in the log, not in memory
    by_band = {b.band: b for b in outcomes(reopened.store.state())}
    assert [b for b in by_band] == ["strong", "possible", "weak"]
    assert (by_band["strong"].accepted, by_band["strong"].rejected, by_band["strong"].precision) == (3, 1, 0.75)
    assert (by_band["possible"].accepted, by_band["possible"].rejected) == (1, 2)
    assert by_band["possible"].precision == 1 / 3
    assert (by_band["weak"].accepted, by_band["weak"].rejected, by_band["weak"].precision) == (0, 1, 0.0)


def test_lines_written_before_bands_were_recorded_still_load_and_count_as_unrecorded(tmp_path):
    project = Project.open(write(tmp_path / "study"))
    (s0, e0), (s1, e1) = sentence_spans(project)[:2]
    text = project.transcript("p01").text
    project.store.apply(CODER, "p01", text, "confidence", s0, e0, origin=Origin("suggestion", "old-model", 0.8, 1))
    project.store.reject(CODER, "p01", s1, e1, "skills", "old-model", 0.4, 2, text=text)
    lines = (project.root / "codings" / f"{CODER}.jsonl").read_text(encoding="utf-8").splitlines()
    assert all("band" not in json.loads(line).get("origin", {}) and "band" not in json.loads(line) for line in lines)

    state = Project.open(project.root).store.state()
    rows = {b.band: b for b in outcomes(state)}
    assert (rows[UNRECORDED].accepted, rows[UNRECORDED].rejected) == (1, 1)
    assert rows["strong"].shown == 0


def _data(n_confidence: int, n_skills: int, n_power: int, n_plain: int) -> TrainingData:
    things = ["speaking up", "meetings", "talking to strangers", "phoning the council", "leading the group",
              "asking questions", "going out alone", "chairing", "trying new things", "saying no", "travelling",
              "presenting", "job interviews", "making calls", "volunteering", "writing letters"]
    skills = ["cook", "use a computer", "write a budget", "sew", "use zoom", "fix a bike", "garden", "paint",
              "bake bread", "knit", "code", "drive", "swim", "fill in forms", "use email", "repair clothes"]
    positives = [(f"I feel much more confident about {x} now", "confidence", f"t{i % 3}")
                 for i, x in enumerate((things * 3)[:n_confidence])]
    positives += [(f"They taught me how to {x} at the centre", "skills", f"t{i % 3}")
                  for i, x in enumerate((skills * 3)[:n_skills])]
    positives += [(f"We persuaded the council about the {x}", "power", "t0") for x in ["park", "bus stop", "bins"][:n_power]]
    plain = ["it rained on Tuesday", "the bus was late", "my sister lives in Leeds", "we had tea",
             "the room was cold", "I came in the afternoon", "it was a long week", "my dog is old"]
    uncoded = [(f"Well, {p} again", "", "t1") for p in (plain * 4)[:n_plain]]
    return TrainingData(positives, [], uncoded)


def test_cross_validation_gives_figures_for_well_coded_codes_and_says_so_for_the_rest(codebook):
    data = _data(n_confidence=16, n_skills=16, n_power=3, n_plain=24)
    result = cross_validate(codebook, data, FakeEncoder(), folds=4, min_positives=8)
    rows = {c.code: c for c in result.codes}
    assert list(rows) == ["confidence", "skills", "networks", "power"]  # codebook order, uncoded codes too
    assert rows["confidence"].positives == 16 and rows["power"].positives == 3
    for code in ("confidence", "skills"):  # clearly worded codes are learnt from the other folds
        assert rows[code].kappa is not None and rows[code].kappa > 0.6, rows[code]
        assert rows[code].f1 > 0.6 and rows[code].verdict == "good"
    for code in ("power", "networks"):
        assert rows[code].kappa is None and rows[code].f1 is None and rows[code].verdict == "too few codings"
    assert result.passages == 16 + 16 + 3 + len({p for p in data.uncoded})
    assert result.folds == 4 and result.mean_kappa is not None


def test_with_too_few_codings_anywhere_there_are_no_figures_only_counts(codebook):
    result = cross_validate(codebook, _data(3, 2, 1, 5), FakeEncoder(), min_positives=8)
    assert result.folds == 0 and "8 coded passages" in result.note
    assert all(c.kappa is None for c in result.codes) and {c.code: c.positives for c in result.codes} == {
        "confidence": 3, "skills": 2, "networks": 0, "power": 1}


def test_a_code_coded_only_through_its_child_is_not_counted_wrong_for_the_parent(codebook):
    # "confidence" is a child of "wellbeing": a passage coded confidence says nothing about wellbeing.
    data = _data(16, 16, 0, 16)
    data = TrainingData(data.positives + [(t, "wellbeing", w) for t, c, w in data.positives[:9] if c == "confidence"],
                        [], data.uncoded)
    result = cross_validate(codebook, data, FakeEncoder(), folds=4, min_positives=8)
    wellbeing = next(c for c in result.codes if c.code == "wellbeing")
    assert wellbeing.positives == 9 and wellbeing.kappa is not None


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_kappa_is_symmetric_bounded_and_one_for_perfect_agreement(pairs):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    k = kappa(a, b)
    assert -1.0 <= k <= 1.0
    assert abs(k - kappa(b, a)) < 1e-12
    if any(a) and not all(a):
        assert kappa(a, a) == 1.0


def test_the_quality_job_runs_in_a_background_process_and_its_result_is_kept(tmp_path):
    project = Project.open(write(tmp_path / "study"))
    for (start, end), code in zip(sentence_spans(project), ["confidence", "skills", "power"]):
        project.apply(CODER, "p01", code, start, end)
    seen: list[tuple[str, int, int]] = []
    job = BackgroundJob("quality", project.root, project.config.cache, FakeEncoder(),
                        on_change=lambda j: seen.append((j.stage, j.done, j.total)))
    result = job.start().wait(120)
    assert job.state == "done" and isinstance(result, Quality)
    assert {c.code: c.positives for c in result.codes}["confidence"] >= 1
    assert saved(project.config.cache) == result  # the panel shows it at once next time
    assert job._proc.returncode == 0


def test_project_quality_without_cross_validation_reads_only_the_log(tmp_path):
    project = Project.open(write(tmp_path / "study"))
    start, end = sentence_spans(project)[1]
    project.accept(CODER, "p01", start, end, suggestion("confidence", "strong"))
    quality = project_quality(project, cross=False)
    assert quality.codes == () and quality.bands[0].band == "strong" and quality.bands[0].accepted == 1


# ------------------------------------------------- the saved result and its key
INTERVIEW = """\
---
participant: P01
interviewers: [Interviewer]
---

Interviewer: How has the group changed things for you?

Ana: I feel much more confident now. I speak up at meetings. I learned how to use a computer.

Interviewer: Did you meet new people?

Ana: No, not really. I learned to cook at the centre. It rained a lot that year.

Interviewer: And the council?

Ana: We persuaded the council to fix the park. I believe in myself more. They taught me to sew.
"""


def _coded(tmp_path) -> Project:
    project = Project.open(write(tmp_path / "study", INTERVIEW))
    text = project.transcript("p01").text
    for words, code in [("I feel much more confident now.", "confidence"), ("I learned how to use a computer.", "skills"),
                        ("I learned to cook at the centre.", "skills"), ("We persuaded the council", "power"),
                        ("I believe in myself more.", "confidence"), ("I speak up at meetings.", "confidence")]:
        start = text.index(words)
        project.apply(CODER, "p01", code, start, start + len(words))
    return project


def test_a_saved_cross_validation_is_reused_until_the_codings_codebook_or_model_change(tmp_path, monkeypatch):
    from coder.core.suggest import quality

    project = _coded(tmp_path)
    runs: list[int] = []
    real = quality.cross_validate
    monkeypatch.setattr(quality, "cross_validate", lambda *a, **k: runs.append(1) or real(*a, **k))
    first = project_quality(project, encoder=FakeEncoder())
    assert runs == [1] and first.key and saved(project.config.cache) == first
    assert quality.current(project, FakeEncoder()) == (first, True)

    again = project_quality(Project.open(project.root), encoder=FakeEncoder())
    assert runs == [1] and again == first  # nothing changed: the saved result, at once
    project_quality(project, encoder=FakeEncoder(), fresh=True)
    assert runs == [1, 1]  # unless asked to recompute

    start, end = sentence_spans(project)[-1]
    project.apply(CODER, "p01", "skills", start, end)  # a new coding: stale
    assert quality.current(project, FakeEncoder())[1] is False
    project_quality(project, encoder=FakeEncoder())
    assert runs == [1, 1, 1]
    assert quality.current(project, FakeEncoder())[1] is True
    assert quality.current(project, FakeEncoder(dim=128))[1] is False  # another model: stale

    book = project.root / "codebooks" / "test.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("Feeling more confident", "Feeling surer"), "utf-8")
    assert quality.current(Project.open(project.root), FakeEncoder())[1] is False  # the codebook changed


def test_an_unreadable_or_keyless_saved_result_is_simply_stale(tmp_path):
    from coder.core.suggest import quality

    project = _coded(tmp_path)
    project.config.cache.mkdir(parents=True, exist_ok=True)
    (project.config.cache / quality.SAVED).write_text("{not json", encoding="utf-8")
    assert quality.current(project, FakeEncoder()) == (None, False)
    (project.config.cache / quality.SAVED).write_text('{"codes": [], "folds": 5}', encoding="utf-8")
    last, fresh = quality.current(project, FakeEncoder())
    assert last is not None and not fresh  # written before results carried their key


def test_cross_validation_scores_a_held_out_passage_exactly_as_the_workbench_shows_it(tmp_path):
    """Whatever a held-out span, the codes cross-validation counts as proposed are the codes
    the workbench shows as possible or strong for that span (question, negation and all)."""
    from coder.core.suggest.context import read_span
    from coder.core.suggest.contextual import score_spans, suggest_readings
    from coder.core.suggestions import trained_suggester, training_data

    project = _coded(tmp_path)
    t = project.transcript("p01")
    s = trained_suggester(project.codebook, FakeEncoder(), None, [seg.text for seg in t.segments],
                          training_data(project))
    segs = t.segments
    spans = [read_span(t, segs[i].start, segs[j].end) for i in range(len(segs)) for j in range(i, min(i + 3, len(segs)))]
    assert any(r.question for span in spans for r in span) and any(r.denied for span in spans for r in span)
    scores = score_spans(s, spans)
    shown = suggest_readings(s, spans, top=None)
    for i, row in enumerate(shown):
        proposed = {c.id for c, yes in zip(scores.codes, scores.decisions[i]) if yes}
        assert proposed == {x.code for x in row if x.band in ("possible", "strong")}, spans[i]


def test_the_project_cross_validation_holds_out_spans_read_with_their_questions(tmp_path):
    from coder.core.suggest.quality import project_passages

    project = _coded(tmp_path)
    passages = {p.text: p for p in project_passages(project)}
    confident = passages["I feel much more confident now."]
    assert confident.codes == {"confidence"} and confident.span is not None
    (reading,) = confident.readings
    assert reading.question == "How has the group changed things for you?"
    assert passages["No, not really."].codes == frozenset() and passages["No, not really."].readings[0].denied
    # a passage overlapping a held-out one is kept out of training with it
    other = next(p for p in passages.values() if p.text.startswith("I speak up"))
    assert not confident.overlaps(other) and confident.overlaps(confident)


def test_figures_from_a_model_fine_tuned_on_the_same_codings_carry_a_caveat():
    tuned = Quality((), folds=5, model="all-MiniLM-L6-v2-ft-2574552d5c1e")
    assert "fine-tuned on these same codings" in tuned.caveat and tuned.to_json()["caveat"] == tuned.caveat
    assert Quality((), folds=5, model="all-MiniLM-L6-v2").caveat == ""
    assert Quality.from_json(tuned.to_json()) == tuned
