"""The coding store: every coder's log in ``codings/``, folded, with durable actions.

Typical use (the ``Project`` facade does this)::

    store = CodingStore(project_root / "codings")
    problems = store.load()
    coding = store.apply("ana", "lc-eng-p05-interview", text, "confidence", 120, 163)
    store.undo("ana")          # -> Change: "Undid: apply confidence to '...'"
    store.state().codings      # everyone's current codings, by id
    store.state("ana").codings # ana's only

Each action takes the log's exclusive lock, first folds in whatever another
process appended meanwhile, checks the action against that fresh state, appends
its line durably, and only then changes the in-memory state.  If the append
fails (disk full, read-only project) a CoderError says so and nothing changes.

Batches (:meth:`CodingStore.apply_many`, :meth:`CodingStore.memo_many`) check
every item first and then append all lines under one hold of the lock, in
chunks of ``BATCH_CHUNK`` lines with one write and one fsync each.  A batch is
not atomic, but each chunk is durable before the next is written and is folded
as soon as it is; see :meth:`CodingStore.apply_many` for what a failure leaves.
"""

from __future__ import annotations

import gc

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from coder.core.coding import Coding, Memo, Origin
from coder.core.codings.anchor import quote_at
from coder.core.codings.events import (
    ACTION_TYPES, TARGET_KINDS, EventError, UnknownEventType, describe, dumps, make_event, parse_line, validate,
)
from coder.core.codings.identity import validate_coder_name
from coder.core.codings.logfile import LOCK_TIMEOUT, LogFile, ReadResult
from coder.core.codings.quarantine import SIDE_SUFFIX, copy_aside, line_hash
from coder.core.codings.state import ByTranscript, CoderFold, FoldError, Rejection, State, _tables
from coder.core.errors import CoderError, Problem, Severity
from coder.core.transcript import content_hash

SUFFIX = ".jsonl"
REPAIR_HINT = "the rest of the log is loaded; `coder check --repair` moves damaged lines to a side file"
BATCH_CHUNK = 5_000  # lines per write and fsync in a batch (about 2.5 MB of codings)


@dataclass(frozen=True)
class Change:
    """What an undo or redo did, for the UI to say so."""

    kind: Literal["undo", "redo"]
    action: dict = field(repr=False)  # the action event undone or redone
    summary: str  # e.g. "apply confidence to 'I never thought…'"

    def __str__(self) -> str:
        return f"{'Undid' if self.kind == 'undo' else 'Redid'}: {self.summary}"


