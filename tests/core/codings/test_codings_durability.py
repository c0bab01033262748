"""Durability: damaged logs, full disks, read-only projects, crashes and concurrent writers."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coder.core.codings import CodingStore
from coder.core.errors import CoderError, Severity

CHILD = Path(__file__).with_name("writer_child.py")


def ids_in(path: Path) -> list[str]:
    out = []
    for raw in path.read_bytes().split(b"\n"):
        try:
            out.append(json.loads(raw)["id"])
        except ValueError:
            pass
    return out


# --- damaged logs -------------------------------------------------------------


def test_a_torn_last_line_is_reported_and_the_next_event_starts_a_new_line(store, root, text, reload):
    a = store.apply("ana", "t1", text, "a", 0, 5)
    b = store.apply("ana", "t1", text, "b", 0, 5)
    log = root / "ana.jsonl"
    whole = log.read_bytes()
    torn = whole[: len(whole) - 40]  # a crash in the middle of writing b's line
    log.write_bytes(torn)
    s = reload()
    [problem] = s.problems
    assert (problem.file, problem.line, problem.severity) == (str(log), 2, Severity.WARNING)
    assert "not valid JSON" in problem.message and str(problem).startswith(f"{log}:2:")
    assert list(s.state().codings) == [a.id]
    c = s.apply("ana", "t1", text, "c", 0, 5)  # the tool keeps working
    assert log.read_bytes().startswith(torn)  # nothing rewritten to hide the damage
    again = reload()
    assert [p.line for p in again.problems] == [2]
    assert list(again.state().codings) == [a.id, c.id]
    assert b.id not in again.state().codings


def test_a_valid_last_line_without_newline_loads_and_is_not_glued_to(store, root, text, reload):
    a = store.apply("ana", "t1", text, "a", 0, 5)
    log = root / "ana.jsonl"
    log.write_bytes(log.read_bytes().rstrip(b"\n"))  # a hand edit dropped the final newline
    s = reload()
    assert s.problems == [] and list(s.state().codings) == [a.id]
    b = s.apply("ana", "t1", text, "b", 0, 5)
    again = reload()
    assert again.problems == [] and list(again.state().codings) == [a.id, b.id]


def test_corrupt_lines_anywhere_are_reported_and_the_rest_loads(store, root, text, reload):
    kept = [store.apply("ana", "t1", text, "a", i, i + 5).id for i in range(3)]
    log = root / "ana.jsonl"
    good = log.read_bytes().splitlines(keepends=True)
    damaged = [
        good[0],
        b"<<<<<<< HEAD\n",
        good[1],
        b"=======\n",
        b'{"v":1,"id":"X","coder":"ana"}\n',  # valid JSON, not an event
        b">>>>>>> theirs\n",
        b"\n",  # blank lines are harmless
        good[2],
        b"not json at all\xff\n",
    ]
    log.write_bytes(b"".join(damaged))
    s = reload()
    assert [p.line for p in s.problems] == [2, 4, 5, 6, 9]
    assert "git conflict marker" in s.problems[0].message
    assert "missing field" in s.problems[2].message
    assert list(s.state().codings) == kept


def test_an_event_in_the_wrong_coders_log_is_reported(store, root, text, reload):
    store.apply("ana", "t1", text, "a", 0, 5)
    (root / "ben.jsonl").write_bytes((root / "ana.jsonl").read_bytes())  # copied by mistake
    s = reload()
    [problem] = s.problems
    assert problem.file.endswith("ben.jsonl") and "in ben's log" in problem.message
    assert s.state("ben").codings == {}


def test_logs_with_unusable_names_are_reported_not_read(root, reload):
    root.mkdir()
    (root / "ana smith.jsonl").write_text("")
    [problem] = reload().problems
    assert problem.severity is Severity.WARNING and "not a valid coder name" in problem.message


def test_a_hand_edited_undo_that_no_longer_fits_is_reported(store, root, text, reload):
    store.apply("ana", "t1", text, "a", 0, 5)
    store.undo("ana")
    log = root / "ana.jsonl"
    undo_line = log.read_bytes().splitlines(keepends=True)[1]
    with log.open("ab") as f:
        f.write(undo_line.replace(b'"id":"', b'"id":"Z'))  # the same undo again, as a new event
    [problem] = reload().problems
    assert problem.line == 3 and "already undone" in problem.message


# --- failures while writing -------------------------------------------------------


def test_a_full_disk_is_a_clear_error_and_nothing_pretends_to_be_saved(store, root, text, monkeypatch):
    a = store.apply("ana", "t1", text, "a", 0, 5)
    before = (root / "ana.jsonl").read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(CoderError, match="disk is full") as e:
        store.apply("ana", "t1", text, "b", 0, 5)
    assert e.value.file == str(root / "ana.jsonl")
    with pytest.raises(CoderError, match="disk is full"):
        store.undo("ana")
    assert list(store.state().codings) == [a.id] and store.state("ana").can_undo()
    assert (root / "ana.jsonl").read_bytes() == before
    monkeypatch.undo()
    b = store.apply("ana", "t1", text, "b", 0, 5)  # space freed: carries on
    assert list(store.state().codings) == [a.id, b.id]


def test_a_partial_write_is_cut_back(store, root, text, monkeypatch):
    store.apply("ana", "t1", text, "a", 0, 5)
    before = (root / "ana.jsonl").read_bytes()
    real_write = os.write
    calls = []

    def half(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(CoderError, match="disk is full"):
        store.apply("ana", "t1", text, "b", 0, 5)
    monkeypatch.undo()
    assert (root / "ana.jsonl").read_bytes() == before


def test_a_failed_fsync_is_not_reported_as_saved(store, root, text, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(CoderError, match="I/O error"):
        store.apply("ana", "t1", text, "a", 0, 5)
    assert store.state().codings == {}


def test_a_read_only_project_is_a_clear_error(store, root, text, monkeypatch):
    a = store.apply("ana", "t1", text, "a", 0, 5)
    log = root / "ana.jsonl"
    if os.geteuid() != 0:
        log.chmod(0o444)
        root.chmod(0o555)
    else:  # root ignores permissions: the file system refuses instead
        real_open = os.open

        def read_only(path, flags, *args, **kw):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real_open(path, flags, *args, **kw)

        monkeypatch.setattr(os, "open", read_only)
    try:
        with pytest.raises(CoderError, match="read-only") as e:
            store.apply("ana", "t1", text, "b", 0, 5)
        assert "Nothing was saved" in e.value.message
        with pytest.raises(CoderError, match="read-only"):
            store.apply("ben", "t1", text, "b", 0, 5)  # a new log cannot be created either
        assert list(store.state().codings) == [a.id]
        fresh = CodingStore(root)
        assert fresh.load() == [] and list(fresh.state().codings) == [a.id]  # reading still works
    finally:
        root.chmod(0o755)
        log.chmod(0o644)


def test_a_second_writer_that_cannot_get_the_lock_is_refused(store, root, text):
    store.apply("ana", "t1", text, "a", 0, 5)
    fd = os.open(root / "ana.jsonl", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process in the middle of an append
        busy = CodingStore(root, lock_timeout=0.05)
        with pytest.raises(CoderError, match="Another coder process is writing"):
            busy.apply("ana", "t1", text, "b", 0, 5)
    finally:
        os.close(fd)
    again = CodingStore(root)
    again.load()
    assert len(again.state().codings) == 1


# --- real processes -----------------------------------------------------------------


def start_writers(roots: list[Path], mode: str) -> list[subprocess.Popen]:
    """Start one writer per project folder; return once all have loaded their logs."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(CHILD), str(root), "ana", mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for root in roots
    ]
    for proc in procs:
        assert proc.stdout.readline() == "ready\n"
    return procs


