"""The coding log's event format: one JSON object per line of ``codings/<coder>.jsonl``.

Every action a coder takes appends exactly one event; the current state is the
fold of the log (see :mod:`coder.core.codings.state`).  Lines are UTF-8 JSON
objects without insignificant whitespace, each ending in ``\\n``.

Fields every event carries:

``v``
    Schema version, currently ``1``.  A line with a newer version is reported
    and skipped, never guessed at.
``id``
    A sortable unique id (26 characters, ULID layout: 48 bits of milliseconds
    then 80 random bits, Crockford base 32).  The id of an ``apply`` event is
    the id of the coding it creates.
``time``
    When the action was taken, UTC, ISO 8601 with milliseconds and ``Z``.
``coder``
    Who took it; always equal to the log's file name without ``.jsonl``.
``type``
    One of the types below.

Anchor fields (``apply``, ``reject``, ``reanchor``) place a span of one
transcript: ``start``/``end`` are code points into the LF-normalised text,
end-exclusive; ``quote`` is exactly ``text[start:end]``; ``prefix``/``suffix``
are up to ``ANCHOR_CONTEXT`` code points either side; ``hash`` is the
transcript's :func:`~coder.core.transcript.content_hash` at that moment.

Types and their own fields:

``apply`` – a code applied to a span (a new coding; its id is the event id)
    ``transcript``, ``code``, anchor fields, ``origin``: ``{"kind": "manual"}``
    or, for an accepted suggestion, ``{"kind": "suggestion", "model": ...,
    "score": ..., "rank": ...}``.  Accepting a suggestion *is* an ``apply``
    whose origin is ``suggestion``.
``remove`` – a coding taken away
    ``coding`` (its id), ``reason`` (free text, may be empty; e.g. "orphan
    discarded").
``memo`` – a memo written or edited (the latest memo wins; empty text deletes it)
    ``target_kind`` (``coding``, ``transcript`` or ``code``), ``target`` (the
    coding id, transcript id or code id), ``text``.
``reject`` – a suggestion the coder turned down
    ``transcript``, ``code``, anchor fields (``quote``/``prefix``/``suffix``/
    ``hash`` may be empty when the text was not at hand), ``model``,
    ``score``, ``rank``.
``reanchor`` – a coding re-placed by the coder (typically an orphan or a fuzzy
    match after the transcript was edited)
    ``coding``, anchor fields except ``transcript``, ``method`` (how the new
    place was found: ``manual``, ``fuzzy``...).
``undo`` / ``redo`` – an earlier action reverted / re-applied
    ``target``: the id of the *action* event (never of another undo/redo).

Example lines (one per type)::

    {"v":1,"id":"01J0Z3Q5K8D1V6Q9M2T7W4X3B5","time":"2024-06-18T09:12:44.107Z","coder":"ana","type":"apply","transcript":"lc-eng-p05-interview","code":"confidence","start":120,"end":163,"quote":"I never thought I'd speak at a meeting","prefix":"...","suffix":"...","hash":"sha256:9f2c...","origin":{"kind":"manual"}}

Unknown extra fields are ignored (so a later version can add some); a missing
or mistyped field makes the line a :class:`~coder.core.errors.Problem`.
"""

from __future__ import annotations

import json
import os
import time as _time
from datetime import datetime, timezone

SCHEMA_VERSION = 1
ACTION_TYPES = frozenset({"apply", "remove", "memo", "reject", "reanchor"})
EVENT_TYPES = ACTION_TYPES | {"undo", "redo"}
TARGET_KINDS = ("coding", "transcript", "code")
ORIGIN_KINDS = ("manual", "suggestion")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class EventError(ValueError):
    """A line that is not a valid event; the message says what is wrong."""


def new_id() -> str:
    """A 26-character id that sorts by creation time (ULID layout)."""
    value = (_time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    out = []
    for _ in range(26):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))


