"""The command line: every command documented, exit codes, clear errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coder.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coder", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_documented(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: coder {name}" in capsys.readouterr().out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"coder {name}" in readme, f"`coder {name}` is not documented in the README"


def test_init_then_check_is_clean(tmp_path):
    target = tmp_path / "study"
    result = run("init", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "codebooks" / "codebook.yaml").exists()
    check = run("check", "-C", str(target))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 error(s)" in check.stdout
    again = run("init", str(target))
    assert again.returncode == 2 and "already holds a coder project" in again.stderr


def test_check_reports_file_and_line_and_exits_2(tmp_path):
    project = tmp_path / "p"
    assert run("init", str(project)).returncode == 0
    book = project / "codebooks" / "codebook.yaml"
    book.write_text(book.read_text().replace('colour: "#f28e2b"', 'colour: "orange-ish"'), encoding="utf-8")
    result = run("check", "-C", str(project))
    assert result.returncode == 2
    line = next(i for i, l in enumerate(book.read_text().splitlines(), 1) if "orange-ish" in l)
    assert f"codebook.yaml:{line}: error: code 'example-subtheme' has a bad colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_strict_turns_warnings_into_exit_1(tmp_path):
    project = tmp_path / "p"
    assert run("init", str(project)).returncode == 0
    book = project / "codebooks" / "codebook.yaml"
    book.write_text(book.read_text().replace("        definition: A narrower part of the example theme.\n", ""), encoding="utf-8")
    assert run("check", "-C", str(project)).returncode == 0
    assert run("check", "--strict", "-C", str(project)).returncode == 1


def test_not_a_project_is_a_clear_error(tmp_path):
    result = run("stats", "-C", str(tmp_path))
    assert result.returncode == 2
    assert "is not in a coder project" in result.stderr and "coder init" in result.stderr
    assert "Traceback" not in result.stderr


def test_sample_project_checks_clean():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_stats_json_counts_the_sample_project():
    result = run("stats", "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["transcript"]: r for r in json.loads(result.stdout)}
    assert len(rows) >= 13
    assert {r["format"] for r in rows.values()} == {"md", "txt", "vtt", "srt", "docx"}
    long = rows["lc-sco-p06-interview"]
    assert 14_000 <= long["words"] <= 16_500
    assert rows["lc-eng-focus-group"]["speakers"] == 5
    assert all(r["words"] >= 1000 for t, r in rows.items() if not t.endswith("-wave2"))  # wave 2: short follow-ups
    assert {t for t in rows if t.endswith("-wave2")} == {"ac-eng-p01-interview-wave2", "lc-sco-p06-interview-wave2"}


def test_stats_does_not_import_torch():
    code = "import sys; from coder.cli import main; main(['stats']); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_bad_participant_table_fails_check_with_line(tmp_path):
    project = tmp_path / "sample"
    shutil.copytree(REPO / "codebooks", project / "codebooks")
    shutil.copytree(REPO / "transcripts", project / "transcripts")
    table = project / "transcripts" / "participants.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(lines[1])  # a duplicate id at the end
    table.write_text("".join(lines), encoding="utf-8")
    result = run("check", "-C", str(project))
    assert result.returncode == 2
    assert f"participants.csv:{len(lines)}: error: duplicate participant id" in result.stderr


def test_front_matter_disagreeing_with_the_table_stops_check_and_export(tmp_path):
    project = tmp_path / "sample"
    for folder in ("codebooks", "transcripts"):
        shutil.copytree(REPO / folder, project / folder)
    path = project / "transcripts" / "ac-eng-p01-interview.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, l in enumerate(lines, 1) if l.startswith("nation:"))
    lines[line - 1] = "nation: Wales\n"
    path.write_text("".join(lines), encoding="utf-8")
    expected = f"ac-eng-p01-interview.md:{line}: error: nation is 'Wales' here but 'England' for AC-ENG-P01"
    check = run("check", "-C", str(project))
    assert check.returncode == 2 and expected in check.stderr
    export = run("export", "-C", str(project))
    assert export.returncode == 2
    assert f"ac-eng-p01-interview.md:{line}: nation is 'Wales' here" in export.stderr
    assert not (project / "exports" / "quotes.csv").exists()
    assert "Traceback" not in export.stderr


def copy_sample(tmp_path: Path, with_codings: bool = True) -> Path:
    project = tmp_path / "sample"
    for folder in ("codebooks", "transcripts") + (("codings",) if with_codings else ()):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy(REPO / "coder.yaml", project / "coder.yaml")
    return project


def test_orphans_after_editing_a_sample_transcript(tmp_path):
    project = copy_sample(tmp_path)
    path = project / "transcripts" / "lc-eng-pr03-interview.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("So we are ready to")
    end = text.index("achieve this.", start) + len("achieve this.")
    path.write_text(text[:start] + "We talked about other things." + text[end:], encoding="utf-8")
    listed = run("orphans", "--json", "-C", str(project))
    assert listed.returncode == 0, listed.stderr
    orphans = json.loads(listed.stdout)
    assert orphans and all(o["transcript"] == "lc-eng-pr03-interview" for o in orphans)
    assert any(o["old quote"].startswith("So we are ready to") for o in orphans)
    target = orphans[0]["coding"]
    discarded = run("orphans", "--discard", target, "--coder", orphans[0]["coder"], "-C", str(project))
    assert discarded.returncode == 0 and f"Discarded {target}" in discarded.stdout
    remaining = json.loads(run("orphans", "--json", "-C", str(project)).stdout)
    assert target not in {o["coding"] for o in remaining}
    assert len(remaining) == len(orphans) - 1


def test_agree_prints_and_writes_the_table(tmp_path):
    project = copy_sample(tmp_path)
    result = run("agree", "sample-coder", "second-coder", "--codes", "confidence,partnerships", "-C", str(project))
    assert result.returncode == 0, result.stderr
    assert "confidence" in result.stdout and "(pooled)" in result.stdout and "kappa" in result.stdout
    assert (project / "exports" / "irr_by_code.csv").exists()


def test_qdpx_export_then_import_round_trips_the_codings(tmp_path):
    project = copy_sample(tmp_path)
    exported = run("export", "--format", "qdpx", "--out", str(tmp_path / "out"), "-C", str(project))
    assert exported.returncode == 0, exported.stderr
    qdpx = tmp_path / "out" / "project.qdpx"
    assert qdpx.exists()
    imported = run("import", str(qdpx), str(tmp_path / "copy"))
    assert imported.returncode == 0, imported.stderr
    from coder.core.project import Project

    before = {(c.coder, c.code, c.quote) for c in Project.open(project).codings()}
    after = {(c.coder, c.code, c.quote) for c in Project.open(tmp_path / "copy").codings()}
    assert after == before and len(before) > 250


def test_suggest_writes_ranked_codes_for_participant_sentences_offline(tmp_path):
    project = copy_sample(tmp_path)
    out = tmp_path / "s.jsonl"
    result = run("suggest", "ac-eng-p12-interview", "--format", "jsonl", "--out", str(out), "-C", str(project))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {r["transcript"] for r in rows} == {"ac-eng-p12-interview"}
    assert {"segment", "speaker", "code", "score", "band", "reason"} <= set(rows[0])
    assert "Interviewer" not in {r["speaker"] for r in rows}
    assert {r["band"] for r in rows} <= {"weak", "possible", "strong"}
    assert (project / ".coder" / "embeddings").is_dir()  # a second run reuses the cache


def test_done_marks_a_transcript_and_export_warns_about_the_rest(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(REPO / "transcripts", project / "transcripts")
    shutil.copytree(REPO / "codebooks", project / "codebooks")
    shutil.copytree(REPO / "codings", project / "codings")
    marked = run("done", "-C", str(project), "ac-wal-p04-interview", "--coder", "sample-coder")
    assert marked.returncode == 0 and "ac-wal-p04-interview: done for sample-coder" in marked.stdout
    listed = run("done", "-C", str(project))
    assert "ac-wal-p04-interview  done by sample-coder" in listed.stdout
    assert "lc-wal-p07-interview  not done" in listed.stdout
    exported = run("export", "-C", str(project), "--out", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    assert "warning: 6 of 16 transcripts are not marked done" in exported.stderr
    undone = run("done", "-C", str(project), "ac-wal-p04-interview", "--undo", "--coder", "sample-coder")
    assert "not done for sample-coder" in undone.stdout
    missing = run("done", "-C", str(project), "nosuch")
    assert missing.returncode == 2 and "no transcript 'nosuch'" in missing.stderr and "Traceback" not in missing.stderr
