"""`coder pseudonymise` as a researcher runs it: list, decide, write the copy."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.core.pseudonym.conftest import REPO, copy_sample


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "coder", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_list_decide_and_write_a_copy(tmp_path):
    study = copy_sample(tmp_path / "study")
    listed = run("pseudonymise", "--list", "--json", "--no-ner", cwd=study)
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    sandra = next(r for r in rows if r["text"] == "Sandra")
    assert sandra["kind"] == "name" and sandra["count"] > 5 and sandra["replacement"].startswith("[Name ")
    assert "Sandra" in sandra["context"]
    decided = run("pseudonymise", "--decide", "Sandra", "--as", "accept-everywhere", "--replacement", "[Practitioner]",
                  cwd=study)
    assert decided.returncode == 0 and "Sandra: accept-everywhere as [Practitioner]" in decided.stdout
    listed = run("pseudonymise", "--list", "--no-ner", cwd=study)
    assert "[Practitioner]" in listed.stdout and "accept-everywhere" in listed.stdout
    wrote = run("pseudonymise", "--out", str(tmp_path / "copy"), "--key", str(tmp_path / "key.csv"), "--accept", "all",
                "--no-ner", cwd=study)
    assert wrote.returncode == 0, wrote.stderr
    assert "318 codings" in wrote.stdout
    assert stat.S_IMODE((tmp_path / "key.csv").stat().st_mode) == 0o600
    checked = run("check", cwd=tmp_path / "copy")
    assert checked.returncode == 0 and "0 error(s), 0 warning(s)" in checked.stdout + checked.stderr
    assert "[Practitioner]" in (tmp_path / "copy" / "transcripts" / "lc-eng-pr03-interview.md").read_text()


def test_a_reviewed_copy_warns_of_candidates_nobody_reviewed(tmp_path):
    """The default (--accept reviewed) leaves undecided candidates as written: the researcher is told
    how many, and --accept all leaves none and says nothing."""
    study = copy_sample(tmp_path / "study")
    listed = run("pseudonymise", "--list", "--json", "--no-ner", cwd=study)
    undecided = {json.loads(line)["text"] for line in listed.stdout.splitlines()}
    reviewed = run("pseudonymise", "--out", str(tmp_path / "a"), "--key", str(tmp_path / "a.csv"), "--no-ner", cwd=study)
    assert reviewed.returncode == 0, reviewed.stderr
    warning = next(line for line in reviewed.stderr.splitlines() if "nobody has reviewed" in line)
    assert warning.startswith(f"coder: warning: {len(undecided)} candidate identifier(s)")
    assert "--accept all" in warning
    everything = run("pseudonymise", "--out", str(tmp_path / "b"), "--key", str(tmp_path / "b.csv"), "--accept", "all",
                     "--no-ner", cwd=study)
    assert everything.returncode == 0 and "nobody has reviewed" not in everything.stderr


def test_a_key_inside_the_project_is_refused_with_a_hint(tmp_path):
    study = copy_sample(tmp_path / "study")
    result = run("pseudonymise", "--out", str(tmp_path / "copy"), "--key", "exports/key.csv", "--no-ner", cwd=study)
    assert result.returncode == 2
    assert "key file must be outside the project" in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "copy").exists() and not (study / "exports" / "key.csv").exists()


def test_nothing_to_do_says_what_to_do(tmp_path):
    study = copy_sample(tmp_path / "study")
    result = run("pseudonymise", cwd=study)
    assert result.returncode == 2 and "--list" in result.stderr


def test_quote_command_accepts_the_published_version_and_refuses_a_changed_one(tmp_path):
    study = copy_sample(tmp_path / "study")
    coding = "01M8K7G12Y0CSGFKW5C0GTA96D"
    refused = run("quote", coding, "we are ready to [act] today", "--coder", "sample-coder", cwd=study)
    assert refused.returncode == 2 and "changes what was said" in refused.stderr and "hint:" in refused.stderr
    ok = run("quote", coding, "[Now] we are ready to go to the council\u2026", "--coder", "sample-coder", cwd=study)
    assert ok.returncode == 0, ok.stderr
    assert "reported as" in ok.stdout
    removed = run("quote", coding, "--remove", "--coder", "sample-coder", cwd=study)
    assert removed.returncode == 0 and "no reported quote" in removed.stdout
