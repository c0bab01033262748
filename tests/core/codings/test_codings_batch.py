"""Batches: many codings or memos checked first, then appended in durable chunks."""

from __future__ import annotations

import errno
import os

import pytest

from coder.core.coding import Origin
from coder.core.codings import store as store_module
from coder.core.errors import CoderError, Severity

SUGGESTED = Origin("suggestion", "all-MiniLM-L6-v2", 0.81, 1)


def items(text: str, n: int, transcript: str = "t1") -> list[tuple]:
    """``n`` valid apply items over ``text`` (5-character spans, varied codes)."""
    return [(transcript, text, f"code{i % 3}", i, i + 5, Origin()) for i in range(n)]


def lines_of(path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.fixture
def chunk3(monkeypatch):
    """Chunks of 3 lines, so a 7-item batch is written in 3 writes (3 + 3 + 1)."""
    monkeypatch.setattr(store_module, "BATCH_CHUNK", 3)


def test_a_batch_is_on_disk_in_order_and_reads_back_as_the_same_codings(store, root, text, span, reload):
    s, e = span(text, "I never thought I'd speak at a meeting")
    batch = [("t1", text, "confidence", s, e, Origin()), ("t1", text, "skills", s, e, SUGGESTED),
             ("t2", text, "health", *span(text, "I walk every day"))]  # origin left off: manual  # fmt: skip
    made = store.apply_many("ana", batch)
    assert [(c.transcript, c.code, c.quote, c.origin) for c in made] == [
        ("t1", "confidence", "I never thought I'd speak at a meeting", Origin()),
        ("t1", "skills", "I never thought I'd speak at a meeting", SUGGESTED),
        ("t2", "health", "I walk every day", Origin()),
    ]
    assert list(store.state("ana").codings.values()) == made
    assert len(lines_of(root / "ana.jsonl")) == 3
    assert list(reload().state().codings.values()) == made


def test_a_batch_coding_equals_the_same_coding_applied_alone(store, text, span):
    s, e = span(text, "Now I run the Tuesday group")
    [batched] = store.apply_many("ana", [("t1", text, "skills", s, e, SUGGESTED)])
    alone = store.apply("ana", "t1", text, "skills", s, e, SUGGESTED)
    ignore = {"id", "time"}
    assert {k: v for k, v in vars(batched).items() if k not in ignore} == {
        k: v for k, v in vars(alone).items() if k not in ignore
    }


def test_each_coding_of_a_batch_is_undone_on_its_own(store, text):
    made = store.apply_many("ana", items(text, 3))
    change = store.undo("ana")
    assert change is not None and change.action["id"] == made[-1].id
    assert list(store.state().codings) == [c.id for c in made[:2]]
    store.redo("ana")
    assert list(store.state().codings) == [c.id for c in made]


def test_an_invalid_item_is_named_and_nothing_of_the_batch_is_written(store, root, text, chunk3):
    first = store.apply("ana", "t1", text, "a", 0, 5)
    before = (root / "ana.jsonl").read_bytes()
    bad_batches = {
        "item 5 of 6": items(text, 4) + [("t1", text, "late", 10, len(text) + 1, Origin())] + items(text, 1),
        "item 2 of 3": [items(text, 1)[0], ("t1", text, "", 0, 5, Origin()), items(text, 1)[0]],
        "item 1 of 2": [("t1", text, "x", 0, 5, "manual"), items(text, 1)[0]],  # origin not an Origin
        "item 2 of 2": [items(text, 1)[0], ("t1", text, "x")],  # too short
    }
    for where, batch in bad_batches.items():
        with pytest.raises(CoderError, match=f"Nothing was saved: {where}"):
            store.apply_many("ana", batch)
    with pytest.raises(CoderError, match="late"):  # the message says which coding
        store.apply_many("ana", bad_batches["item 5 of 6"])
    assert (root / "ana.jsonl").read_bytes() == before
    assert list(store.state().codings) == [first.id] and store.state().next_undo("ana").startswith("apply a ")


def test_a_memo_batch_is_checked_before_anything_is_written(store, root, text, chunk3):
    [c] = store.apply_many("ana", items(text, 1))
    before = (root / "ana.jsonl").read_bytes()
    with pytest.raises(CoderError, match="item 5 of 5 .* no current coding nope"):
        store.memo_many("ana", [("coding", c.id, f"memo {i}") for i in range(4)] + [("coding", "nope", "second")])
    with pytest.raises(CoderError, match="item 1 of 1"):
        store.memo_many("ana", [("participant", "p1", "not a memo target")])
    assert (root / "ana.jsonl").read_bytes() == before and store.state().memos == {}


def test_memos_in_a_batch_land_on_their_targets(store, text, reload):
    [c] = store.apply_many("ana", items(text, 1))
    memos = store.memo_many("ana", [("coding", c.id, "Speaks up."), ("transcript", "t1", "Noisy room."),
                                    ("code", "code0", "Use sparingly.")])  # fmt: skip
    assert [(m.target_kind, m.target, m.text) for m in memos] == [
        ("coding", c.id, "Speaks up."), ("transcript", "t1", "Noisy room."), ("code", "code0", "Use sparingly."),
    ]  # fmt: skip
    again = reload()
    assert again.state().codings[c.id].memo == "Speaks up."
    assert set(again.state().memos.values()) == set(memos)


def test_an_empty_batch_writes_nothing(store, root):
    assert store.apply_many("ana", []) == [] and store.memo_many("ana", []) == []
    assert not (root / "ana.jsonl").exists()
    with pytest.raises(CoderError):
        store.apply_many("../ana", [])  # the coder name is still checked


def test_a_large_batch_is_written_in_chunks_each_fsynced(store, root, text, chunk3, monkeypatch):
    store.apply("ana", "t1", text, "a", 0, 5)  # the log exists: no folder fsyncs below
    seen: list[object] = []  # lines per write, and "fsync", in order
    real_write, real_fsync = os.write, os.fsync
    monkeypatch.setattr(os, "write", lambda fd, data: seen.append(data.count(b"\n")) or real_write(fd, data))
    monkeypatch.setattr(os, "fsync", lambda fd: seen.append("fsync") or real_fsync(fd))
    made = store.apply_many("ana", items(text, 7))
    assert seen == [3, "fsync", 3, "fsync", 1, "fsync"]  # each chunk durable before the next is written
    assert len(made) == 7 and len(lines_of(root / "ana.jsonl")) == 8


def test_a_transcript_text_shared_by_many_items_is_hashed_once(store, text, monkeypatch):
    calls = []
    real = store_module.content_hash
    monkeypatch.setattr(store_module, "content_hash", lambda t: calls.append(t) or real(t))
    other = text.upper()
    made = store.apply_many("ana", items(text, 50) + items(other, 50, "t2"))
    assert len(calls) == 2
    assert {c.text_hash for c in made if c.transcript == "t1"} == {real(text)}


def test_a_full_disk_in_the_first_chunk_changes_nothing(store, root, text, chunk3, monkeypatch):
    first = store.apply("ana", "t1", text, "a", 0, 5)
    before = (root / "ana.jsonl").read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(CoderError, match="disk is full. Nothing was saved"):
        store.apply_many("ana", items(text, 7))
    monkeypatch.undo()
    assert (root / "ana.jsonl").read_bytes() == before
    assert list(store.state().codings) == [first.id]


def test_a_full_disk_mid_batch_keeps_the_durable_chunks_as_whole_lines_and_says_so(
    store, root, text, chunk3, monkeypatch, reload
):
    first = store.apply("ana", "t1", text, "a", 0, 5)
    before = lines_of(root / "ana.jsonl")
    real_write = os.write
    calls = []

    def fails_in_chunk_two(fd, data):
        calls.append(data)
        if len(calls) == 1:
            return real_write(fd, data)
        if len(calls) == 2:  # half of the second chunk gets out, then the disk is full
            return real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", fails_in_chunk_two)
    with pytest.raises(CoderError, match="disk is full. The first 3 of 7 were saved; the rest were not"):
        store.apply_many("ana", items(text, 7))
    monkeypatch.undo()
    after = lines_of(root / "ana.jsonl")
    assert after[: len(before)] == before and len(after) == len(before) + 3
    assert all(line.endswith(b"\n") for line in after)  # whole lines only: the torn half was cut back
    kept = list(store.state().codings)
    assert kept[0] == first.id and len(kept) == 4  # the state is exactly what is on disk
    again = reload()
    assert again.problems == [] and list(again.state().codings) == kept
    store.apply("ana", "t1", text, "b", 0, 5)  # space freed: carries on
    assert reload().problems == []


def test_a_crash_in_the_final_chunk_leaves_whole_lines_that_load(store, root, text, chunk3, monkeypatch, reload):
    real_write = os.write
    calls = []

    class Killed(BaseException):
        """The process dying mid-write: no handler runs, nothing is cut back."""

    def dies_in_chunk_three(fd, data):
        calls.append(data)
        if len(calls) < 3:
            return real_write(fd, data)
        real_write(fd, data[: len(data) - 25])
        raise Killed

    monkeypatch.setattr(os, "write", dies_in_chunk_three)
    with pytest.raises(Killed):
        store.apply_many("ana", items(text, 7))
    monkeypatch.undo()
    lines = lines_of(root / "ana.jsonl")
    assert len(lines) == 7 and not lines[-1].endswith(b"\n")  # 6 whole lines and a torn one
    again = reload()
    [problem] = again.problems
    assert (problem.line, problem.severity) == (7, Severity.WARNING)
    assert len(again.state().codings) == 6
    more = again.apply_many("ana", items(text, 2))  # the next batch starts on a line of its own
    final = reload()
    assert [p.line for p in final.problems] == [7]
    assert len(final.state().codings) == 8 and all(c.id in final.state().codings for c in more)
