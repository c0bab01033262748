"""`coder find`, `coder search` and `coder codes stats` on the sample project give the
answers of the export tables (`coder export`: quotes.csv and theme_by_group.csv)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coder", *args, "-C", str(REPO)], cwd=REPO,
                          capture_output=True, text=True)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("exports")
    ok("export", "--out", str(out))
    read = lambda name: list(csv.DictReader((out / f"{name}.csv").open(encoding="utf-8")))  # noqa: E731
    return {"quotes": read("quotes"), "theme_by_group": read("theme_by_group")}


@pytest.mark.parametrize("code", ["community-power", "short-term", "new-friends"])
def test_find_with_children_is_the_quotes_table(exported, code):
    found = json.loads(ok("find", code, "--with-children", "--json"))
    expected = [r for r in exported["quotes"] if code in r["code_path"].split("/")]
    assert sorted(r["coding_id"] for r in found) == sorted(r["coding_id"] for r in expected)
    alone = json.loads(ok("find", code, "--json"))
    assert sorted(r["coding_id"] for r in alone) == sorted(r["coding_id"] for r in expected if r["code_id"] == code)


def test_find_where_gives_the_participants_of_theme_by_group(exported):
    for programme in ("Active Communities", "Local Conversations"):
        found = json.loads(ok("find", "community-power", "--with-children", "--where", f"programme={programme}", "--json"))
        people = {p for r in found for p in r["participant_id"].split("; ") if p}
        row = next(r for r in exported["theme_by_group"] if (r["code_id"], r["group_variable"], r["group_value"])
                   == ("community-power", "programme", programme))
        members = {r["participant_id"] for r in found if r["programme"] == programme}
        assert len(people & members) == int(row["participants_mentioning"])
        assert all(r["programme"] == programme or not r["participant_id"] for r in found)


def test_codes_stats_by_attribute_is_theme_by_group(exported):
    for var in ("programme", "role"):
        stats = json.loads(ok("codes", "stats", "--by", var, "--json"))
        counted = {(r["code_id"], r[var]): r for r in stats}
        for row in exported["theme_by_group"]:
            if row["group_variable"] != var:
                continue
            got = counted.get((row["code_id"], row["group_value"]), {"participants": 0, "segments": 0})
            assert (got["participants"], got["segments"]) == (int(row["participants_mentioning"]), int(row["segments"]))


def test_codes_stats_table_and_depth():
    out = ok("codes", "stats", "--depth", "1")
    assert "short-term" in out and "longer-term" in out and "confidence" not in out
    assert "never summed" in out


def test_find_prints_quotes_with_context_and_a_summary():
    out = ok("find", "influence-decisions", "--where", "programme=Local Conversations", "--context", "1")
    assert "» " in out and "… " in out
    assert out.rstrip().splitlines()[-1].startswith("25 coding(s) of influence-decisions (Influence over local decisions)")
    rows = list(csv.DictReader(ok("find", "influence-decisions", "--csv").splitlines()))
    assert rows and {"quote", "participant_id", "programme", "coder", "origin"} <= set(rows[0])


def test_search_across_line_breaks_and_speakers():
    hits = json.loads(ok("search", "OWN   voice", "--json"))
    assert [(h["transcript"], h["participant_id"]) for h in hits] == [("lc-eng-pr03-interview", "LC-ENG-PR03")]
    everyone = json.loads(ok("search", "council", "--speakers", "all", "--json"))
    participants = json.loads(ok("search", "council", "--json"))
    assert len(everyone) >= len(participants) > 0 and all(h["participant_id"] for h in participants)
    regex = json.loads(ok("search", r"counc\w*", "--regex", "--json"))
    assert len(regex) >= len(participants)
    assert "hit(s) of 'own voice'" in ok("search", "own voice")


@pytest.mark.parametrize("args, message", [
    (("find", "nope"), "unknown code 'nope'"),
    (("find", "confidence", "--where", "colour=red"), "cannot filter by 'colour'"),
    (("find", "confidence", "--where", "programme"), "COLUMN=VALUE"),
    (("search", "(", "--regex"), "bad regular expression"),
    (("codes", "stats", "--by", "colour"), "cannot group by 'colour'"),
    (("codes", "stats", "--depth", "0"), "--depth must be 1 or more"),
])
def test_mistakes_exit_2_with_a_message(args, message):
    result = run(*args)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_codes_rename_and_merge_from_the_command_line(tmp_path):
    from tests.ui.conftest import write_project

    root = write_project(tmp_path / "p")

    def codes(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "coder", "codes", *args, "-C", str(root)], cwd=REPO,
                              capture_output=True, text=True)

    renamed = codes("rename", "confidence", "self-belief")
    assert renamed.returncode == 0, renamed.stderr
    assert "Renamed confidence to self-belief" in renamed.stdout
    merged = codes("merge", "new-skills", "--into", "self-belief")
    assert merged.returncode == 0, merged.stderr
    book = (root / "codebooks" / "test.yaml").read_text(encoding="utf-8")
    assert "former_ids: [confidence, new-skills]" in book and "- id: new-skills" not in book
    assert book.startswith("# Test codebook")
    taken = codes("rename", "self-belief", "community-power")
    assert taken.returncode == 2 and "already taken" in taken.stderr and "Traceback" not in taken.stderr
