"""Agreement between two coders on one binary judgement per unit.

For each unit both coders said "coded" (1) or "not coded" (0).  From the four
counts (both, only A, only B, neither) this module computes:

* percent agreement ``p_o``: the share of units on which they agree;
* Cohen's kappa ``(p_o - p_e) / (1 - p_e)`` with chance agreement ``p_e`` from
  each coder's own marginals (the same figure as scikit-learn's
  ``cohen_kappa_score``);
* Krippendorff's alpha for nominal data with two coders and no missing values:
  ``1 - (n - 1) * D / (n_0 * n_1)`` where ``n = 2N`` pairable values, ``D`` the
  number of disagreeing units and ``n_0``/``n_1`` the pooled counts of each
  value (the same figure as the ``krippendorff`` package);
* prevalence: the share of all judgements that were "coded".

Kappa and alpha are undefined (``None``) when every judgement is the same
value: then chance agreement is perfect and there is nothing to correct for.
When a code is rare, both can be low even though percent agreement is high
(the *prevalence paradox*); report prevalence alongside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BinaryAgreement:
    """Counts of two coders' yes/no judgements over the same units, and the figures derived from them."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    @classmethod
    def from_judgements(cls, pairs: Iterable[tuple[bool, bool]]) -> "BinaryAgreement":
        counts = [0, 0, 0, 0]
        for a, b in pairs:
            counts[(0 if a else 2) + (0 if b else 1)] += 1
        return cls(*counts)

    def __add__(self, other: "BinaryAgreement") -> "BinaryAgreement":
        return BinaryAgreement(self.both + other.both, self.only_a + other.only_a,
                               self.only_b + other.only_b, self.neither + other.neither)

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def coded_a(self) -> int:
        return self.both + self.only_a

    @property
    def coded_b(self) -> int:
        return self.both + self.only_b

    @property
    def disagreements(self) -> int:
        return self.only_a + self.only_b

    @property
    def percent_agreement(self) -> float | None:
        """Share of units on which the coders agree (0..1); None without units."""
        n = self.units
        return (self.both + self.neither) / n if n else None

    @property
    def prevalence(self) -> float | None:
        """Share of all judgements (both coders, every unit) that were "coded"."""
        n = self.units
        return (self.coded_a + self.coded_b) / (2 * n) if n else None

    @property
    def chance_agreement(self) -> float | None:
        n = self.units
        if not n:
            return None
        pa, pb = self.coded_a / n, self.coded_b / n
        return pa * pb + (1 - pa) * (1 - pb)

    @property
    def cohen_kappa(self) -> float | None:
        po, pe = self.percent_agreement, self.chance_agreement
        if po is None or pe is None or pe >= 1.0:
            return None
        return (po - pe) / (1 - pe)

    @property
    def krippendorff_alpha(self) -> float | None:
        n = 2 * self.units
        ones = self.coded_a + self.coded_b
        zeros = n - ones
        if n < 2 or ones == 0 or zeros == 0:
            return None
        return 1 - (n - 1) * self.disagreements / (zeros * ones)
