"""The report as a Word document (python-docx): headings, tables, charts as PNG pictures, quotes as quotations.

The document's properties and the zip's entry times are fixed, so the same
report gives the same bytes (its "produced on" line aside).
"""

from __future__ import annotations

import io

from coder.core.report import charts
from coder.core.report.html import JOINT_HEADERS
from coder.core.report.model import Quote, Report, ThemeTable



def _picture(doc, png: bytes, alt: str) -> None:
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(png), width=Cm(16))
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", alt)  # the picture's alternative text, as Word shows it


def _quote(doc, q: Quote) -> None:
    doc.add_paragraph(f"\u201c{q.text}\u201d", style="Quote")
    doc.add_paragraph("\u2014 " + q.descriptor + (f"; {q.label}" if q.label else ""))


def _table(doc, header: list[str], rows: list[list[str]], caption: str = "") -> None:
    if caption:
        doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text


def _theme_table(doc, t: ThemeTable) -> None:
    rows = [["\u2003" * (level - 1) + name, *cells] for level, name, cells in t.rows]
    rows.append(["not yet counted (interviewed, transcripts not done)", *t.not_counted])
    _table(doc, ["Theme", *t.headers], rows,
           f"Participants mentioning each theme by {t.variable}: mentioning/counted in the group (percent)")


def render_docx(r: Report) -> bytes:
    from docx import Document

    from coder.core.export.writer import FIXED_TIME, fixed_zip

    doc = Document()
    doc.add_heading(r.title, level=0)
    doc.add_paragraph(r.subtitle)
    doc.add_paragraph(f"Produced by coder on {r.created}.")
    doc.add_heading("Key findings", level=1)
    for f in r.findings:
        doc.add_paragraph().add_run(f.sentence).bold = True
        _picture(doc, charts.render(charts.finding_chart, f)[1], charts.finding_alt(f))
        if f.breakdown:
            doc.add_paragraph(f.breakdown)
        if f.benchmark:
            doc.add_paragraph(f.benchmark.text)
        doc.add_paragraph(f"Question: \u201c{f.wording}\u201d")
    doc.add_heading("Themes", level=1)
    if r.theme_chart and r.theme_chart.themes:
        _picture(doc, charts.render(charts.theme_chart, r.theme_chart)[1], charts.theme_alt(r.theme_chart))
    for t in r.theme_tables:
        _theme_table(doc, t)
    doc.add_heading("Themes in participants\u2019 and practitioners\u2019 own words", level=1)
    for s in r.themes:
        doc.add_heading(s.name, level=min(s.level + 1, 9))
        if s.definition:
            doc.add_paragraph(s.definition)
        if s.share:
            doc.add_paragraph(f"Mentioned by {s.share} of the counted participants.")
        for q in s.quotes:
            _quote(doc, q)
    doc.add_heading("Outcomes, themes and quotes together", level=1)
    for f in r.findings:
        doc.add_heading(f.wording, level=2)
        doc.add_paragraph(f"Figure: {f.sentence}")
        _table(doc, list(JOINT_HEADERS), [[r.group, r.display, r.interval, r.benchmark, r.difference, r.linked_themes]
                                          for r in f.rows])
        doc.add_paragraph("Supporting quotes (speakers who answered positively, or were not asked)").runs[0].bold = True
        for q in f.supporting:
            _quote(doc, q)
        if f.other_views:
            doc.add_paragraph("Other views (speakers who answered otherwise, or not at all)").runs[0].bold = True
            for q in f.other_views:
                _quote(doc, q)
    doc.add_heading("Method notes", level=1)
    for n in r.method:
        doc.add_heading(n.heading, level=2)
        doc.add_paragraph(n.text)
    doc.add_heading("Appendix: the codebook", level=1)
    _table(doc, ["Theme", "id", "Definition"],
           [["\u2003" * (level - 1) + name, cid, d] for level, cid, name, d in r.codebook])
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.author = props.last_modified_by = "coder"
    props.title = r.title
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())
