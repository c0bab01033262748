"""``coder report``: the evaluation report as a self-contained HTML page and a Word document.

    from coder.core.report import write_report
    paths = write_report(inp, out_dir, ExportOptions(min_cell=5), formats=("html", "docx"))

The content (:mod:`.content`) is read from the export tables and manifest, so the
report never says anything the tables do not; :mod:`.html` and :mod:`.docx`
draw it, with charts from :mod:`.charts`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from coder.core.errors import CoderError
from coder.core.export import ExportInput, ExportOptions

FORMATS = ("html", "docx", "both")
HTML_FILE, DOCX_FILE = "report.html", "report.docx"


def write_report(inp: ExportInput, out_dir: Path, options: ExportOptions, fmt: str = "both",
                 agreements: list[str] = (), now: datetime | None = None) -> list[Path]:
    from coder.core.atomic import write_atomic
    from coder.core.export.writer import check_out_dir
    from coder.core.report.content import build_report

    if fmt not in FORMATS:
        raise CoderError(f"unknown report format '{fmt}'", hint="use html, docx or both")
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    report = build_report(inp, options, list(agreements), now)
    written = []
    if fmt in ("html", "both"):
        from coder.core.report.html import render_html

        written.append(write_atomic(out_dir / HTML_FILE, render_html(report).encode("utf-8")))
    if fmt in ("docx", "both"):
        from coder.core.report.docx import render_docx

        written.append(write_atomic(out_dir / DOCX_FILE, render_docx(report)))
    return written
