"""Damaged logs, unreadable transcripts, uncertain re-placements: every command goes on, says what it left out
and why, and the log can be repaired; and the project is found from anywhere inside it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coder.core.project import Project

TRANSCRIPT = textwrap.dedent("""\
    ---
    speakers: {Tariq: P07, Gwen: P08}
    interviewers: [Interviewer]
    ---
    Interviewer: Did it help?

    Tariq: Yes, definitely. We met every week in the hall.

    Interviewer: And you, Gwen?

    Gwen: Yes, definitely. My daughter came along too.
    """)


def run(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coder", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    Project.init(root)
    (root / "transcripts" / "group.md").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "transcripts" / "participants.csv").write_text(
        "participant_id,programme,nation,role,q_example\nP07,A,England,participant,Yes\n"
        "P08,A,England,participant,No\n", encoding="utf-8")
    return root


def code(root: Path, phrase: str, occurrence: int = 0) -> str:
    project = Project.open(root)
    text = project.transcript("group").text
    i = -1
    for _ in range(occurrence + 1):
        i = text.index(phrase, i + 1)
    return project.apply("tester", "group", "example-theme", i, i + len(phrase)).id


def tear(root: Path) -> tuple[Path, bytes]:
    """Two whole lines, then a line cut short by a crash, then the tool wrote on."""
    code(root, "We met every week in the hall.")
    log = root / "codings" / "tester.jsonl"
    whole = log.read_bytes()
    log.write_bytes(whole + whole[: len(whole) // 2].rstrip(b"\n"))  # a torn copy of the first line
    code(root, "My daughter came along too.")
    return log, log.read_bytes()


def test_a_torn_line_never_stops_an_export_and_the_manifest_says_where_it_was(root):
    log, _ = tear(root)
    result = run("export", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "codings/tester.jsonl:2" in result.stdout and "--repair" in result.stdout
    manifest = json.loads((root / "exports" / "manifest.json").read_text())
    assert manifest["skipped_log_lines"]["lines"] == ["codings/tester.jsonl:2"]
    quotes = (root / "exports" / "quotes.csv").read_text()
    assert "We met every week" in quotes and "My daughter" in quotes  # the readable lines all count
    check = run("check", cwd=root)
    assert check.returncode == 0 and f"{log}:2: warning:" in check.stdout


def test_repair_asks_then_quarantines_without_losing_a_byte(root):
    log, before = tear(root)
    declined = run("check", "--repair", cwd=root, stdin="n\n")
    assert "Nothing changed." in declined.stdout and log.read_bytes() == before
    done = run("check", "--repair", cwd=root, stdin="y\n")
    assert done.returncode == 0, done.stderr
    assert "Quarantined 1 line(s)" in done.stdout and f"{log}:2: warning" not in done.stdout
    after = log.read_bytes()
    assert after.startswith(before)  # append-only: every acknowledged event is still there
    event = json.loads(after.splitlines()[-1])
    assert event["type"] == "quarantine" and event["file"] == "tester.quarantine.jsonl"
    [entry] = [json.loads(x) for x in (root / "codings" / "tester.quarantine.jsonl").read_text().splitlines()]
    assert entry["line"] == 2 and before.splitlines()[1].decode() == entry["text"]
    project = Project.open(root)
    assert project.store.problems == [] and len(project.codings()) == 2
    again = run("check", "--repair", "--yes", cwd=root)
    assert "No damaged lines" in again.stdout
    manifest_run = run("export", cwd=root)
    assert json.loads((root / "exports" / "manifest.json").read_text())["skipped_log_lines"]["count"] == 0
    assert "damaged" not in manifest_run.stdout


CRASHING_REPAIR = """
import os, sys
import coder.core.codings.store as store
copy = store.copy_aside
def crash(*args):
    copy(*args)
    os._exit(9)  # killed after the side file, before the log records the repair