def test_a_writer_killed_at_random_moments_loses_no_acknowledged_action(tmp_path):
    """10 projects × 3 crashes = 30 SIGKILLs at random points; every acknowledged action survives."""
    rng = random.Random(20240618)
    roots = [tmp_path / f"p{i}" / "codings" for i in range(10)]
    acked: dict[Path, list[tuple[str, str]]] = {r: [] for r in roots}
    for _round in range(3):
        procs = start_writers(roots, "kill")  # each restarts on the log its predecessor crashed on
        started = time.monotonic()
        kill_at = sorted((rng.uniform(0.0, 0.15), i) for i in range(len(procs)))
        for delay, i in kill_at:
            # the random kill point: how long this writer runs before the crash
            try:
                procs[i].wait(timeout=max(0.0, started + delay - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            os.kill(procs[i].pid, signal.SIGKILL)
        for r, proc in zip(roots, procs):
            out, _ = proc.communicate()
            # An acknowledgement is a whole line; a kill may cut the last one short.
            whole = [line.split() for line in out.splitlines(keepends=True) if line.endswith("\n")]
            acked[r] += [(w[0], w[1]) for w in whole if len(w) == 2 and w[0] in ("A", "U")]
    assert sum(len(a) for a in acked.values()) > 30
    for r in roots:
        store = CodingStore(r)
        assert [p for p in store.load() if p.severity is Severity.ERROR] == []
        log = r / "ana.jsonl"
        on_disk = set(ids_in(log))
        undone = {json.loads(x)["target"] for x in log.read_text().splitlines() if '"type":"undo"' in x}
        for kind, event_id in acked[r]:
            if kind == "A":
                assert event_id in on_disk
                assert event_id in store.state().codings or event_id in undone
            else:
                assert event_id in undone
        store.apply("ana", "t1", "still working", "x", 0, 5)  # and the log is still usable


def test_two_processes_writing_one_log_are_serialised(tmp_path):
    root = tmp_path / "codings"
    procs = start_writers([root, root], "race")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=60)[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    acked = [line.split()[1] for out in outs for line in out.splitlines() if line[:2] == "A "]
    store = CodingStore(root)
    # No torn or interleaved lines, and every undo was valid against the log as
    # it stood: each writer caught up with the other's lines before acting.
    assert store.load() == []
    log = (root / "ana.jsonl").read_bytes()
    undos = sum(out.count("U ") for out in outs)
    # Both code the same spans: a span already coded by the other process is not written twice.
    assert log.count(b"\n") == len(set(acked)) + undos
    assert all(line.startswith(b'{"v":1,') for line in log.splitlines())
    assert set(acked) <= set(ids_in(root / "ana.jsonl"))
    assert len(store.state().codings) + undos == len(set(acked))
