"""Inter-coder agreement per code and pooled: what ``coder agree`` computes and writes.

    table = agreement_table(project, "ana", "ben", unit="segment")
    print(format_table(table))            # also written to exports/irr_by_code.csv

The comparison covers the transcripts *both* coders have coded (at least one
coding each), unless ``transcripts`` names them: a transcript one coder has not
started would otherwise count as agreement on "not coded" everywhere.

The pooled row treats every (unit, code) judgement as one binary item, so its
kappa and alpha are those of the per-code tables stacked together.  A parent
code counts its children's codings too, so the pooled row stacks only the most
specific codes compared (those with no descendant among them): each judgement
counts once, however deep the hierarchy.

``exclude_uncoded`` drops units that neither coder coded with any of the codes
compared; it removes the mass of "neither" agreement on text nobody coded
(interviewer questions, small talk), which otherwise inflates percent
agreement.  Which choice was made is part of the result and of the CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coder.core.agreement.stats import BinaryAgreement
from coder.core.agreement.units import SpanIndex, build_units, coded_units
from coder.core.codebook import Codebook
from coder.core.coding import Coding
from coder.core.errors import CoderError
from coder.core.transcript import Transcript

if TYPE_CHECKING:
    from coder.core.project import Project

CSV_NAME = "irr_by_code.csv"
POOLED = "(pooled)"
CSV_COLUMNS = (
    "code", "name", "level", "units", "coded_a", "coded_b", "both", "only_a", "only_b", "neither",
    "percent_agreement", "cohen_kappa", "krippendorff_alpha", "prevalence_pct",
    "coder_a", "coder_b", "unit", "exclude_uncoded",
)  # fmt: skip


@dataclass(frozen=True)
class AgreementRow:
    code: str  # a code id, or "(pooled)"
    name: str
    level: int  # depth in the codebook (1 = root); 0 for the pooled row
    counts: BinaryAgreement

    @property
    def units(self) -> int:
        return self.counts.units

    @property
    def percent_agreement(self) -> float | None:
        """In percent (0..100)."""
        p = self.counts.percent_agreement
        return None if p is None else 100 * p

    @property
    def cohen_kappa(self) -> float | None:
        return self.counts.cohen_kappa

    @property
    def krippendorff_alpha(self) -> float | None:
        return self.counts.krippendorff_alpha

    @property
    def prevalence(self) -> float | None:
        """In percent (0..100): share of judgements that were "coded"."""
        p = self.counts.prevalence
        return None if p is None else 100 * p


@dataclass(frozen=True)
class AgreementTable:
    coder_a: str
    coder_b: str
    unit: str
    exclude_uncoded: bool
    transcripts: tuple[str, ...]  # the transcripts compared
    rows: tuple[AgreementRow, ...]  # one per code (codebook order), then the pooled row
    units_total: int  # units in the compared transcripts
    units_excluded: int  # of which dropped by exclude_uncoded
    csv_path: Path | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def pooled(self) -> AgreementRow:
        return self.rows[-1]

    def row(self, code: str) -> AgreementRow:
        return next(r for r in self.rows if r.code == code)

    @property
    def note(self) -> str:
        """One paragraph saying what was compared and which choices were made."""
        kept = self.units_total - self.units_excluded
        plural = "s" if len(self.transcripts) != 1 else ""
        text = (f"{self.coder_a} vs {self.coder_b}: {kept} {self.unit} units in {len(self.transcripts)} "
                f"transcript{plural} coded by both.")
        if self.exclude_uncoded:
            text += (f" Units neither coder coded were excluded ({self.units_excluded} of {self.units_total})."
                     " Kappa and alpha then describe agreement on coded text only.")
        else:
            text += (" Units neither coder coded are included (count as agreement); "
                     "use --exclude-uncoded to leave them out.")
        return text


def compute_agreement(
    codebook: Codebook,
    transcripts: Sequence[Transcript],
    codings_a: Iterable[Coding],
    codings_b: Iterable[Coding],
    *,
    coder_a: str = "a",
    coder_b: str = "b",
    unit: str = "segment",
    codes: Sequence[str] = (),
    exclude_uncoded: bool = False,
) -> AgreementTable:
    """The agreement table from values (no project needed)."""
    selected = _select_codes(codebook, codes)
    wanted = frozenset(selected)
    units = build_units(transcripts, unit)
    tids = {t.id for t in transcripts}
    index = SpanIndex(units)
    coded_a = coded_units(index, (c for c in codings_a if c.transcript in tids), codebook, wanted)
    coded_b = coded_units(index, (c for c in codings_b if c.transcript in tids), codebook, wanted)
    keep = range(len(units))
    excluded = 0
    if exclude_uncoded:
        touched = set().union(*coded_a.values(), *coded_b.values())
        keep = sorted(touched)
        excluded = len(units) - len(keep)
    rows: list[AgreementRow] = []
    pooled = BinaryAgreement()
    ancestors = {a.id for code in selected for a in codebook.ancestors(code)}
    for code in selected:
        a, b = coded_a[code], coded_b[code]
        counts = BinaryAgreement.from_judgements((i in a, i in b) for i in keep)
        if code not in ancestors:  # the most specific codes compared: no judgement counted twice
            pooled = pooled + counts
        rows.append(AgreementRow(code, codebook.get(code).name, codebook.level(code), counts))
    rows.append(AgreementRow(POOLED, "Most specific codes compared, stacked", 0, pooled))
    return AgreementTable(coder_a, coder_b, unit, exclude_uncoded, tuple(t.id for t in transcripts),
                          tuple(rows), len(units), excluded)


def agreement_table(
    project: "Project",
    coder_a: str,
    coder_b: str,
    unit: str = "segment",
    codes: Sequence[str] = (),
    exclude_uncoded: bool = False,
    *,
    transcripts: Sequence[str] | None = None,
    write: bool = True,
    out_dir: Path | None = None,
) -> AgreementTable:
    """Agreement between two coders of ``project``; writes ``exports/irr_by_code.csv`` unless ``write=False``.

    ``codes``: code ids to compare (default: every code in the codebook).
    ``transcripts``: transcript ids to compare (default: those both coders have coded).
    Raises CoderError for an unknown coder, code, unit or transcript, or when
    the coders have no transcript in common.
    """
    if coder_a == coder_b:
        raise CoderError("compare two different coders", hint="e.g. `coder agree ana ben`")
    known = list(getattr(project.store, "coders", []))
    for name in (coder_a, coder_b):
        if name not in known:
            raise CoderError(f"no coder '{name}' in this project",
                             file=project.config.codings,
                             hint="coders with a log: " + (", ".join(known) or "none yet"))
    codings_a = project.codings(coder_a)
    codings_b = project.codings(coder_b)
    if transcripts is None:
        both = {c.transcript for c in codings_a} & {c.transcript for c in codings_b}
        tids = [t for t in project.transcript_ids() if t in both]
        if not tids:
            raise CoderError(f"{coder_a} and {coder_b} have not coded any transcript in common",
                             hint="agreement needs both coders to code the same transcripts")
    else:
        available = set(project.transcript_ids())
        missing = [t for t in transcripts if t not in available]
        if missing:
            raise CoderError(f"no transcript '{missing[0]}' in this project",
                             hint="`coder stats` lists the project's transcripts")
        tids = list(dict.fromkeys(transcripts))
    table = compute_agreement(
        project.codebook, [project.transcript(t) for t in tids], codings_a, codings_b,
        coder_a=coder_a, coder_b=coder_b, unit=unit, codes=codes, exclude_uncoded=exclude_uncoded,
    )  # fmt: skip
    if write:
        path = Path(out_dir or project.config.exports) / CSV_NAME
        write_irr_csv(table, path)
        table = _with_path(table, path)
    return table


def _with_path(table: AgreementTable, path: Path) -> AgreementTable:
    from dataclasses import replace

    return replace(table, csv_path=path)


def _select_codes(codebook: Codebook, codes: Sequence[str]) -> list[str]:
    if not codes:
        return [c.id for c in codebook.codes]
    out: list[str] = []
    for raw in codes:
        code = codebook.resolve(raw) or (codebook.by_key(raw).id if codebook.by_key(raw) else None)
        if code is None:
            raise CoderError(f"unknown code '{raw}'", file=codebook.file,
                             hint="codes: " + ", ".join(c.id for c in codebook.codes))
        if code not in out:
            out.append(code)
    return out


def _fmt(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def csv_rows(table: AgreementTable) -> list[dict[str, object]]:
    out = []
    for r in table.rows:
        c = r.counts
        out.append({
            "code": r.code, "name": r.name, "level": r.level, "units": c.units,
            "coded_a": c.coded_a, "coded_b": c.coded_b, "both": c.both, "only_a": c.only_a,
            "only_b": c.only_b, "neither": c.neither,
            "percent_agreement": _fmt(r.percent_agreement, 2), "cohen_kappa": _fmt(r.cohen_kappa, 4),
            "krippendorff_alpha": _fmt(r.krippendorff_alpha, 4), "prevalence_pct": _fmt(r.prevalence, 2),
            "coder_a": table.coder_a, "coder_b": table.coder_b, "unit": table.unit,
            "exclude_uncoded": "yes" if table.exclude_uncoded else "no",
        })  # fmt: skip
    return out


def write_irr_csv(table: AgreementTable, path: Path) -> Path:
    """Write the table as CSV (UTF-8, text cells safe to open in a spreadsheet)."""
    from coder.core.atomic import write_atomic
    from coder.core.export.safe import neutralise

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(table):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, buf.getvalue())
    except OSError as e:
        raise CoderError(f"cannot write the agreement table: {e.strerror or e}", file=path) from None
    return path


def format_table(table: AgreementTable) -> str:
    """The table as aligned text for the terminal, with the note on what was compared."""
    header = ("code", "units", "agree %", "kappa", "alpha", "prev %")
    lines = [header]
    for r in table.rows:
        label = ("  " * max(r.level - 1, 0)) + r.code
        lines.append((label, str(r.units), _fmt(r.percent_agreement, 1), _fmt(r.cohen_kappa, 3),
                      _fmt(r.krippendorff_alpha, 3), _fmt(r.prevalence, 1)))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for n, row in enumerate(lines):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
        if n == 0 or n == len(lines) - 2:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    out.append(table.note)
    out.append("Kappa and alpha are blank where every judgement was the same (undefined).")
    if table.csv_path is not None:
        out.append(f"Written to {table.csv_path}")
    return "\n".join(out)
