"""A transcript's metadata: front matter or a sidecar ``<stem>.yaml``, and who speaks.

The keys are fixed by the project format (see :data:`KNOWN_KEYS`).  Three of
them link turns to participants:

* ``speakers``: speaker label -> participant id (focus groups);
* ``interviewers``: labels of the research team, whose turns belong to no participant;
* ``participant``: the one interviewee; every other speaker is this participant.

Labels are matched case-insensitively.  When ``interviewers`` is missing, the
usual research-team labels (``Interviewer``, ``Facilitator``, ``Researcher``,
``Moderator``, optionally numbered or with a note, e.g. ``Interviewer 2``) are
taken as interviewers, so that a researcher's questions are never counted as
the participant's words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.core.errors import Problem, Severity
from coder.core.frontmatter import parse_yaml_mapping
from coder.core.text import read_text

KNOWN_KEYS = frozenset(
    "title fictional note notes participant interviewers speakers programme nation role area date "
    "duration_minutes gender age_band language wave".split()
)
# Keys about the transcript itself; the others (programme, nation, role, …) describe its participant.
TRANSCRIPT_KEYS = frozenset(
    "title fictional note notes participant interviewers speakers date duration_minutes language "
    "id interviewer transcribed_by header wave".split()
)
SIDECAR_SUFFIXES = (".yaml", ".yml")
_DEFAULT_INTERVIEWER = re.compile(r"(?:interviewer|facilitator|researcher|moderator)(?:\s.*)?\Z", re.I | re.S)


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class Metadata:
    """Metadata as written, where it was written, and the line of each key."""

    data: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None  # the transcript (front matter) or its sidecar; None if absent
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, key: str) -> int | None:
        return self.lines.get(key)

    @property
    def participant(self) -> str | None:
        value = self.data.get("participant")
        return (value.strip() or None) if isinstance(value, str) else None

    @property
    def interviewers(self) -> tuple[str, ...] | None:
        """The research team's labels, or None when the key is missing."""
        value = self.data.get("interviewers")
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list):
            return tuple(str(v) for v in value)
        return None

    @property
    def speakers(self) -> dict[str, str]:
        value = self.data.get("speakers")
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if v is not None}

    def is_interviewer(self, speaker: str) -> bool:
        if self.interviewers is None:
            return bool(_DEFAULT_INTERVIEWER.match(speaker.strip()))
        return _fold(speaker) in {_fold(i) for i in self.interviewers}

    def participant_for(self, speaker: str) -> str | None:
        """The participant id of a speaker label, if the metadata says.

        Unlabelled text (speaker ``""``, e.g. a transcript imported from a
        program that keeps no speaker labels) belongs to the single
        ``participant`` when there is one.
        """
        if not speaker:
            return self.participant if not self.speakers else None
        by_label = {_fold(k): v for k, v in self.speakers.items()}
        if _fold(speaker) in by_label:
            return by_label[_fold(speaker)]
        if self.is_interviewer(speaker):
            return None
        return self.participant


class MetaDict(dict):
    """``Transcript.meta``: a plain dict that also knows where each key was written.

    ``file`` is the file holding the researcher's metadata (the transcript for
    front matter, else the sidecar; None when there is none) and
    :meth:`line_of` gives a key's line in it, for problems about a value.
    """

    def __init__(
        self, data: dict[str, Any] | None = None, file: Path | None = None, lines: dict[str, int] | None = None
    ) -> None:
        super().__init__(data or {})
        self.file = file
        self.lines = dict(lines or {})

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def sidecar_for(path: str | Path) -> Path | None:
    """The transcript's sidecar metadata file, if there is one."""
    path = Path(path)
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> Metadata:
    data, lines = parse_yaml_mapping(read_text(path), file=path, what="sidecar metadata")
    return Metadata(data, path, lines)


def validate(meta: Metadata) -> list[Problem]:
    """Type errors (errors) and unknown keys (warnings) in the metadata."""
    problems: list[Problem] = []
    file = str(meta.file) if meta.file else ""

    def error(key: str, message: str, hint: str) -> None:
        problems.append(Problem(file, meta.line(key), message, Severity.ERROR, hint))

    data = meta.data
    if "participant" in data and not (isinstance(data["participant"], str) and data["participant"].strip()):
        error("participant", "`participant` must be one participant id", "e.g. participant: AC-WAL-P02")
    value = data.get("interviewers")
    if "interviewers" in data and not (
        isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ):
        error("interviewers", "`interviewers` must be a list of speaker labels", "e.g. interviewers: [Interviewer]")
    value = data.get("speakers")
    if "speakers" in data and not (
        isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        error(
            "speakers",
            "`speakers` must map each speaker label to a participant id",
            "e.g. speakers: {Gwen: LC-ENG-P08}",
        )
    for key in data:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(sorted(KNOWN_KEYS))
            problems.append(Problem(file, meta.line(key), f"unknown metadata key `{key}`", Severity.WARNING, hint))
    return problems
