"""The coding store: actions, undo/redo across restarts, several coders."""

from __future__ import annotations

import json
import os
import subprocess
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core.coding import ANCHOR_CONTEXT, Origin
from coder.core.codings import CodingStore
from coder.core.errors import CoderError
from coder.core.transcript import content_hash


def lines(root, coder="ana") -> list[dict]:
    return [json.loads(x) for x in (root / f"{coder}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_apply_is_on_disk_with_its_anchor_and_origin(store, root, text, span, reload):
    start, end = span(text, "I never thought I'd speak at a meeting")
    suggested = Origin("suggestion", "all-MiniLM-L6-v2", 0.71, 2)
    c = store.apply("ana", "t1", text, "confidence", start, end, suggested)
    assert (c.coder, c.transcript, c.code, c.start, c.end) == ("ana", "t1", "confidence", start, end)
    assert c.quote == text[start:end]
    assert c.prefix == text[start - ANCHOR_CONTEXT : start] and c.suffix == text[end : end + ANCHOR_CONTEXT]
    assert c.text_hash == content_hash(text)
    [line] = lines(root)
    assert line["origin"] == {"kind": "suggestion", "model": "all-MiniLM-L6-v2", "score": 0.71, "rank": 2}
    assert line["time"].endswith("Z")
    assert reload().state().codings == {c.id: c}


def test_spans_outside_the_text_are_refused(store, text):
    for start, end in [(5, 5), (-1, 3), (10, len(text) + 1), (9, 4)]:
        with pytest.raises(CoderError, match="inside the transcript"):
            store.apply("ana", "t1", text, "confidence", start, end)
    assert store.state().codings == {}


def test_remove_memo_reject_and_replace(store, text, span, reload):
    c = store.apply("ana", "t1", text, "confidence", *span(text, "I did"))
    memo = store.memo("ana", "coding", c.id, "Turning point")
    assert store.state().codings[c.id].memo == "Turning point"
    assert store.state().memos_on("coding", c.id) == [memo]
    store.memo("ana", "coding", c.id, "Turning point for her")
    assert store.state().memos[("coding", c.id, "ana")].text == "Turning point for her"
    moved = store.replace("ana", c.id, *span(text, "but I did"), text)
    assert (moved.quote, moved.memo, moved.code) == ("but I did", "Turning point for her", "confidence")
    r = store.reject("ana", "t1", *span(text, "Tuesday group"), "networks", "m", 0.4, 3, text=text)
    assert r.quote == "Tuesday group"
    assert store.remove("ana", c.id, "not confidence").id == c.id
    after = reload().state()
    assert after.codings == {} and list(after.rejections) == [r.id]
    assert store.memo("ana", "code", "confidence", "") is None  # deleting a memo that isn't there is harmless


def test_undo_and_redo_every_kind_of_action_across_restarts(store, text, span, reload):
    c = store.apply("ana", "t1", text, "confidence", *span(text, "I did"))
    store.memo("ana", "coding", c.id, "note")
    store.replace("ana", c.id, *span(text, "but I did"), text)
    store.reject("ana", "t1", 0, 11, "health", "m", 0.3, 1)
    store.remove("ana", c.id)
    snapshots = []
    s = store
    while s.state("ana").can_undo():
        snapshots.append((dict(s.state().codings), dict(s.state().memos), dict(s.state().rejections)))
        assert s.undo("ana") is not None
        s = reload()  # every undo survives a restart
    assert s.state().codings == {} and s.undo("ana") is None
    while s.state("ana").can_redo():
        s.redo("ana")
        s = reload()
        assert (dict(s.state().codings), dict(s.state().memos), dict(s.state().rejections)) == snapshots.pop()
    assert snapshots == [] and s.redo("ana") is None


def test_undo_says_what_it_undid(store, text, span):
    c = store.apply("ana", "t1", text, "confidence", *span(text, "I never thought I'd speak at a meeting"))
    store.remove("ana", c.id)
    assert str(store.undo("ana")) == "Undid: remove confidence on 'I never thought I'd speak at a meeting'"
    change = store.undo("ana")
    assert str(change) == "Undid: apply confidence to 'I never thought I'd speak at a meeting'"
    assert change.kind == "undo" and change.action["id"] == c.id
    assert str(store.redo("ana")).startswith("Redid: apply confidence")


def test_a_new_action_clears_redo(store, text):
    store.apply("ana", "t1", text, "a", 0, 5)
    store.undo("ana")
    assert store.state("ana").can_redo()
    store.apply("ana", "t1", text, "b", 0, 5)
    assert not store.state("ana").can_redo() and store.redo("ana") is None


def test_coders_see_their_own_view_and_the_merged_one(store, text, reload):
    a = store.apply("ana", "t1", text, "confidence", 0, 11)
    b = store.apply("ben", "t1", text, "skills", 0, 11)
    store.memo("ben", "coding", a.id, "I'd code this as skills too")
    s = reload()
    assert s.coders == ["ana", "ben"]
    assert set(s.state().codings) == {a.id, b.id}
    assert list(s.state("ana").codings) == [a.id] and list(s.state("ben").codings) == [b.id]
    assert s.state().codings[a.id].memo == ""  # ben's memo is his, not part of ana's coding
    assert [m.coder for m in s.state().memos_on("coding", a.id)] == ["ben"]
    with pytest.raises(CoderError, match="ana's; only ana can change it"):
        s.remove("ben", a.id)
    s.undo("ben")  # undoes ben's memo, never ana's work
    assert set(s.state().codings) == {a.id, b.id} and not s.state().memos


def test_undo_is_per_coder(store, text):
    store.apply("ana", "t1", text, "a", 0, 5)
    store.apply("ben", "t1", text, "b", 0, 5)
    store.undo("ana")
    assert [c.coder for c in store.state().codings.values()] == ["ben"]
    assert store.state("ben").can_undo() and not store.state("ana").can_undo()


def test_an_invalid_coder_name_is_refused_before_anything_is_written(store, root, text):
    with pytest.raises(CoderError, match="Invalid coder name"):
        store.apply("../ana", "t1", text, "a", 0, 5)
    assert not root.exists() or list(root.iterdir()) == []


def test_appends_do_not_reread_the_log(store, text):
    for i in range(5):
        store.apply("ana", "t1", text, "a", i, i + 5)
    with mock.patch("coder.core.codings.store.parse_line") as parse:
        store.apply("ana", "t1", text, "a", 0, 9)
    parse.assert_not_called()


def test_another_session_of_the_same_coder_is_caught_up_before_acting(root, text):
    one, two = CodingStore(root), CodingStore(root)
    one.load(), two.load()
    first = one.apply("ana", "t1", text, "a", 0, 5)
    second = two.apply("ana", "t1", text, "b", 0, 5)  # two folds in one's apply first
    assert set(two.state().codings) == {first.id, second.id}
    change = one.undo("ana")  # the latest action in ana's log is second, but it is two's to undo
    assert change.action["id"] == first.id
    assert two.refresh() == [] and set(two.state().codings) == {second.id}
    assert two.undo("ana").action["id"] == second.id and one.undo("ana") is None


def test_a_log_replaced_underneath_is_read_again(store, root, text, reload):
    store.apply("ana", "t1", text, "a", 0, 5)
    other = CodingStore(root.parent / "elsewhere")
    other.load()
    kept = other.apply("ana", "t1", text, "b", 2, 9)
    (root.parent / "elsewhere" / "ana.jsonl").replace(root / "ana.jsonl")  # as `git pull` does
    assert store.refresh() == []
    assert list(store.state().codings) == [kept.id]


_actions = st.lists(
    st.one_of(
        st.tuples(st.just("apply"), st.sampled_from(["ana", "ben"]), st.integers(0, 40)),
        st.tuples(st.just("remove"), st.sampled_from(["ana", "ben"]), st.integers(0, 10)),
        st.tuples(st.just("memo"), st.sampled_from(["ana", "ben"]), st.integers(0, 10)),
        st.tuples(st.just("undo"), st.sampled_from(["ana", "ben"]), st.just(0)),
        st.tuples(st.just("redo"), st.sampled_from(["ana", "ben"]), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=_actions)
def test_the_fold_matches_a_simple_undo_model_and_reloads_identically(tmp_path_factory, text, actions):
    """Model: each coder has a history of snapshots; undo/redo move along it."""
    root = tmp_path_factory.mktemp("p") / "codings"
    store = CodingStore(root)
    store.load()
    model = {c: {"now": {}, "undo": [], "redo": []} for c in ("ana", "ben")}
    with mock.patch("os.fsync"):  # durability is tested elsewhere; this is about meaning
        for kind, coder, n in actions:
            m = model[coder]
            mine = sorted(m["now"])
            if kind == "apply":
                c = store.apply(coder, "t1", text, "code", n, n + 7)
                new = {**m["now"], c.id: ""}
            elif kind in ("remove", "memo"):
                if not mine:
                    continue
                cid = mine[n % len(mine)]
                if kind == "remove":
                    store.remove(coder, cid)
                    new = {k: v for k, v in m["now"].items() if k != cid}
                else:
                    store.memo(coder, "coding", cid, f"memo {n}")
                    new = {**m["now"], cid: f"memo {n}"}
            elif kind == "undo":
                assert (store.undo(coder) is None) == (not m["undo"])
                if m["undo"]:
                    m["redo"].append(m["now"])
                    m["now"] = m["undo"].pop()
                continue
            else:
                assert (store.redo(coder) is None) == (not m["redo"])
                if m["redo"]:
                    m["undo"].append(m["now"])
                    m["now"] = m["redo"].pop()
                continue
            m["undo"].append(m["now"])
            m["redo"] = []
            m["now"] = new
        for coder, m in model.items():
            assert {c.id: c.memo for c in store.state(coder).codings.values()} == m["now"]
            assert store.state().can_undo(coder) == bool(m["undo"])
            assert store.state().can_redo(coder) == bool(m["redo"])
        again = CodingStore(root)
        assert again.load() == []
        assert dict(again.state().codings) == dict(store.state().codings)
        assert dict(again.state().memos) == dict(store.state().memos)


def test_undo_with_nothing_to_undo_writes_nothing(store, root):
    assert store.undo("zed") is None and store.redo("zed") is None
    assert not (root / "zed.jsonl").exists()
    assert store.state("zed").codings == {} and "zed" not in store.coders


def test_codings_built_while_loading_equal_ordinary_ones(store, text):
    """Loading fills Coding instances directly for speed; they must be the same values."""
    from dataclasses import fields

    from coder.core.coding import Coding

    c = store.apply("ana", "t1", text, "confidence", 3, 9, Origin("suggestion", "m", 0.5, 1))
    plain = Coding(**{f.name: getattr(c, f.name) for f in fields(Coding)})
    assert c == plain and hash(c) == hash(plain) and repr(c) == repr(plain)
    assert set(vars(c)) == {f.name for f in fields(Coding)}


def git(cwd, *args):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": os.environ["PATH"]}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_two_coders_work_merged_by_git_never_conflicts(tmp_path, text):
    repo = tmp_path / "project"
    root = repo / "codings"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    store = CodingStore(root)
    store.load()
    shared = store.apply("ana", "t1", text, "confidence", 0, 11)
    git(repo, "add", "-A"), git(repo, "commit", "-qm", "start")
    git(repo, "checkout", "-qb", "ben")
    ben = CodingStore(root)
    ben.load()
    b = ben.apply("ben", "t1", text, "skills", 5, 20)
    ben.memo("ben", "coding", shared.id, "Also skills?")
    git(repo, "add", "-A"), git(repo, "commit", "-qm", "ben")
    git(repo, "checkout", "-q", "main")
    ana = CodingStore(root)
    ana.load()
    a = ana.apply("ana", "t1", text, "health", 30, 40)
    git(repo, "add", "-A"), git(repo, "commit", "-qm", "ana")
    merge = git(repo, "merge", "-q", "--no-edit", "ben")
    assert merge.returncode == 0, merge.stdout + merge.stderr
    merged = CodingStore(root)
    assert merged.load() == []
    assert set(merged.state().codings) == {shared.id, a.id, b.id}
    assert merged.state().memos_on("coding", shared.id)[0].coder == "ben"


def test_one_coder_on_two_machines_conflicts_and_loses_nothing(tmp_path, text):
    """The same log appended on two branches: git marks a conflict; every event still loads."""
    repo = tmp_path / "project"
    root = repo / "codings"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    first = CodingStore(root)
    first.load()
    first.apply("ana", "t1", text, "a", 0, 5)
    git(repo, "add", "-A"), git(repo, "commit", "-qm", "start")
    git(repo, "checkout", "-qb", "laptop")
    on_laptop = CodingStore(root)
    on_laptop.load()
    on_laptop.apply("ana", "t1", text, "b", 0, 5)
    git(repo, "commit", "-qam", "laptop")
    git(repo, "checkout", "-q", "main")
    on_desktop = CodingStore(root)
    on_desktop.load()
    on_desktop.apply("ana", "t1", text, "c", 0, 5)
    git(repo, "commit", "-qam", "desktop")
    assert git(repo, "merge", "-q", "laptop").returncode != 0  # a conflict, as expected
    merged = CodingStore(root)
    problems = merged.load()
    assert [p.message.split(" (")[0] for p in problems] == ["git conflict marker"] * 3
    assert sorted(c.code for c in merged.state().codings.values()) == ["a", "b", "c"]


def test_state_views_stay_live_across_appends_reloads_and_replaced_logs(store, root, text):
    everyone, ana = store.state(), store.state("ana")
    a = store.apply("ana", "t1", text, "a", 0, 5)
    assert list(everyone.codings) == [a.id] and list(ana.codings) == [a.id]
    store.load()
    assert list(everyone.codings) == [a.id] and list(ana.codings) == [a.id]
    (root / "ana.jsonl").replace(root / "ana.jsonl.bak")
    (root / "ana.jsonl").write_text("")  # a different, empty log
    store.refresh()
    assert dict(everyone.codings) == {} and dict(ana.codings) == {}


def test_values_the_log_could_not_read_back_are_refused_before_writing(store, root, text):
    c = store.apply("ana", "t1", text, "a", 0, 5)
    with pytest.raises(CoderError):
        store.apply("ana", "t1", text, "a", True, 5)
    with pytest.raises(CoderError, match="Field 'text' has the wrong type"):
        store.memo("ana", "coding", c.id, 42)
    assert len(lines(root)) == 1
