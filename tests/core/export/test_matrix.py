"""The framework matrix and the quote matrix on the fixture project."""

from __future__ import annotations

from export_fixture import rows_by, tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)

CODES = ["short", "confidence", "networks", "friends", "power"]


def test_framework_matrix_mentions_and_segment_counts(fixture_project):
    table = tables(fixture_project)["matrix"]
    got = {r["participant_id"]: ([r[c] for c in CODES], [r[f"n_{c}"] for c in CODES]) for r in table.records()}
    assert got == {
        "A1": ([1, 1, 1, 1, 1], [2, 2, 1, 1, 2]),
        "A2": ([1, 1, 0, 0, 0], [1, 1, 0, 0, 0]),
        "A3": ([1, 0, 1, 0, 0], [1, 0, 1, 0, 0]),
        "B1": ([1, 0, 1, 1, 0], [2, 0, 2, 1, 0]),
        "B2": ([0, 0, 0, 0, 1], [0, 0, 0, 0, 1]),
    }
    assert [r["participant_id"] for r in table.records()] == ["A1", "A2", "A3", "B1", "B2"]  # interviewed only


def test_framework_matrix_carries_attributes_and_outcomes(fixture_project):
    rows = rows_by(tables(fixture_project)["matrix"], "participant_id")  # row-level: always by id
    b2 = rows[("B2",)]
    assert (b2["transcript_ids"], b2["programme"], b2["role"], b2["q_friends"], b2["q_partner"]) == \
        ("b2", "Local Conversations", "practitioner", "", "Yes")


def cell(table, code, var, value):
    return [(r["quote_rank"], r["participant_id"], r["quote"]) for r in table.records()
            if (r["code_id"], r["group_variable"], r["group_value"]) == (code, var, value)]


def test_quote_matrix_spreads_quotes_across_participants(fixture_project):
    table = tables(fixture_project, ids=True)["quote_matrix"]
    # networks (with friends): B1's 45-character quote is in the preferred 40-400 range;
    # then A1's and A3's quotes, longest first; one quote per participant
    assert cell(table, "networks", "all", "all") == [
        (1, "B1", "I met new people there. Some are friends now."),
        (2, "A1", "I made new friends at the group."),
        (3, "A3", "I know my neighbours now."),
    ]
    # only one Local Conversations participant: their second quote fills the cell
    assert cell(table, "networks", "programme", "Local Conversations") == [
        (1, "B1", "I met new people there. Some are friends now."),
        (2, "B1", "Some are friends now."),
    ]
    assert cell(table, "power", "role", "practitioner") == [(1, "B2", "We are ready to have our own voice.")]
    assert cell(table, "friends", "nation", "Wales") == []


def test_quotes_per_cell_and_wide_quote_matrix(fixture_project):
    built = tables(fixture_project, quotes_per_cell=1, ids=True)
    assert cell(built["quote_matrix"], "networks", "all", "all") == [
        (1, "B1", "I met new people there. Some are friends now.")]
    wide = rows_by(built["quote_matrix_role"], "code_id")
    assert wide[("power",)]["practitioner"] == "\u201cWe are ready to have our own voice.\u201d (B2 (practitioner, Local Conversations, England))"
    assert wide[("power",)]["participant"] == "\u201cWe told the council what we wanted. They listened to us.\u201d (A1 (participant, Active Communities, England))"


def test_report_quote_tables_name_speakers_by_descriptor_unless_ids(fixture_project):
    built = tables(fixture_project, quotes_per_cell=1)
    record = built["quote_matrix"].records()[0]
    assert "participant_id" not in record and "transcript" not in record and "area" not in record
    assert record["descriptor"] in {"participant, Active Communities, England", "participant, Local Conversations, England"}
    wide = rows_by(built["quote_matrix_role"], "code_id")
    assert wide[("power",)]["practitioner"] == \
        "\u201cWe are ready to have our own voice.\u201d (practitioner, Local Conversations, England)"
    assert "B2" not in "".join(str(v) for r in built["joint_display"].rows for v in r)
    assert "participant_id" in built["quotes"].columns  # the analysis file keeps ids
