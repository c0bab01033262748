"""Reading REFI-QDA as real programs write it (NVivo, ATLAS.ti, MAXQDA, QualCoder...).

Accepted: a ``.qdpx`` archive, a ``.qdc`` codebook, a bare ``.qde`` project
file (sources beside it), or a folder holding an unpacked project.  Tolerated,
as found in real files: ``Sources/`` as well as ``sources/``; a project file
named after the project instead of ``project.qde``; ``plainTextPath`` without
``internal://``; GUIDs in braces or upper case; a GUID reused on two elements;
elements in no namespace or another version's namespace.  Problems that lose
something are collected as warnings, never silently dropped.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from coder.core.errors import CoderError
from coder.core.refi.guids import normalise_guid
from coder.core.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiVariable,
)
from coder.core.refi.safety import (
    DEFAULT_LIMITS,
    ImportLimits,
    SafeArchive,
    inside,
    parse_xml,
    read_file_limited,
    unsafe_member_reason,
)

_OTHER_SOURCES = {"PDFSource": "pdf", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


@dataclass
class RefiPackage:
    """A REFI-QDA file as read: the project, its source texts (raw, by source GUID) and warnings."""

    file: Path
    project: RefiProject
    texts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _ln(el) -> str | None:
    from lxml import etree

    return etree.QName(el).localname if isinstance(el.tag, str) else None


def _kids(el, name: str) -> list:
    return [c for c in el if _ln(c) == name] if el is not None else []


def _kid(el, name: str):
    found = _kids(el, name)
    return found[0] if found else None


def _text_of(el, name: str) -> str:
    kid = _kid(el, name)
    return (kid.text or "") if kid is not None else ""


class _Parser:
    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self.seen: set[str] = set()

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def guid(self, el, what: str, attr: str = "guid", *, unique: bool = True) -> str | None:
        raw = el.get(attr)
        value = normalise_guid(raw)
        label = el.get("name") or ""
        label = f" '{label}'" if label else ""
        if value is None:
            self.warn(f"skipped {what}{label}: malformed GUID {raw!r}" if raw else f"skipped {what}{label}: no GUID")
            return None
        if unique:
            if value in self.seen:
                self.warn(f"{what}{label} reuses the GUID {value} of another element; references to it go to the first")
                return None
            self.seen.add(value)
        return value

    def ref(self, el, what: str) -> str | None:
        value = normalise_guid(el.get("targetGUID"))
        if value is None:
            self.warn(f"skipped a {what} reference with a malformed GUID {el.get('targetGUID')!r}")
        return value

    def refs(self, el, tag: str, what: str) -> tuple[str, ...]:
        return tuple(g for g in (self.ref(r, what) for r in _kids(el, tag)) if g)

    def int_attr(self, el, attr: str) -> int | None:
        try:
            return int(str(el.get(attr, "")).strip())
        except ValueError:
            return None

    # -- codes -----------------------------------------------------------------
    def codes(self, parent_el, parent: str | None, out: list[RefiCode]) -> None:
        for el in _kids(parent_el, "Code"):
            g = self.guid(el, "code")
            name = (el.get("name") or "").strip()
            if g is not None:
                codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
                out.append(RefiCode(g, name or "Unnamed code", parent, el.get("color"), _text_of(el, "Description"),
                                    codable, self.refs(el, "NoteRef", "note")))
            self.codes(el, g if g is not None else parent, out)

    # -- sources ---------------------------------------------------------------
    def source(self, el, project_user: str | None) -> RefiSource | None:
        tag = _ln(el)
        g = self.guid(el, "source")
        if g is None:
            return None
        name = el.get("name") or g
        if tag != "TextSource":
            n = len([c for c in el.iter() if _ln(c) == "Coding"])
            return RefiSource(g, name, _OTHER_SOURCES.get(tag, tag or "unknown"), el.get("path"), None, other_codings=n)
        source_user = normalise_guid(el.get("creatingUser")) or project_user
        selections = []
        for sel in _kids(el, "PlainTextSelection"):
            sg = self.guid(sel, "selection")
            if sg is None:
                continue
            start, end = self.int_attr(sel, "startPosition"), self.int_attr(sel, "endPosition")
            if start is None or end is None:
                self.warn(f"skipped selection '{sel.get('name') or sg}' in '{name}': positions are not numbers")
                continue
            sel_user = normalise_guid(sel.get("creatingUser")) or source_user
            codings = []
            for c in _kids(sel, "Coding"):
                cg = self.guid(c, "coding")
                ref = _kid(c, "CodeRef")
                code = self.ref(ref, "code") if ref is not None else None
                if cg is None or code is None:
                    continue
                user = normalise_guid(c.get("creatingUser")) or sel_user
                when = utc_time(c.get("creationDateTime")) or utc_time(sel.get("creationDateTime"))
                codings.append(RefiCoding(cg, code, user, self.refs(c, "NoteRef", "note"), when))
            selections.append(RefiSelection(sg, sel.get("name") or "", start, end, tuple(codings),
                                            self.refs(sel, "NoteRef", "note")))
        content = _kid(el, "PlainTextContent")
        return RefiSource(
            g, name, "text", el.get("plainTextPath"), content.text or "" if content is not None else None,
            tuple(selections), self.refs(el, "NoteRef", "note"), other_codings=len(_kids(el, "Coding")),
            description=_text_of(el, "Description"),
        )  # fmt: skip

    # -- the rest --------------------------------------------------------------
    def project(self, root) -> RefiProject:
        users: dict[str, str] = {}
        for el in _kids(_kid(root, "Users"), "User"):
            g = self.guid(el, "user")
            if g:
                users[g] = (el.get("name") or el.get("id") or "").strip()
        codes: list[RefiCode] = []
        self.codes(_kid(_kid(root, "CodeBook"), "Codes"), None, codes)
        variables = []
        for el in _kids(_kid(root, "Variables"), "Variable"):
            g = self.guid(el, "variable")
            if g:
                variables.append(RefiVariable(g, (el.get("name") or g).strip(), el.get("typeOfVariable") or "Text"))
        creating = normalise_guid(root.get("creatingUserGUID"))
        cases, dropped_refs = [], 0
        for el in _kids(_kid(root, "Cases"), "Case"):
            g = self.guid(el, "case")
            if g is None:
                continue
            values = []
            for vv in _kids(el, "VariableValue"):
                ref = _kid(vv, "VariableRef")
                target = self.ref(ref, "variable") if ref is not None else None
                value = next((c for c in vv if _ln(c) in _VALUE_TAGS), None)
                if target and value is not None:
                    values.append((target, (value.text or "").strip()))
            dropped_refs += len(_kids(el, "CodeRef")) + len(_kids(el, "SelectionRef"))
            cases.append(RefiCase(g, (el.get("name") or g).strip(), tuple(values), self.refs(el, "SourceRef", "source"),
                                  _text_of(el, "Description")))
        if dropped_refs:
            self.warn(f"{dropped_refs} code or selection reference(s) on cases were not carried over "
                      "(coder links cases to transcripts, not to codes)")
        sources = []
        for el in _kid(root, "Sources") if _kid(root, "Sources") is not None else []:
            if _ln(el) is None:
                continue
            src = self.source(el, creating)
            if src is not None:
                sources.append(src)
        notes: dict[str, RefiNote] = {}
        for el in _kids(_kid(root, "Notes"), "Note"):
            g = self.guid(el, "note")
            if g:
                text = _text_of(el, "PlainTextContent")
                when = utc_time(el.get("creationDateTime")) or utc_time(el.get("modifiedDateTime"))
                notes[g] = RefiNote(g, el.get("name") or "", text, normalise_guid(el.get("creatingUser")), when)
                if not text and el.get("plainTextPath"):
                    self.warn(f"note '{el.get('name') or g}' keeps its text in a separate file; imported empty")
        links = []
        for el in _kids(_kid(root, "Links"), "Link"):
            o, t = normalise_guid(el.get("originGUID")), normalise_guid(el.get("targetGUID"))
            if o and t:
                links.append((o, t))
        sets = self.sets(root)
        if _kid(root, "Graphs") is not None:
            self.warn("graphs (visual models) are not carried over")
        return RefiProject(
            name=(root.get("name") or "").strip(), origin=root.get("origin") or "", users=users,
            codes=tuple(codes), variables=tuple(variables), cases=tuple(cases), sources=tuple(sources),
            notes=notes, sets=sets, links=tuple(links), project_notes=self.refs(root, "NoteRef", "note"),
            creating_user=creating, description=_text_of(root, "Description"),
        )  # fmt: skip

    def sets(self, root) -> tuple[RefiSet, ...]:
        out = []
        for el in _kids(_kid(root, "Sets"), "Set"):
            g = self.guid(el, "set")
            if g:
                out.append(RefiSet(g, el.get("name") or g, self.refs(el, "MemberSource", "source"),
                                   self.refs(el, "MemberCode", "code")))
        return tuple(out)

    def codebook(self, root, name: str) -> RefiProject:
        codes: list[RefiCode] = []
        self.codes(_kid(root, "Codes"), None, codes)
        return RefiProject(name=name, origin=root.get("origin") or "", codes=tuple(codes), sets=self.sets(root),
                           is_codebook=True)


def utc_time(value: str | None) -> str | None:
    """An ``xsd:dateTime`` as coder's log writes times (UTC, milliseconds, ``Z``); None if unreadable.

    A time without a zone is taken as UTC.
    """
    from datetime import datetime, timezone

    if not value:
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" else text)
    except ValueError:
        return None
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def decode_source(data: bytes) -> tuple[str, str | None]:
    """Source text from bytes (UTF-8 per the standard; BOMs honoured); a warning if it had to guess."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "is not UTF-8; read as Windows-1252"


