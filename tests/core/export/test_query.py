"""Reading back (coder.core.query) against the export tables of ``export_fixture``:
a retrieval is the quotes.csv rows of the code, and the counts are theme_by_group's."""

from __future__ import annotations

import pytest
from export_fixture import tables
from export_fixture import fixture_project  # noqa: F401  (a pytest fixture, requested by name)

from coder.core.errors import CoderError
from coder.core.query import Filters


def quote_rows(project, code: str, with_children: bool) -> list[dict]:
    rows = tables(project)["quotes"].records()
    if with_children:
        return [r for r in rows if code in r["code_path"].split("/")]
    return [r for r in rows if r["code_id"] == code]


@pytest.mark.parametrize("code", ["short", "confidence", "networks", "friends", "power"])
@pytest.mark.parametrize("with_children", [False, True])
def test_find_returns_the_quotes_table_rows_of_the_code(fixture_project, code, with_children):
    found = fixture_project.query().find(code, with_children=with_children)
    expected = quote_rows(fixture_project, code, with_children)
    assert sorted(r.coding.id for r in found) == sorted(r["coding_id"] for r in expected)
    by_id = {r["coding_id"]: r for r in expected}
    for r in found:
        row = by_id[r.coding.id]
        assert (r.quote, "; ".join(r.participants), r.coder, r.origin) == (
            row["quote"], row["participant_id"], row["coder"], row["origin"])


def test_stats_are_the_theme_by_group_counts(fixture_project):
    theme = tables(fixture_project)["theme_by_group"].records()
    q = fixture_project.query()
    for var in ("programme", "nation", "role"):
        counted = {(c.code, c.group): c for c in q.stats(by=var)}
        for row in theme:
            if row["group_variable"] != var:
                continue
            c = counted.get((row["code_id"], row["group_value"]))
            k, segments = (c.participants, c.segments) if c else (0, 0)
            assert (k, segments) == (row["participants_mentioning"], row["segments"]), (var, row)
    whole = {c.code: c for c in q.stats()}
    for row in theme:
        if row["group_variable"] == "all":
            assert whole[row["code_id"]].participants == row["participants_mentioning"]
            assert whole[row["code_id"]].segments == row["segments"]


def test_a_parent_counts_distinct_segments_not_a_sum(fixture_project):
    counts = {c.code: c for c in fixture_project.query().stats()}
    # short = confidence + networks (+ friends): A1's friends sentence is coded under both
    assert counts["short"].segments == 6
    assert counts["confidence"].segments + counts["networks"].segments == 7
    assert counts["short"].codings == 8 and counts["short"].participants == 4


def test_stats_depth_and_by_transcript_and_coder(fixture_project):
    q = fixture_project.query()
    assert {c.code for c in q.stats(depth=1)} == {"short", "power"}
    by_t = {(c.code, c.group): c.codings for c in q.stats(by="transcript")}
    assert by_t[("power", "a1")] == 1 and by_t[("power", "b2")] == 1
    by_coder = {(c.code, c.group): c.codings for c in q.stats(by="coder")}
    assert by_coder[("short", "ben")] == 2 and by_coder[("short", "ann")] == 6


def test_filters_on_participant_and_transcript_attributes_coder_and_origin(fixture_project):
    q = fixture_project.query()
    wales = q.find("short", True, Filters.parse(["nation = wales"]))
    assert {p for r in wales for p in r.participants} == {"A2", "A3"}
    lc = q.find("power", True, Filters.parse(["programme=Local Conversations"]))
    assert [r.quote for r in lc] == ["We are ready to have our own voice."]
    assert [r.coder for r in q.find("short", True, Filters(coder="ben"))] == ["ben", "ben"]
    suggested = q.find("power", True, Filters(origin="suggestion"))
    assert [r.quote for r in suggested] == ["We are ready to have our own voice."]
    assert q.find("short", True, Filters.parse(["programme=Local Conversations", "nation=Wales"])) == []


def test_compare_splits_by_an_attribute_with_k_of_n(fixture_project):
    columns = fixture_project.query().compare("power", "programme")
    assert [(c.value, c.k, c.n) for c in columns] == [("Active Communities", 1, 3), ("Local Conversations", 1, 2)]
    assert columns[1].rows[0].quote == "We are ready to have our own voice."


