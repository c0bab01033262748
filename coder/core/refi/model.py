"""What a REFI-QDA file holds, as read: plain values, GUIDs in canonical form."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RefiCode:
    guid: str
    name: str
    parent: str | None  # the parent code's GUID
    color: str | None = None
    description: str = ""
    codable: bool = True
    notes: tuple[str, ...] = ()  # note GUIDs


@dataclass(frozen=True)
class RefiCoding:
    guid: str
    code: str  # the code's GUID
    user: str | None  # creating user's GUID (falls back to the selection's, then the source's)
    notes: tuple[str, ...] = ()
    time: str | None = None  # creationDateTime in UTC as coder's log writes it (the selection's if the coding has none)


@dataclass(frozen=True)
class RefiSelection:
    guid: str
    name: str
    start: int
    end: int
    codings: tuple[RefiCoding, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    kind: str  # "text", "pdf", "picture", "audio", "video"
    path: str | None  # plainTextPath (text sources) or path
    content: str | None  # PlainTextContent, when the text is inline
    selections: tuple[RefiSelection, ...] = ()
    notes: tuple[str, ...] = ()
    other_codings: int = 0  # codings this reader cannot place (non-text selections, source-level codings)
    description: str = ""


@dataclass(frozen=True)
class RefiCase:
    guid: str
    name: str
    values: tuple[tuple[str, str], ...]  # (variable GUID, value as text)
    sources: tuple[str, ...]  # source GUIDs
    description: str = ""


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type: str


@dataclass(frozen=True)
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    time: str | None = None  # creationDateTime (else modifiedDateTime), UTC, as coder's log writes it


@dataclass(frozen=True)
class RefiSet:
    guid: str
    name: str
    sources: tuple[str, ...]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class RefiProject:
    name: str
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)  # GUID -> name
    codes: tuple[RefiCode, ...] = ()  # document order, parents first
    variables: tuple[RefiVariable, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    sources: tuple[RefiSource, ...] = ()
    notes: dict[str, RefiNote] = field(default_factory=dict)
    sets: tuple[RefiSet, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (origin GUID, target GUID)
    project_notes: tuple[str, ...] = ()
    creating_user: str | None = None
    description: str = ""
    is_codebook: bool = False  # read from a .qdc: codes (and sets) only
