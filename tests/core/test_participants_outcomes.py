"""The participant table and the outcomes definition: loading and file:line problems."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.outcomes import check_answers, load_outcomes
from coder.core.participants import load_participants


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


OUTCOMES = """\
outcomes:
  - id: friends
    column: q_friends
    wording: Have you made new friends?
    answers: ["Yes", "No"]
    positive: ["Yes"]
    asked_of: {role: participant}
    report_by: programme
    themes: [new-friends]
  - id: influence
    column: q_influence
    wording: I can influence decisions affecting my local area.
    answers: [Strongly agree, Agree, Disagree]
    positive: [Strongly agree, Agree]
    benchmark: {value: 22, source: Community Life Survey, year: 2020/21, population: most deprived areas}
"""


def test_table_loads_rows_with_their_lines(tmp_path):
    table, problems = load_participants(write(tmp_path, "p.csv", "participant_id,role,q_friends\nA,participant,Yes\n\nB,practitioner,\n"))
    assert problems == []
    assert table.ids == ["A", "B"]
    assert table.get("B") == {"participant_id": "B", "role": "practitioner", "q_friends": ""}
    assert table.lines == {"A": 2, "B": 4}


def test_duplicate_ids_and_ragged_rows_are_reported(tmp_path):
    _, problems = load_participants(write(tmp_path, "p.csv", "participant_id,role\nA,x\nA,y\nB,x,extra\n"))
    messages = {(p.line, p.message.split(" (")[0]) for p in problems}
    assert (3, "duplicate participant id 'A'") in messages
    assert any(line == 4 and "3 cells" in m for line, m in messages)


def test_missing_id_column_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(CoderError) as info:
        load_participants(write(tmp_path, "p.csv", "name,role\nA,x\n"))
    assert info.value.file.endswith("p.csv") and info.value.line == 1
    assert "participant_id" in info.value.message


def test_outcomes_load_with_benchmark_as_a_proportion(tmp_path):
    outcomes, problems = load_outcomes(write(tmp_path, "o.yaml", OUTCOMES))
    assert problems == []
    friends, influence = outcomes
    assert friends.applies_to({"role": "participant"}) and not friends.applies_to({"role": "practitioner"})
    assert influence.benchmark.value == pytest.approx(0.22)
    assert influence.is_positive("Agree") and influence.is_positive("Disagree") is False
    assert influence.is_positive("") is None


def test_unknown_answers_are_reported_on_the_csv_line(tmp_path):
    outcomes, _ = load_outcomes(write(tmp_path, "o.yaml", OUTCOMES))
    table, _ = load_participants(write(tmp_path, "p.csv", "participant_id,role,q_friends,q_influence\nA,participant,Yes,Agree\nB,participant,yes please,Agree\n"))
    problems = check_answers(outcomes, table, "o.yaml")
    assert [(p.file.endswith("p.csv"), p.line) for p in problems] == [(True, 3)]
    assert "'yes please' is not an allowed answer to q_friends for B" in problems[0].message


def test_outcome_naming_a_missing_column(tmp_path):
    outcomes, _ = load_outcomes(write(tmp_path, "o.yaml", OUTCOMES))
    table, _ = load_participants(write(tmp_path, "p.csv", "participant_id,role,q_friends\nA,participant,Yes\n"))
    problems = check_answers(outcomes, table, "o.yaml")
    assert [(p.file, p.line) for p in problems] == [("o.yaml", 10)]


def test_positive_answer_must_be_allowed(tmp_path):
    _, problems = load_outcomes(write(tmp_path, "o.yaml", "outcomes:\n  - id: x\n    answers: [a, b]\n    positive: [c]\n"))
    assert problems and problems[0].line == 4


def test_benchmarks_per_group_are_read_and_checked(tmp_path):
    from coder.core.outcomes import load_outcomes

    path = tmp_path / "outcomes.yaml"
    path.write_text(
        "outcomes:\n"
        "  - id: q\n    answers: [Yes, No]\n    positive: [Yes]\n    report_by: nation\n"
        "    benchmark: {value: 22, source: All survey}\n"
        "    benchmarks:\n"
        "      - {value: 0.19, source: Wales survey, for: {nation: Wales}}\n"
        "      - {value: 0.2, source: Again, for: {nation: Wales}}\n"
        "      - {value: 0.3, source: Programme survey, for: {programme: AC}}\n", encoding="utf-8")
    outcomes, problems = load_outcomes(path)
    o = outcomes[0]
    assert o.report_by == ("nation",)
    assert o.benchmark.value == 0.22 and o.benchmark.scope == "all respondents"
    assert o.benchmark_for({"nation": "Wales"}).source == "Wales survey"
    assert o.benchmark_for({"nation": "Scotland"}) is None
    messages = [p.message for p in problems]
    assert "two benchmarks of 'q' for nation = Wales" in messages
    assert any("for programme = AC is never shown" in m for m in messages)
