"""export_project: files, manifest, determinism, safety and refusing bad projects."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.export import ExportOptions, export_project
from coder.core.export import writer
from coder.core.project import Project
from export_fixture import PARTICIPANTS, coded_project, write_project
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)

TABLES = ["codebook", "participants", "quotes", "memos", "theme_by_group", "theme_by_programme", "theme_by_nation",
          "theme_by_role", "matrix", "quote_matrix", "quote_matrix_programme", "quote_matrix_nation",
          "quote_matrix_role", "theme_by_outcome", "joint_display", "joint_display_quotes", "cooccurrence",
          "pathways", "pathways_quotes"]


def test_memos_table_lists_each_memo_with_its_coding(fixture_project, tmp_path):
    fixture_project.memo("ann", "transcript", "p01-interview", "Interview cut short by a fire alarm.")
    export_project(fixture_project, tmp_path, ExportOptions())
    rows = read_csv(tmp_path / "memos.csv")
    on_coding = next(r for r in rows if r["target_kind"] == "coding")
    assert on_coding["memo"] == "Said with real pride." and on_coding["quote"] and on_coding["code_id"]
    on_transcript = next(r for r in rows if r["target_kind"] == "transcript")
    assert (on_transcript["transcript"], on_transcript["coder"]) == ("p01-interview", "ann")
    assert on_transcript["memo"] == "Interview cut short by a fire alarm."


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_writes_one_csv_per_table_and_a_manifest(fixture_project, tmp_path):
    steps = []
    paths = export_project(fixture_project, tmp_path / "out", ExportOptions(),
                           progress=lambda step, done, total: steps.append(step))
    assert [p.name for p in paths] == [f"{t}.csv" for t in TABLES] + ["manifest.json"]
    assert steps[0] == "codebook" and steps[-1] == "write"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["project"] == "Fixture evaluation" and manifest["coders"] == ["ann", "ben"]
    assert manifest["content_hash"].startswith("sha256:") and manifest["version"]
    assert manifest["codebook"] == {"name": "Fixture codebook", "file": "fixture.yaml", "codes": 5}
    assert manifest["options"]["format"] == "csv"
    for entry in manifest["tables"]:
        path = tmp_path / "out" / entry["file"]
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == [c["name"] for c in entry["columns"]], entry["name"]
        assert all(c["meaning"] for c in entry["columns"]) and entry["unit"]
        assert entry["rows"] == len(read_csv(path))
    themes = next(t for t in manifest["tables"] if t["name"] == "theme_by_group")
    assert "interviewed" in themes["denominator"]
    assert "'" in manifest["rules"]["spreadsheet_safety"]


def test_csv_values_round_trip(fixture_project, tmp_path):
    export_project(fixture_project, tmp_path, ExportOptions())
    rows = read_csv(tmp_path / "theme_by_group.csv")
    row = next(r for r in rows if (r["code_id"], r["group_variable"], r["group_value"]) ==
               ("confidence", "programme", "Active Communities"))
    assert (row["segments"], row["participants_mentioning"], row["participants_in_group"], row["percent"]) == \
        ("3", "2", "3", "66.7")
    joint = read_csv(tmp_path / "joint_display.csv")
    assert joint[3]["benchmark_percent"] == "" and joint[0]["ci_low"] == "23.1"
    raw = (tmp_path / "quotes.csv").read_bytes()
    assert b"\r\n" not in raw and not raw.startswith(b"\xef\xbb\xbf")


def test_the_default_folder_is_exports(tmp_path):
    project = coded_project(tmp_path / "p")
    paths = export_project(project)
    assert all(p.parent == project.root / "exports" for p in paths)


def test_text_cells_that_look_like_formulas_are_neutralised(fixture_project, tmp_path):
    export_project(fixture_project, tmp_path, ExportOptions())
    area = {r["participant_id"]: r["area"] for r in read_csv(tmp_path / "participants.csv")}
    assert area["B2"] == "'=1+2" and area["A1"] == "Calder"
    assert any(r["area"] == "'=1+2" for r in read_csv(tmp_path / "quotes.csv"))
    diff = [r["difference_pp"] for r in read_csv(tmp_path / "joint_display.csv")]
    assert "-50.0" in diff  # numbers are never prefixed


def test_xlsx_keeps_formula_like_text_as_text_without_an_apostrophe(fixture_project, tmp_path):
    import openpyxl

    (path, _) = export_project(fixture_project, tmp_path, ExportOptions(format="xlsx"))
    sheet = openpyxl.load_workbook(path)["participants"]
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: row[header.index("area")] for row in sheet.iter_rows(min_row=2)}
    guarded, plain = cells["B2"], cells["A1"]
    assert guarded.value == "=1+2" and guarded.data_type == "s" and guarded.quotePrefix
    assert plain.value == "Calder" and not plain.quotePrefix


def without_time(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("created")
    return data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_same_project_gives_byte_identical_files(fixture_project, tmp_path, fmt):
    options = ExportOptions(format=fmt, min_cell=2)
    first = export_project(fixture_project, tmp_path / "a", options)
    second = export_project(fixture_project, tmp_path / "b", options)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        if a.name == "manifest.json":
            assert without_time(a) == without_time(b)
        else:
            assert a.read_bytes() == b.read_bytes(), a.name


def test_xlsx_has_a_sheet_per_table_and_an_about_sheet(fixture_project, tmp_path):
    import openpyxl

    paths = export_project(fixture_project, tmp_path, ExportOptions(format="xlsx"))
    assert [p.name for p in paths] == ["coder-export.xlsx", "manifest.json"]
    book = openpyxl.load_workbook(paths[0], read_only=True)
    assert book.sheetnames == ["about", *TABLES]
    sheet = book["participants"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("participant_id", "programme", "nation", "role", "area")
    assert ("B2", "Local Conversations", "England", "practitioner", "=1+2") in [r[:5] for r in rows]
    manifest = json.loads(paths[1].read_text(encoding="utf-8"))
    assert {t["file"] for t in manifest["tables"]} == {"coder-export.xlsx"}
    assert {t["sheet"] for t in manifest["tables"]} == set(TABLES)


def test_xlsx_carries_no_time_of_saving(fixture_project, tmp_path):
    import openpyxl

    path = export_project(fixture_project, tmp_path, ExportOptions(format="xlsx"))[0]
    props = openpyxl.load_workbook(path, read_only=True).properties
    assert props.created.year == props.modified.year == 2000
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "quotes.csv"
    target.write_bytes(b"old,complete\n")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(CoderError, match="disk full") as info:
        writer.write_atomic(target, b"new," * 1000)
    assert info.value.file == str(target) and "unchanged" in info.value.hint
    assert target.read_bytes() == b"old,complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["quotes.csv"]


def test_min_cell_is_documented_in_the_manifest(fixture_project, tmp_path):
    export_project(fixture_project, tmp_path, ExportOptions(min_cell=5))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert "'<5'" in manifest["suppression"] and manifest["options"]["min_cell"] == 5


@pytest.mark.parametrize("change, line, words", [
    (lambda t: t.replace("B1,Local", "A2,Local"), 6, "duplicate participant id"),
    (lambda t: t.replace("participant_id,", "person,", 1), 1, "no `participant_id` column"),
    (lambda t: t.replace("A3,Active Communities,Wales,participant,Penrhyn,Yes",
                         "A3,Active Communities,Wales,participant,Penrhyn,Maybe"), 4, "not an allowed answer"),
])
def test_refuses_a_bad_participant_table_with_file_and_line(tmp_path, change, line, words):
    project = Project.open(write_project(tmp_path, participants=change(PARTICIPANTS)))
    with pytest.raises(CoderError) as err:
        export_project(project, tmp_path / "out")
    assert err.value.file.endswith("participants.csv") and err.value.line == line
    assert words in err.value.message
    assert not (tmp_path / "out").exists()


def test_refuses_attributes_that_disagree_with_a_transcript(tmp_path):
    table = PARTICIPANTS.replace("A1,Active Communities,England", "A1,Active Communities,Scotland")
    project = Project.open(write_project(tmp_path, participants=table))
    with pytest.raises(CoderError) as err:
        export_project(project, tmp_path / "out")
    assert err.value.file.endswith("a1.txt")
    assert "nation" in err.value.message


@pytest.mark.parametrize("options, words", [
    (ExportOptions(codes=("nope",)), "unknown code 'nope'"),
    (ExportOptions(group_by=("shoe_size",)), "cannot group by 'shoe_size'"),
    (ExportOptions(format="pdf"), "unknown export format"),
    (ExportOptions(coder="nobody"), "coder 'nobody' has no codings"),
    (ExportOptions(quotes_per_cell=0), "at least 1"),
])
def test_bad_options_are_user_errors(fixture_project, tmp_path, options, words):
    with pytest.raises(CoderError, match=words):
        export_project(fixture_project, tmp_path, options)


def test_importing_the_exports_does_not_import_pandas():
    code = "import sys, coder.core.export; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
