"""A disposable cache of parsed transcripts under ``.coder/parsed/``, keyed by content.

Reading a transcript means its reader, its front matter or sidecar, and spaCy's
sentencizer: about a second per hundred thousand words, and seconds just to
import spaCy.  The result depends only on the bytes of the transcript and its
sidecar, where they are, and the code that reads them, so it is kept as one
JSON file per transcript, valid while its key, the SHA-256 of exactly these, holds:

* the transcript's and sidecar's bytes and paths (a change of either is a new key);
* a fingerprint of the source of the modules that parse (readers, segmenter,
  front matter...) and the installed spaCy version: a new reader or segmenter
  never meets an old result.

Entries are written to a temporary file and renamed into place, so concurrent
writers and readers only ever see a whole entry; a damaged or unreadable entry
is ignored and rebuilt; a folder that cannot be written just means no cache.
Files that fail to load are never cached, so their errors are reported every
time.  Deleting the folder is always safe.  JSON, not pickle: the folder may
come from somewhere else, and reading it must never run code.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from coder.core.errors import Problem, Severity
from coder.core.text import flow
from coder.core.transcript import Segment, Transcript, Turn
from coder.core.transcript_meta import MetaDict, sidecar_for

FORMAT = 2  # the layout of an entry


# The modules a parse runs (every coder.core module that importing ``transcripts`` loads;
# a test keeps this list complete).
PARSE_SOURCES = ("errors.py", "frontmatter.py", "parse_cache.py", "segmenter.py", "text.py", "transcript.py",
                 "transcript_meta.py", "transcripts.py", "yamlfile.py", "readers/*.py")


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """What the parse depends on besides the files: the source of the code that parses, and spaCy's version."""
    from importlib.metadata import PackageNotFoundError, version

    core = Path(__file__).resolve().parent
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(p for pattern in PARSE_SOURCES for p in core.glob(pattern)):
        h.update(path.relative_to(core).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        h.update(version("spacy").encode())
    except PackageNotFoundError:
        pass
    return h.digest()


class ParseCache:
    """Parsed transcripts of one project, in ``folder`` (normally ``<project>/.coder/parsed``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._last: dict[Path, tuple[str, tuple[Transcript, list[Problem]]]] = {}  # per file: its key, its parse

    def load(self, path: Path, tid: str, build: Callable[[], tuple[Transcript, list[Problem]]]
             ) -> tuple[Transcript, list[Problem]]:
        """The cached parse of ``path`` if its content is known, else ``build()`` (then kept)."""
        key = self._key(path)
        if key is None:
            return build()
        last = self._last.get(path)
        if last is not None and last[0] == key and last[1][0].id == tid:
            return last[1][0], list(last[1][1])  # asked again in this process (``check``, then what needs the text)
        result = self._load(path, tid, key, build)
        self._last[path] = (key, result)
        return result

    def _load(self, path: Path, tid: str, key: str, build: Callable[[], tuple[Transcript, list[Problem]]]
              ) -> tuple[Transcript, list[Problem]]:
        # One entry per file, holding the key it was made for: a changed file replaces its entry.
        entry = self.folder / (hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".json")
        try:
            data = json.loads(entry.read_bytes())
            if data["key"] == key:
                return _decode(data, path, tid)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            pass  # missing, damaged or from elsewhere: parse again
        transcript, problems = build()
        try:
            data = json.dumps({"key": key, **_encode(transcript, problems)}, ensure_ascii=False, separators=(",", ":"),
                              default=_json_default)
            if _undate(json.loads(data)["meta"]) != dict(transcript.meta):
                raise ValueError("metadata that JSON does not keep as it is")
        except (TypeError, ValueError):
            return transcript, problems  # not cached
        _write(entry, data.encode("utf-8"))
        return transcript, problems

    def _key(self, path: Path) -> str | None:
        h = hashlib.sha256(fingerprint())
        try:
            for file in (path, sidecar_for(path)):
                if file is not None:
                    data = file.read_bytes()
                    h.update(f"\0{file}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
        except OSError:
            return None  # let the reader report it
        return h.hexdigest()


def _write(entry: Path, data: bytes) -> None:
    """Whole or nothing, without fsync: a lost entry is just parsed again."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only project, a full disk: work without the cache


# ------------------------------------------------------------------ encoding
def _encode(t: Transcript, problems: list[Problem]) -> dict[str, Any]:
    meta = t.meta if isinstance(t.meta, MetaDict) else MetaDict(t.meta)
    return {
        "format": FORMAT,
        "fmt": t.format,
        "text": t.text,
        "turns": [[u.speaker, u.start, u.end, u.start_time, u.end_time, u.participant_id] for u in t.turns],
        "segments": {"id": [s.id for s in t.segments], "start": [s.start for s in t.segments],
                     "end": [s.end for s in t.segments], "turn": [s.turn for s in t.segments]},
        "meta": dict(meta),
        "meta_file": str(meta.file) if meta.file is not None else None,
        "meta_lines": meta.lines,
        "problems": [[p.file, p.line, p.message, p.severity.value, p.hint] for p in problems],
    }


def _decode(d: dict[str, Any], path: Path, tid: str) -> tuple[Transcript, list[Problem]]:
    if d["format"] != FORMAT:
        raise ValueError("another layout")
    text: str = d["text"]
    turns = tuple(Turn(i, sp, int(a), int(b), st, et, pid) for i, (sp, a, b, st, et, pid) in enumerate(d["turns"]))
    seg = d["segments"]
    segments = Segments(text, seg["id"], seg["start"], seg["end"], seg["turn"])
    meta = MetaDict(_undate(d["meta"]), Path(d["meta_file"]) if d["meta_file"] else None, d["meta_lines"])
    problems = [Problem(f, line, msg, Severity(sev), hint) for f, line, msg, sev, hint in d["problems"]]
    return Transcript(tid, path, d["fmt"], text, turns, segments, meta), problems


class Segments(Sequence[Segment]):
    """A transcript's segments from the cache, made into :class:`Segment` objects only when used.

    ``coder stats`` and ``coder check`` only count them; a column per field keeps
    reading an entry cheap.  Behaves as the tuple :func:`segment` returns.
    """

    __slots__ = ("_text", "_id", "_start", "_end", "_turn", "_all")

    def __init__(self, text: str, ids: list[str], starts: list[int], ends: list[int], turns: list[int]) -> None:
        if not len(ids) == len(starts) == len(ends) == len(turns):
            raise ValueError("columns of different lengths")
        self._text, self._id, self._start, self._end, self._turn = text, ids, starts, ends, turns
        self._all: tuple[Segment, ...] | None = None

    def __len__(self) -> int:
        return len(self._id)

    def _one(self, i: int) -> Segment:
        a, b = self._start[i], self._end[i]
        return Segment(self._id[i], a, b, self._turn[i], flow(self._text[a:b]))  # as the segmenter gives it

    def __getitem__(self, i):  # noqa: ANN001 - int or slice, as a tuple takes
        if isinstance(i, slice):
            return self.all()[i]
        return self.all()[i] if self._all is not None else self._one(range(len(self))[i])

    def all(self) -> tuple[Segment, ...]:
        if self._all is None:
            self._all = tuple(self._one(i) for i in range(len(self)))
        return self._all

    def __iter__(self):
        return iter(self.all())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (Segments, tuple)) else other)

    def __hash__(self) -> int:
        return hash(self.all())

    def __repr__(self) -> str:
        return f"Segments({len(self)})"


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _undate(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return _dt.date.fromisoformat(value["$date"])
        if len(value) == 1 and "$datetime" in value:
            return _dt.datetime.fromisoformat(value["$datetime"])
        return {k: _undate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_undate(v) for v in value]
    return value
