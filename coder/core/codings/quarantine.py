"""Damaged lines of a coding log, copied aside by ``coder check --repair``.

A torn or corrupt line (a crash, a bad merge, a hand edit) is skipped when the
log is read and reported as ``file:line``.  Repairing copies each damaged line,
byte for byte, to ``codings/<coder>.quarantine.jsonl`` and then appends a
``quarantine`` event naming the lines (number and SHA-256 of their bytes), so
readers skip them quietly from then on.

The log is never rewritten: every acknowledged event stays where it was, a
crash at any point leaves either nothing new, the side file without the event
(the next repair finds its lines already copied and only appends the event),
or both.  Side-file lines are JSON objects::

    {"log": "ana.jsonl", "line": 7, "sha256": "sha256:…", "bytes": "<base64>", "text": "…", "time": "…"}

``bytes`` is the exact line (base64); ``text`` the same decoded for reading
(undecodable bytes replaced).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from coder.core.codings.events import now

SIDE_SUFFIX = ".quarantine.jsonl"


def side_path(log: Path) -> Path:
    """``codings/ana.jsonl`` -> ``codings/ana.quarantine.jsonl``."""
    return log.with_name(log.name[: -len(".jsonl")] + SIDE_SUFFIX)


def line_hash(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def copied(side: Path) -> set[tuple[int, str]]:
    """(line, sha256) of every line already in the side file (damaged side-file lines are ignored)."""
    out: set[tuple[int, str]] = set()
    try:
        data = side.read_bytes()
    except FileNotFoundError:
        return out
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
            out.add((int(entry["line"]), str(entry["sha256"])))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def copy_aside(log: Path, damaged: dict[int, bytes]) -> Path:
    """Append the damaged lines not yet in the side file to it, durably; return its path."""
    side = side_path(log)
    have = copied(side)
    lines = []
    for n, raw in sorted(damaged.items()):
        digest = line_hash(raw)
        if (n, digest) in have:
            continue
        entry = {"log": log.name, "line": n, "sha256": digest, "bytes": base64.b64encode(raw).decode("ascii"),
                 "text": raw.decode("utf-8", errors="replace"), "time": now()}
        lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
    if lines:
        existed = side.exists()
        fd = os.open(side, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            with open(side, "rb") as f:  # a torn last line of our own: start on a fresh line
                f.seek(0, os.SEEK_END)
                torn = f.tell() > 0 and (f.seek(-1, os.SEEK_END) or f.read(1)) != b"\n"
            os.write(fd, (("\n" if torn else "") + "".join(lines)).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if not existed:
            dfd = os.open(side.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    return side
