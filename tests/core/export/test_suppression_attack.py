"""An attacker tries to work out every suppressed count from the counts an export publishes.

The attacker reads the published aggregate tables only (theme_by_<group>, theme_by_group,
theme_by_outcome, joint_display, cooccurrence, pathways), names each count by what it counts
(theme x group, group size, respondents, positive answers...), and writes down what any
reader knows: a group variable's values add up to the whole sample, a count is at most
its denominator, '<N' means 1..N-1.  Then, for each hidden count and each hidden
"the rest of the group" count (denominator minus count), linear programming finds its
smallest and largest possible value.  If they meet, the count is recovered.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from coder.core.codebook import Code, Codebook
from coder.core.coding import Coding, Origin
from coder.core.export import ExportInput, ExportOptions, build_tables
from coder.core.outcomes import Outcome
from coder.core.participants import ParticipantTable
from coder.core.transcript import Segment, Transcript, Turn, content_hash

CODES = ("power", "action", "friends")
GROUPS = ("programme", "nation", "role")
VALUES = {"programme": ("AC", "LC"), "nation": ("England", "Scotland", "Wales"), "role": ("participant", "practitioner")}


# ------------------------------------------------------------------ building a project in memory
def build_input(people: list[dict], coded: bool = True) -> ExportInput:
    columns = ("participant_id", *GROUPS, "q")
    rows = {p["id"]: {"participant_id": p["id"], **{g: p[g] for g in GROUPS}, "q": p["q"]} for p in people}
    table = ParticipantTable(Path("participants.csv"), "participant_id", columns, rows,
                             {pid: n + 2 for n, pid in enumerate(rows)})
    book = Codebook("attack", None, tuple(Code(c, c.title(), leads_to=("action",) if c == "power" else ())
                                          for c in CODES))
    outcome = Outcome("q", "q", "Did it help?", ("Yes", "No"), ("Yes",), {"role": ("participant",)}, "programme",
                      ("power",))
    transcripts, codings = {}, []
    for p in people:
        if not p["interviewed"]:
            continue
        tid = p["id"].lower()
        text = "P: I said something."
        transcripts[tid] = Transcript(tid, Path(f"{tid}.txt"), "txt", text,
                                      (Turn(0, "P", 0, len(text), participant_id=p["id"]),),
                                      (Segment("s0", 3, len(text), 0, text[3:]),),
                                      {"participant": p["id"], **{g: p[g] for g in GROUPS}})
        for code in p["mentions"]:
            codings.append(Coding(f"{tid}-{code}", "ann", tid, code, 3, len(text), text[3:], "P: ", "",
                                  content_hash(text), Origin(), "2024-01-01T00:00:00.000Z"))
    return ExportInput(book, table, [outcome], transcripts, codings)


person = st.fixed_dictionaries({
    **{g: st.sampled_from(VALUES[g]) for g in GROUPS},
    "q": st.sampled_from(["Yes", "Yes", "No", ""]),
    "interviewed": st.booleans(),
    "mentions": st.sets(st.sampled_from(CODES)),
})


# ------------------------------------------------------------------ the attacker
HIDDEN = re.compile(r"^(<(\d+)|suppressed)$")


class Attack:
    """Unknowns named by what they count; equalities and bounds any reader can write down."""

    def __init__(self) -> None:
        self.names: dict[tuple, int] = {}
        self.fixed: dict[int, float] = {}
        self.bounds: dict[int, tuple[float, float | None]] = {}
        self.hidden: set[int] = set()
        self.sums: list[tuple[int, list[int]]] = []  # total = sum(parts)
        self.within: list[tuple[int, int]] = []  # (part, whole): part <= whole; whole - part is a cell too

    def var(self, *name) -> int:
        return self.names.setdefault(name, len(self.names))

    def publish(self, value, *name) -> int:
        i = self.var(*name)
        if value is None or value == "":
            return i
        if isinstance(value, str) and "/" in value:
            raise ValueError(value)
        m = HIDDEN.match(str(value))
        if m:
            self.hidden.add(i)
            self.bounds[i] = (1, int(m.group(2)) - 1) if m.group(2) else (0, None)
        else:
            self.fixed[i] = float(value)
        return i

    def share(self, text: str, k_name: tuple, n_name: tuple) -> None:
        k, _, rest = text.partition("/")
        n = rest.split(" (")[0]
        self.within.append((self.publish(k, *k_name), self.publish(_num(n), *n_name)))

    def recoverable(self, truth: dict[tuple, int], min_cell: int) -> list[str]:
        """Hidden counts, and small 'rest of the group' counts, whose value the attacker pins down."""
        n = len(self.names)
        extra = [(p, w) for p, w in self.within]  # one more unknown per part/whole pair: whole - part
        size = n + len(extra)
        a_eq, b_eq = [], []
        for i, v in self.fixed.items():
            row = np.zeros(size); row[i] = 1; a_eq.append(row); b_eq.append(v)
        for total, parts in self.sums:
            row = np.zeros(size); row[total] = 1
            for p in parts:
                row[p] -= 1
            a_eq.append(row); b_eq.append(0)
        for j, (p, w) in enumerate(extra):
            row = np.zeros(size); row[w] = 1; row[p] = -1; row[n + j] = -1
            a_eq.append(row); b_eq.append(0)
        bounds = [self.bounds.get(i, (0, None)) for i in range(n)] + [(0, None)] * len(extra)
        targets = [(i, name) for name, i in self.names.items() if i in self.hidden]
        names = {i: name for name, i in self.names.items()}
        targets += [(n + j, ("rest", names[w], names[p])) for j, (p, w) in enumerate(extra)]
        found = []
        for i, name in targets:
            if name[0] == "rest":
                true = truth[name[1]] - truth[name[2]]
                if not 0 < true < min_cell:
                    continue  # only small rests need protecting
            c = np.zeros(size); c[i] = 1
            lo = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
            hi = linprog(-c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
            assert lo.status == 0 and hi.status in (0, 3), "the published figures contradict each other"
            if hi.status == 0 and abs(lo.fun + hi.fun) < 1e-6:
                found.append(f"{name} = {lo.fun:g}")
        return found


def _num(text: str):
    return text.strip()


def read_tables(tables: dict, attack: Attack) -> None:
    """What a reader can write down from every published aggregate table."""
    for var in GROUPS:
        if f"theme_by_{var}" not in tables:
            continue
        for r in tables[f"theme_by_{var}"].records():
            values = [c for c in r if c not in ("code_id", "code_name", "code_path", "level", "all")]
            if r["code_id"] == "":  # the not-yet-counted row
                attack.sums.append((attack.publish(r["all"], "nc", "all"),
                                    [attack.publish(r[v], "nc", var, v) for v in values]))
                continue
            code = r["code_id"]
            attack.share(r["all"], ("k", code, "all"), ("N", "all"))
            for v in values:
                attack.share(r[v], ("k", code, var, v), ("N", var, v))
            attack.sums.append((attack.var("k", code, "all"), [attack.var("k", code, var, v) for v in values]))
            attack.sums.append((attack.var("N", "all"), [attack.var("N", var, v) for v in values]))
    for r in tables["theme_by_group"].records():
        key = ("all",) if r["group_variable"] == "all" else (r["group_variable"], r["group_value"])
        attack.within.append((attack.publish(r["participants_mentioning"], "k", r["code_id"], *key),
                              attack.publish(r["participants_in_group"], "N", *key)))
        attack.publish(r["not_yet_counted"], "nc", *key)
    for r in tables["theme_by_outcome"].records():
        o, code = r["outcome_id"], r["code_id"]
        attack.within.append((attack.publish(r["positive_mentioning"], "pk", o, code), attack.publish(r["positive_n"], "pn", o)))
        attack.within.append((attack.publish(r["other_mentioning"], "ok", o, code), attack.publish(r["other_n"], "on", o)))
    by_outcome: dict[str, list] = {}
    for r in tables["joint_display"].records():
        o, var, val = r["outcome_id"], r["group_variable"], r["group_value"]
        attack.within.append((attack.publish(r["positive"], "pos", o, var, val), attack.publish(r["respondents"], "resp", o, var, val)))
        attack.publish(r["interviewed_in_group"], "N", *(("all",) if var == "all" else (var, val)))
        by_outcome.setdefault(o, []).append((var, val))
    for o, groups in by_outcome.items():
        parts = [(var, val) for var, val in groups if var != "all"]
        if parts:
            for kind in ("pos", "resp"):
                attack.sums.append((attack.var(kind, o, "all", "all"), [attack.var(kind, o, var, val) for var, val in parts]))
    for r in tables["pathways"].records():
        a, b = r["from_code"], r["to_code"]
        n = attack.publish(r["participants_counted"], "N", "all")
        both = attack.publish(r["participants_both"], "both", *sorted((a, b), key=CODES.index))
        for name, code in (("participants_from", a), ("participants_to", b)):
            k = attack.publish(r[name], "k", code, "all")
            attack.within.append((both, k))
            attack.within.append((k, n))
        attack.within.append((attack.publish(r["participants_close"], "close", a, b), both))
    for r in tables["cooccurrence"].records():
        attack.within.append((attack.publish(r["participants"], "both", r["code_a"], r["code_b"]),
                              attack.publish(r["participants_interviewed"], "N", "all")))


def true_counts(tables_open: dict) -> dict[tuple, int]:
    truth: dict[tuple, int] = {}
    plain = Attack()
    read_tables(tables_open, plain)
    for name, i in plain.names.items():
        if i in plain.fixed:
            truth[name] = int(plain.fixed[i])
    return truth


def attack_export(people: list[dict], min_cell: int) -> list[str]:
    inp = build_input(people)
    open_tables = {t.name: t for t in build_tables(inp, ExportOptions())}
    published = {t.name: t for t in build_tables(inp, ExportOptions(min_cell=min_cell))}
    attack = Attack()
    read_tables(published, attack)
    return attack.recoverable(true_counts(open_tables), min_cell)


# ------------------------------------------------------------------ the tests
def test_the_reported_case_six_of_seven_no_longer_gives_away_the_one():
    """--min-cell 5 printed "6/7 (86%)": the one who did not was 7 - 6."""
    people = [{"programme": "AC", "nation": "England", "role": "participant", "q": "Yes", "interviewed": True,
               "mentions": {"power"} if n < 6 else set(), "id": f"P{n}"} for n in range(7)]
    people += [{"programme": "LC", "nation": "Wales", "role": "participant", "q": "No", "interviewed": True,
                "mentions": {"power"}, "id": f"Q{n}"} for n in range(6)]
    published = {t.name: t for t in build_tables(build_input(people), ExportOptions(min_cell=5))}
    ac = next(r for r in published["theme_by_programme"].records() if r["code_id"] == "power")["AC"]
    assert ac != "6/7 (86%)" and not re.fullmatch(r"\d+/\d+.*", ac)
    assert attack_export(people, 5) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(person, min_size=3, max_size=12), st.sampled_from([3, 5]))
def test_no_suppressed_count_can_be_recovered_from_the_published_ones(people, min_cell):
    for n, p in enumerate(people):
        p["id"] = f"P{n:02d}"
    assert attack_export(people, min_cell) == []


@pytest.mark.parametrize("min_cell", [0, 1])
def test_without_min_cell_nothing_is_hidden(min_cell):
    people = [{"programme": "AC", "nation": "Wales", "role": "participant", "q": "Yes", "interviewed": True,
               "mentions": {"power"}, "id": "P1"}]
    published = {t.name: t for t in build_tables(build_input(people), ExportOptions(min_cell=min_cell))}
    assert next(r for r in published["theme_by_group"].records())["participants_mentioning"] == 1
