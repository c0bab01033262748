"""Writing REFI-QDA: a project (``.qdpx``) or a codebook alone (``.qdc``).

What goes where (QDA-XML 1.0):

* codebook -> ``CodeBook``: hierarchy, ``color``, and a ``Description`` holding
  the definition, include/exclude guidance and examples (:mod:`.descriptions`);
* transcripts -> ``TextSource`` with ``Transcript.text`` as the plain-text
  source ``sources/<guid>.txt`` (UTF-8, LF line endings): positions are code
  points, end-exclusive, exactly coder's own.  The transcript's metadata
  (front-matter keys) goes in the source's ``Description`` after the line
  ``coder metadata:``, so speakers and participants survive a round trip;
* codings -> one ``PlainTextSelection`` per distinct span, holding one
  ``Coding`` (with its ``CodeRef``) per code and coder; the selection's ``name`` is
  ``line:N`` (the 0-based line of the source where it starts, as qc reads it) and
  the start of the quote;
* coders -> ``Users``; memos -> ``Notes`` referenced from the coding, source or code;
* participants -> ``Cases`` with one ``Variable`` per column of the participant
  table (attributes and questionnaire answers), linked to their transcripts;
* a ``Set`` of sources per programme and per nation.

GUIDs are deterministic (:mod:`.guids`) and the archive's entries carry a fixed
date, so exporting an unchanged project twice gives identical bytes.
Sections that would be empty are left out (an empty ``<Sets/>`` is invalid).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coder.core.codebook import Codebook
from coder.core.coding import Coding, Memo
from coder.core.participants import ParticipantTable
from coder.core.refi.descriptions import code_description
from coder.core.refi.guids import guid
from coder.core.transcript import Transcript

if TYPE_CHECKING:
    from coder.core.project import Project

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SET_ATTRIBUTES = ("programme", "nation")
METADATA_MARK = "coder metadata:"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\Z")


@dataclass(frozen=True)
class RefiExport:
    """What an export wrote, and what REFI-QDA could not carry."""

    path: Path
    users: int
    codes: int
    sources: int
    selections: int
    codings: int
    notes: int
    cases: int
    sets: int
    omitted: tuple[str, ...] = ()

    def summary(self) -> str:
        text = (f"Wrote {self.path}: {self.codes} codes, {self.sources} transcripts, {self.codings} codings "
                f"by {self.users} coder(s), {self.notes} memos, {self.cases} cases, {self.sets} sets.")
        return "\n".join([text, *(f"  not exported: {o}" for o in self.omitted)])


def _clean(text: str) -> str:
    return _BAD_XML.sub(" ", text)


def _el(parent, tag: str, ns: str = PROJECT_NS, **attrs):
    from lxml import etree

    el = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for k, v in attrs.items():
        if v is not None:
            el.set(k, str(v))
    return el


def _text_el(parent, tag: str, text: str, ns: str = PROJECT_NS):
    el = _el(parent, tag, ns)
    el.text = _clean(text)
    return el


def _codes(parent, codebook: Codebook, code_id: str | None, ns: str, notes: dict[str, list[str]]) -> int:
    n = 0
    for code in codebook.children(code_id):
        el = _el(parent, "Code", ns, guid=guid("code", code.id), name=_clean(code.name), isCodable="true",
                 color=code.colour or None)
        description = code_description(code)
        if description:
            _text_el(el, "Description", description, ns)
        for note in notes.get(code.id, []):
            _el(el, "NoteRef", ns, targetGUID=note)
        n += 1 + _codes(el, codebook, code.id, ns, notes)
    return n


def codebook_xml(codebook: Codebook) -> bytes:
    """The codebook as a ``.qdc`` document (QDA-XML codebook 1.0)."""
    from lxml import etree

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", _origin())
    _codes(_el(root, "Codes", CODEBOOK_NS), codebook, None, CODEBOOK_NS, {})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook alone as REFI-QDA ``.qdc``; returns the path."""
    from coder.core.atomic import write_atomic

    if not codebook.codes:
        from coder.core.errors import CoderError

        raise CoderError("the codebook has no codes to export", file=codebook.file)
    path = Path(path)
    write_atomic(path, codebook_xml(codebook))
    return path


def _origin() -> str:
    from coder import __version__

    return f"coder {__version__}"


def _participants_of(t: Transcript) -> list[str]:
    pids = [turn.participant_id for turn in t.turns if turn.participant_id]
    meta = t.meta.get("participant")
    if isinstance(meta, str) and meta.strip():
        pids.insert(0, meta.strip())
    return list(dict.fromkeys(pids))


@dataclass
class _Built:
    xml: bytes
    sources: dict[str, str]  # archive entry name -> text
    counts: dict[str, int]
    omitted: list[str]


