"""Transcripts joined to the participant table: every mismatch is a problem, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core.project import Project

TABLE = "participant_id,programme,nation,role\nP1,Active Communities,Wales,participant\nP2,Local Conversations,England,participant\n"
TURNS = "Interviewer: How did it start?\n\nAna: I went along to the lunch club.\n"

ids = st.sampled_from(["P1", "P2", "P9", "Q 7"])  # two in the table, two not
values = st.sampled_from(["Active Communities", "Local Conversations", "Wales", "England", "participant", "x"])
sidecars = st.fixed_dictionaries(
    {},
    optional={
        "participant": ids,
        "speakers": st.dictionaries(st.sampled_from(["Ana", "Bo"]), ids, max_size=2),
        "programme": values,
        "nation": values,
        "role": values,
    },
)


def write(root: Path, sidecar: dict) -> Project:
    import yaml

    Project.init(root)
    (root / "transcripts" / "participants.csv").write_text(TABLE, encoding="utf-8")
    (root / "transcripts" / "ana.txt").write_text(TURNS, encoding="utf-8")
    sidecar = {"interviewers": ["Interviewer"], **sidecar}
    (root / "transcripts" / "ana.yaml").write_text(yaml.safe_dump(sidecar), encoding="utf-8")
    return Project.open(root)


def test_a_participant_missing_from_the_table_with_attributes_is_reported_not_a_crash(tmp_path):
    project = write(tmp_path / "study", {"participant": "P9", "programme": "Local Conversations", "nation": "Wales"})
    messages = [p.message for p in project.check()]
    assert any("participant 'P9' of transcript 'ana' is not in participants.csv" in m for m in messages)


def test_an_attribute_that_disagrees_with_the_table_names_both_values(tmp_path):
    project = write(tmp_path / "study", {"participant": "P1", "nation": "England"})
    messages = [p.message for p in project.check()]
    assert "nation is 'England' here but 'Wales' for P1 in participants.csv (line 2)" in messages


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sidecar=sidecars)
def test_any_mix_of_ids_and_attributes_gives_problems_never_an_exception(tmp_path_factory, sidecar):
    project = write(tmp_path_factory.mktemp("links") / "study", sidecar)
    messages = [p.message for p in project.check()]  # raises on a crash
    named = {sidecar.get("participant"), *(sidecar.get("speakers") or {}).values()} - {None}
    for pid in named - {"P1", "P2"}:
        assert any(f"participant '{pid}' of transcript 'ana' is not in participants.csv" in m for m in messages)
