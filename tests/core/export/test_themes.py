"""Theme tables against counts worked out by hand from ``export_fixture``.

Segments and participants per code (codings merged over both coders; coding 9
is interviewer text and coding 10 codes A1's friends sentence as confidence):

    confidence  A1 (2 sentences), A2 (1)            + 1 interviewer sentence
    networks    A1 (1, via friends), A3 (1), B1 (2)
    friends     A1 (1), B1 (1)
    short       A1 (2), A2 (1), A3 (1), B1 (2)      distinct, not summed: 6
    power       A1 (2), B2 (1)

Interviewed: A1 A2 A3 (Active Communities), B1 B2 (Local Conversations).
"""

from __future__ import annotations

from export_fixture import rows_by, tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)

# code -> group -> (segments, participants mentioning, participants in group, percent)
EXPECTED = {
    "short": {("all", "all"): (6, 4, 5, 80.0),
              ("programme", "Active Communities"): (4, 3, 3, 100.0),
              ("programme", "Local Conversations"): (2, 1, 2, 50.0),
              ("nation", "England"): (4, 2, 3, 66.7), ("nation", "Wales"): (2, 2, 2, 100.0),
              ("role", "participant"): (6, 4, 4, 100.0), ("role", "practitioner"): (0, 0, 1, 0.0)},
    "confidence": {("all", "all"): (3, 2, 5, 40.0),
                   ("programme", "Active Communities"): (3, 2, 3, 66.7),
                   ("programme", "Local Conversations"): (0, 0, 2, 0.0),
                   ("nation", "England"): (2, 1, 3, 33.3), ("nation", "Wales"): (1, 1, 2, 50.0),
                   ("role", "participant"): (3, 2, 4, 50.0), ("role", "practitioner"): (0, 0, 1, 0.0)},
    "networks": {("all", "all"): (4, 3, 5, 60.0),
                 ("programme", "Active Communities"): (2, 2, 3, 66.7),
                 ("programme", "Local Conversations"): (2, 1, 2, 50.0),
                 ("nation", "England"): (3, 2, 3, 66.7), ("nation", "Wales"): (1, 1, 2, 50.0),
                 ("role", "participant"): (4, 3, 4, 75.0), ("role", "practitioner"): (0, 0, 1, 0.0)},
    "friends": {("all", "all"): (2, 2, 5, 40.0),
                ("programme", "Active Communities"): (1, 1, 3, 33.3),
                ("programme", "Local Conversations"): (1, 1, 2, 50.0),
                ("nation", "England"): (2, 2, 3, 66.7), ("nation", "Wales"): (0, 0, 2, 0.0),
                ("role", "participant"): (2, 2, 4, 50.0), ("role", "practitioner"): (0, 0, 1, 0.0)},
    "power": {("all", "all"): (3, 2, 5, 40.0),
              ("programme", "Active Communities"): (2, 1, 3, 33.3),
              ("programme", "Local Conversations"): (1, 1, 2, 50.0),
              ("nation", "England"): (3, 2, 3, 66.7), ("nation", "Wales"): (0, 0, 2, 0.0),
              ("role", "participant"): (2, 1, 4, 25.0), ("role", "practitioner"): (1, 1, 1, 100.0)},
}


def test_theme_by_group_counts_participants_and_segments(fixture_project):
    table = tables(fixture_project)["theme_by_group"]
    got = {(r["code_id"], r["group_variable"], r["group_value"]):
           (r["segments"], r["participants_mentioning"], r["participants_in_group"], r["percent"])
           for r in table.records()}
    expected = {(code, var, val): v for code, groups in EXPECTED.items() for (var, val), v in groups.items()}
    assert got == expected
    # codebook order, the whole sample first, then programme, nation, role
    assert [r[0] for r in table.rows[:8]] == ["short"] * 7 + ["confidence"]
    assert [r[4] for r in table.rows[:7]] == ["all", "programme", "programme", "nation", "nation", "role", "role"]


def test_the_denominator_is_stated_on_every_row(fixture_project):
    rows = rows_by(tables(fixture_project)["theme_by_group"], "code_id", "group_variable", "group_value")
    assert rows[("power", "all", "all")]["denominator"] == "all interviewed participants whose transcripts are coded"
    assert rows[("power", "role", "practitioner")]["denominator"] == "interviewed participants with role = practitioner whose transcripts are coded"


