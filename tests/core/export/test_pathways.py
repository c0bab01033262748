"""Pathways between linked themes on the fixture project.

The fixture codebook gains ``leads_to: [power]`` on networks.  Networks (rolled
up with friends) is mentioned by A1, A3 and B1; power by A1 and B2; both by A1
alone.  A1's friends sentence is sentence 1 of the transcript and A1's power
passage covers sentences 3-4 (an interviewer turn lies between): 2 sentences apart.
"""

from __future__ import annotations

import pytest
from export_fixture import CODEBOOK, apply_codings, rows_by, tables, write_project

from coder.core.project import Project


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Project:
    root = write_project(tmp_path_factory.mktemp("linked"))
    book = root / "codebooks" / "fixture.yaml"
    book.write_text(CODEBOOK.replace("        name: Social networks\n",
                                     "        name: Social networks\n        leads_to: [power]\n"), encoding="utf-8")
    project = Project.open(root)
    assert [p for p in project.check() if "leads_to" in p.message] == []
    apply_codings(project)
    return project


def test_a_link_reports_who_mentions_the_first_the_second_and_both(linked):
    row = rows_by(tables(linked)["pathways"], "from_code", "to_code")[("networks", "power")]
    assert (row["participants_from"], row["participants_to"], row["participants_both"],
            row["share_of_from_percent"], row["participants_counted"]) == (3, 2, 1, 33.3, 5)
    assert "does not show that one change led to the other" in row["caveat"]


@pytest.mark.parametrize("window, close", [(2, 1), (1, 0), (0, 0)])
def test_close_together_means_the_same_turn_or_within_n_sentences(linked, window, close):
    built = tables(linked, pathway_window=window, ids=True)
    row = rows_by(built["pathways"], "from_code", "to_code")[("networks", "power")]
    assert (row["participants_close"], row["close_places"]) == (close, close)
    quotes = built["pathways_quotes"].records()
    if close:
        assert [(q["from_quote"], q["to_quote"], q["sentences_apart"], q["same_turn"], q["participant_id"])
                for q in quotes] == [("I made new friends at the group.",
                                      "We told the council what we wanted. They listened to us.", 2, "no", "A1")]
        assert row["quotes"].endswith("\u2014 A1 (participant, Active Communities, England)")
    else:
        assert quotes == [] and row["quotes"] == ""


def test_leads_to_an_unknown_code_is_reported_with_its_line(tmp_path):
    root = write_project(tmp_path)
    book = root / "codebooks" / "fixture.yaml"
    book.write_text(CODEBOOK.replace("        name: Social networks\n",
                                     "        name: Social networks\n        leads_to: [nowhere]\n"), encoding="utf-8")
    problems = [p for p in Project.open(root).check() if "leads_to" in p.message]
    assert [p.message for p in problems] == ["code 'networks' leads_to unknown code 'nowhere'"]
    assert problems[0].line == CODEBOOK.splitlines().index("      - id: networks") + 1


def test_the_sample_declares_the_study_pathways(repo):
    from coder.core.export import ExportInput, ExportOptions, build_tables

    built = {t.name: t for t in build_tables(ExportInput.from_project(Project.open(repo)), ExportOptions())}
    links = {(r["from_code"], r["to_code"]) for r in built["pathways"].records()}
    assert {("social-networks", "community-power"), ("social-networks", "collective-action")} <= links
