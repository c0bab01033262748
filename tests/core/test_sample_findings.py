"""The sample participant table reproduces the seed study's key findings exactly."""

from __future__ import annotations

from collections import Counter

from coder.core.outcomes import load_outcomes
from coder.core.participants import load_participants


def proportions(repo, outcome_id, by="programme"):
    table, problems = load_participants(repo / "transcripts" / "participants.csv")
    assert problems == []
    outcomes, problems = load_outcomes(repo / "transcripts" / "outcomes.yaml")
    assert problems == []
    outcome = next(o for o in outcomes if o.id == outcome_id)
    k, n = Counter(), Counter()
    for row in table.rows.values():
        answer = row[outcome.column]
        if not outcome.applies_to(row) or not answer:
            continue
        group = row[by] if by else "all"
        n[group] += 1
        k[group] += outcome.is_positive(answer)
    return {g: (k[g], n[g], round(100 * k[g] / n[g])) for g in n}


def test_new_friends_91_and_86_percent(repo):
    result = proportions(repo, "new_friends")
    assert result["Active Communities"][2] == 91
    assert result["Local Conversations"][2] == 86


def test_new_partnerships_86_and_66_percent_of_practitioners(repo):
    result = proportions(repo, "new_partnerships")
    assert result["Local Conversations"][2] == 86
    assert result["Active Communities"][2] == 66


def test_influence_59_percent_against_22_percent_benchmark(repo):
    result = proportions(repo, "influence_decisions", by=None)
    assert result["all"][2] == 59
    outcomes, _ = load_outcomes(repo / "transcripts" / "outcomes.yaml")
    bench = next(o for o in outcomes if o.id == "influence_decisions").benchmark
    assert round(bench.value * 100) == 22 and bench.source == "Community Life Survey"


def test_table_size_and_roles(repo):
    table, _ = load_participants(repo / "transcripts" / "participants.csv")
    groups = Counter((r["programme"], r["role"]) for r in table.rows.values())
    assert len(table.rows) >= 100
    assert groups[("Active Communities", "participant")] == 45
    assert groups[("Local Conversations", "practitioner")] == 21
