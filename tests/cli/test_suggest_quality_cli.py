"""`coder suggest --quality` and `--fine-tune` on the sample project, with the packaged model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from coder.core.project import Project
from coder.core.suggest.values import Suggestion

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coder", *args], cwd=REPO, capture_output=True, text=True)


def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for part in ("transcripts", "codebooks", "codings"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "coder.yaml", root / "coder.yaml")
    return root


def test_quality_reports_decisions_by_band_and_kappa_per_code(tmp_path):
    root = sample(tmp_path)
    project = Project.open(root)
    t = project.transcript("ac-eng-p12-interview")
    s1, s2 = t.segments[3], t.segments[4]
    project.accept("sample-coder", t.id, s1.start, s1.end,
                   Suggestion("confidence", "Confidence", 0.9, "strong", 1, None, "all-MiniLM-L6-v2"))
    project.reject("sample-coder", t.id, s2.start, s2.end,
                   Suggestion("partnerships", "Partnerships", 0.6, "strong", 2, None, "all-MiniLM-L6-v2"))

    result = run("suggest", "--quality", "--json", "-C", str(root))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    strong = next(b for b in data["bands"] if b["band"] == "strong")
    assert (strong["accepted"], strong["rejected"], strong["precision"]) == (1, 1, 0.5)
    codes = {c["code"]: c for c in data["codes"]}
    assert codes["confidence"]["positives"] >= 40
    measured = [c for c in codes.values() if c["kappa"] is not None]
    assert len(measured) >= 8 and all(c["positives"] >= data["min_positives"] for c in measured)
    assert all(0.2 < c["kappa"] <= 1 and 0 < c["f1"] <= 1 for c in measured)  # the sample's codes are learnable
    assert data["folds"] == 5 and data["model"] == "all-MiniLM-L6-v2"

    table = run("suggest", "--quality", "-C", str(root))
    assert table.returncode == 0, table.stderr
    assert "band      accepted  rejected  precision" in table.stdout
    assert "Mean kappa over the" in table.stdout and "confidence" in table.stdout
    assert "Trust the suggestions for " in table.stdout  # which codes to trust, in words
    assert f"Computed {data['time'][:16].replace('T', ' ')} UTC; kept in .coder/quality.json" in table.stdout  # reused
    assert "Traceback" not in table.stderr


def test_fine_tune_refuses_with_too_few_codings_and_json_needs_quality(tmp_path):
    root = tmp_path / "p"
    assert run("init", str(root)).returncode == 0
    refused = run("suggest", "--fine-tune", "-C", str(root))
    assert refused.returncode == 2
    assert "fine-tuning needs at least 100 coded passages; this project has 0" in refused.stderr
    assert "Traceback" not in refused.stderr
    lone = run("suggest", "--json", "-C", str(root))
    assert lone.returncode == 2 and "--json goes with --quality" in lone.stderr
    fresh = run("suggest", "--fresh", "-C", str(root))
    assert fresh.returncode == 2 and "--fresh goes with --quality" in fresh.stderr