def _source_name(path: str) -> str | None:
    """The archive-relative name of a ``plainTextPath``; None for a file outside the archive."""
    p = path.strip()
    if p.lower().startswith("internal://"):
        return p[len("internal://"):]
    if "://" in p or p.lower().startswith("file:"):
        return None
    return p


class _Files:
    """Entries of an archive or files of an unpacked project folder, read safely by name."""

    def __init__(self, archive: SafeArchive | None = None, folder: Path | None = None,
                 limits: ImportLimits = DEFAULT_LIMITS) -> None:
        self.archive, self.folder, self.limits, self._read = archive, folder, limits, 0

    def read(self, name: str) -> bytes | None:
        if unsafe_member_reason(name):
            return None
        if self.archive is not None:
            try:
                return self.archive.read(name)
            except KeyError:
                return None
        path = self._find(name)
        if path is None:
            return None
        data = read_file_limited(path, "source", self.limits)
        self._read += len(data)
        self.limits.check_total(self._read, file=path)
        return data

    def _find(self, name: str) -> Path | None:
        assert self.folder is not None
        here = self.folder
        for part in name.replace("\\", "/").split("/"):
            if not part:
                continue
            match = next((c for c in here.iterdir() if c.name.casefold() == part.casefold()), None) \
                if here.is_dir() else None
            if match is None:
                return None
            here = match
        return here if here.is_file() and inside(self.folder, here) else None

    def source_text(self, src: RefiSource, warnings: list[str]) -> str | None:
        if src.content is not None and not src.path:
            return src.content
        if not src.path:
            warnings.append(f"source '{src.name}' has neither text nor a plainTextPath; skipped with its codings")
            return None
        name = _source_name(src.path)
        if name is None:
            warnings.append(f"source '{src.name}' refers to a file outside the archive ({src.path}); "
                            "skipped with its codings")
            return None
        if unsafe_member_reason(name):
            warnings.append(f"source '{src.name}' has an unsafe path {src.path!r}; skipped with its codings")
            return None
        data = None
        for candidate in (f"sources/{name}", name):
            data = self.read(candidate)
            if data is not None:
                break
        if data is None:
            if src.content is not None:
                return src.content
            warnings.append(f"source '{src.name}': its text file {name!r} is missing from the archive; "
                            "skipped with its codings")
            return None
        text, problem = decode_source(data)
        if problem:
            warnings.append(f"source '{src.name}' {problem}")
        return text


