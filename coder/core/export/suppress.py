"""Small-cell suppression that cannot be undone by arithmetic (complementary suppression).

Every participant count an export publishes is the size of a set of
participants (those in a group, those in it who mention a theme, those who
answered positively...).  Two cells counting the same set are the same number,
and totals are sums: |all| = |England| + |Scotland| + |Wales|, and the people
*not* mentioning a theme are |group| - |mentioning|.  So hiding a small count
is not enough: "6/7" reveals the 1 who did not, and a hidden "<5" in a row
whose other cells and total are shown is their difference.

The rule (``--min-cell N``):

* *protected* counts are the published counts from 1 to N-1, and every
  difference between a published count and a published count of a subset of
  the same people (e.g. respondents minus positive answers) from 1 to N-1;
* those published counts are hidden (shown as ``<N``, or as ``suppressed``
  where the bound ``<N`` would itself give a value away);
* then, while any protected or hidden count can still be worked out as a sum
  or difference of the counts still shown, or is pinned to one value by them
  and what a reader knows of hidden counts (``<N`` is 1 to N-1, no count is
  negative) (linear algebra over the participant
  groups the counts are built from: rows, columns and totals of every table
  at once), the smallest other count involved is hidden too (shown as
  ``suppressed``); a count of zero is hidden only when nothing else would do.

Percentages, intervals and differences computed from a hidden count are left
empty.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

SUPPRESSED = "suppressed"  # the mark of a count hidden only so that a small one cannot be recovered
_TOL = 1e-8


class Disclosure:
    """Records the participant sets an export publishes; then decides which to hide."""

    def __init__(self, min_cell: int) -> None:
        self.min_cell = min_cell
        self.published: dict[frozenset, None] = {}
        self.hidden: set[frozenset] = set()
        self.unbounded: set[frozenset] = set()  # small but shown as 'suppressed': '<N' would give them away

    @property
    def active(self) -> bool:
        return self.min_cell > 1

    def small(self, size: int) -> bool:
        return self.active and 0 < size < self.min_cell

    def record(self, people: Iterable[str]) -> frozenset:
        key = frozenset(people)
        self.published.setdefault(key, None)
        return key

    def show(self, people: Iterable[str]) -> int | str:
        """The count as published: the number, ``<N`` or ``suppressed``."""
        key = frozenset(people)
        if key not in self.hidden:
            return len(key)
        return f"<{self.min_cell}" if self.small(len(key)) and key not in self.unbounded else SUPPRESSED

    def is_hidden(self, people: Iterable[str]) -> bool:
        return frozenset(people) in self.hidden

    # ------------------------------------------------------------- deciding
    def decide(self) -> None:
        if not self.active:
            return
        sets = sorted(self.published, key=_order)
        protected = [s for s in sets if self.small(len(s))]
        by_size = sorted(sets, key=len)
        for i, b in enumerate(by_size):
            for a in by_size[i + 1:]:
                if len(a) > len(b) and b < a and self.small(len(a) - len(b)):
                    protected.append(a - b)
        protected = sorted(set(protected), key=_order)
        self.hidden = {s for s in sets if self.small(len(s))}
        atoms = _atoms(sets)
        rows = {s: _vector(s, atoms) for s in sets}
        while True:
            shown = [s for s in sets if s not in self.hidden]
            targets = protected + sorted(self.hidden - set(protected), key=_order)
            basis = _row_basis(np.array([rows[s] for s in shown])) if shown else None
            leak = next((p for p in targets if _determined(_vector(p, atoms), basis)), None)
            if leak is not None:  # a sum or difference of shown counts gives it away
                self.hidden.add(_complement_for(_vector(leak, atoms), shown, rows))
                continue
            bounds = self._bounds(sets, rows)
            leak = next((p for p in targets if _pinned(_vector(p, atoms), bounds)), None)
            if leak is None:
                return
            # the bounds ('<N' means 1..N-1; counts are never negative) give it away: hide a count it shares people with
            v = _vector(leak, atoms)
            sharing = [s for s in shown if len(s) and float(rows[s] @ v) > 0]
            if sharing:
                self.hidden.add(min(sharing, key=_order))
                continue
            # nothing shown is involved: the '<N' marks themselves pin it, so one of them says only 'suppressed'
            marks = [s for s in self.hidden - self.unbounded if self.small(len(s)) and float(rows[s] @ v) > 0]
            if not marks:
                return
            self.unbounded.add(min(marks, key=_order))

    def _bounds(self, sets: list[frozenset], rows: dict) -> tuple:
        """What a reader knows of each published count: its value, or 1..N-1 for '<N', or at least 0."""
        a_eq, b_eq, a_ub, b_ub = [], [], [], []
        for s in sets:
            if s not in self.hidden:
                a_eq.append(rows[s]); b_eq.append(len(s))
            elif self.small(len(s)) and s not in self.unbounded:
                a_ub += [rows[s], -rows[s]]; b_ub += [self.min_cell - 1, -1]
        return a_eq, b_eq, a_ub, b_ub


def _order(s: frozenset) -> tuple:
    return (len(s), sorted(s))


def _atoms(sets: list[frozenset]) -> dict[str, int]:
    """Each participant -> the index of their atom (participants in exactly the same published sets)."""
    signature: dict[str, list[int]] = {}
    for n, s in enumerate(sets):
        for pid in s:
            signature.setdefault(pid, []).append(n)
    index: dict[tuple, int] = {}
    return {pid: index.setdefault(tuple(sig), len(index)) for pid, sig in sorted(signature.items())}


def _vector(people: frozenset, atoms: dict[str, int]) -> np.ndarray:
    v = np.zeros(max(atoms.values(), default=-1) + 1)
    for pid in people:
        v[atoms[pid]] += 1.0
    return v


def _row_basis(m: np.ndarray) -> np.ndarray:
    """An orthonormal basis (rows) of the row space of ``m``."""
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    rank = int((s > _TOL * max(m.shape) * (s[0] if s.size else 1)).sum())
    return vt[:rank]


def _determined(v: np.ndarray, basis: np.ndarray | None) -> bool:
    """Whether the count with atom vector ``v`` is a linear combination of the shown counts."""
    if basis is None or not basis.size or not v.any():
        return False
    residual = v - basis.T @ (basis @ v)
    return bool(np.abs(residual).max() < 1e-6)


def _pinned(v: np.ndarray, bounds: tuple) -> bool:
    """Whether the published values and bounds leave the count with atom vector ``v`` only one whole value."""
    from scipy.optimize import linprog

    if not v.any():
        return False
    a_eq, b_eq, a_ub, b_ub = bounds
    kw = dict(A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None,
              A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None, bounds=(0, None), method="highs")
    lo = linprog(v, **kw)
    hi = linprog(-v, **kw)
    if lo.status != 0 or hi.status != 0:
        return False  # unbounded above (or nothing to learn)
    return math.floor(-hi.fun + 1e-6) - math.ceil(lo.fun - 1e-6) < 1


def _complement_for(v: np.ndarray, shown: list[frozenset], rows: dict[frozenset, np.ndarray]) -> frozenset:
    """The shown count to hide next: the smallest non-empty one the leaking combination uses."""
    m = np.array([rows[s] for s in shown])
    x, *_ = np.linalg.lstsq(m.T, v, rcond=None)
    involved = [s for s, w in zip(shown, x) if abs(w) > 1e-6]
    return min(involved or shown, key=lambda s: (len(s) == 0, *_order(s)))
