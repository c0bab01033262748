"""Agreement between the project's coders, as the method notes state it (``coder agree``'s pooled figures)."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from coder.core.errors import CoderError

if TYPE_CHECKING:
    from coder.core.project import Project


def _num(x: float | None, fmt: str) -> str:
    return "n/a" if x is None else format(x, fmt)


def agreement_notes(project: "Project") -> list[str]:
    """One sentence per pair of coders with a transcript in common; none when nobody coded twice."""
    from coder.core.agreement import CONSENSUS, POOLED, agreement_table

    coders = [c for c in sorted(getattr(project.store, "coders", [])) if c != CONSENSUS]
    notes = []
    for a, b in combinations(coders, 2):
        try:
            table = agreement_table(project, a, b, write=False)
        except CoderError:
            continue  # no transcript in common
        pooled = next(r for r in table.rows if r.code == POOLED)
        notes.append(f"{a} and {b} both coded {len(table.transcripts)} transcript(s) "
                     f"({', '.join(table.transcripts)}): over {pooled.units} {table.unit}-by-code judgements, "
                     f"percent agreement {_num(pooled.percent_agreement, '.1f')}%, Cohen's kappa "
                     f"{_num(pooled.cohen_kappa, '.2f')}, Krippendorff's alpha {_num(pooled.krippendorff_alpha, '.2f')} "
                     f"(pooled over codes; per code: `coder agree {a} {b}`).")
    return notes
