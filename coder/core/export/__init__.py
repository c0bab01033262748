"""Exports: tidy tables linking coded quotes to participants, outcomes and benchmarks.

    from coder.core.export import ExportOptions, export_project
    paths = export_project(project, out_dir, ExportOptions(min_cell=5))

Every table is built from an :class:`ExportInput` (codebook, participant table,
outcomes, transcripts, codings, memos), so tests and other callers can export
without a coding log.  pandas is imported only when tables are written.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from coder.core.errors import CoderError, Severity
from coder.core.export.inputs import ExportInput
from coder.core.export.options import ExportOptions
from coder.core.export.table import Table

if TYPE_CHECKING:
    from coder.core.project import Project

Progress = Callable[[str, int, int], None]  # (step, done, total)

XLSX_FILE = "coder-export.xlsx"
MANIFEST_FILE = "manifest.json"

__all__ = ["ExportInput", "ExportOptions", "Table", "build_tables", "export_project", "write_exports"]


def build_tables(inp: ExportInput, options: ExportOptions | None = None,
                 progress: Progress | None = None) -> list[Table]:
    """Every export table, in output order."""
    from coder.core.export import cooccurrence, joint, matrix, pathways, quotes, reference, themes
    from coder.core.export.index import build_index

    from coder.core.export import waves

    options = options or ExportOptions()
    if options.by_wave and waves.waves(inp):
        return waves.stack([(w, build_tables(inp, replace(options, by_wave=False, wave=w), progress))
                            for w in waves.waves(inp)])
    inp, _ = waves.view(inp, options.wave)
    ix = build_index(inp, options)
    steps = [
        ("codebook", lambda: [reference.codebook_table(ix)]),
        ("participants", lambda: [reference.participants_table(ix)]),
        ("quotes", lambda: [quotes.quotes_table(ix)]),
        ("memos", lambda: [reference.memos_table(ix)]),
        ("theme_by_group", lambda: [themes.theme_by_group(ix), *themes.theme_crosstabs(ix)]),
        ("matrix", lambda: [matrix.framework_matrix(ix)]),
        ("quote_matrix", lambda: matrix.quote_matrix(ix)),
        ("theme_by_outcome", lambda: [themes.theme_by_outcome(ix)]),
        ("joint_display", lambda: joint.joint_display(ix)),
        ("cooccurrence", lambda: [cooccurrence.cooccurrence(ix)]),
        ("pathways", lambda: pathways.pathways(ix)),
    ]
    if ix.disclosure.active:  # a first pass records every published count, then suppression decides
        for _, build in steps:
            build()
        ix.disclosure.decide()
    tables: list[Table] = []
    for n, (name, build) in enumerate(steps):
        if progress:
            progress(name, n, len(steps))
        tables += build()
    return tables


def write_exports(inp: ExportInput, out_dir: Path, options: ExportOptions | None = None,
                  progress: Progress | None = None) -> list[Path]:
    """Build every table from ``inp`` and write it to ``out_dir``; the manifest last."""
    from coder.core.export import manifest as mf
    from coder.core.export import writer

    options = options or ExportOptions()
    out_dir = Path(out_dir)
    writer.check_out_dir(out_dir)
    tables = build_tables(inp, options, progress)
    if progress:
        progress("write", 0, 1)
    files: dict[str, Path] = {}
    digests: dict[str, str] = {}
    written: list[Path] = []
    if options.format == "xlsx":
        data = writer.xlsx_bytes(tables)
        path = writer.write_atomic(out_dir / XLSX_FILE, data)
        written.append(path)
        for t in tables:
            files[t.name], digests[t.name] = path, mf.sha256(data)
    else:
        for t in tables:
            data = writer.csv_bytes(t)
            files[t.name] = writer.write_atomic(out_dir / t.file, data)
            digests[t.name] = mf.sha256(data)
            written.append(files[t.name])
    sheets = writer.sheet_names(tables) if options.format == "xlsx" else {}
    info = mf.manifest(inp, options, tables, files, digests, sheets)
    info.update(_wave_info(inp, options))
    written.append(writer.write_atomic(out_dir / MANIFEST_FILE, mf.manifest_bytes(info)))
    if progress:
        progress("write", 1, 1)
    return written


def _wave_info(inp: ExportInput, options: ExportOptions) -> dict:
    from coder.core.export import waves

    found = waves.waves(inp)
    if not found:
        return {}
    from coder.core.export.index import input_coverage

    reported = found if options.by_wave else [waves.view(inp, options.wave)[1]]
    counting = {}
    for w in reported:
        cover = input_coverage(waves.for_wave(inp, w))
        counting[w] = {"mode": cover.mode, "participants_counted": len(cover.counted),
                       "transcripts_not_done": list(cover.not_done)}
    return {"waves": {"in_project": found, "reported": reported, "rule": waves.RULE},
            "counting": counting[reported[0]] if len(reported) == 1 else {"by_wave": counting}}


def export_project(project: "Project", out_dir: Path | str | None = None, options: ExportOptions | None = None,
                   progress: Progress | None = None) -> list[Path]:
    """Check the project, then export every table to ``out_dir`` (default ``exports/``).

    Raises :class:`CoderError` (with the first problem's file and line) when
    ``project.check()`` finds errors: tables built from a bad participant table
    or outcomes file would be wrong without saying so.  A transcript that cannot
    be read is not such an error: it is left out, and the manifest lists it.
    """
    options = options or ExportOptions()
    problems = project.check()
    unreadable = {p.file for p in project.unreadable()}  # left out and listed; the rest is exported
    errors = [p for p in problems if p.severity is Severity.ERROR and p.file not in unreadable]
    if errors:
        raise CoderError.from_problems(errors)
    inp = ExportInput.from_project(project, options.coder)
    return write_exports(inp, Path(out_dir) if out_dir is not None else project.config.exports, options, progress)
