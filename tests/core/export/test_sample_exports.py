"""The sample project's joint display reproduces the seed study's figures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coder.core.coding import Coding, Origin
from coder.core.export import ExportInput, ExportOptions, build_tables
from coder.core.project import Project
from coder.core.transcript import content_hash

REPO = Path(__file__).resolve().parents[3]
OWN_VOICE_START = "[Now] we are ready to"


@pytest.fixture(scope="module")
def sample_input() -> ExportInput:
    return ExportInput.from_project(Project.open(REPO))


def joint(inp: ExportInput, quotes_per_cell: int = 3):
    built = {t.name: t for t in build_tables(inp, ExportOptions(quotes_per_cell=quotes_per_cell))}
    rows = {(r["outcome_id"], r["group_value"]): r for r in built["joint_display"].records()}
    return rows, built["joint_display_quotes"].records()


def test_seed_figures(sample_input):
    rows, _ = joint(sample_input)
    assert rows[("new_friends", "Active Communities")]["display"] == "41/45 (91%)"
    assert rows[("new_friends", "Local Conversations")]["display"] == "37/43 (86%)"
    assert rows[("new_partnerships", "Local Conversations")]["display"] == "18/21 (86%)"
    assert rows[("new_partnerships", "Active Communities")]["display"] == "23/35 (66%)"
    influence = rows[("influence_decisions", "all")]
    assert influence["display"] == "52/88 (59%)"
    assert (influence["benchmark_percent"], influence["benchmark_source"]) == (22.0, "Community Life Survey")
    assert influence["difference_pp"] == 37.1  # 59.09% - 22%
    assert influence["ci_low"] < 59.1 < influence["ci_high"]


def test_a_fresh_export_of_the_sample_shows_the_own_voice_quote_for_influence(tmp_path):
    """From the sample project as shipped (its coding logs included), with default options."""
    import csv

    from coder.core.export import export_project

    export_project(Project.open(REPO), tmp_path)
    with open(tmp_path / "joint_display.csv", encoding="utf-8", newline="") as fh:
        rows = {(r["outcome_id"], r["group_value"]): r for r in csv.DictReader(fh)}
    assert rows[("influence_decisions", "all")]["display"] == "52/88 (59%)"
    assert rows[("influence_decisions", "all")]["benchmark_percent"] == "22.0"
    with open(tmp_path / "joint_display_quotes.csv", encoding="utf-8", newline="") as fh:
        quotes = [q for q in csv.DictReader(fh) if q["outcome_id"] == "influence_decisions"]
    own_voice = [q for q in quotes if q["quote"].startswith(OWN_VOICE_START)]
    assert own_voice, [q["quote"][:40] for q in quotes]
    q = own_voice[0]
    assert (q["descriptor"], q["view"], q["answer"]) == ("practitioner, Local Conversations, England", "supporting",
                                                         "not asked")
    assert "participant_id" not in q and "transcript" not in q  # ids only with --ids
    assert q["quote"].startswith(OWN_VOICE_START + " [influence organisations with the power to support change locally]. ")
    assert q["quote"].endswith("Now [project participants] are poised to have their own voice: \u2018this is our lived experience; this is how we want to work with you and achieve this.")


def test_the_sample_compares_each_nation_with_its_own_illustrative_benchmark(sample_input):
    rows, _ = joint(sample_input)
    wales = rows[("influence_decisions", "Wales")]
    assert (wales["benchmark_percent"], wales["benchmark_source"].split(" (")[0]) == (19.0, "National Survey for Wales")
    assert "ILLUSTRATIVE" in wales["benchmark_source"]
    assert wales["difference_pp"] == round(100 * 14 / 25 - 19, 1)
    scotland = rows[("influence_decisions", "Scotland")]
    assert scotland["benchmark_source"].startswith("Scottish Household Survey")
    assert rows[("influence_decisions", "England")]["benchmark_source"].startswith("Community Life Survey")
    ac = rows[("influence_decisions", "Active Communities")]
    assert (ac["benchmark_percent"], ac["benchmark_note"]) == (None, "no benchmark for programme = Active Communities")
