"""quotes.csv, codebook.csv and participants.csv on the fixture project."""

from __future__ import annotations

from export_fixture import CODINGS, MEMO, SUGGESTED, rows_by, tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)


def test_one_row_per_coding_in_transcript_order(fixture_project):
    table = tables(fixture_project)["quotes"]
    assert len(table.rows) == len(CODINGS)
    keys = [(r["transcript"], r["start"]) for r in table.records()]
    assert keys == sorted(keys)
    assert sorted(r["quote"] for r in table.records()) == sorted(q for *_, q in CODINGS)


def test_quote_rows_carry_the_speaker_attributes_and_answers(fixture_project):
    rows = rows_by(tables(fixture_project)["quotes"], "transcript", "quote", "coder")
    row = rows[("fg", "It gave me confidence.", "ann")]
    assert (row["participant_id"], row["speaker"], row["programme"], row["nation"], row["role"],
            row["q_friends"], row["q_partner"]) == ("A2", "Cai", "Active Communities", "Wales", "participant", "No", "")
    assert (row["code_id"], row["code_name"], row["code_path"]) == ("confidence", "Confidence", "short/confidence")
    assert (row["level_1"], row["level_2"], row["level_3"]) == ("Short-term", "Confidence", "")
    friends = rows[("b1", "Some are friends now.", "ann")]
    assert (friends["level_1"], friends["level_2"], friends["level_3"]) == ("Short-term", "Social networks", "New friends")
    text = fixture_project.transcript("b1").text
    assert text[friends["start"]:friends["end"]] == "Some are friends now."


def test_interviewer_codings_stay_with_an_empty_participant(fixture_project):
    rows = rows_by(tables(fixture_project)["quotes"], "transcript", "quote", "coder")
    row = rows[("a1", "How did you start?", "ann")]
    assert (row["participant_id"], row["speaker"], row["programme"]) == ("", "Interviewer", "")


def test_origin_memo_coder_and_timestamps(fixture_project):
    records = tables(fixture_project)["quotes"].records()
    by_quote = {(r["quote"], r["coder"]): r for r in records}
    suggested = by_quote[(CODINGS[SUGGESTED - 1][3], "ann")]
    assert (suggested["origin"], suggested["model"], suggested["score"], suggested["suggestion_rank"]) == \
        ("suggestion", "all-MiniLM-L6-v2", 0.83, 1)
    assert suggested["start_time"] == "00:01:05"  # b2.txt has [hh:mm:ss] timestamps
    manual = by_quote[("I felt more confident after a month.", "ann")]
    assert (manual["origin"], manual["model"], manual["score"], manual["start_time"]) == ("manual", "", None, "")
    memo_n, memo_text = MEMO
    assert by_quote[(CODINGS[memo_n - 1][3], "ann")]["memo"] == memo_text
    assert {r["coder"] for r in records} == {"ann", "ben"}
    assert all(r["coding_id"] and r["coded_at"] for r in records)


def test_codebook_flattened(fixture_project):
    table = tables(fixture_project)["codebook"]
    got = [(r["code_id"], r["path"], r["parent"], r["level"], r["name"]) for r in table.records()]
    assert got == [("short", "short", "", 1, "Short-term"), ("confidence", "short/confidence", "short", 2, "Confidence"),
                   ("networks", "short/networks", "short", 2, "Social networks"),
                   ("friends", "short/networks/friends", "networks", 3, "New friends"),
                   ("power", "power", "", 1, "Community power")]
    friends = table.records()[3]
    assert friends["definition"] == "Friendships made." and friends["examples"] == "We became friends."
    assert friends["colour"].startswith("#")


def test_participants_table_marks_who_was_interviewed(fixture_project):
    table = tables(fixture_project)["participants"]
    assert [r["participant_id"] for r in table.records()] == ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]
    rows = rows_by(table, "participant_id")
    assert (rows[("A2",)]["transcript_ids"], rows[("A2",)]["n_transcripts"]) == ("fg", 1)
    assert (rows[("A4",)]["transcript_ids"], rows[("A4",)]["n_transcripts"]) == ("", 0)
    assert rows[("B2",)]["q_partner"] == "Yes" and rows[("B2",)]["role"] == "practitioner"
    assert list(table.columns)[:7] == ["participant_id", "programme", "nation", "role", "area", "q_friends", "q_partner"]
