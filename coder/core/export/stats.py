"""Small, exact arithmetic for report tables: percentages, Wilson intervals, small-cell suppression.

Percentages are rounded half up from the exact fraction (41/45 -> 91.1, never a
float artefact), so the same counts always print the same figures.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def percent(k: int, n: int, digits: int = 1) -> float | None:
    """``100 k / n`` rounded half up to ``digits`` places; None when ``n`` is 0."""
    if n <= 0:
        return None
    return _round(Decimal(k * 100) / Decimal(n), digits)


def points(value: float | None, digits: int = 1) -> float | None:
    """Round a float (a difference in percentage points, an interval bound) half up."""
    if value is None or math.isnan(value):
        return None
    return _round(Decimal(repr(value)), digits)


def _round(value: Decimal, digits: int) -> float:
    step = Decimal(1).scaleb(-digits)
    out = float(value.quantize(step, rounding=ROUND_HALF_UP))
    return out + 0.0  # never "-0.0"


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for ``k`` successes out of ``n``, as proportions (0..1)."""
    if n <= 0:
        return None
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_percent(k: int, n: int, digits: int = 1) -> tuple[float | None, float | None]:
    bounds = wilson(k, n)
    if bounds is None:
        return None, None
    return points(bounds[0] * 100, digits), points(bounds[1] * 100, digits)


def suppressed(count: int, min_cell: int) -> bool:
    """True when a count must not be published: ``0 < count < min_cell``.

    Zero is shown: it identifies nobody.  ``min_cell`` of 0 or 1 turns
    suppression off.
    """
    return min_cell > 1 and 0 < count < min_cell


def count_cell(count: int, min_cell: int) -> int | str:
    """The count, or ``"<N"`` when it is suppressed."""
    return f"<{min_cell}" if suppressed(count, min_cell) else count


def percent_cell(k: int, n: int, min_cell: int, digits: int = 1) -> float | None:
    """The percentage, or None (an empty cell) when either count is suppressed."""
    if suppressed(k, min_cell) or suppressed(n, min_cell):
        return None
    return percent(k, n, digits)


def share(k: int, n: int, min_cell: int = 0) -> str:
    """``"k/N (p%)"`` with a whole-number percentage, as report tables print it."""
    k_text, n_text = count_cell(k, min_cell), count_cell(n, min_cell)
    p = percent_cell(k, n, min_cell, digits=0)
    if p is None:
        return f"{k_text}/{n_text}"
    return f"{k_text}/{n_text} ({int(p)}%)"