def _project_entry(names: list[str], file: Path) -> str:
    qde = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if not qde:
        qde = [n for n in names if n.lower().endswith(".qde")]
    if not qde:
        raise CoderError("no project file (.qde) in the archive", file=file,
                         hint="is this a REFI-QDA project export (.qdpx)?")
    preferred = [n for n in qde if n.lower().rsplit("/", 1)[-1] == "project.qde"]
    return (preferred or sorted(qde))[0]


def read_refi(path: str | Path, limits: ImportLimits = DEFAULT_LIMITS) -> RefiPackage:
    """Read a ``.qdpx``, ``.qdc``, ``.qde`` or unpacked project folder; hostile input raises CoderError."""
    path = Path(path)
    if not path.exists():
        raise CoderError("no such file", file=path)
    warnings: list[str] = []
    parser = _Parser(warnings)
    if path.is_file() and path.suffix.lower() == ".qdc":
        root = parse_xml(read_file_limited(path, "project", limits), file=path, what="codebook file")
        if _ln(root) != "CodeBook":
            raise CoderError(f"not a REFI-QDA codebook (the root element is <{_ln(root)}>)", file=path)
        return RefiPackage(path, parser.codebook(root, path.stem), {}, warnings)
    archive = None
    if path.is_dir():
        qde = _project_entry([p.name for p in path.iterdir() if p.is_file()], path)
        files, xml_path = _Files(folder=path, limits=limits), path / qde
        data = read_file_limited(xml_path, "project", limits)
    elif path.suffix.lower() == ".qde":
        files, xml_path = _Files(folder=path.parent, limits=limits), path
        data = read_file_limited(path, "project", limits)
    else:
        archive = SafeArchive.open(path, limits)
        entry = _project_entry(archive.names, path)
        files, xml_path, data = _Files(archive=archive), path, archive.read(entry, "project")
    try:
        root = parse_xml(data, file=xml_path)
        if _ln(root) != "Project":
            raise CoderError(f"not a REFI-QDA project (the root element is <{_ln(root)}>)", file=xml_path)
        project = parser.project(root)
        texts: dict[str, str] = {}
        for src in project.sources:
            if src.kind != "text":
                warnings.append(f"{src.kind} source '{src.name}' skipped: coder works with text transcripts"
                                + (f" ({src.other_codings} coding(s) not carried over)" if src.other_codings else ""))
                continue
            text = files.source_text(src, warnings)
            if text is not None:
                texts[src.guid] = text
    finally:
        if archive is not None:
            archive.close()
    return RefiPackage(path, project, texts, warnings)
