"""The joint display on the fixture project.

friends (asked of participants, report_by programme, benchmark 50%):
respondents in the whole table are A1 Yes, A2 No, A3 Yes, A4 Yes (not
interviewed), B1 No; B4 left it empty.  So 3/5 overall, 3/4 Active
Communities, 0/1 Local Conversations.  partner (practitioners): B2 Yes, B3 No.
"""

from __future__ import annotations

from export_fixture import rows_by, tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)


def test_outcome_figures_use_the_whole_participant_table(fixture_project):
    rows = rows_by(tables(fixture_project)["joint_display"], "outcome_id", "group_variable", "group_value")
    assert list(rows) == [("friends", "all", "all"), ("friends", "programme", "Active Communities"),
                          ("friends", "programme", "Local Conversations"), ("partner", "all", "all")]
    got = {k: (r["positive"], r["respondents"], r["percent"], r["ci_low"], r["ci_high"], r["display"],
               r["benchmark_percent"], r["difference_pp"]) for k, r in rows.items()}
    assert got[("friends", "all", "all")] == (3, 5, 60.0, 23.1, 88.2, "3/5 (60%)", 50.0, 10.0)
    assert got[("friends", "programme", "Active Communities")][:3] == (3, 4, 75.0)
    # each group row is compared only with its own benchmark: none for Active Communities
    assert got[("friends", "programme", "Active Communities")][-2:] == (None, None)
    assert rows[("friends", "programme", "Active Communities")]["benchmark_note"] == \
        "no benchmark for programme = Active Communities"
    assert got[("friends", "programme", "Local Conversations")][:3] == (0, 1, 0.0)
    assert got[("friends", "programme", "Local Conversations")][-2:] == (50.0, -50.0)
    lc = rows[("friends", "programme", "Local Conversations")]
    assert (lc["benchmark_source"], lc["benchmark_year"], lc["benchmark_note"]) == \
        ("Test Survey, Local Conversations areas", "2021", "for programme = Local Conversations")
    assert rows[("partner", "all", "all")]["benchmark_note"] == "no benchmark for this outcome"
    assert got[("partner", "all", "all")] == (1, 2, 50.0, 9.5, 90.5, "1/2 (50%)", None, None)
    first = rows[("friends", "all", "all")]
    assert (first["benchmark_source"], first["benchmark_year"], first["benchmark_population"]) == \
        ("Test Survey", "2020", "everyone")


def test_linked_themes_count_interviewed_participants_in_the_group(fixture_project):
    rows = rows_by(tables(fixture_project)["joint_display"], "outcome_id", "group_variable", "group_value")
    assert rows[("friends", "all", "all")]["linked_themes"] == \
        "New friends (friends): 2/5; Social networks (networks): 3/5"
    assert rows[("friends", "programme", "Active Communities")]["linked_themes"] == \
        "New friends (friends): 1/3; Social networks (networks): 2/3"
    assert rows[("friends", "programme", "Active Communities")]["interviewed_in_group"] == 3
    assert rows[("partner", "all", "all")]["linked_themes"] == "Community power (power): 2/5"


def quotes(built, outcome, value, view="supporting"):
    return [(r["quote_rank"], r["participant_id"], r["answer_positive"], r["quote"])
            for r in built["joint_display_quotes"].records()
            if (r["outcome_id"], r["group_value"], r["view"]) == (outcome, value, view)]


def test_supporting_quotes_come_only_from_positive_answers_or_those_not_asked(fixture_project):
    built = tables(fixture_project, ids=True)
    # A1 and A3 said Yes; B1 said No: B1's quote is another view, never support
    assert quotes(built, "friends", "all") == [
        (1, "A1", "yes", "I made new friends at the group."),
        (2, "A3", "yes", "I know my neighbours now."),
    ]
    assert quotes(built, "friends", "all", "other view") == [
        (1, "B1", "no", "I met new people there. Some are friends now."), (2, "B1", "no", "Some are friends now.")]
    # B2 (practitioner, Yes) before A1 (not asked), although A1's quote is longer
    assert quotes(built, "partner", "all") == [
        (1, "B2", "yes", "We are ready to have our own voice."),
        (2, "A1", "", "We told the council what we wanted. They listened to us."),
    ]
    row = rows_by(built["joint_display"], "outcome_id", "group_value")[("partner", "all")]
    assert row["quotes"].split("\n\n") == [
        "\u201cWe are ready to have our own voice.\u201d \u2014 B2 (practitioner, Local Conversations, England); answer: Yes",
        "\u201cWe told the council what we wanted. They listened to us.\u201d \u2014 "
        "A1 (participant, Active Communities, England); not asked"]
    friends = rows_by(built["joint_display"], "outcome_id", "group_value")[("friends", "all")]
    assert friends["other_views"].split("\n\n")[0] == ("\u201cI met new people there. Some are friends now.\u201d \u2014 "
                                      "B1 (participant, Local Conversations, England); answer: No")


def test_quote_rows_say_which_linked_theme_and_who(fixture_project):
    records = tables(fixture_project, ids=True)["joint_display_quotes"].records()
    first = next(r for r in records if r["outcome_id"] == "friends")
    assert (first["theme"], first["participant_id"], first["answer"], first["programme"], first["transcript"]) == \
        ("friends", "A1", "Yes", "Active Communities", "a1")
    b2 = next(r for r in records if r["outcome_id"] == "friends" and r["participant_id"] == "A1")
    assert b2["view"] == "supporting"


def test_min_cell_hides_small_outcome_counts_and_what_they_reveal(fixture_project):
    rows = rows_by(tables(fixture_project, min_cell=5)["joint_display"], "outcome_id", "group_value")
    small = rows[("friends", "Active Communities")]
    assert (small["positive"], small["respondents"], small["percent"], small["ci_low"], small["difference_pp"],
            small["display"]) == ("<5", "<5", None, None, None, "<5/<5")
    whole = rows[("friends", "all")]
    # 5 respondents, 3 positive: the 2 who were not would be 5 - 3, so the 5 is hidden too
    assert (whole["positive"], whole["respondents"], whole["percent"]) == ("<5", "suppressed", None)


def test_a_disagreeing_participant_coded_to_a_linked_theme_is_another_view_not_support(tmp_path):
    """One coder codes a participant who answered 'Disagree' to community power, linked to the 59% figure."""
    import re
    import shutil
    from pathlib import Path

    from coder.core.project import Project

    repo = Path(__file__).resolve().parents[3]
    for folder in ("codebooks", "transcripts"):
        shutil.copytree(repo / folder, tmp_path / folder)
    project = Project.open(tmp_path)
    text = project.transcript("ac-wal-p04-interview").text
    found = re.search(r"So\s+no, I don't think people like us\s+can influence decisions\.", text)
    project.apply("solo", "ac-wal-p04-interview", "community-power", found.start(), found.end())
    built = tables(project, coder="solo")
    row = rows_by(built["joint_display"], "outcome_id", "group_variable", "group_value")[
        ("influence_decisions", "all", "all")]
    assert row["display"] == "52/88 (59%)"
    assert "people like us" not in row["quotes"]
    assert "people like us" in row["other_views"]
    assert row["other_views"].endswith("\u2014 participant, Active Communities, Wales; answer: Disagree")
    views = {r["view"] for r in built["joint_display_quotes"].records() if "people like us" in r["quote"]}
    assert views == {"other view"}
