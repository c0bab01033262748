"""The outcomes definition: what each questionnaire item means and how to report it.

``transcripts/outcomes.yaml`` (path set in ``coder.yaml``) lists, per item, its
wording, the column of the participant table holding the answers, the allowed
answers, which count as positive, who was asked (``asked_of``), how to break it
down (``report_by``), the codebook themes it relates to and, where one exists,
the national benchmark it is compared against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError, Problem, Severity
from coder.core.participants import ParticipantTable
from coder.core.yamlfile import line_of, read_yaml


@dataclass(frozen=True)
class Benchmark:
    value: float  # a proportion, 0..1
    source: str
    year: str = ""
    population: str = ""
    note: str = ""
    where: tuple[tuple[str, str], ...] = ()  # the group it is for, e.g. (("nation", "Wales"),); empty: everyone

    @property
    def scope(self) -> str:
        return " and ".join(f"{k} = {v}" for k, v in self.where) or "all respondents"


@dataclass(frozen=True)
class Outcome:
    id: str
    column: str
    wording: str
    answers: tuple[str, ...]
    positive: tuple[str, ...]
    asked_of: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # column -> allowed values
    report_by: tuple[str, ...] | str | None = ()  # participant-table columns to break the figure down by
    themes: tuple[str, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    line: int | None = None
    finding: str = ""  # what a positive answer means, as a report's sentence says it ("agreed they can ...")

    def __post_init__(self) -> None:
        by = self.report_by
        object.__setattr__(self, "report_by", (by,) if isinstance(by, str) else tuple(by or ()))

    @property
    def benchmark(self) -> Benchmark | None:
        """The benchmark for all respondents, if there is one."""
        return self.benchmark_for({})

    def benchmark_for(self, where: dict[str, str]) -> Benchmark | None:
        """The benchmark of exactly this group (``{}``: all respondents); never another group's."""
        key = tuple(sorted(where.items()))
        return next((b for b in self.benchmarks if tuple(sorted(b.where)) == key), None)

    def applies_to(self, row: dict[str, str]) -> bool:
        return all(row.get(k, "") in values for k, values in self.asked_of.items())

    def is_positive(self, answer: str) -> bool | None:
        """True/False for an answer, None when not answered."""
        return None if not answer else answer in self.positive


def load_outcomes(path: Path) -> tuple[list[Outcome], list[Problem]]:
    data, problems = read_yaml(path)
    file = str(path)
    items = data.get("outcomes") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CoderError("an outcomes file must be a mapping with an `outcomes:` list", file=file,
                         line=line_of(data, 1), hint="see the README section 'Outcomes definition'")
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            problems.append(Problem(file, line_of(items), "each outcome must be a mapping"))
            continue
        line = item.line
        oid = str(item.get("id") or "").strip()
        column = str(item.get("column") or oid).strip()
        if not oid:
            problems.append(Problem(file, line, "outcome without an `id`"))
            continue
        if oid in seen:
            problems.append(Problem(file, line, f"duplicate outcome id '{oid}'"))
        seen.add(oid)
        answers = tuple(str(a) for a in item.get("answers") or [])
        positive = tuple(str(a) for a in item.get("positive") or [])
        if not positive:
            problems.append(Problem(file, item.line_of("positive"), f"outcome '{oid}' says no answer counts as positive",
                                    hint="add `positive: [Yes]` or similar"))
        for p in positive:
            if answers and p not in answers:
                problems.append(Problem(file, item.line_of("positive"), f"positive answer '{p}' of '{oid}' is not among its answers"))
        benchmarks = _benchmarks(item, oid, file, problems)
        asked = item.get("asked_of") or {}
        outcomes.append(Outcome(
            id=oid, column=column, wording=str(item.get("wording") or ""), answers=answers,
            positive=positive, asked_of={str(k): _values(v) for k, v in asked.items()},
            report_by=_values(item["report_by"]) if item.get("report_by") else (),
            themes=tuple(str(t) for t in item.get("themes") or []), benchmarks=benchmarks, line=line,
            finding=" ".join(str(item.get("finding") or "").split()),
        ))
        for b in benchmarks:
            missing = [k for k, _ in b.where if k not in outcomes[-1].report_by]
            if missing:
                problems.append(Problem(file, line, f"benchmark of '{oid}' for {b.scope} is never shown: "
                                        f"'{missing[0]}' is not in its report_by", Severity.WARNING,
                                        hint=f"add {missing[0]} to report_by"))
    return outcomes, problems


def _benchmarks(item, oid: str, file: str, problems: list[Problem]) -> tuple[Benchmark, ...]:
    """``benchmark:`` (one) and ``benchmarks:`` (a list), each for everyone or for a group (``for: {nation: Wales}``)."""
    raw = ([item["benchmark"]] if item.get("benchmark") is not None else []) + list(item.get("benchmarks") or [])
    out: list[Benchmark] = []
    for bench in raw:
        line = getattr(bench, "line", item.line)
        if not isinstance(bench, dict):
            problems.append(Problem(file, line, f"each benchmark of '{oid}' must be a mapping"))
            continue
        try:
            value = float(bench.get("value"))
        except (TypeError, ValueError):
            problems.append(Problem(file, line, f"benchmark of '{oid}' needs a numeric `value`"))
            continue
        if value > 1:
            value /= 100  # written as a percentage
        where = bench.get("for") or {}
        if not isinstance(where, dict):
            problems.append(Problem(file, line, f"`for:` of a benchmark of '{oid}' must map a column to a value",
                                    hint="for example `for: {nation: Wales}`"))
            continue
        b = Benchmark(value, str(bench.get("source") or ""), str(bench.get("year") or ""),
                      str(bench.get("population") or ""), str(bench.get("note") or ""),
                      tuple(sorted((str(k), str(v)) for k, v in where.items())))
        if not b.source:
            problems.append(Problem(file, line, f"benchmark of '{oid}' has no `source`", Severity.WARNING))
        if any(tuple(sorted(o.where)) == b.where for o in out):
            problems.append(Problem(file, line, f"two benchmarks of '{oid}' for {b.scope}",
                                    hint="give one benchmark per group"))
            continue
        out.append(b)
    return tuple(out)


def _values(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def check_answers(outcomes: list[Outcome], table: ParticipantTable, outcomes_file: str) -> list[Problem]:
    """Each outcome's column exists and every answer is one of its allowed answers."""
    problems: list[Problem] = []
    file = str(table.path)
    for o in outcomes:
        if o.column not in table.columns:
            problems.append(Problem(outcomes_file, o.line, f"outcome '{o.id}' names column '{o.column}', which the participant table lacks"))
            continue
        if not o.answers:
            continue
        waves = [o.column] + [c for c in table.columns if c.startswith(o.column + "@")]  # later waves' answers
        for pid, row in table.rows.items():
            for column in waves:
                answer = row.get(column, "")
                if answer and answer not in o.answers:
                    problems.append(Problem(file, table.lines[pid],
                                            f"'{answer}' is not an allowed answer to {column} for {pid}",
                                            hint=f"allowed: {', '.join(o.answers)} (or leave empty)"))
    return problems