def build_project(
    name: str,
    codebook: Codebook,
    transcripts: Sequence[Transcript],
    codings: Iterable[Coding],
    memos: Iterable[Memo] = (),
    participants: ParticipantTable | None = None,
) -> _Built:
    """The ``project.qde`` document and source texts for these values."""
    from lxml import etree

    omitted: list[str] = []
    texts = {t.id: t.text for t in transcripts}
    placed: dict[tuple[str, int, int], dict[tuple[str, str], Coding]] = {}
    unknown_code = out_of_range = suggested = 0
    for c in codings:
        code = codebook.get(c.code)
        if c.transcript not in texts:
            continue
        if code is None:
            unknown_code += 1
            continue
        if not (0 <= c.start < c.end <= len(texts[c.transcript])):
            out_of_range += 1
            continue
        suggested += c.origin.kind == "suggestion"
        placed.setdefault((c.transcript, c.start, c.end), {}).setdefault((code.id, c.coder), c)
    if unknown_code:
        omitted.append(f"{unknown_code} coding(s) of codes no longer in the codebook")
    if out_of_range:
        omitted.append(f"{out_of_range} coding(s) outside their transcript's text")
    if suggested:
        omitted.append(f"the suggestion origin (model, score, rank) of {suggested} coding(s): REFI-QDA has no place "
                       "for it; they are exported as ordinary codings")
    coding_guid: dict[str, str] = {}
    for (tid, start, end), group in placed.items():
        for (code_id, coder), c in group.items():
            coding_guid[c.id] = guid("coding", tid, start, end, code_id, coder)
    users = sorted({c.coder for g in placed.values() for c in g.values()} | {m.coder for m in memos})

    # memos -> notes, keyed by what they are attached to
    memo_list = [m for m in memos if m.text.strip()]
    note_of: dict[tuple[str, str], list[str]] = {}
    notes: list[tuple[str, Memo]] = []
    all_code_guids = {c.id for c in codebook.codes}
    dropped_memos = 0
    for m in sorted(memo_list, key=lambda m: (m.target_kind, m.target, m.coder)):
        if m.target_kind == "coding" and m.target in coding_guid:
            key = ("coding", coding_guid[m.target])
        elif m.target_kind == "transcript" and m.target in texts:
            key = ("transcript", m.target)
        elif m.target_kind == "code" and codebook.resolve(m.target) in all_code_guids:
            key = ("code", codebook.resolve(m.target))
        else:
            dropped_memos += 1
            continue
        note = guid("note", m.target_kind, m.target, m.coder)
        note_of.setdefault(key, []).append(note)
        notes.append((note, m))
    if dropped_memos:
        omitted.append(f"{dropped_memos} memo(s) on codings, transcripts or codes not in the export")

    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", _clean(name) or "coder project")
    root.set("origin", _origin())
    if users:
        root.set("creatingUserGUID", guid("user", users[0]))
        users_el = _el(root, "Users")
        for u in users:
            _el(users_el, "User", guid=guid("user", u), name=u)
    n_codes = 0
    if codebook.codes:
        code_notes = {k[1]: v for k, v in note_of.items() if k[0] == "code"}
        n_codes = _codes(_el(_el(root, "CodeBook"), "Codes"), codebook, None, PROJECT_NS, code_notes)

    # participants -> variables and cases
    pids_of = {t.id: _participants_of(t) for t in transcripts}
    sources_of: dict[str, list[str]] = {}
    for t in transcripts:
        for pid in pids_of[t.id]:
            sources_of.setdefault(pid, []).append(t.id)
    n_cases = 0
    rows = participants.rows if participants is not None else {}
    if rows:
        columns = [c for c in participants.columns if c != participants.id_column]
        if columns:
            variables = _el(root, "Variables")
            for col in columns:
                _el(variables, "Variable", guid=guid("variable", col), name=_clean(col), typeOfVariable="Text")
        cases = _el(root, "Cases")
        for pid, row in rows.items():
            case = _el(cases, "Case", guid=guid("case", pid), name=_clean(pid))
            for col in columns:
                if row.get(col, "").strip():
                    value = _el(case, "VariableValue")
                    _el(value, "VariableRef", targetGUID=guid("variable", col))
                    _text_el(value, "TextValue", row[col])
            for tid in sources_of.get(pid, []):
                _el(case, "SourceRef", targetGUID=guid("source", tid))
            n_cases += 1
        unknown = sorted(set(sources_of) - set(rows))
        if unknown:
            omitted.append(f"cases for {len(unknown)} speaker id(s) not in the participant table: {', '.join(unknown)}")

    # transcripts -> sources, codings -> selections
    sources: dict[str, str] = {}
    n_selections = n_codings = 0
    if transcripts:
        sources_el = _el(root, "Sources")
        for t in transcripts:
            sguid = guid("source", t.id)
            entry = f"{sguid}.txt"
            sources[f"sources/{entry}"] = t.text
            src = _el(sources_el, "TextSource", guid=sguid, name=_clean(t.id), plainTextPath=f"internal://{entry}")
            description = metadata_description(t.meta)
            if description:
                _text_el(src, "Description", description)
            spans = sorted(k for k in placed if k[0] == t.id)
            for key in spans:
                _, start, end = key
                group = placed[key]
                first = min(group.values(), key=lambda c: (c.time, c.coder))
                sel = _el(src, "PlainTextSelection", guid=guid("selection", t.id, start, end),
                          name=_clean(_selection_name(t.text, start, end)), startPosition=start, endPosition=end,
                          creatingUser=guid("user", first.coder), creationDateTime=_when(first.time))
                for (code_id, coder), c in sorted(group.items()):
                    cg = coding_guid[c.id]
                    coding = _el(sel, "Coding", guid=cg, creatingUser=guid("user", coder),
                                 creationDateTime=_when(c.time))
                    _el(coding, "CodeRef", targetGUID=guid("code", code_id))
                    for note in note_of.get(("coding", cg), []):
                        _el(coding, "NoteRef", targetGUID=note)
                    n_codings += 1
                n_selections += 1
            for note in note_of.get(("transcript", t.id), []):
                _el(src, "NoteRef", targetGUID=note)
    if notes:
        notes_el = _el(root, "Notes")
        for note, m in notes:
            el = _el(notes_el, "Note", guid=note, name=_clean(f"Memo by {m.coder} on {m.target_kind} {m.target}"),
                     creatingUser=guid("user", m.coder), creationDateTime=_when(m.time))
            _text_el(el, "PlainTextContent", m.text)
    n_sets = _sets(root, transcripts, pids_of, rows)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    counts = dict(users=len(users), codes=n_codes, sources=len(transcripts), selections=n_selections,
                  codings=n_codings, notes=len(notes), cases=n_cases, sets=n_sets)
    return _Built(xml, sources, counts, omitted)