store.copy_aside = crash
from coder.core.project import Project
Project.open(sys.argv[1]).repair_logs()
"""


def test_a_crash_during_repair_loses_nothing_and_the_next_repair_finishes_it(root):
    log, before = tear(root)
    crashed = subprocess.run([sys.executable, "-c", CRASHING_REPAIR, str(root)], capture_output=True)
    assert crashed.returncode == 9
    assert log.read_bytes() == before  # the log is untouched
    side = root / "codings" / "tester.quarantine.jsonl"
    assert len(side.read_text().splitlines()) == 1
    assert Project.open(root).store.problems  # still reported: the repair did not finish
    assert run("check", "--repair", "--yes", cwd=root).returncode == 0
    assert len(side.read_text().splitlines()) == 1  # the copied line is not copied twice
    assert log.read_bytes().startswith(before) and Project.open(root).store.problems == []


def test_export_leaves_out_a_coding_that_moved_to_another_speaker_and_says_so(root):
    tariq = code(root, "Yes, definitely.")
    gwen = code(root, "Yes, definitely.", 1)
    path = root / "transcripts" / "group.md"
    path.write_text(TRANSCRIPT.replace("Tariq: Yes, definitely.", "Tariq: Yes, I'd say so."), encoding="utf-8")
    check = run("check", cwd=root)
    assert "1 coding(s) were re-placed" in check.stdout
    result = run("export", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "1 coding(s) left out" in result.stdout and "Gwen's turn (was Tariq's): another participant" in result.stdout
    manifest = json.loads((root / "exports" / "manifest.json").read_text())
    assert [r["coding"] for r in manifest["left_out"]["codings"]] == [tariq]
    quotes = (root / "exports" / "quotes.csv").read_text()
    assert gwen in quotes and tariq not in quotes
    listed = json.loads(run("orphans", "--json", cwd=root).stdout)
    assert [r["coding"] for r in listed] == [tariq]
    text = Project.open(root).transcript("group").text
    at = text.index("Yes, I'd say so.")
    placed = run("orphans", "--place", tariq, "--at", f"{at}:{at + len('Yes, I' + chr(39) + 'd say so.')}", cwd=root)
    assert placed.returncode == 0, placed.stderr
    run("export", cwd=root)
    assert json.loads((root / "exports" / "manifest.json").read_text())["left_out"]["count"] == 0
    assert tariq in (root / "exports" / "quotes.csv").read_text()  # confirmed: exported again


def test_export_lists_orphans_it_leaves_out(root):
    lost = code(root, "We met every week in the hall.")
    path = root / "transcripts" / "group.md"
    path.write_text(TRANSCRIPT.replace("We met every week in the hall.", "Nothing else to add."), encoding="utf-8")
    result = run("export", cwd=root)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "exports" / "manifest.json").read_text())
    assert manifest["left_out"]["count"] == 1
    [row] = manifest["left_out"]["codings"]
    assert row["coding"] == lost and row["why"] == "orphaned by a transcript edit"
    assert f"{lost} tester group example-theme: orphaned" in result.stdout


# --- one unreadable transcript costs only itself ------------------------------------


def test_one_unreadable_transcript_is_reported_and_the_rest_is_processed(root):
    code(root, "We met every week in the hall.")
    (root / "transcripts" / "broken.docx").write_bytes(b"PK\x03\x04 not a Word document")
    stats = run("stats", "--json", cwd=root)
    assert stats.returncode == 1
    assert [r["transcript"] for r in json.loads(stats.stdout)] == ["group"]
    assert "broken.docx" in stats.stderr and "1 transcript(s) could not be read" in stats.stderr
    check = run("check", cwd=root)
    assert check.returncode == 2 and "broken.docx: error:" in check.stderr and "Traceback" not in check.stderr
    export = run("export", cwd=root)
    assert export.returncode == 1 and "broken.docx" in export.stderr
    manifest = json.loads((root / "exports" / "manifest.json").read_text())
    assert manifest["unreadable_transcripts"]["count"] == 1
    assert "We met every week" in (root / "exports" / "quotes.csv").read_text()


# --- finding the project ------------------------------------------------------------


@pytest.mark.parametrize("args", [("-C", "{root}", "stats"), ("stats", "-C", "{root}"),
                                  ("-C", "{root}/transcripts", "stats"), ("--project", "{root}", "stats", "--json")])
def test_dash_c_works_before_or_after_the_command_and_from_inside_the_project(root, tmp_path, args):
    result = run(*(a.format(root=root) for a in args), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "group" in result.stdout


def test_the_project_is_found_upwards_from_a_subfolder(root):
    result = run("stats", cwd=root / "transcripts")
    assert result.returncode == 0, result.stderr
    assert "group" in result.stdout
    deeper = root / "transcripts" / "wave2"
    deeper.mkdir()
    assert run("check", cwd=deeper).returncode == 0
    assert run("-C", "transcripts", "stats", cwd=root).returncode == 0


def test_outside_any_project_the_error_says_where_it_looked(tmp_path):
    result = run("stats", cwd=tmp_path)
    assert result.returncode == 2
    assert "not in a coder project" in result.stderr and "parent folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_options_without_a_command_open_the_workbench():
    from coder.cli import with_default_command

    assert with_default_command(["--coder", "ana"]) == ["open", "--coder", "ana"]
    assert with_default_command(["-C", "study", "--coder", "ana"]) == ["-C", "study", "open", "--coder", "ana"]
    assert with_default_command(["../study"]) == ["open", "../study"]
    assert with_default_command(["stats", "-C", "x"]) == ["stats", "-C", "x"]
    assert with_default_command(["--help"]) == ["--help"] and with_default_command([]) == []
    shown = subprocess.run([sys.executable, "-m", "coder", "--coder", "ana", "--help"], capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: coder open")