def now() -> str:
    """The current UTC time as the log writes it."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_event(type_: str, coder: str, **fields) -> dict:
    """A new event dict with the common fields first (the order lines are written in)."""
    return {"v": SCHEMA_VERSION, "id": new_id(), "time": now(), "coder": coder, "type": type_, **fields}


def dumps(event: dict) -> bytes:
    """One log line, including its terminating newline."""
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# --- validation -------------------------------------------------------------

_STR = (str,)


def _is_int(x) -> bool:
    return type(x) is int


def _is_num(x) -> bool:
    return type(x) in (int, float)


_ANCHOR = {"start": _is_int, "end": _is_int, "quote": _STR, "prefix": _STR, "suffix": _STR, "hash": _STR}
_FIELDS: dict[str, dict] = {
    "apply": {"transcript": _STR, "code": _STR, **_ANCHOR, "origin": (dict,)},
    "remove": {"coding": _STR},
    "memo": {"target_kind": _STR, "target": _STR, "text": _STR},
    "reject": {"transcript": _STR, "code": _STR, **_ANCHOR, "model": _STR, "score": _is_num, "rank": _is_int},
    "reanchor": {"coding": _STR, **_ANCHOR},
    "undo": {"target": _STR},
    "redo": {"target": _STR},
}
_OPTIONAL: dict[str, dict] = {"remove": {"reason": ""}, "reanchor": {"method": "manual"}}
_COMMON = {"id": _STR, "time": _STR, "coder": _STR, "type": _STR}


def _check(event: dict, spec: dict) -> None:
    for name, kind in spec.items():
        if name not in event:
            raise EventError(f"missing field {name!r}")
        value = event[name]
        ok = kind(value) if callable(kind) else isinstance(value, kind)
        if not ok:
            raise EventError(f"field {name!r} has the wrong type ({type(value).__name__})")


def validate(event) -> dict:
    """Check one decoded line; return it (with optional fields filled in) or raise EventError."""
    if not isinstance(event, dict):
        raise EventError("not a JSON object")
    v = event.get("v")
    if not _is_int(v):
        raise EventError("missing or invalid schema version 'v'")
    if v > SCHEMA_VERSION:
        raise EventError(f"written by a newer version of coder (schema v{v}; this one reads v{SCHEMA_VERSION})")
    _check(event, _COMMON)
    type_ = event["type"]
    spec = _FIELDS.get(type_)
    if spec is None:
        raise EventError(f"unknown event type {type_!r}")
    _check(event, spec)
    if not event["id"]:
        raise EventError("empty event id")
    if "start" in spec:
        start, end, quote = event["start"], event["end"], event["quote"]
        if not 0 <= start < end:
            raise EventError(f"invalid span {start}..{end}")
        if (quote or type_ != "reject") and len(quote) != end - start:
            raise EventError(f"quote is {len(quote)} characters but the span {start}..{end} is {end - start}")
    if type_ == "apply":
        _check_origin(event["origin"])
    elif type_ == "memo" and event["target_kind"] not in TARGET_KINDS:
        raise EventError(f"memo target_kind must be one of {', '.join(TARGET_KINDS)}")
    for name, default in _OPTIONAL.get(type_, {}).items():
        if not isinstance(event.setdefault(name, default), str):
            raise EventError(f"field {name!r} must be a string")
    return event


def _check_origin(origin: dict) -> None:
    kind = origin.get("kind")
    if kind not in ORIGIN_KINDS:
        raise EventError(f"origin kind must be 'manual' or 'suggestion', not {kind!r}")
    if kind == "suggestion":
        if not isinstance(origin.get("model"), (str, type(None))):
            raise EventError("origin model must be a string")
        if origin.get("score") is not None and not _is_num(origin["score"]):
            raise EventError("origin score must be a number")
        if origin.get("rank") is not None and not _is_int(origin["rank"]):
            raise EventError("origin rank must be an integer")


def parse_line(raw: bytes | str) -> dict:
    """Decode and validate one log line (without its newline)."""
    if raw[:7] in (b"<<<<<<<", b"=======", b">>>>>>>", "<<<<<<<", "=======", ">>>>>>>"):
        raise EventError("git conflict marker (resolve by keeping both sides' lines)")
    try:
        event = json.loads(raw)
    except UnicodeDecodeError:
        raise EventError("not valid UTF-8") from None
    except ValueError as e:
        raise EventError(f"not valid JSON ({e.msg} at column {e.colno})") from None
    return validate(event)


# --- human-readable summaries -----------------------------------------------


def short_quote(quote: str, limit: int = 40) -> str:
    """``quote`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(quote.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def describe(event: dict) -> str:
    """What an action event did, for messages such as "Undid: apply confidence to '...'"."""
    t = event["type"]
    if t == "apply":
        how = " (suggestion)" if event["origin"].get("kind") == "suggestion" else ""
        return f"apply {event['code']} to '{short_quote(event['quote'])}'{how}"
    if t == "remove":
        return f"remove coding {event['coding']}"
    if t == "memo":
        verb = "delete memo" if not event["text"] else "memo"
        return f"{verb} on {event['target_kind']} {event['target']}"
    if t == "reject":
        return f"reject suggestion {event['code']} for '{short_quote(event['quote'])}'"
    if t == "reanchor":
        return f"re-place coding {event['coding']} at '{short_quote(event['quote'])}'"
    return f"{t} {event.get('target', '')}".strip()
