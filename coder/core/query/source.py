"""What the query engine is built from, kept per project between builds.

Building the engine from nothing reads every transcript, places every coding and indexes
it (seconds on a project of 200,000 codings).  Most changes while a researcher works are
a few lines appended to a coding log (a coding applied, removed, a memo), so a rebuild
reuses everything the change did not touch:

* the files' stamps (path, modification time, size) say what changed; when only coding
  logs did, the transcripts, codebook and participant table of the last build are reused;
* the coding store counts changes per transcript (:class:`~coder.core.codings.state.ByTranscript`),
  so only transcripts whose codings changed since the last build are read and placed again;
* each transcript's passages are kept (:class:`~coder.core.export.index.PassageBlocks`)
  while its text, its codings and the codebook are the same objects.

Nothing here is a source of truth: it is all derived from the files and the coding logs,
held in memory, and dropping it only makes the next build slower.
"""

from __future__ import annotations

import os
import threading
from itertools import chain
from typing import TYPE_CHECKING

from coder.core.coding import Coding
from coder.core.export.index import PassageBlocks
from coder.core.export.inputs import ExportInput

if TYPE_CHECKING:
    from coder.core.project import Project

Stamp = tuple[tuple[str, int, int], ...]


def stamp(project: "Project") -> tuple[Stamp, Stamp]:
    """(the project's other files, its coding logs), each as (path, modification time, size):
    every coding action appends to a log before it returns, so a new coding, memo or undo
    changes the second.

    Every file under the transcripts folder named as a transcript or a sidecar is stamped (a
    superset of what is read: a README.md there only costs a rebuild when it changes), read
    with ``os.scandir``: a few milliseconds for thousands of files, so a screen can ask whether
    the engine it holds is still current before it draws."""
    from coder.core.readers import FORMATS
    from coder.core.transcript_meta import SIDECAR_SUFFIXES

    cfg = project.config
    other = _files([cfg.codebook, cfg.participants, cfg.outcomes])
    other += _tree(str(cfg.transcripts), (*(f".{f}" for f in FORMATS), *SIDECAR_SUFFIXES))
    logs = _tree(str(cfg.codings), (".jsonl",), deep=False)
    return tuple(other), tuple(logs)


def _files(paths) -> list[tuple[str, int, int]]:
    out = []
    for path in paths:
        if path is None:
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return out


def _tree(folder: str, suffixes: tuple[str, ...], deep: bool = True) -> list[tuple[str, int, int]]:
    """Every file under ``folder`` whose name ends with one of ``suffixes`` (in any case; hidden
    files and folders left out), sorted by path."""
    out: list[tuple[str, int, int]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                if deep:
                    out += _tree(entry.path, suffixes, deep)
            elif entry.name.lower().endswith(suffixes):
                st = entry.stat()
                out.append((entry.path, st.st_mtime_ns, st.st_size))
        except OSError:  # gone while listed
            continue
    out.sort()
    return out


class Source:
    """One project's last build inputs: reused by the next build where nothing changed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one build at a time (a screen's worker and the command line)
        self.stamp: tuple[Stamp, Stamp] | None = None
        self.inp: ExportInput | None = None
        self.query = None  # the engine built from ``inp`` (set by ProjectQuery.of)
        self.blocks = PassageBlocks()
        self._index = None  # the store's codings by transcript, as last read (see ByTranscript)
        self._count = 0  # its count of changes then
        self._placed: dict[str, list[Coding]] = {}  # per transcript, its codings as placed for that state

    def input(self, project: "Project", now: tuple[Stamp, Stamp]) -> ExportInput:
        """The export input of the project's current state (every coder merged)."""
        same_files = self.inp is not None and self.stamp is not None and self.stamp[0] == now[0]
        with project.lock:  # a copy, so that coding actions on another thread never wait for the build
            store = project.store
            store.refresh()  # what other processes appended since
            state = store.state()
            index = state.index
            kept = same_files and index is self._index
            changed = index.since(self._count) if kept else set(index.groups)
            groups = {tid: index.codings(tid) for tid in changed}
            self._index, self._count = index, index.count
            memos = sorted(state.memos.values(), key=lambda m: (m.target_kind, m.target, m.coder, m.time))
            done = frozenset(t for t, _ in state.done)
        transcripts = self.inp.transcripts if same_files else {t.id: t for t in project.transcripts()}
        placed = dict(self._placed) if kept else {}
        for tid, group in groups.items():
            group.sort(key=lambda c: (c.start, c.end, c.code, c.id))
            placed[tid] = project.place({tid: group}, confirmed=True) if group else []
        placed = {tid: group for tid, group in placed.items() if group}
        inp = ExportInput(codebook=project.codebook, participants=project.participants, outcomes=list(project.outcomes),
                          transcripts=transcripts, codings=list(chain.from_iterable(placed[t] for t in sorted(placed))),
                          memos=memos, name=project.name, done=done)
        self.blocks.given(inp, placed)
        self.stamp, self.inp, self._placed = now, inp, placed
        return inp
