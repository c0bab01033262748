"""The event format: what a log line must look like, and what is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.core.codings.events import EventError, dumps, make_event, new_id, parse_line


def apply_event(**over) -> dict:
    fields = dict(
        transcript="t1", code="confidence", start=5, end=9, quote="abcd", prefix="x", suffix="y",
        hash="sha256:00", origin={"kind": "manual"},
    )  # fmt: skip
    fields.update(over)
    return make_event("apply", "ana", **fields)


EVERY_TYPE = [
    apply_event(),
    apply_event(origin={"kind": "suggestion", "model": "all-MiniLM-L6-v2", "score": 0.83, "rank": 1}),
    make_event("remove", "ana", coding="X", reason="orphan discarded"),
    make_event("memo", "ana", target_kind="code", target="confidence", text="Check with Ben"),
    make_event("reject", "ana", transcript="t1", code="skills", start=0, end=3, quote="abc", prefix="",
               suffix="", hash="sha256:00", model="m", score=0.4, rank=3),  # fmt: skip
    make_event("reanchor", "ana", coding="X", start=1, end=2, quote="a", prefix="", suffix="", hash="h"),
    make_event("undo", "ana", target="X"),
    make_event("redo", "ana", target="X"),
]


@pytest.mark.parametrize("event", EVERY_TYPE, ids=lambda e: e["type"])
def test_every_event_type_round_trips_as_one_line(event):
    line = dumps(event)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    back = parse_line(line[:-1])
    assert {k: back[k] for k in event} == event
    assert back["v"] == 1 and back["coder"] == "ana"


def test_optional_fields_get_their_defaults():
    e = make_event("remove", "ana", coding="X")
    assert parse_line(dumps(e))["reason"] == ""


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda e: e.pop("code"), "missing field 'code'"),
        (lambda e: e.update(start="5"), "field 'start' has the wrong type"),
        (lambda e: e.update(start=True), "field 'start' has the wrong type"),
        (lambda e: e.update(end=12), "quote is 4 characters but the span 5..12 is 7"),
        (lambda e: e.update(start=9), "invalid span 9..9"),
        (lambda e: e.update(type="paint"), "event type 'paint' is not known"),
        (lambda e: e.update(v=2), "newer version of coder"),
        (lambda e: e.update(origin={"kind": "guess"}), "origin kind"),
        (lambda e: e.update(origin={"kind": "suggestion", "rank": "first"}), "origin rank"),
    ],
)
def test_invalid_events_are_refused_with_the_reason(mutate, message):
    e = apply_event()
    mutate(e)
    with pytest.raises(EventError, match=message):
        parse_line(json.dumps(e))


@pytest.mark.parametrize(
    "raw, message",
    [
        (b'{"v":1,"id":"A","time":"t","coder":"ana","ty', "not valid JSON"),
        (b"<<<<<<< HEAD", "git conflict marker"),
        (b">>>>>>> other-branch", "git conflict marker"),
        (b'{"v":1,"id":"\xff"}', "not valid UTF-8"),
        (b"[1, 2]", "not a JSON object"),
    ],
)
def test_damaged_lines_are_refused(raw, message):
    with pytest.raises(EventError, match=message):
        parse_line(raw)


def test_memo_targets_are_limited():
    with pytest.raises(EventError, match="target_kind"):
        parse_line(dumps(make_event("memo", "ana", target_kind="segment", target="x", text="y")))


@given(st.text(min_size=1, max_size=60), st.text(max_size=40), st.text(max_size=40))
def test_any_quote_survives_the_round_trip_on_one_line(quote, prefix, suffix):
    e = apply_event(start=0, end=len(quote), quote=quote, prefix=prefix, suffix=suffix)
    line = dumps(e)
    assert line.count(b"\n") == 1  # newlines, U+2028 etc. inside the quote are escaped or harmless
    assert parse_line(line.rstrip(b"\n"))["quote"] == quote


def test_ids_are_unique_and_sort_by_time():
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 26 for i in ids)
    assert ids[0][:10] <= ids[-1][:10]  # the leading 10 characters are the millisecond clock


def test_the_documented_example_lines_are_valid_events():
    from coder.core.codings import events

    examples = [line.strip() for line in events.__doc__.splitlines() if line.strip().startswith('{"v":1')]
    assert sorted({parse_line(x)["type"] for x in examples}) == sorted(events.EVENT_TYPES)


def test_done_marks_fold_undo_and_an_unknown_event_type_is_a_warning(tmp_path):
    from coder.core.codings import CodingStore
    from coder.core.codings.events import dumps, make_event
    from coder.core.errors import Severity

    store = CodingStore(tmp_path)
    store.load()
    assert store.mark_done("ana", "t1") is True
    assert store.state("ana").done.keys() == {("t1", "ana")}
    assert str(store.undo("ana")) == "Undid: mark t1 done"
    assert not store.state().done
    store.redo("ana")
    assert store.mark_done("ana", "t1", done=False) is True
    assert not store.state().done
    log = tmp_path / "ana.jsonl"
    with log.open("ab") as f:  # a later version's event, then one this version knows
        f.write(dumps(make_event("highlight", "ana", transcript="t1", colour="red")))
        f.write(dumps(make_event("done", "ana", transcript="t2", done=True)))
    again = CodingStore(tmp_path)
    problems = again.load()
    assert [(p.line, p.severity) for p in problems] == [(5, Severity.WARNING)]
    assert "not known to this version" in problems[0].message
    assert again.state().done.keys() == {("t2", "ana")}
