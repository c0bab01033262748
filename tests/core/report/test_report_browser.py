"""The sample's report page in a real browser (headless Chromium): it loads everything it needs from itself,
logs no console error, and shows the key findings and the charts.  The screenshot is kept in pytest's tmp path.

Chromium comes from Debian's ``chromium`` package (CI installs it); without it this test is skipped, saying why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coder.core.project import Project

REPO = Path(__file__).resolve().parents[3]
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--hide-scrollbars"]
# Added to a copy of the page only: every resource that fails to load, every image that did not decode, and
# every resource fetched at all are written to the console, which Chromium logs on stderr.
PROBE = """<script>
var failed = [];
window.addEventListener("error", function (e) { failed.push((e.target && (e.target.src || e.target.href)) || String(e.message)); }, true);
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
  var fetched = performance.getEntriesByType("resource").map(function (r) { return r.name; });
  console.log("PROBE images=" + imgs.length + " broken=" + broken + " failed=" + JSON.stringify(failed)
              + " fetched=" + JSON.stringify(fetched));
});
</script>"""

pytestmark = pytest.mark.skipif(BROWSER is None, reason="chromium is not installed (Debian: apt-get install chromium); "
                                                        "the real-browser test of the report page needs it")


def browse(page: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=180)


def probed(page: Path, out: Path) -> Path:
    html = page.read_text(encoding="utf-8")
    out.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    return out


def console(stderr: str) -> list[str]:
    return re.findall(r":CONSOLE[^\]]*\] (.*)", stderr)


def test_the_report_page_in_a_real_browser(tmp_path, record_property):
    html = Project.open(REPO).report(tmp_path / "report", format="html")[0]
    shot = tmp_path / "report.png"
    result = browse(probed(html, tmp_path / "probed.html"), tmp_path, f"--screenshot={shot}",
                    "--window-size=1000,2400")
    record_property("screenshot", str(shot))
    print(f"screenshot: {shot}")
    assert shot.exists() and shot.stat().st_size > 50_000, result.stderr[-2000:]
    messages = console(result.stderr)
    probe = [m for m in messages if m.startswith('"PROBE')]
    assert probe, f"the page did not finish loading: {result.stderr[-2000:]}"
    assert re.search(r'images=(\d+) broken=0 failed=\[\] fetched=\[\]', probe[0]), probe[0]
    assert int(re.search(r"images=(\d+)", probe[0]).group(1)) >= 8  # seven outcomes and the themes chart
    assert [m for m in messages if not m.startswith('"PROBE')] == []  # no console error or warning
    dom = browse(html, tmp_path, "--dump-dom").stdout  # the page as the browser built it, unprobed
    assert ("59% agreed they can influence decisions affecting their local area (52 of 88 respondents), "
            "compared with 22%") in dom
    assert dom.count('<img class="chart" src="data:image/svg+xml;base64,') >= 8
    assert not re.search(r"(src|href)=\"(?!data:|#)", dom)


def test_the_probe_sees_a_broken_page(tmp_path):
    """The checks above would notice a missing image, a remote one and a console error."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head></head><body><img src="missing.png">'
                   '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    messages = console(browse(probed(bad, tmp_path / "bad-probed.html"), tmp_path, "--dump-dom").stderr)
    assert '"boom"' in " ".join(messages)
    probe = next(m for m in messages if m.startswith('"PROBE'))
    assert "broken=1" in probe and "missing.png" in probe
