"""Code co-occurrence on the fixture project."""

from __future__ import annotations

from export_fixture import rows_by, tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)


def test_cooccurrence_by_overlap_segment_and_participant(fixture_project):
    table = tables(fixture_project)["cooccurrence"]
    rows = rows_by(table, "code_a", "code_b")
    got = {k: (r["overlapping_codings"], r["segments"], r["participants"], r["participants_interviewed"], r["percent"])
           for k, r in rows.items()}
    # ben's confidence coding lies on ann's friends coding (A1); power and the
    # short-term themes meet only in A1's interview as a whole
    assert got == {
        ("short", "power"): (0, 0, 1, 5, 20.0),
        ("confidence", "networks"): (1, 1, 1, 5, 20.0),
        ("confidence", "friends"): (1, 1, 1, 5, 20.0),
        ("confidence", "power"): (0, 0, 1, 5, 20.0),
        ("networks", "power"): (0, 0, 1, 5, 20.0),
        ("friends", "power"): (0, 0, 1, 5, 20.0),
    }


def test_a_code_and_its_own_ancestor_are_not_a_pair(fixture_project):
    pairs = set(rows_by(tables(fixture_project)["cooccurrence"], "code_a", "code_b"))
    assert ("networks", "friends") not in pairs and ("short", "confidence") not in pairs
