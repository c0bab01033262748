"""Inter-coder agreement (percent agreement, Cohen's kappa, Krippendorff's alpha) and consensus.

* :mod:`.stats` – the figures for one binary judgement per unit;
* :mod:`.units` – segments, turns and participants as units, and who coded which;
* :mod:`.table` – per-code and pooled tables, ``exports/irr_by_code.csv``;
* :mod:`.consensus` – the segments two coders disagree on, and recording a decision.
"""

from coder.core.agreement.consensus import (
    CHOICES,
    CONSENSUS,
    SegmentCodings,
    decide,
    disagreements,
    segment_codings,
)
from coder.core.agreement.stats import BinaryAgreement
from coder.core.agreement.table import (
    CSV_NAME,
    POOLED,
    AgreementRow,
    AgreementTable,
    agreement_table,
    compute_agreement,
    format_table,
    write_irr_csv,
)
from coder.core.agreement.units import UNIT_KINDS, Unit, build_units

__all__ = [
    "CHOICES", "CONSENSUS", "CSV_NAME", "POOLED", "UNIT_KINDS",
    "AgreementRow", "AgreementTable", "BinaryAgreement", "SegmentCodings", "Unit",
    "agreement_table", "build_units", "compute_agreement", "decide", "disagreements",
    "format_table", "segment_codings", "write_irr_csv",
]  # fmt: skip
