"""Building a report of a project in tests, at a fixed time."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone

from coder.core.export import ExportInput, ExportOptions
from coder.core.report.content import build_report

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
_DATA = re.compile(r'src="data:image/svg\+xml;base64,([^"]+)"')


def report_of(project, coder=None, **options):
    return build_report(ExportInput.from_project(project, coder), ExportOptions(coder=coder, **options), now=NOW)


def charts_of(html: str) -> list[str]:
    """The SVG text of every chart in a page."""
    return [base64.b64decode(m).decode("utf-8") for m in _DATA.findall(html)]


def text_of(html: str) -> str:
    """The page without its inline images."""
    return _DATA.sub('src=""', html)
