"""The report page: self-contained, charts with alt text, suppressed cells never drawn, reproducible."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from report_helpers import NOW, charts_of, report_of, text_of

from coder.core.export import ExportInput, ExportOptions
from coder.core.report import write_report
from coder.core.report.charts import NOT_SHOWN
from coder.core.report.html import render_html


def test_the_page_needs_nothing_outside_itself(fixture_project):
    html = render_html(report_of(fixture_project))
    page = text_of(html)
    assert not re.search(r"https?://|//[a-z]|<link|<script|@import|url\(", page, re.I)
    assert all(src.startswith("data:image/svg+xml;base64,") for src in re.findall(r'src="([^"]*)"', html))
    for svg in charts_of(html):  # matplotlib's SVG names its own namespace only
        assert not re.search(r"(href|src)=\"(?!#)", svg)


def test_every_chart_has_alt_text_and_the_key_figures(fixture_project):
    html = render_html(report_of(fixture_project))
    alts = re.findall(r'<img class="chart" src="[^"]*" alt="([^"]+)"', html)
    assert len(alts) == len(charts_of(html)) == 3  # two outcomes, one theme chart
    assert "All respondents: 60% (3/5 (60%)), 95% interval" in alts[0]
    svg = charts_of(html)[0]
    assert "60%  (3/5)" in svg and "benchmark 50%" in svg


def test_a_suppressed_cell_is_never_drawn_or_printed(fixture_project):
    report = report_of(fixture_project, min_cell=3)
    html = render_html(report)
    friends = next(f for f in report.findings if f.id == "friends")
    hidden = [b for b in friends.bars if b.percent is None]
    assert hidden, "Local Conversations has 1 respondent: below 3"
    svg = charts_of(html)[0]
    assert svg.count(NOT_SHOWN) == len(hidden)
    assert svg.count("%  (") == len(friends.bars) - len(hidden)
    assert "0/1" not in text_of(html) and "0/1" not in "".join(charts_of(html))
    assert report.theme_chart is None  # every theme figure of this small fixture is hidden: no chart at all
    assert len(charts_of(html)) == len(report.findings)


def test_the_same_project_gives_the_same_files_apart_from_the_time(fixture_project, tmp_path):
    inp = ExportInput.from_project(fixture_project, None)
    a = write_report(inp, tmp_path / "a", ExportOptions(), "both", now=NOW)
    b = write_report(inp, tmp_path / "b", ExportOptions(), "both", now=NOW)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    later = write_report(inp, tmp_path / "c", ExportOptions(), "html", now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    old, new = a[0].read_text(encoding="utf-8"), later[0].read_text(encoding="utf-8")
    assert old != new and old.replace("2024-06-01 12:00", "2025-01-01 00:00") == new


def test_a_new_project_gives_a_report_with_nothing_to_draw(tmp_path):
    from coder.core.project import Project

    project = Project.init(tmp_path / "new")
    (page,) = project.report(tmp_path / "out", format="html", now=NOW)
    html = page.read_text(encoding="utf-8")
    assert "Appendix: the codebook" in html and 'id="key-findings"' in html
    assert "data:image" not in html.split('id="themes"')[1]  # nobody counted yet: no theme chart of zeros
