"""The fold: current codings, memos and rejections from a stream of events.

Each coder's log is folded on its own (:class:`CoderFold`); the merged view is
the union of all coders' folds, kept up to date as each fold changes, so both
views cost O(1) per event.  A coder only ever changes their own codings, so two
coders' logs never interfere and a git merge of them is simply both.

Every action changes one or two *slots* (a coding, a memo, a rejection).  The
fold records the slots' previous values for each action, so undoing it
restores them and redoing it applies the action again.  Undo and redo follow
the usual stacks: an undo reverts the latest action still in effect, a redo
re-applies the latest undone one, and a new action clears what could be redone.
A log that breaks these rules (a hand edit, two machines' logs merged) is
folded as far as it safely can be; the rest is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from coder.core.coding import Coding, Memo, Origin
from coder.core.codings.events import describe, short_quote

_MANUAL = Origin()
TABLES = ("codings", "memos", "rejections", "done")
MemoKey = tuple[str, str, str]  # (target_kind, target, coder)


class FoldError(ValueError):
    """An event that cannot apply to the current state; the message says why."""


@dataclass(frozen=True)
class Rejection:
    """A suggestion the coder turned down (so it is not suggested again)."""

    id: str
    coder: str
    transcript: str
    code: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    text_hash: str
    model: str
    score: float
    rank: int
    time: str
    band: str = ""  # the band it was shown in; empty on lines written before bands were recorded


def _tables() -> dict[str, dict]:
    return {name: {} for name in TABLES}


_new = object.__new__


def _coding(e: dict) -> Coding:
    """The coding an ``apply`` event creates.

    Loading folds tens of thousands of these; a frozen dataclass's ``__init__``
    sets each field through ``object.__setattr__``, so the instance dict is
    filled directly instead (4x faster, the same value: see the tests).
    """
    origin = e["origin"]
    c = _new(Coding)
    c.__dict__.update(
        id=e["id"],
        coder=e["coder"],
        transcript=e["transcript"],
        code=e["code"],
        start=e["start"],
        end=e["end"],
        quote=e["quote"],
        prefix=e["prefix"],
        suffix=e["suffix"],
        text_hash=e["hash"],
        origin=_MANUAL if origin.get("kind") == "manual" else Origin.from_json(origin),
        time=e["time"],
        memo="",
        speaker=e.get("speaker", ""),
        reported="",
    )
    return c


def _rejection(e: dict) -> Rejection:
    return Rejection(
        e["id"], e["coder"], e["transcript"], e["code"], e["start"], e["end"], e["quote"],
        e["prefix"], e["suffix"], e["hash"], e["model"], e["score"], e["rank"], e["time"],
        e.get("band", ""),
    )  # fmt: skip


class ByTranscript:
    """The merged codings grouped by transcript, with a count of changes per transcript, kept
    as the folds change (O(1) a change): a transcript's codings without a pass over all of
    them, and which transcripts changed since a reader last looked (:meth:`since`), so that
    what is derived per transcript is brought up to date in proportion to the change."""

    def __init__(self) -> None:
        self.groups: dict[str, dict[str, Coding]] = {}  # transcript -> coding id -> coding
        self.count = 0  # changes so far
        self._changed: dict[str, int] = {}  # transcript -> the count at its last change

    def put(self, c: Coding) -> None:
        self.groups.setdefault(c.transcript, {})[c.id] = c
        self._touch(c.transcript)

    def drop(self, c: Coding) -> None:
        group = self.groups.get(c.transcript)
        if group is not None and group.pop(c.id, None) is not None and not group:
            del self.groups[c.transcript]
        self._touch(c.transcript)

    def _touch(self, transcript: str) -> None:
        self.count += 1
        self._changed[transcript] = self.count

    def since(self, count: int) -> set[str]:
        """Transcripts whose codings changed after the count was ``count``."""
        return {t for t, n in self._changed.items() if n > count}

    def codings(self, transcript: str) -> list[Coding]:
        return list(self.groups.get(transcript, {}).values())


class CoderFold:
    """One coder's state and undo/redo stacks, mirrored into the shared merged tables."""

    def __init__(self, coder: str, merged: dict[str, dict], index: ByTranscript | None = None) -> None:
        self.coder = coder
        self.own = _tables()
        self._merged = merged
        self._index = index if index is not None else ByTranscript()  # the merged codings by transcript
        self.events: dict[str, dict] = {}  # action events by id
        self._seen: set[str] = set()  # every event id folded
        self.undo_stack: list[str] = []  # actions in effect, oldest first
        self.redo_stack: list[str] = []  # undone actions that can be redone, latest last
        self._undone: set[str] = set()
        self._inverse: dict[str, list[tuple[str, object, object]]] = {}
        # Actions another running instance of this coder appended while this one
        # was open: undo and redo here never pick them (each instance undoes its own).
        self.foreign: set[str] = set()

    # --- slots -----------------------------------------------------------------

    def _set(self, table: str, key, value):
        mine, merged = self.own[table], self._merged[table]
        old = mine.get(key)
        if table == "codings":
            before = merged.get(key)
            if before is not None:
                self._index.drop(before)
            if value is not None:
                self._index.put(value)
        if value is None:
            mine.pop(key, None)
            merged.pop(key, None)
        else:
            mine[key] = value
            merged[key] = value
        return old

    def clear(self) -> None:
        """Forget everything (before folding a replaced log from the start)."""
        for table in TABLES:
            merged, mine = self._merged[table], self.own[table]
            for key in mine:
                gone = merged.pop(key, None)
                if table == "codings" and gone is not None:
                    self._index.drop(gone)
            mine.clear()  # in place: State views handed out stay live
        self.events.clear()
        self._seen.clear()
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._undone.clear()
        self._inverse.clear()
        self.foreign.clear()

    def coding_of(self, coding_id: str) -> Coding:
        """This coder's current coding with this id; FoldError saying why not if there is none."""
        c = self.own["codings"].get(coding_id)
        if c is not None:
            return c
        other = self._merged["codings"].get(coding_id)
        if other is not None:
            raise FoldError(f"coding {coding_id} is {other.coder}'s; only {other.coder} can change it")
        raise FoldError(f"no current coding {coding_id} (removed, undone or never made)")

    def effects(self, e: dict) -> list[tuple[str, object, object]]:
        """The slots action ``e`` sets and their new values; FoldError if it cannot apply."""
        t = e["type"]
        if t == "apply":
            if e["id"] in self.own["codings"]:
                raise FoldError(f"coding {e['id']} already exists")
            return [("codings", e["id"], _coding(e))]
        if t == "remove":
            self.coding_of(e["coding"])
            return [("codings", e["coding"], None)]
        if t == "memo":
            kind, target, text = e["target_kind"], e["target"], e["text"]
            memo = Memo(kind, target, text, e["coder"], e["time"]) if text else None
            out: list = [("memos", (kind, target, self.coder), memo)]
            coding = self.own["codings"].get(target) if kind == "coding" else None
            if coding is not None:
                out.append(("codings", target, replace(coding, memo=text)))
            return out
        if t == "reject":
            return [("rejections", e["id"], _rejection(e))]
        if t == "reanchor":
            c = self.coding_of(e["coding"])
            moved = replace(
                c, start=e["start"], end=e["end"], quote=e["quote"], prefix=e["prefix"],
                suffix=e["suffix"], text_hash=e["hash"], speaker=e.get("speaker", c.speaker),
            )  # fmt: skip
            return [("codings", c.id, moved)]
        if t == "report":
            c = self.coding_of(e["coding"])
            return [("codings", c.id, replace(c, reported=e["text"]))]
        if t == "done":
            return [("done", (e["transcript"], self.coder), e["time"] if e["done"] else None)]
        raise FoldError(f"{t} is not an action")

    def _do(self, e: dict) -> None:
        self._inverse[e["id"]] = [(t, k, self._set(t, k, v)) for t, k, v in self.effects(e)]

    # --- folding ---------------------------------------------------------------

    def check(self, e: dict) -> None:
        """Raise FoldError if folding ``e`` would be refused (changes nothing)."""
        if e["id"] in self._seen:
            raise FoldError(f"duplicate event {e['id']} (a line copied twice?); skipped")
        t = e["type"]
        if t == "undo":
            self._undo_position(e["target"])
        elif t == "redo":
            self._check_redo(e["target"])
        else:
            self.effects(e)

    def fold(self, e: dict) -> None:
        """Apply one validated event of this coder, or raise FoldError leaving the state as it was."""
        eid = e["id"]
        if eid in self._seen:
            raise FoldError(f"duplicate event {eid} (a line copied twice?); skipped")
        t = e["type"]
        if t == "apply":  # the common case, inlined: loading is mostly applies
            mine = self.own["codings"]
            if eid in mine:
                raise FoldError(f"coding {eid} already exists")
            merged = self._merged["codings"]
            if eid in merged:  # another coder's coding of the same id (ids are unique: a copied line)
                self._index.drop(merged[eid])
            mine[eid] = merged[eid] = c = _coding(e)
            self._index.put(c)
            self._inverse[eid] = [("codings", eid, None)]
            self.events[eid] = e
            self.undo_stack.append(eid)
            self.redo_stack.clear()
        elif t == "undo":
            self._undo(e["target"])
        elif t == "redo":
            self._redo(e["target"])
        else:
            self._do(e)
            self.events[eid] = e
            self.undo_stack.append(eid)
            self.redo_stack.clear()
        self._seen.add(eid)

    def _action(self, target: str) -> dict:
        e = self.events.get(target)
        if e is None:
            what = "an undo/redo" if target in self._seen else "an unknown event"
            raise FoldError(f"refers to {what} ({target}); only actions can be undone or redone")
        return e

    def _undo_position(self, target: str) -> int:
        self._action(target)
        if target in self._undone:
            raise FoldError(f"action {target} is already undone")
        stack = self.undo_stack
        if stack[-1] == target:
            return len(stack) - 1
        i = len(stack) - 1 - stack[::-1].index(target)
        slots = {(t, k) for t, k, _ in self._inverse[target]}
        for later in stack[i + 1 :]:
            if any((t, k) in slots for t, k, _ in self._inverse[later]):
                raise FoldError(f"cannot undo {target}: the later action {later} changed the same thing")
        return i

    def _undo(self, target: str) -> None:
        i = self._undo_position(target)
        del self.undo_stack[i]
        for t, k, old in reversed(self._inverse[target]):
            self._set(t, k, old)
        self._undone.add(target)
        self.redo_stack.append(target)

    def _check_redo(self, target: str) -> dict:
        e = self._action(target)
        if target not in self._undone:
            raise FoldError(f"action {target} is not undone, so it cannot be redone")
        if target not in self.redo_stack:
            raise FoldError(f"action {target} can no longer be redone (later actions replaced it)")
        self.effects(e)
        return e

    def _redo(self, target: str) -> None:
        e = self._check_redo(target)
        self._do(e)
        if self.redo_stack[-1] == target:
            self.redo_stack.pop()
        else:
            self.redo_stack.remove(target)
        self._undone.discard(target)
        self.undo_stack.append(target)

    # --- questions -------------------------------------------------------------

    def next_undo(self) -> str | None:
        """The latest action in effect that this instance may undo (not another instance's)."""
        return next((a for a in reversed(self.undo_stack) if a not in self.foreign), None)

    def next_redo(self) -> str | None:
        return next((a for a in reversed(self.redo_stack) if a not in self.foreign), None)

    def summary(self, action_id: str) -> str:
        """A one-line description of an action, e.g. "apply confidence to 'I felt…'"."""
        e = self.events[action_id]
        if e["type"] in ("remove", "reanchor"):
            before = next((old for t, _, old in self._inverse.get(action_id, ()) if t == "codings"), None)
            if isinstance(before, Coding):
                verb = "remove" if e["type"] == "remove" else "re-place"
                return f"{verb} {before.code} on '{short_quote(before.quote)}'"
        if e["type"] == "memo" and e["target_kind"] == "coding":
            c = self._merged["codings"].get(e["target"])
            if c is not None:
                return f"{'delete memo' if not e['text'] else 'memo'} on '{short_quote(c.quote)}'"
        return describe(e)