def test_context_stays_within_the_speakers_turn(fixture_project):
    rows = {r.quote: r for r in fixture_project.query().find("confidence", context=1)}
    r = rows["I felt more confident after a month."]
    assert (r.before, r.after) == ("", "I made new friends at the group.")
    assert rows["It gave me confidence."].after == "I speak up now."


def test_memo_mark_and_sorts(fixture_project):
    q = fixture_project.query()
    rows = q.find("confidence", sort="length")
    assert [len(r.quote) for r in rows] == sorted((len(r.quote) for r in rows), reverse=True)
    assert [r.memo for r in rows if r.memo] == ["Said with real pride."]
    with pytest.raises(CoderError, match="cannot sort by 'size'"):
        q.find("confidence", sort="size")


def test_unknown_code_attribute_or_origin_is_a_user_error(fixture_project):
    q = fixture_project.query()
    with pytest.raises(CoderError, match="unknown code 'nope'"):
        q.find("nope")
    with pytest.raises(CoderError, match="cannot filter by 'colour'") as err:
        q.find("short", filters=Filters.parse(["colour=red"]))
    assert "programme" in err.value.hint
    with pytest.raises(CoderError, match="COLUMN=VALUE"):
        Filters.parse(["programme"])
    with pytest.raises(CoderError, match="coder 'nobody' has no codings") as err:
        q.find("short", filters=Filters(coder="nobody"))
    assert err.value.hint == "coders with codings: ann, ben"
    with pytest.raises(CoderError, match="unknown origin"):
        Filters(origin="model")
    assert q.find("Community power") == q.find("power")  # a code's name works too


def test_search_across_line_breaks_regex_and_speakers(fixture_project):
    q = fixture_project.query()
    hits = q.search("FRIENDS   now")
    assert [(h.transcript, h.participant_id, h.text) for h in hits] == [("b1", "B1", "friends now")]
    assert hits[0].before == "Some are " and hits[0].after == "."
    assert [(h.transcript, h.speaker) for h in q.search("group")] == [("a1", "Ann")]
    everyone = q.search("group", speakers="all")
    assert [(h.transcript, h.speaker) for h in everyone] == [("a1", "Ann"), ("b1", "Interviewer"), ("fg", "Facilitator")]
    assert [h.text for h in q.search(r"conf\w+", regex=True)] == ["confident", "confidence"]
    with pytest.raises(CoderError, match="bad regular expression"):
        q.search("(", regex=True)


def test_memos_list_every_memo_with_what_it_is_about(fixture_project):
    q = fixture_project.query()
    (memo,) = q.memos()
    assert (memo.kind, memo.coder, memo.text, memo.transcript, memo.code) == (
        "coding", "ann", "Said with real pride.", "fg", "confidence")
    assert memo.about == "It gave me confidence."
    assert q.memos(code="short") == [memo]  # a sub-code's memo belongs to its theme too
    assert q.memos(code="power") == [] and q.memos(coder="ben") == [] and q.memos(transcript="a1") == []


def test_the_engine_is_reused_until_a_file_changes(tmp_path):
    from export_fixture import coded_project

    project = coded_project(tmp_path)
    first = project.query()
    assert project.query() is first  # nothing changed: not rebuilt
    coding = project.codings("ann")[0]
    project.memo("ann", "coding", coding.id, "A second look.")
    again = project.query()
    assert again is not first and "A second look." in [m.text for m in again.memos()]


def test_cases_count_each_interviewed_participant_and_find_takes_every_code(fixture_project):
    q = fixture_project.query()
    cases = {r["participant_id"]: r for r in q.cases()}
    assert sorted(cases) == ["A1", "A2", "A3", "B1", "B2"]  # interviewed only
    assert (cases["A1"]["transcripts"], cases["A1"]["codings"], cases["A1"]["segments"]) == ("a1", 4, 4)  # codings 1, 2, 3, 10; four sentences
    assert cases["A2"]["programme"] == "Active Communities" and cases["A2"]["transcripts"] == "fg"
    every = q.find(None, filters=Filters(participant="A1"))
    assert len(every) == cases["A1"]["codings"]
