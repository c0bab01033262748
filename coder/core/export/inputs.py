"""The plain value every export table is built from.

Exports never read the coding log themselves: :meth:`ExportInput.from_project`
takes the current state from the :class:`~coder.core.project.Project`, and tests
can build an :class:`ExportInput` from values directly.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from coder.core.codebook import Codebook
from coder.core.coding import Coding, Memo
from coder.core.errors import CoderError
from coder.core.outcomes import Outcome
from coder.core.participants import ParticipantTable
from coder.core.transcript import Transcript

if TYPE_CHECKING:
    from coder.core.project import Project


@dataclass(frozen=True)
class ExportInput:
    codebook: Codebook
    participants: ParticipantTable
    outcomes: list[Outcome]
    transcripts: dict[str, Transcript]
    codings: list[Coding]
    memos: list[Memo] = field(default_factory=list)
    name: str = ""  # the project's name, for the manifest
    coder: str | None = None  # whose codings these are (None: every coder merged)
    done: frozenset[str] = frozenset()  # transcripts marked done by those coders (by any, when merged)
    left_out: list[dict] = field(default_factory=list)  # codings not exported and why (Project.left_out)
    skipped_lines: list[str] = field(default_factory=list)  # damaged coding-log lines read past, file:line
    unreadable: list[str] = field(default_factory=list)  # transcripts left out: "file: why"

    @classmethod
    def from_project(cls, project: "Project", coder: str | None = None) -> "ExportInput":
        codings = list(project.codings(coder, confirmed=True))
        if coder is not None and not codings:
            everyone = sorted({c.coder for c in project.codings(None)})
            raise CoderError(f"coder '{coder}' has no codings in this project",
                             file=project.config.codings,
                             hint=f"coders with codings: {', '.join(everyone)}" if everyone else "nobody has coded yet")
        return cls(
            codebook=project.codebook,
            participants=project.participants,
            outcomes=list(project.outcomes),
            transcripts={t.id: t for t in project.transcripts()},
            codings=codings,
            memos=_memos(project, coder),
            name=project.name,
            coder=coder,
            done=frozenset(t for t, _ in project.store.state(coder).done),
            left_out=project.left_out(coder),
            skipped_lines=[f"{project.config.codings.name}/{c}.jsonl:{n}" for c, n, _ in project.damaged_lines()],
            unreadable=[f"{Path(p.file).name}: {p.message}" for p in project.unreadable()],
        )

    def quote(self, c: Coding) -> str:
        """The quote as reported: the coding's reported quote (the researcher's edited version)
        when it has one, else the coded words (:meth:`spoken`)."""
        return c.reported or self.spoken(c)

    def spoken(self, c: Coding) -> str:
        """The coded words as exported: line breaks inside a turn read as spaces
        (:meth:`Transcript.quote`); the offsets still point into the transcript's text."""
        transcript = self.transcripts.get(c.transcript)
        if transcript is not None and transcript.text[c.start : c.end] == c.quote:
            return transcript.quote(c.start, c.end)
        from coder.core.text import flow

        return flow(c.quote)

    @property
    def coders(self) -> list[str]:
        return sorted({c.coder for c in self.codings})

    def content_hash(self) -> str:
        """A hash of everything the tables are built from (not of file times or paths)."""
        h = hashlib.sha256()

        def feed(kind: str, value: object) -> None:
            h.update(kind.encode())
            h.update(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
            h.update(b"\n")

        feed("codebook", [_without_line(asdict(c)) for c in self.codebook.codes])
        feed("participants", [list(self.participants.columns),
                              [[row.get(col, "") for col in self.participants.columns]
                               for row in self.participants.rows.values()]])
        feed("outcomes", [_without_line(asdict(o)) for o in self.outcomes])
        feed("transcripts", sorted((t.id, t.hash) for t in self.transcripts.values()))
        if self.done:
            feed("done", sorted(self.done))
        for c in sorted(self.codings, key=lambda c: c.id):
            o = c.origin
            h.update("\x1f".join(map(str, ("coding", c.id, c.coder, c.transcript, c.code, c.start, c.end, c.quote,
                                            o.kind, o.model, o.score, o.rank, c.memo))).encode("utf-8"))
            h.update(b"\n")
        for m in sorted(self.memos, key=lambda m: (m.target_kind, m.target, m.coder, m.time)):
            feed("memo", asdict(m))
        return "sha256:" + h.hexdigest()


def _without_line(d: dict) -> dict:
    d.pop("line", None)
    return d


def _memos(project: "Project", coder: str | None) -> list[Memo]:
    """The memos of the coding-log state (``State.memos`` maps (kind, target, coder) to a memo)."""
    memos = project.store.state(coder).memos
    return sorted(memos.values(), key=lambda m: (m.target_kind, m.target, m.coder, m.time))
