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


def own_voice_paragraph(inp: ExportInput) -> tuple[int, int]:
    text = inp.transcripts["lc-eng-pr03-interview"].text
    start = text.index(OWN_VOICE_START)
    end = text.find("\n\n", start)
    return start, end if end != -1 else len(text.rstrip())


def test_own_voice_quote_supports_the_influence_outcome(sample_input):
    start, end = own_voice_paragraph(sample_input)
    text = sample_input.transcripts["lc-eng-pr03-interview"].text
    coding = Coding(id="own-voice", coder="tester", transcript="lc-eng-pr03-interview", code="influence-decisions",
                    start=start, end=end, quote=text[start:end], prefix=text[max(0, start - 32):start],
                    suffix=text[end:end + 32], text_hash=content_hash(text), origin=Origin(),
                    time="2021-08-01T00:00:00Z")
    # room for one quote from every interviewee, so other codings in the sample cannot crowd it out
    room = len({t.participant_id for tr in sample_input.transcripts.values() for t in tr.turns}) + 1
    rows, quotes = joint(replace(sample_input, codings=[*sample_input.codings, coding]), quotes_per_cell=room)
    supporting = [q for q in quotes if q["outcome_id"] == "influence_decisions" and q["coding_id"] == "own-voice"]
    assert supporting, "the coded paragraph is not among the influence outcome's supporting quotes"
    assert supporting[0]["participant_id"] == "LC-ENG-PR03"
    assert supporting[0]["role"] == "practitioner" and supporting[0]["programme"] == "Local Conversations"
    assert "own voice" in supporting[0]["quote"]
    assert "LC-ENG-PR03" in rows[("influence_decisions", "all")]["quotes"]
