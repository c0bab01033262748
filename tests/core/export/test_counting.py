"""Denominators while coding is under way: only participants whose transcripts are coded count.

The situation: a coder has coded one transcript (a1) of five interviews.  Counting
every interviewed participant would print "1/5 (20%)" for a theme A1 mentions;
the tables count A1 alone until more is coded, and say how many are not yet counted.
"""

from __future__ import annotations

import json

from export_fixture import rows_by, tables, write_project

from coder.core.export import ExportInput, ExportOptions, write_exports
from coder.core.project import Project


def partly_coded(tmp_path) -> Project:
    project = Project.open(write_project(tmp_path))
    text = project.transcript("a1").text
    quote = "We told the council what we wanted."
    project.apply("cat", "a1", "power", text.index(quote), text.index(quote) + len(quote))
    return project


def test_until_anything_is_done_participants_of_coded_transcripts_count(tmp_path):
    project = partly_coded(tmp_path)
    rows = rows_by(tables(project)["theme_by_group"], "code_id", "group_variable", "group_value")
    whole = rows[("power", "all", "all")]
    assert (whole["participants_mentioning"], whole["participants_in_group"], whole["percent"]) == (1, 1, 100.0)
    assert whole["not_yet_counted"] == 4
    england = rows[("power", "nation", "England")]  # A1 counted; B1 and B2 not yet
    assert (england["participants_in_group"], england["not_yet_counted"]) == (1, 2)
    wide = rows_by(tables(project)["theme_by_nation"], "code_id")
    assert wide[("power",)]["England"] == "1/1 (100%)"
    assert wide[("",)]["England"] == 2 and wide[("",)]["all"] == 4  # the not-yet-counted row


def test_once_a_transcript_is_done_only_done_transcripts_count(tmp_path):
    project = partly_coded(tmp_path)
    assert project.mark_done("cat", "a1") is True
    assert project.mark_done("cat", "a1") is False  # already so
    assert project.mark_done("cat", "b1") is True  # done, even with nothing to code in it
    rows = rows_by(tables(project)["theme_by_group"], "code_id", "group_variable", "group_value")
    whole = rows[("power", "all", "all")]
    assert (whole["participants_mentioning"], whole["participants_in_group"], whole["not_yet_counted"]) == (1, 2, 3)
    assert rows[("power", "programme", "Local Conversations")]["participants_in_group"] == 1  # B1, not B2
    project.mark_done("cat", "b1", done=False)
    rows = rows_by(tables(project)["theme_by_group"], "code_id", "group_variable", "group_value")
    assert rows[("power", "all", "all")]["participants_in_group"] == 1


def test_a_focus_group_participant_counts_when_all_their_transcripts_are_done(tmp_path):
    project = partly_coded(tmp_path)
    project.mark_done("cat", "a1")
    ix_counted = {r["participant_id"]: r["counted"] for r in tables(project)["matrix"].records()}
    assert ix_counted == {"A1": "yes", "A2": "no", "A3": "no", "B1": "no", "B2": "no"}
    project.mark_done("cat", "fg")
    ix_counted = {r["participant_id"]: r["counted"] for r in tables(project)["matrix"].records()}
    assert ix_counted["A2"] == ix_counted["A3"] == "yes"


def test_only_the_reported_coders_done_marks_count(tmp_path):
    project = partly_coded(tmp_path)
    text = project.transcript("b2").text
    quote = "We are ready to have our own voice."
    project.apply("dan", "b2", "power", text.index(quote), text.index(quote) + len(quote))
    project.mark_done("dan", "b2")
    cat = rows_by(tables(project, coder="cat")["theme_by_group"], "code_id", "group_variable", "group_value")
    assert cat[("power", "all", "all")]["participants_in_group"] == 1  # cat marked nothing: started mode, A1
    merged = rows_by(tables(project)["theme_by_group"], "code_id", "group_variable", "group_value")
    assert merged[("power", "all", "all")]["participants_in_group"] == 1  # dan's b2 done: B2 only
    assert merged[("power", "all", "all")]["participants_mentioning"] == 1


def test_the_manifest_states_the_counting_rule(tmp_path):
    project = partly_coded(tmp_path)
    out = tmp_path / "out"
    write_exports(ExportInput.from_project(project), out, ExportOptions())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counting"]["mode"] == "started"
    assert manifest["counting"]["transcripts_not_done"] == ["b1", "b2", "fg"]
    assert "not yet counted" in manifest["rules"]["counting"]
    project.mark_done("cat", "a1")
    write_exports(ExportInput.from_project(project), out, ExportOptions())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counting"] == {"mode": "done", "participants_counted": 1,
                                    "transcripts_not_done": ["b1", "b2", "fg"]}
