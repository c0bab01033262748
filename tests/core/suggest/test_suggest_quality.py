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
