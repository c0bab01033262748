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
    "score": ..., "rank": ..., "band": ...}`` (``band``, the confidence band the
    suggestion was shown in, is optional: older lines lack it).  Accepting a suggestion *is* an ``apply``
    whose origin is ``suggestion``.  Optional ``speaker``: the speaker of the
    turn the span starts in (older lines lack it; re-anchoring then reads a
    ``Speaker:`` label from the prefix, or the turn at the old place).
``remove`` – a coding taken away
    ``coding`` (its id), ``reason`` (free text, may be empty; e.g. "orphan
    discarded").
``memo`` – a memo written or edited (the latest memo wins; empty text deletes it)
    ``target_kind`` (``coding``, ``transcript`` or ``code``), ``target`` (the
    coding id, transcript id or code id), ``text``.
``reject`` – a suggestion the coder turned down
    ``transcript``, ``code``, anchor fields (``quote``/``prefix``/``suffix``/
    ``hash`` may be empty when the text was not at hand), ``model``,
    ``score``, ``rank``, optional ``band`` (as for an accepted suggestion).
``reanchor`` – a coding re-placed by the coder (typically an orphan or a fuzzy
    match after the transcript was edited)
    ``coding``, anchor fields except ``transcript``, ``method`` (how the new
    place was found: ``manual``, ``fuzzy``...), optional ``speaker`` as for ``apply``.
``report`` – a coding's reported quote written or edited (the latest wins; empty text removes it)
    ``coding``, ``text``: the researcher's edited version of the coded words for
    publication, with ``[...]`` for replaced or added words and ``…`` for cuts;
    coder writes it only if every unbracketed fragment appears, in order, in the
    coded text (see :mod:`coder.core.reported`).
``done`` – a transcript marked as completely coded by this coder (or, with
    ``done`` false, no longer so)
    ``transcript``, ``done`` (true or false).  Theme tables count a
    participant only once their transcripts are done (see the exports).
``undo`` / ``redo`` – an earlier action reverted / re-applied
    ``target``: the id of the *action* event (never of another undo/redo).
``quarantine`` – damaged lines of this log were copied to a side file
    ``file`` (the side file's name, ``<coder>.quarantine.jsonl``), ``lines``:
    ``[{"line": N, "sha256": "sha256:…"}, …]``.  Readers skip those lines
    without reporting them again (a line counts only if its bytes still hash
    alike).  Not an action: it cannot be undone.  ``coder check --repair``
    writes it; the log itself is never rewritten.

Example lines, one per type (hashes shortened here; an ``accept`` is the
second ``apply``)::

    {"v":1,"id":"01M8K6A1H66J9P59YWEC8M708Z","time":"2024-06-18T09:21:24.646Z","coder":"ana","type":"apply","transcript":"lc-eng-p05-interview","code":"confidence","start":34,"end":72,"quote":"I never thought I'd speak at a meeting","prefix":"terviewer: How did it go?\\n\\nP05: ","suffix":", but I did. Now I run the group","hash":"sha256:212fcdd7…","origin":{"kind":"manual"}}
    {"v":1,"id":"01M8K6A1HM4AFCFHNZJ80KEY9B","time":"2024-06-18T09:21:24.660Z","coder":"ana","type":"apply","transcript":"lc-eng-p05-interview","code":"skills","start":85,"end":105,"quote":"Now I run the group.","prefix":" speak at a meeting, but I did. ","suffix":"\\n","hash":"sha256:212fcdd7…","origin":{"kind":"suggestion","model":"all-MiniLM-L6-v2","score":0.82,"rank":1}}
    {"v":1,"id":"01M8K6A1HQQTM9563JT7NN4R0R","time":"2024-06-18T09:21:24.663Z","coder":"ana","type":"memo","target_kind":"coding","target":"01M8K6A1H66J9P59YWEC8M708Z","text":"First time speaking in public."}
    {"v":1,"id":"01M8K6A1HVT2DZCM7FE7NDKZHG","time":"2024-06-18T09:21:24.667Z","coder":"ana","type":"reject","transcript":"lc-eng-p05-interview","code":"networks","start":85,"end":105,"quote":"Now I run the group.","prefix":" speak at a meeting, but I did. ","suffix":"\\n","hash":"sha256:212fcdd7…","model":"all-MiniLM-L6-v2","score":0.41,"rank":3}
    {"v":1,"id":"01M8K6A1HW2M3J23METYVFGNME","time":"2024-06-18T09:21:24.668Z","coder":"ana","type":"remove","coding":"01M8K6A1HM4AFCFHNZJ80KEY9B","reason":"orphan discarded"}
    {"v":1,"id":"01M8K6A1HZTAQNGCP5GSSTGWBP","time":"2024-06-18T09:21:24.671Z","coder":"ana","type":"undo","target":"01M8K6A1HW2M3J23METYVFGNME"}
    {"v":1,"id":"01M8K6A1J30A74JVNVNPJGVWH7","time":"2024-06-18T09:21:24.675Z","coder":"ana","type":"redo","target":"01M8K6A1HW2M3J23METYVFGNME"}
    {"v":1,"id":"01M8K6A1J7G5AEDYQBN5GKD8X5","time":"2024-06-18T09:21:24.679Z","coder":"ana","type":"reanchor","coding":"01M8K6A1H66J9P59YWEC8M708Z","start":34,"end":76,"quote":"I never thought I would speak at a meeting","prefix":"terviewer: How did it go?\\n\\nP05: ","suffix":", but I did. Now I run the group","hash":"sha256:25a61c5a…","method":"fuzzy"}
    {"v":1,"id":"01M8K6A1JA7QX3M2C5D9E0F1G2","time":"2024-06-18T09:21:24.681Z","coder":"ana","type":"report","coding":"01M8K6A1H66J9P59YWEC8M708Z","text":"I never thought I'd speak at a meeting[…]"}
    {"v":1,"id":"01M8K6A1JB0S1Y2TZQ4F6N8P0R","time":"2024-06-18T09:21:24.683Z","coder":"ana","type":"done","transcript":"lc-eng-p05-interview","done":true}
    {"v":1,"id":"01M8K6A1JB8Q2R3S4T5V6W7X8Y","time":"2024-06-18T09:30:00.000Z","coder":"ana","type":"quarantine","file":"ana.quarantine.jsonl","lines":[{"line":4,"sha256":"sha256:9f86d081…"}]}

Unknown extra fields are ignored (so a later version can add some); a missing
or mistyped field makes the line a :class:`~coder.core.errors.Problem`.  An
event of a type this version does not know (written by a later version) raises
:class:`UnknownEventType`: the line is reported as a warning and skipped, and
everything else in the log still loads.
"""

from __future__ import annotations

import json
import os
import time as _time
from datetime import datetime, timezone

SCHEMA_VERSION = 1
ACTION_TYPES = frozenset({"apply", "remove", "memo", "reject", "reanchor", "done", "report"})
EVENT_TYPES = ACTION_TYPES | {"undo", "redo", "quarantine"}
TARGET_KINDS = ("coding", "transcript", "code", "project")  # project: the project journal
ORIGIN_KINDS = ("manual", "suggestion")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class EventError(ValueError):
    """A line that is not a valid event; the message says what is wrong."""


class UnknownEventType(EventError):
    """A well-formed event of a type this version does not know (a later version wrote it)."""


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
# Exact types (``type(x) in kinds``): fast, and refuses booleans where numbers belong.

_STR = (str,)
_INT = (int,)
_NUM = (int, float)
_DICT = (dict,)
_BOOL = (bool,)
_LIST = (list,)
_MISSING = object()

_COMMON = (("id", _STR), ("time", _STR), ("coder", _STR), ("type", _STR))
_ANCHOR = (("start", _INT), ("end", _INT), ("quote", _STR), ("prefix", _STR), ("suffix", _STR), ("hash", _STR))
_FIELDS: dict[str, tuple] = {
    "apply": (("transcript", _STR), ("code", _STR), *_ANCHOR, ("origin", _DICT)),
    "remove": (("coding", _STR),),
    "memo": (("target_kind", _STR), ("target", _STR), ("text", _STR)),
    "reject": (("transcript", _STR), ("code", _STR), *_ANCHOR, ("model", _STR), ("score", _NUM), ("rank", _INT)),
    "reanchor": (("coding", _STR), *_ANCHOR),
    "done": (("transcript", _STR), ("done", _BOOL)),
    "report": (("coding", _STR), ("text", _STR)),
    "undo": (("target", _STR),),
    "redo": (("target", _STR),),
    "quarantine": (("file", _STR), ("lines", _LIST)),
}
_FIELDS = {type_: _COMMON + spec for type_, spec in _FIELDS.items()}
_ANCHORED = frozenset({"apply", "reject", "reanchor"})
_OPTIONAL: dict[str, dict] = {"remove": {"reason": ""}, "reanchor": {"method": "manual"}}


def _check(event: dict, spec: tuple) -> None:
    get = event.get
    for name, kinds in spec:
        value = get(name, _MISSING)
        if type(value) not in kinds:
            if value is _MISSING:
                raise EventError(f"missing field {name!r}")
            raise EventError(f"field {name!r} has the wrong type ({type(value).__name__})")


def validate(event) -> dict:
    """Check one decoded line; return it (with optional fields filled in) or raise EventError."""
    if type(event) is not dict:
        raise EventError("not a JSON object")
    v = event.get("v")
    if type(v) is not int:
        raise EventError("missing or invalid schema version 'v'")
    if v > SCHEMA_VERSION:
        raise EventError(f"written by a newer version of coder (schema v{v}; this one reads v{SCHEMA_VERSION})")
    type_ = event.get("type")
    spec = _FIELDS.get(type_) if type(type_) is str else None
    if spec is None:
        _check(event, _COMMON)
        raise UnknownEventType(f"event type {type_!r} is not known to this version of coder")
    _check(event, spec)
    if not event["id"]:
        raise EventError("empty event id")
    if type_ in _ANCHORED:
        start, end, quote = event["start"], event["end"], event["quote"]
        if not 0 <= start < end:
            raise EventError(f"invalid span {start}..{end}")
        if (quote or type_ != "reject") and len(quote) != end - start:
            raise EventError(f"quote is {len(quote)} characters but the span {start}..{end} is {end - start}")
        if type_ == "apply":
            _check_origin(event["origin"])
        if type(event.get("speaker", "")) is not str:
            raise EventError("field 'speaker' must be a string")
        if type(event.get("band", "")) is not str:
            raise EventError("field 'band' must be a string")
    elif type_ == "memo" and event["target_kind"] not in TARGET_KINDS:
        raise EventError(f"memo target_kind must be one of {', '.join(TARGET_KINDS)}")
    elif type_ == "quarantine" and not all(
        type(x) is dict and type(x.get("line")) is int and type(x.get("sha256")) is str for x in event["lines"]
    ):
        raise EventError("quarantine lines must be objects with 'line' and 'sha256'")
    optional = _OPTIONAL.get(type_)
    if optional:
        for name, default in optional.items():
            if type(event.setdefault(name, default)) is not str:
                raise EventError(f"field {name!r} must be a string")
    return event


def _check_origin(origin: dict) -> None:
    kind = origin.get("kind")
    if kind not in ORIGIN_KINDS:
        raise EventError(f"origin kind must be 'manual' or 'suggestion', not {kind!r}")
    if kind == "suggestion":
        if not isinstance(origin.get("model"), (str, type(None))):
            raise EventError("origin model must be a string")
        if origin.get("score") is not None and type(origin["score"]) not in _NUM:
            raise EventError("origin score must be a number")
        if origin.get("rank") is not None and type(origin["rank"]) is not int:
            raise EventError("origin rank must be an integer")
        if type(origin.get("band", "")) is not str:
            raise EventError("origin band must be a string")


_raw_decode = json.JSONDecoder().raw_decode


def parse_line(raw: bytes | str) -> dict:
    """Decode and validate one log line (without its newline)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise EventError("not valid UTF-8") from None
    if raw[:7] in ("<<<<<<<", "=======", ">>>>>>>"):
        raise EventError("git conflict marker (resolve by keeping both sides' lines)")
    try:
        event, end = _raw_decode(raw)  # json.loads without its per-call overhead
        if end != len(raw) and raw[end:].strip():
            raise json.JSONDecodeError("Extra data", raw, end)
    except ValueError:
        try:
            event = json.loads(raw)  # leading whitespace, or a real error to report
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
    if t == "report":
        verb = "remove reported quote" if not event["text"] else "reported quote"
        return f"{verb} on coding {event['coding']}"
    if t == "done":
        return f"mark {event['transcript']} {'done' if event['done'] else 'not done'}"
    return f"{t} {event.get('target', '')}".strip()