def test_parents_roll_up_distinct_participants_not_sums(fixture_project):
    rows = rows_by(tables(fixture_project)["theme_by_group"], "code_id", "group_variable", "group_value")
    children = rows[("confidence", "all", "all")]["participants_mentioning"] + \
        rows[("networks", "all", "all")]["participants_mentioning"]
    assert children == 5 and rows[("short", "all", "all")]["participants_mentioning"] == 4


def test_wide_crosstab_per_group_variable(fixture_project):
    built = tables(fixture_project)
    assert {"theme_by_programme", "theme_by_nation", "theme_by_role"} <= set(built)
    wide = rows_by(built["theme_by_programme"], "code_id")
    assert list(built["theme_by_programme"].columns)[-3:] == ["all", "Active Communities", "Local Conversations"]
    assert wide[("short",)]["all"] == "4/5 (80%)"
    assert wide[("short",)]["Active Communities"] == "3/3 (100%)"
    assert wide[("confidence",)]["Active Communities"] == "2/3 (67%)"
    assert wide[("confidence",)]["Local Conversations"] == "0/2 (0%)"
    assert wide[("power",)]["Local Conversations"] == "1/2 (50%)"


def test_one_coder_only(fixture_project):
    rows = rows_by(tables(fixture_project, coder="ben")["theme_by_group"], "code_id", "group_variable", "group_value")
    # ben coded A3's neighbours sentence (networks) and A1's friends sentence (confidence)
    assert rows[("networks", "all", "all")]["participants_mentioning"] == 1
    assert rows[("confidence", "all", "all")]["segments"] == 1
    assert rows[("power", "all", "all")]["participants_mentioning"] == 0


def test_group_by_and_codes_options(fixture_project):
    built = tables(fixture_project, group_by=("role",), codes=("networks",))
    table = built["theme_by_group"]
    assert {r["code_id"] for r in table.records()} == {"networks", "friends"}
    assert {r["group_variable"] for r in table.records()} == {"all", "role"}
    assert "theme_by_programme" not in built and "theme_by_role" in built
    assert {r["code_id"] for r in built["quotes"].records()} == {"networks", "friends"}


def test_min_cell_suppresses_small_participant_counts(fixture_project):
    rows = rows_by(tables(fixture_project, min_cell=3)["theme_by_group"], "code_id", "group_variable", "group_value")
    ac = rows[("confidence", "programme", "Active Communities")]
    # 2 of 3 mention it: small; and AC's 3 would give away LC's 2 as 5 - 3, so it is hidden too
    assert (ac["participants_mentioning"], ac["participants_in_group"], ac["percent"]) == ("<3", "suppressed", None)
    assert ac["segments"] is None  # a segment count can tell how many people spoke them
    lc = rows[("confidence", "programme", "Local Conversations")]
    assert (lc["participants_mentioning"], lc["participants_in_group"], lc["percent"]) == (0, "<3", None)
    whole = rows[("short", "all", "all")]
    # 4 of 5 mention it: the 1 who does not would be 5 - 4, so one of the two is hidden
    assert "suppressed" in (whole["participants_mentioning"], whole["participants_in_group"])
    wide = rows_by(tables(fixture_project, min_cell=3)["theme_by_programme"], "code_id")
    assert wide[("confidence",)]["Active Communities"] == "<3/suppressed"


def test_theme_by_outcome_splits_respondents_by_answer(fixture_project):
    # friends (asked of participants): interviewed positive A1 A3, other A2 B1
    rows = rows_by(tables(fixture_project)["theme_by_outcome"], "outcome_id", "code_id")
    got = {code: (r["linked"], r["positive_n"], r["positive_mentioning"], r["positive_percent"],
                  r["other_n"], r["other_mentioning"], r["other_percent"], r["difference_pp"])
           for (oid, code), r in rows.items() if oid == "friends"}
    assert got == {
        "short": ("no", 2, 2, 100.0, 2, 2, 100.0, 0.0),
        "confidence": ("no", 2, 1, 50.0, 2, 1, 50.0, 0.0),
        "networks": ("yes", 2, 2, 100.0, 2, 1, 50.0, 50.0),
        "friends": ("yes", 2, 1, 50.0, 2, 1, 50.0, 0.0),
        "power": ("no", 2, 1, 50.0, 2, 0, 0.0, 50.0),
    }
    # partner (asked of practitioners): only B2 (Yes) was interviewed; nobody to compare with
    power = rows[("partner", "power")]
    assert (power["positive_n"], power["positive_mentioning"], power["other_n"], power["other_percent"],
            power["difference_pp"]) == (1, 1, 0, None, None)
