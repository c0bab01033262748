"""The Word report opens with python-docx and holds the page's headings, tables, pictures and quotations."""

from __future__ import annotations

import io

from docx import Document
from report_helpers import report_of

from coder.core.report.docx import render_docx


def test_the_word_report_holds_headings_tables_pictures_and_quotations(fixture_project):
    report = report_of(fixture_project)
    doc = Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[:2] == [report.title, "Key findings"]
    for heading in ["Themes", "Method notes", "Appendix: the codebook", "Community power", "New friends",
                    "Who is counted", "Small numbers"]:
        assert heading in headings
    assert len(doc.inline_shapes) == 3  # two outcome charts and the theme chart
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert all(alt.startswith("Bar chart") for alt in alts)
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert "\u201cWe are ready to have our own voice.\u201d" in quotes
    texts = [p.text for p in doc.paragraphs]
    assert report.findings[0].sentence in texts
    assert "\u2014 practitioner, Local Conversations, England; answer: Yes" in texts
    # theme tables, one joint display per outcome, the codebook
    assert len(doc.tables) == len(report.theme_tables) + len(report.findings) + 1
    first = doc.tables[0]
    assert first.rows[0].cells[1].text.startswith("All (N=")
    assert [c.text for c in first.rows[1].cells][1:] == list(report.theme_tables[0].rows[0][2])
