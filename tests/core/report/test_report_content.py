"""The report's content on the fixture project: figures, sentences, quotes, descriptors, method notes."""

from __future__ import annotations

from export_fixture import tables
from report_helpers import report_of

from coder.core.report.html import render_html


def test_key_finding_is_the_joint_display_row_with_its_benchmark_sentence(fixture_project):
    report = report_of(fixture_project)
    friends = next(f for f in report.findings if f.id == "friends")
    # participants asked: A1 Yes, A2 No, A3 Yes, A4 Yes, B1 No (B4 gave no answer) -> 3/5
    assert friends.sentence == ("60% answered Yes to \u201cHave you made new friends?\u201d (3 of 5 respondents), "
                                "compared with 50% for everyone (Test Survey, 2020).")
    assert [(b.label, b.display, b.benchmark) for b in friends.bars] == [
        ("All respondents", "3/5 (60%)", 50.0), ("Active Communities", "3/4 (75%)", None),
        ("Local Conversations", "0/1 (0%)", 50.0)]
    joint = {(r["outcome_id"], r["group_value"]): r for r in tables(fixture_project)["joint_display"].records()}
    for b, key in zip(friends.bars, ["all", "Active Communities", "Local Conversations"]):
        row = joint[("friends", key)]
        assert (b.percent, b.low, b.high) == (row["percent"], row["ci_low"], row["ci_high"])
    assert friends.breakdown == "By programme: Active Communities 3/4 (75%); Local Conversations 0/1 (0%)."
    assert [(r.group, r.display, r.benchmark, r.difference) for r in friends.rows] == [
        ("All respondents", "3/5 (60%)", "50% (Test Survey, 2020)", "+10 points"),
        ("programme: Active Communities", "3/4 (75%)", "no benchmark for programme = Active Communities", ""),
        ("programme: Local Conversations", "0/1 (0%)", "50% (Test Survey, Local Conversations areas, 2021)",
         "-50 points")]


def test_a_finding_phrase_in_the_outcomes_file_makes_the_sentence(tmp_path):
    from export_fixture import OUTCOMES, coded_project, write_project  # noqa: F401

    project = coded_project(tmp_path)
    path = project.config.root / "transcripts" / "outcomes.yaml"
    path.write_text(OUTCOMES.replace("    wording: Have you made new friends?\n",
                                     "    wording: Have you made new friends?\n    finding: said they made new friends\n"),
                    encoding="utf-8")
    from coder.core.project import Project

    report = report_of(Project.open(project.config.root))
    assert report.findings[0].sentence.startswith("60% said they made new friends (3 of 5 respondents), compared with 50%")


def test_quotes_carry_a_descriptor_and_the_answer_never_a_name(fixture_project):
    report = report_of(fixture_project)
    partner = next(f for f in report.findings if f.id == "partner")
    assert [(q.text, q.descriptor, q.label) for q in partner.supporting] == [
        ("We are ready to have our own voice.", "practitioner, Local Conversations, England", "answer: Yes"),
        ("We told the council what we wanted. They listened to us.", "participant, Active Communities, England",
         "not asked")]
    power = next(s for s in report.themes if s.id == "power")
    assert ("We are ready to have our own voice.", "practitioner, Local Conversations, England") in [
        (q.text, q.descriptor) for q in power.quotes]


def test_other_views_are_labelled_and_never_support(fixture_project):
    friends = next(f for f in report_of(fixture_project).findings if f.id == "friends")
    assert friends.other_views, "B1 answered No and is coded to a linked theme"
    assert all(q.label in ("answer: No", "asked, no answer") for q in friends.other_views)
    assert all(q.label in ("answer: Yes", "not asked") for q in friends.supporting)


def test_each_theme_says_how_many_mention_it(fixture_project):
    report = report_of(fixture_project)
    crosstab = {r["code_id"]: r["all"] for r in tables(fixture_project)["theme_by_programme"].records()}
    assert [(s.id, s.share) for s in report.themes] == [(cid, crosstab[cid]) for cid in
                                                        ["short", "confidence", "networks", "friends", "power"]]


def test_theme_tables_state_denominators_and_keep_the_hierarchy(fixture_project):
    report = report_of(fixture_project)
    by_programme = next(t for t in report.theme_tables if t.variable == "programme")
    crosstab = tables(fixture_project)["theme_by_programme"]
    assert by_programme.headers[0].startswith("All (N=")
    assert [(lvl, name) for lvl, name, _ in by_programme.rows] == [
        (1, "Short-term"), (2, "Confidence"), (2, "Social networks"), (3, "New friends"), (1, "Community power")]
    assert [list(cells) for _, _, cells in by_programme.rows] == [[str(c) for c in r[4:]] for r in crosstab.rows[:-1]]


def test_method_notes_come_from_the_manifest(fixture_project):
    notes = {n.heading: n.text for n in report_of(fixture_project, min_cell=3).method}
    assert "Wilson score interval, 95%" in notes["Questionnaire figures"]
    assert "'<3'" in notes["Small numbers"]
    assert "never a sum" in notes["Themes and sub-themes"]
    assert "ann, ben" in notes["Data"]


def test_user_text_is_escaped(tmp_path):
    from export_fixture import coded_project

    project = coded_project(tmp_path)
    book = project.config.root / "codebooks" / "fixture.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("name: Community power",
                                                             'name: "Community <b>power</b> & <script>x</script>"'),
                    encoding="utf-8")
    from coder.core.project import Project

    html = render_html(report_of(Project.open(project.config.root)))
    assert "Community &lt;b&gt;power&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script" not in html and "<b>power" not in html