def _sets(root, transcripts: Sequence[Transcript], pids_of: dict[str, list[str]], rows: dict) -> int:
    sets: list[tuple[str, list[str]]] = []
    for attr in SET_ATTRIBUTES:
        members: dict[str, list[str]] = {}
        for t in transcripts:
            for pid in pids_of[t.id]:
                value = rows.get(pid, {}).get(attr, "").strip() or (
                    str(t.meta.get(attr)).strip() if t.meta.get(attr) else "")
                if value and t.id not in members.setdefault(value, []):
                    members[value].append(t.id)
        sets += [(f"{attr}: {value}", tids) for value, tids in members.items() if tids]
    if not sets:
        return 0
    sets_el = _el(root, "Sets")
    for name, tids in sets:
        el = _el(sets_el, "Set", guid=guid("set", name), name=_clean(name))
        for tid in tids:
            _el(el, "MemberSource", targetGUID=guid("source", tid))
    return len(sets)


def metadata_description(meta: dict) -> str:
    """A transcript's metadata (front matter keys only) as a source ``Description`` coder can read back."""
    import yaml

    from coder.core.transcript_meta import KNOWN_KEYS

    kept = {k: v for k, v in meta.items() if k in KNOWN_KEYS}
    if not kept:
        return ""
    try:
        return METADATA_MARK + "\n" + yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=1000)
    except yaml.YAMLError:
        return ""


def _selection_name(text: str, start: int, end: int, limit: int = 60) -> str:
    """``line:N`` (0-based, where the selection starts: how qc places a coding) and the quote's beginning."""
    flat = " ".join(text[start:end].split())
    quote = flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
    return f"line:{text.count(chr(10), 0, start)} {quote}"


def _when(time: str) -> str | None:
    return time if isinstance(time, str) and _DATETIME.match(time) else None


def write_qdpx(path: Path, built: _Built) -> None:
    from coder.core.atomic import write_atomic

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        entries = [("project.qde", built.xml)] + [(k, v.encode("utf-8")) for k, v in sorted(built.sources.items())]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    write_atomic(Path(path), buf.getvalue())


def export_qdpx(project: "Project", path: str | Path, coder: str | None = None) -> RefiExport:
    """Write the project (one coder's codings, or everyone's) as a REFI-QDA ``.qdpx``."""
    from coder.core.errors import CoderError

    path = Path(path)
    if coder is not None and coder not in project.store.coders:
        raise CoderError(f"no coder '{coder}' in this project", file=project.config.codings,
                         hint="coders with a log: " + (", ".join(project.store.coders) or "none yet"))
    transcripts = [project.transcript(t) for t in project.transcript_ids()]
    codings = project.codings(coder, confirmed=True)
    memos = list(project.store.state(coder).memos.values())
    built = build_project(project.name, project.codebook, transcripts, codings, memos, project.participants)
    left_out = project.left_out(coder)
    if left_out:
        built.omitted.append(f"{len(left_out)} coding(s) whose place is uncertain after a transcript edit "
                             "(orphaned, or re-placed and waiting for review: `coder orphans`)")
    state = project.store.state(coder)
    if state.rejections:
        built.omitted.append(f"{len(state.rejections)} rejected suggestion(s)")
    if getattr(project, "outcomes", None):
        built.omitted.append("the outcomes definition (wording, positive answers, benchmarks); "
                             "questionnaire answers are exported as case variables")
    write_qdpx(path, built)
    return RefiExport(path, omitted=tuple(built.omitted), **built.counts)
