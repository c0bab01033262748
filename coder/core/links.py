"""Checks that join transcripts to the participant table.

A transcript names its participant(s) in its front matter or sidecar
(``participant:`` or ``speakers:``) and may repeat their attributes
(programme, nation, role, area…).  Each named participant must be in the
table, and each repeated attribute must agree with it, or the exports would
silently count a quote for the wrong group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coder.core.errors import CoderError, Problem, Severity
from coder.core.transcript_meta import TRANSCRIPT_KEYS

if TYPE_CHECKING:
    from coder.core.project import Project


def check_links(project: "Project") -> list[Problem]:
    table = project.participants
    if not table.rows:
        return []
    problems: list[Problem] = []
    for tid in project.transcript_ids():
        try:
            transcript = project.transcript(tid)
        except CoderError:
            continue  # reported by check_transcript
        meta = transcript.meta
        meta_file = str(getattr(meta, "file", None) or transcript.path)
        line_of = getattr(meta, "line_of", lambda key: None)
        pids = list(dict.fromkeys(t.participant_id for t in transcript.turns if t.participant_id))
        named = [meta.get("participant")] if meta.get("participant") else []
        named += list((meta.get("speakers") or {}).values()) if isinstance(meta.get("speakers"), dict) else []
        for pid in dict.fromkeys([*named, *pids]):
            pid = str(pid)
            if pid not in table:
                key = "participant" if pid == str(meta.get("participant")) else "speakers"
                problems.append(Problem(meta_file, line_of(key),
                                        f"participant '{pid}' of transcript '{tid}' is not in {table.path.name}",
                                        hint=f"add a row for {pid} or correct the id"))
        if len(pids) != 1 or pids[0] not in table:
            continue  # attributes describe a single interviewee; a missing one is reported above
        row = table.get(pids[0])
        for key, value in meta.items():
            if key in TRANSCRIPT_KEYS or key not in table.columns:
                continue
            if str(value).strip() != row.get(key, ""):
                problems.append(Problem(
                    meta_file, line_of(key),
                    f"{key} is '{value}' here but '{row.get(key, '')}' for {pids[0]} in {table.path.name} (line {table.lines[pids[0]]})",
                    Severity.ERROR, hint="correct whichever is wrong so exports count this participant in the right group"))
    return problems