class State:
    """A live, read-only view of current state: one coder's, or everyone's merged.

    ``codings`` maps coding id to :class:`Coding`; ``memos`` maps
    ``(target_kind, target, coder)`` to :class:`Memo`; ``rejections`` maps event
    id to :class:`Rejection`; ``done`` maps ``(transcript, coder)`` to when the
    coder marked the transcript done.  The mappings follow later appends (they are
    views, not copies); use them from the thread that writes.
    """

    def __init__(self, tables: dict[str, dict], folds: Mapping[str, CoderFold], coder: str | None,
                 index: ByTranscript | None = None) -> None:
        self.coder = coder
        self.index = index  # the merged codings by transcript (None: found by a pass over them)
        self.codings: Mapping[str, Coding] = MappingProxyType(tables["codings"])
        self.memos: Mapping[MemoKey, Memo] = MappingProxyType(tables["memos"])
        self.rejections: Mapping[str, Rejection] = MappingProxyType(tables["rejections"])
        self.done: Mapping[tuple[str, str], str] = MappingProxyType(tables["done"])  # (transcript, coder) -> time
        self._folds = folds

    def _fold(self, coder: str | None) -> CoderFold | None:
        return self._folds.get(coder or self.coder or "")

    def can_undo(self, coder: str | None = None) -> bool:
        fold = self._fold(coder)
        return bool(fold and fold.undo_stack)

    def can_redo(self, coder: str | None = None) -> bool:
        fold = self._fold(coder)
        return bool(fold and fold.redo_stack)

    def next_undo(self, coder: str | None = None) -> str | None:
        """What undo would revert, e.g. "apply confidence to '...'" (None if nothing)."""
        fold = self._fold(coder)
        target = fold.next_undo() if fold else None
        return fold.summary(target) if target else None

    def next_redo(self, coder: str | None = None) -> str | None:
        fold = self._fold(coder)
        target = fold.next_redo() if fold else None
        return fold.summary(target) if target else None

    @property
    def coders(self) -> list[str]:
        """Coders in this view (everyone with a log, for the merged view)."""
        return [self.coder] if self.coder else sorted(c for c, f in self._folds.items() if f.events)

    def codings_in(self, transcript: str) -> list[Coding]:
        """This view's codings of one transcript, in text order."""
        if self.index is not None and self.coder is None:
            found = self.index.codings(transcript)
        else:
            found = [c for c in self.codings.values() if c.transcript == transcript]
        return sorted(found, key=lambda c: (c.start, c.end, c.code, c.id))

    def memos_on(self, target_kind: str, target: str) -> list[Memo]:
        """Every coder's memo on one coding, transcript or code, oldest first."""
        found = [m for (k, t, _), m in self.memos.items() if k == target_kind and t == target]
        return sorted(found, key=lambda m: m.time)
