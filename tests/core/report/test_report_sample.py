"""The sample project's report: the study's three key findings, its themes' quotes, the "own voice" quote."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import report_of, text_of

from coder.core.project import Project
from coder.core.report.html import render_html

REPO = Path(__file__).resolve().parents[3]
OWN_VOICE = "Now [project participants] are poised to have their own voice"


@pytest.fixture(scope="module")
def sample():
    return report_of(Project.open(REPO))


def test_the_studys_key_findings_are_printed_as_the_report_said_them(sample):
    sentences = {f.id: f.sentence for f in sample.findings}
    assert sentences["influence_decisions"] == (
        "59% agreed they can influence decisions affecting their local area (52 of 88 respondents), compared with "
        "22% for people living in areas experiencing similar levels of disadvantage (most deprived decile; "
        "Community Life Survey, 2020/21).")
    breakdowns = {f.id: f.breakdown for f in sample.findings}
    assert "Active Communities 41/45 (91%); Local Conversations 37/43 (86%)" in breakdowns["new_friends"]
    assert "Active Communities 23/35 (66%); Local Conversations 18/21 (86%)" in breakdowns["new_partnerships"]


def test_the_own_voice_quote_is_evidence_for_influence_over_local_decisions(sample):
    section = next(s for s in sample.themes if s.id == "influence-decisions")
    own = [q for q in section.quotes if OWN_VOICE in q.text]
    assert [q.descriptor for q in own] == ["practitioner, Local Conversations, England"]
    influence = next(f for f in sample.findings if f.id == "influence_decisions")
    assert [(q.descriptor, q.label) for q in influence.supporting if OWN_VOICE in q.text] == [
        ("practitioner, Local Conversations, England", "not asked")]
    assert len({(q.text, q.descriptor) for q in influence.supporting}) == len(influence.supporting)


def test_speakers_are_described_never_named(sample):
    import re

    page = text_of(render_html(sample))
    project = Project.open(REPO)
    for pid in project.participants.ids:
        assert pid not in page
    speakers = {turn.speaker for t in project.transcripts() for turn in t.turns}
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions and "Sandra" in speakers  # the practitioner who said "own voice"
    for caption in captions:
        assert not any(re.search(rf"\b{re.escape(name)}\b", caption) for name in speakers), caption
    assert all(s.quotes for s in sample.themes if s.level > 1), "every sub-theme has its quotes"


def test_with_min_cell_a_hidden_theme_figure_is_never_drawn():
    from report_helpers import charts_of

    report = report_of(Project.open(REPO), min_cell=5)
    percents = [p for _, ps in report.theme_chart.series for p in ps]
    assert None in percents and any(p is not None for p in percents)  # All: 10 counted; the programmes' hidden
    svg = charts_of(render_html(report))[-1]
    assert svg.count("not shown") == percents.count(None)
    for name, values in report.theme_chart.series:  # each drawn bar is labelled "p% <group>"
        assert svg.count(f"% {name}<") == sum(p is not None for p in values)