class CodingStore:
    """All coders' logs under one ``codings/`` folder."""

    def __init__(self, root: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self._merged = _tables()
        self._index = ByTranscript()  # the merged codings by transcript
        self._folds: dict[str, CoderFold] = {}
        self._logs: dict[str, LogFile] = {}
        self._problems: dict[str, list[Problem]] = {}
        self._damaged: dict[str, dict[int, tuple[bytes, Problem]]] = {}  # coder -> line -> (bytes, problem)
        self._fresh: dict[str, list[dict]] = {}  # coder -> actions another instance appended, last read
        self._loaded = False  # the first load is done: what is read from now on was written by others

    # --- reading ---------------------------------------------------------------

    def path(self, coder: str) -> Path:
        """The log file of ``coder`` (which need not exist yet)."""
        return self.root / f"{validate_coder_name(coder)}{SUFFIX}"

    def load(self) -> list[Problem]:
        """Read every log from the start; return the problems found (also kept in :attr:`problems`)."""
        for fold in self._folds.values():
            fold.clear()  # in place: State views handed out stay live
        self._logs.clear()
        self._problems.clear()
        self._damaged.clear()
        self._loaded = False
        try:
            return self.refresh()
        finally:
            self._loaded = True

    def refresh(self) -> list[Problem]:
        """Fold in what changed on disk since the last read (other processes, ``git pull``).

        Returns the problems found in the newly read lines.
        """
        new: list[Problem] = []
        names = set(self._logs)
        if self.root.is_dir():
            for path in sorted(self.root.glob(f"*{SUFFIX}")):
                if path.name.endswith(SIDE_SUFFIX):
                    continue  # damaged lines copied aside, not a log
                coder = path.name[: -len(SUFFIX)]
                try:
                    validate_coder_name(coder)
                except CoderError:
                    problem = Problem(
                        str(path), None, "not a valid coder name; this log is ignored",
                        Severity.WARNING, "rename it to letters, digits, '-', '_' or '.'",
                    )  # fmt: skip
                    if problem not in self._problems.setdefault(path.name, []):
                        self._problems[path.name].append(problem)
                        new.append(problem)
                    continue
                names.add(coder)
        collecting = gc.isenabled()
        gc.disable()  # folding builds many small objects; collecting meanwhile only slows it down
        try:
            for coder in sorted(names):
                new += self._ingest(coder, self._log(coder).read_new())
        finally:
            # The folded state lives as long as the store (and is freed by reference counting):
            # kept out of later collections, which would otherwise walk every coding again and
            # again and stall whatever thread allocates next (a screen, for seconds, at 200,000).
            gc.freeze()
            if collecting:
                gc.enable()
        return new

    @property
    def problems(self) -> list[Problem]:
        """Every problem in the logs as last read."""
        return [p for ps in self._problems.values() for p in ps]

    @property
    def coders(self) -> list[str]:
        """Coders with a log file or with events."""
        return sorted(c for c, fold in self._folds.items() if fold.events or self._log(c).path.exists())

    def state(self, coder: str | None = None) -> State:
        """The current state of one coder, or of everyone (``None``); a live read-only view."""
        if coder is None:
            return State(self._merged, self._folds, None, self._index)
        return State(self._fold(coder).own, self._folds, coder, self._index)

    def _log(self, coder: str) -> LogFile:
        log = self._logs.get(coder)
        if log is None:
            log = self._logs[coder] = LogFile(self.path(coder), timeout=self.lock_timeout)
        return log

    def _fold(self, coder: str) -> CoderFold:
        fold = self._folds.get(coder)
        if fold is None:
            fold = self._folds[coder] = CoderFold(validate_coder_name(coder), self._merged, self._index)
        return fold

    def _ingest(self, coder: str, read: ReadResult) -> list[Problem]:
        fold = self._fold(coder)
        file = str(self._log(coder).path)
        if read.reset:
            fold.clear()
            self._problems[coder] = []
            self._damaged[coder] = {}
        problems = self._problems.setdefault(coder, [])
        damaged = self._damaged.setdefault(coder, {})
        later = self._loaded and not read.reset  # appended by another instance since this one loaded
        fresh = self._fresh[coder] = []
        new: list[Problem] = []
        if read.extended is not None:
            message = "this line was extended after it was read; the addition is skipped"
            new.append(Problem(file, read.extended, message, Severity.WARNING))

        def skip(n: int, raw: bytes, why: str) -> None:
            problem = Problem(file, n, f"{why}; line skipped", Severity.WARNING, hint=REPAIR_HINT)
            damaged[n] = (raw, problem)
            new.append(problem)

        for n, raw in enumerate(read.lines, read.first):
            try:
                event = parse_line(raw)
            except UnknownEventType as e:
                new.append(Problem(file, n, f"{e}; line skipped", Severity.WARNING,
                                   "a later version of coder wrote it; update coder to use it"))
                continue
            except EventError as e:
                if raw.strip():
                    skip(n, raw, str(e))
                continue
            if event["coder"] != coder:
                skip(n, raw, f"event by {event['coder']!r} in {coder}'s log")
                continue
            if event["type"] == "quarantine":
                gone = self._acknowledge(damaged, event)
                new = [p for p in new if p not in gone]
                problems[:] = [p for p in problems if p not in gone]
                continue
            try:
                fold.fold(event)
            except FoldError as e:
                new.append(Problem(file, n, str(e), Severity.WARNING))
                continue
            if later and event["type"] in ACTION_TYPES:
                fold.foreign.add(event["id"])
                fresh.append(event)
        problems += new
        return new

    @staticmethod
    def _acknowledge(damaged: dict[int, tuple[bytes, Problem]], event: dict) -> list[Problem]:
        """Forget the damaged lines a ``quarantine`` event names (when their bytes still match)."""
        gone = []
        for item in event["lines"]:
            hit = damaged.get(item["line"])
            if hit is not None and line_hash(hit[0]) == item["sha256"]:
                gone.append(damaged.pop(item["line"])[1])
        return gone

    def damaged_lines(self) -> list[tuple[str, int, bytes]]:
        """Lines skipped when the logs were read and not yet quarantined: (coder, line, bytes)."""
        return [(coder, n, raw) for coder, lines in sorted(self._damaged.items()) for n, (raw, _) in sorted(lines.items())]

    def quarantine(self, coder: str) -> tuple[int, Path | None]:
        """Copy ``coder``'s damaged lines to the side file, then record a ``quarantine`` event.

        Holds the log's lock throughout; the log itself is not rewritten (see
        :mod:`.quarantine`).  Returns how many lines were quarantined and the side file.
        """
        log = self._log(validate_coder_name(coder))
        with log.writing() as w:
            self._ingest(coder, w.read_new())
            damaged = {n: raw for n, (raw, _) in self._damaged.get(coder, {}).items()}
            if not damaged:
                return 0, None
            side = copy_aside(log.path, damaged)
            event = make_event("quarantine", coder, file=side.name,
                               lines=[{"line": n, "sha256": line_hash(raw)} for n, raw in sorted(damaged.items())])
            validate(event)
            w.append_lines([dumps(event)], action="record the repair",
                           saved=f"The damaged lines were copied to {side.name}.")
            gone = self._acknowledge(self._damaged[coder], event)
            problems = self._problems.setdefault(coder, [])
            problems[:] = [p for p in problems if p not in gone]
        return len(damaged), side

    # --- actions ---------------------------------------------------------------

    def _commit(self, coder: str, build: Callable[[CoderFold], dict | None]) -> dict | None:
        """Lock, catch up, build and check the event, append it durably, then fold it."""
        log = self._log(validate_coder_name(coder))
        with log.writing() as w:
            self._ingest(coder, w.read_new())
            fold = self._fold(coder)
            event = build(fold)
            if event is None:
                return None
            self._check(fold, event)
            w.append(dumps(event))
            fold.fold(event)
        return event

    @staticmethod
    def _check(fold: CoderFold, event: dict) -> None:
        """Refuse an event the fold would refuse, or a line this module would refuse to read."""
        try:
            validate(event)
            fold.check(event)
        except (EventError, FoldError) as e:
            raise CoderError(str(e)[:1].upper() + str(e)[1:] + ".") from None

    def _commit_many(
        self, coder: str, events: list[dict], noun: str, check: Callable[[CoderFold, dict], None] | None = None
    ) -> None:
        """Lock, catch up, check every event, then append and fold them chunk by chunk."""
        log = self._log(validate_coder_name(coder))
        if not events:
            return
        total = len(events)
        with log.writing() as w:
            self._ingest(coder, w.read_new())
            fold = self._fold(coder)
            lines = []
            for i, event in enumerate(events):
                try:
                    if check is not None:
                        check(fold, event)
                    self._check(fold, event)
                    lines.append(dumps(event))
                except CoderError as e:
                    raise _bad_item(i, total, describe(event), e) from None
                except (TypeError, ValueError) as e:  # a value JSON cannot hold
                    raise _bad_item(i, total, describe(event), CoderError(f"{e}.")) from None
            for k in range(0, total, BATCH_CHUNK):  # k events are durable and folded so far
                saved = f"The first {k:,} of {total:,} were saved; the rest were not." if k else "Nothing was saved."
                w.append_lines(lines[k : k + BATCH_CHUNK], action=f"save the {noun}", saved=saved)
                for event in events[k : k + BATCH_CHUNK]:
                    fold.fold(event)

    @staticmethod
    def _span(text: str, start: int, end: int, transcript: str) -> None:
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
            raise CoderError(
                f"Cannot code {start}..{end}: the span must be non-empty and inside the transcript "
                f"(0..{len(text)}).",
                file=transcript,
            )

    def _anchor(self, text: str, start: int, end: int, transcript: str, text_hash: str | None,
                speaker: str = "") -> dict:
        self._span(text, start, end, transcript)
        quote, prefix, suffix = quote_at(text, start, end)
        text_hash = text_hash or content_hash(text)
        anchor = dict(start=start, end=end, quote=quote, prefix=prefix, suffix=suffix, hash=text_hash)
        if speaker:
            anchor["speaker"] = speaker
        return anchor

    def apply(
        self,
        coder: str,
        transcript_id: str,
        text: str,
        code: str,
        start: int,
        end: int,
        origin: Origin = Origin(),
        *,
        text_hash: str | None = None,
        speaker: str = "",
    ) -> Coding:
        """Apply ``code`` to ``text[start:end]`` of a transcript; returns the new coding once it is on disk.

        ``text`` is the transcript's current (LF-normalised) text; pass
        ``text_hash`` if it is already known.  Accepting a suggestion is an apply
        whose ``origin`` is ``Origin("suggestion", model, score, rank)``.
        ``speaker`` (the speaker of the turn at ``start``) is recorded when given.
        """
        if not (transcript_id and code and isinstance(transcript_id, str) and isinstance(code, str)):
            raise CoderError("A coding needs a transcript and a code.")
        anchor = self._anchor(text, start, end, transcript_id, text_hash, speaker)
        event = make_event("apply", coder, transcript=transcript_id, code=code, **anchor, origin=origin.to_json())
        key = (transcript_id, code, start, end, anchor["hash"])
        same: list[str] = []

        def build(fold: CoderFold) -> dict | None:
            # Another instance of this coder may have coded the same span a moment ago:
            # applying again changes nothing (checked under the lock, on what it appended).
            for e in self._fresh.get(coder, ()):
                if e["type"] == "apply" and (e["transcript"], e["code"], e["start"], e["end"], e["hash"]) == key \
                        and e["id"] in fold.own["codings"]:
                    same.append(e["id"])
                    return None
            return event

        self._commit(coder, build)
        return self._folds[coder].own["codings"][same[0] if same else event["id"]]

    def apply_many(self, coder: str, items: Iterable[tuple], times: Sequence[str | None] = ()) -> list[Coding]:
        """Apply many codings at once (an import, "accept all"); returns them, in item order, once on disk.

        Each item is ``(transcript_id, text, code, start, end, origin)``, as for
        :meth:`apply` (``origin`` may be left off: manual).  Items sharing a
        transcript should pass the same ``text`` object: its hash is computed once.

        Every item is checked before anything is written: if one is invalid,
        CoderError names it (``item 3 of 20``) and nothing is written.  The lines
        are then appended under one hold of the lock, ``BATCH_CHUNK`` per write
        and fsync, and each chunk is folded into the state once it is durable.

        A batch is **not atomic**.  If a write fails (disk full, read-only), the
        chunks already written stay on disk and in the state, the failing chunk
        is cut back, and CoderError says how many were saved.  A process killed
        mid-batch leaves a prefix of the batch as whole lines plus at most one
        torn last line, which loading reports and skips.

        Undo treats each coding as its own action, exactly as if they had been
        applied one by one: the log format is unchanged, so a torn batch is just
        a shorter run of applies and every version of coder folds it alike (and
        one keystroke cannot take back a whole import).

        ``times`` (an import's) gives item ``i`` the time ``times[i]`` instead of now
        (UTC, as the log writes times; None keeps now).
        """
        items = list(items)
        total = len(items)
        hashes: dict[int, tuple[str, str]] = {}  # id(text) -> (text, hash); holding text keeps its id unique
        events = []
        for i, item in enumerate(items):
            try:
                transcript_id, text, code, start, end, *rest = item
            except (TypeError, ValueError):
                raise CoderError(
                    f"Nothing was saved: item {i + 1} of {total} is not (transcript, text, code, start, end, origin)."
                ) from None
            origin = rest[0] if len(rest) == 1 else Origin() if not rest else None
            what = f"{code!r} on {transcript_id!r} {start}..{end}"
            try:
                if not (transcript_id and code and isinstance(transcript_id, str) and isinstance(code, str)):
                    raise CoderError("A coding needs a transcript and a code.")
                if not isinstance(text, str):
                    raise CoderError("The transcript text must be a string.", file=transcript_id)
                if not isinstance(origin, Origin):
                    raise CoderError("The origin must be an Origin.")
                cached = hashes.get(id(text))
                if cached is None or cached[0] is not text:
                    cached = hashes[id(text)] = (text, content_hash(text))
                anchor = self._anchor(text, start, end, transcript_id, cached[1])
            except CoderError as e:
                raise _bad_item(i, total, what, e) from None
            events.append(_at(
                make_event("apply", coder, transcript=transcript_id, code=code, **anchor, origin=origin.to_json()),
                times, i))
        self._commit_many(coder, events, "codings")
        own = self._folds[coder].own["codings"] if events else {}
        return [own[e["id"]] for e in events]

    def remove(self, coder: str, coding_id: str, reason: str = "") -> Coding:
        """Remove one of ``coder``'s codings (``reason`` is kept, e.g. "orphan discarded"); returns it."""
        removed: list[Coding] = []

        def build(fold: CoderFold) -> dict:
            try:
                removed.append(fold.coding_of(coding_id))
            except FoldError as e:
                raise CoderError(f"Cannot remove: {e}.") from None
            return make_event("remove", coder, coding=coding_id, reason=reason)

        self._commit(coder, build)
        return removed[0]

    def memo(self, coder: str, target_kind: str, target: str, text: str) -> Memo | None:
        """Write, replace or (with empty ``text``) delete ``coder``'s memo on a coding, transcript or code."""
        if target_kind not in TARGET_KINDS:
            raise CoderError(f"A memo is on a {', '.join(TARGET_KINDS)}; not on {target_kind!r}.")

        def build(fold: CoderFold) -> dict:
            event = make_event("memo", coder, target_kind=target_kind, target=target, text=text)
            self._memo_target(fold, event)
            return event

        self._commit(coder, build)
        return self._folds[coder].own["memos"].get((target_kind, target, coder))

    def _memo_target(self, fold: CoderFold, event: dict) -> None:
        if event["target_kind"] == "coding" and event["target"] not in self._merged["codings"]:
            raise CoderError(f"Cannot write a memo: there is no current coding {event['target']}.")

    def memo_many(self, coder: str, items: Iterable[tuple[str, str, str]],
                  times: Sequence[str | None] = ()) -> list[Memo | None]:
        """Write many memos of ``coder`` at once; each item is ``(target_kind, target, text)`` as for :meth:`memo`
        (``times`` as for :meth:`apply_many`).

        Returns each item's memo as it stands after the batch (None if deleted).
        Checked, written and folded like :meth:`apply_many`, with the same
        guarantees; each memo is its own undoable action.
        """
        items = list(items)
        events = []
        for i, item in enumerate(items):
            try:
                target_kind, target, text = item
            except (TypeError, ValueError):
                raise CoderError(
                    f"Nothing was saved: item {i + 1} of {len(items)} is not (target_kind, target, text)."
                ) from None
            if target_kind not in TARGET_KINDS or not isinstance(target, str) or not isinstance(text, str):
                error = CoderError(f"A memo is on a {', '.join(TARGET_KINDS)} (by id) and its text is a string.")
                raise _bad_item(i, len(items), f"memo on {target_kind!r} {target!r}", error)
            events.append(_at(make_event("memo", coder, target_kind=target_kind, target=target, text=text), times, i))
        self._commit_many(coder, events, "memos", self._memo_target)
        memos = self._folds[coder].own["memos"] if events else {}
        return [memos.get((kind, target, coder)) for kind, target, _ in items]

    def reject(
        self,
        coder: str,
        transcript_id: str,
        start: int,
        end: int,
        code: str,
        model: str,
        score: float,
        rank: int,
        *,
        text: str | None = None,
        band: str = "",
    ) -> Rejection:
        """Record that ``coder`` turned down a suggestion of ``code`` for ``start..end``.

        Pass the transcript ``text`` to anchor the rejection like a coding (so
        it can be re-placed after an edit); without it only the span is kept.
        """
        if text is not None:
            anchor = self._anchor(text, start, end, transcript_id, None)
        else:
            if not (type(start) is int and type(end) is int and 0 <= start < end):
                raise CoderError(f"Invalid span {start}..{end}.", file=transcript_id)
            anchor = dict(start=start, end=end, quote="", prefix="", suffix="", hash="")
        event = make_event(
            "reject", coder, transcript=transcript_id, code=code, **anchor,
            model=str(model), score=float(score), rank=int(rank), **({"band": band} if band else {}),
        )  # fmt: skip
        self._commit(coder, lambda fold: event)
        return self._folds[coder].own["rejections"][event["id"]]

    def replace(
        self, coder: str, coding_id: str, start: int, end: int, text: str, *, method: str = "manual",
        speaker: str = "",
    ) -> Coding:
        """Re-place one of ``coder``'s codings at ``text[start:end]`` (an orphan, or a reviewed fuzzy match).

        ``text`` is the transcript's current text; the coding keeps its id, code,
        origin and memo.  ``method`` records how the place was found.
        """
        current = self._merged["codings"].get(coding_id)
        anchor = self._anchor(text, start, end, current.transcript if current else coding_id, None, speaker)
        event = make_event("reanchor", coder, coding=coding_id, **anchor, method=method)
        self._commit(coder, lambda fold: event)
        return self._folds[coder].own["codings"][coding_id]

    def report(self, coder: str, coding_id: str, text: str) -> Coding:
        """Write (or with empty ``text`` remove) the reported quote of one of ``coder``'s codings.
        The caller checks ``text`` against the coded words (:mod:`coder.core.reported`)."""
        self._commit(coder, lambda fold: make_event("report", coder, coding=coding_id, text=text))
        return self._folds[coder].own["codings"][coding_id]

    def mark_done(self, coder: str, transcript_id: str, done: bool = True) -> bool:
        """Mark ``transcript_id`` as completely coded by ``coder`` (or not); False if it already was so."""
        key = (transcript_id, validate_coder_name(coder))

        def build(fold: CoderFold) -> dict | None:
            if (key in fold.own["done"]) == done:
                return None
            return make_event("done", coder, transcript=transcript_id, done=done)

        return self._commit(coder, build) is not None

    def undo(self, coder: str) -> Change | None:
        """Undo ``coder``'s latest action still in effect; None if there is nothing to undo."""
        return self._undo_redo(coder, "undo")

    def redo(self, coder: str) -> Change | None:
        """Redo ``coder``'s latest undone action; None if there is nothing to redo."""
        return self._undo_redo(coder, "redo")

    def _undo_redo(self, coder: str, kind: Literal["undo", "redo"]) -> Change | None:
        picked: list[str] = []
        fold = self._folds.get(validate_coder_name(coder))
        if fold is None or (fold.next_undo() if kind == "undo" else fold.next_redo()) is None:
            # Nothing here; look at the log (another session may have acted)
            # before taking the write lock, which would create the file.
            self._ingest(coder, self._log(coder).read_new())
            fold = self._folds[coder]
            if (fold.next_undo() if kind == "undo" else fold.next_redo()) is None:
                return None

        def build(fold: CoderFold) -> dict | None:
            target = fold.next_undo() if kind == "undo" else fold.next_redo()
            if target is None:
                return None
            picked.append(fold.summary(target))  # before: a removal is described by what it removed
            return make_event(kind, coder, target=target)

        event = self._commit(coder, build)
        if event is None:
            return None
        return Change(kind, self._folds[coder].events[event["target"]], picked[0])


def _bad_item(i: int, total: int, what: str, e: CoderError) -> CoderError:
    """The error for one invalid item of a batch (nothing of the batch was written)."""
    return CoderError(
        f"Nothing was saved: item {i + 1} of {total} ({what}) is invalid. {e.message}",
        file=e.file, line=e.line, hint=e.hint,
    )  # fmt: skip


def _at(event: dict, times: Sequence[str | None], i: int) -> dict:
    """``event`` with the time given for item ``i`` (an imported one), if any."""
    if i < len(times) and times[i]:
        event["time"] = times[i]
    return event
