"""A new coder project from a REFI-QDA file (``coder import FILE DIR``).

* codes -> ``codebooks/<name>.yaml`` (hierarchy, colours; descriptions written
  by coder are split back into definition, guidance, examples and id);
* text sources -> ``transcripts/<name>.txt`` with YAML front matter, the body
  being the source text with line endings normalised (:mod:`.positions`), so
  every selection lands on the same words in the loaded ``Transcript.text``;
* each REFI user's codings -> their own log ``codings/<user>.jsonl`` (origin
  manual), one coding per ``Coding`` element, written as one batch per log
  (``CodingStore.apply_many``); notes -> memos on the coding, transcript or
  code they are attached to;
* cases and their variables -> ``transcripts/participants.csv``; a transcript
  linked to exactly one case names it as its ``participant``.

A ``.qdc`` gives a project with the codebook alone, or, into an existing coder
project, one more codebook file.  The target folder must be new or empty; if
anything goes wrong, what was written there is removed again.  Whatever cannot
be carried over is listed in :attr:`ImportReport.warnings`.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from coder.core.codebook_file import COLOUR_RE, ID_RE
from coder.core.coding import Origin
from coder.core.errors import CoderError
from coder.core.refi.descriptions import parse_description, slug
from coder.core.refi.notes import attach_notes
from coder.core.refi.model import RefiProject
from coder.core.refi.positions import place_text
from coder.core.refi.reader import RefiPackage, read_refi
from coder.core.refi.safety import DEFAULT_LIMITS, ImportLimits, inside
from coder.core.refi.taguette import dotted_tree, is_taguette
from coder.core.yamlfile import safe_load

FALLBACK_CODER = "imported"


@dataclass(frozen=True)
class ImportReport:
    source: Path
    target: Path
    kind: str  # "project" or "codebook"
    codes: int
    transcripts: int
    codings: int
    memos: int
    participants: int
    coders: tuple[str, ...]
    codebook_path: Path | None
    warnings: tuple[str, ...]

    def summary(self) -> str:
        head = (f"Imported {self.source.name} into {self.target}: {self.codes} codes, {self.transcripts} transcripts, "
                f"{self.codings} codings by {len(self.coders)} coder(s) ({', '.join(self.coders) or 'none'}), "
                f"{self.memos} memos, {self.participants} participants.")
        return "\n".join([head, *(f"  warning: {w}" for w in self.warnings)])


def _unique(base: str, used: set[str]) -> str:
    name, n = base, 2
    while name.casefold() in used:
        name = f"{base}-{n}"
        n += 1
    used.add(name.casefold())
    return name


def coder_name(name: str, guid: str) -> str:
    """A valid coder name (a log file name) for a REFI user."""
    out = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in name.strip())
    out = "-".join(p for p in out.split("-") if p).lstrip("._-")[:64]
    return out or f"user-{guid[:8]}"


class _Writer:
    """Writes files strictly inside the target folder; undoes everything on failure."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.created_target = False
        self.written: list[Path] = []

    def prepare(self, *, allow_project: bool = False) -> None:
        t = self.target
        if t.exists() and not t.is_dir():
            raise CoderError("the target is a file, not a folder", file=t)
        if t.exists() and any(t.iterdir()) and not allow_project:
            raise CoderError("the target folder is not empty", file=t,
                             hint="import into a new folder; coder never mixes an import into existing files")
        if not t.exists():
            try:
                t.mkdir(parents=True)
            except OSError as e:
                raise CoderError(f"cannot create the folder: {e.strerror or e}", file=t) from None
            self.created_target = True

    def write(self, rel: str, text: str) -> Path:
        path = self.target / rel
        if not inside(self.target, path):
            raise CoderError(f"refusing to write outside the target folder: {rel}", file=self.target)
        if path.exists():
            raise CoderError("the file already exists; nothing was overwritten", file=path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        self.written.append(path)
        return path

    def rollback(self) -> None:
        if self.created_target:
            shutil.rmtree(self.target, ignore_errors=True)
            return
        for path in reversed(self.written):
            path.unlink(missing_ok=True)
        for sub in ("codings", "transcripts", "codebooks", "exports"):
            folder = self.target / sub
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


# --- codebook ------------------------------------------------------------------


def _codebook(project: RefiProject, name: str, warnings: list[str]) -> tuple[str, dict[str, str]]:
    """The codebook YAML and the code id given to each code GUID."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    items: dict[str, dict] = {}
    roots: list[dict] = []
    not_codable, bad_colours = [], []
    for code in project.codes:
        info = parse_description(code.description)
        wanted = info["id"] if info["id"] and ID_RE.match(info["id"]) and info["id"].casefold() not in used else None
        code_id = wanted or _unique(slug(code.name, "code"), used)
        used.add(code_id.casefold())
        ids[code.guid] = code_id
        item: dict = {"id": code_id, "name": code.name}
        colour = (code.color or "").strip()
        if colour and COLOUR_RE.match(colour):
            item["colour"] = colour.lower()
        elif colour:
            bad_colours.append(code.name)
        for key in ("definition", "include", "exclude"):
            if info[key]:
                item[key] = info[key]
        if info["examples"]:
            item["examples"] = info["examples"]
        if not code.codable:
            not_codable.append(code.name)
        items[code.guid] = item
        parent = items.get(code.parent) if code.parent else None
        (parent.setdefault("children", []) if parent is not None else roots).append(item)
    if not_codable:
        warnings.append("codes marked not codable (folders) were imported as ordinary codes: " + ", ".join(not_codable))
    if bad_colours:
        warnings.append("codes with an unreadable colour got a default one: " + ", ".join(bad_colours))
    header = (f"# Codebook imported from a REFI-QDA file ({project.origin or 'unknown program'}).\n"
              "# Edit freely; see the coder README for the fields.\n")
    body = yaml.safe_dump({"name": name, "codes": roots}, sort_keys=False, allow_unicode=True, width=100)
    return header + body, ids


# --- participants -----------------------------------------------------------------


def _participants(project: RefiProject, warnings: list[str]) -> tuple[str | None, dict[str, str]]:
    """participants.csv text (None without cases) and each case GUID's participant id."""
    if not project.cases:
        return None, {}
    used_cols: set[str] = {"participant_id"}
    columns: dict[str, str] = {}  # variable GUID -> column name
    for v in project.variables:
        columns[v.guid] = _unique(v.name.strip() or "variable", used_cols)
    used_ids: set[str] = set()
    pid_of: dict[str, str] = {}
    rows = []
    described = 0
    for case in project.cases:
        pid = _unique(case.name.strip() or f"case-{case.guid[:8]}", used_ids)
        pid_of[case.guid] = pid
        row = {"participant_id": pid}
        for target, value in case.values:
            if target in columns:
                row[columns[target]] = value
            else:
                warnings.append(f"case '{case.name}': a value of an undeclared variable ({target}) was dropped")
        described += bool(case.description.strip())
        rows.append(row)
    if described:
        warnings.append(f"{described} case description(s) were not carried over (the participant table has no place for them)")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["participant_id", *columns.values()], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue(), pid_of


# --- the import -------------------------------------------------------------------


def import_refi(file: str | Path, target_dir: str | Path, limits: ImportLimits = DEFAULT_LIMITS) -> ImportReport:
    """Import a REFI-QDA ``.qdpx``/``.qde``/folder (a project), ``.qdc`` (a codebook) or a Taguette
    project database (SQLite) into ``target_dir``."""
    from coder.core.refi.taguette_db import is_taguette_db, read_taguette

    file, target = Path(file), Path(target_dir)
    package = read_taguette(file) if file.is_file() and is_taguette_db(file) else read_refi(file, limits)
    writer = _Writer(target)
    is_codebook = package.project.is_codebook
    into_project = is_codebook and target.is_dir() and ((target / "coder.yaml").exists() or (target / "codebooks").is_dir())
    writer.prepare(allow_project=into_project)
    try:
        return _import(package, writer, into_project)
    except BaseException:
        writer.rollback()
        raise


def _import(package: RefiPackage, writer: _Writer, into_project: bool) -> ImportReport:
    project = dotted_tree(package.project) if is_taguette(package.project) else package.project
    warnings = list(package.warnings)
    name = project.name or package.file.stem
    if not project.codes and project.is_codebook:
        raise CoderError("the codebook file holds no codes", file=package.file)
    codebook_yaml, code_ids = _codebook(project, name, warnings)
    book_name = slug(name, "codebook")
    if into_project:
        book_rel = f"codebooks/{book_name}.yaml"
        if (writer.target / book_rel).exists():
            raise CoderError("the project already has a codebook of that name", file=writer.target / book_rel,
                             hint="rename or move it, then import again")
        path = writer.write(book_rel, codebook_yaml)
        warnings.append(f"the codebook was added as {book_rel}; set `codebook: {book_rel}` in coder.yaml to use it")
        return ImportReport(package.file, writer.target, "codebook", len(code_ids), 0, 0, 0, 0, (), path, tuple(warnings))
    book_path = writer.write(f"codebooks/{book_name}.yaml", codebook_yaml)
    _sets_warnings(project, warnings)
    table, pid_of = _participants(project, warnings)
    config = {"name": name, "codebook": f"codebooks/{book_name}.yaml", "transcripts": "transcripts"}
    if table is not None:
        writer.write("transcripts/participants.csv", table)
        config["participants"] = "transcripts/participants.csv"
    writer.write("coder.yaml", "# coder project settings, from a REFI-QDA import. Paths are relative to this folder.\n"
                 + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    writer.write(".gitignore", ".coder/\n")
    for folder in ("codings", "exports"):
        (writer.target / folder).mkdir(exist_ok=True)
    transcripts = _transcripts(package, writer, pid_of, warnings)
    codings, memos, coders = _codings(package, writer, transcripts, code_ids, warnings)
    if project.description.strip():
        warnings.append("the project description was not carried over")
    return ImportReport(package.file, writer.target, "codebook" if project.is_codebook else "project",
                        len(code_ids), len(transcripts), codings, memos, len(pid_of), tuple(coders), book_path,
                        tuple(warnings))


def _sets_warnings(project: RefiProject, warnings: list[str]) -> None:
    variables = {v.name.casefold() for v in project.variables}
    for s in project.sets:
        attr = s.name.split(":", 1)[0].strip().casefold() if ":" in s.name else None
        if attr and attr in variables and not s.codes:
            continue  # a group coder derives from the participant attribute of that name
        warnings.append(f"set '{s.name}' ({len(s.sources)} source(s), {len(s.codes)} code(s)) was not carried over: "
                        "coder groups transcripts by participant attributes")


@dataclass
class _Placed:
    tid: str
    text: str
    mapper: object


def _transcripts(package: RefiPackage, writer: _Writer, pid_of: dict[str, str], warnings: list[str]) -> dict[str, _Placed]:
    from coder.core.readers.plain import read_plain

    project = package.project
    cases_of: dict[str, list[str]] = {}
    for case in project.cases:
        for src in case.sources:
            cases_of.setdefault(src, []).append(pid_of[case.guid])
    used: set[str] = {"participants", "outcomes", "readme"}
    out: dict[str, _Placed] = {}
    for src in project.sources:
        raw = package.texts.get(src.guid)
        if raw is None:
            continue
        stem = src.name.rsplit(".", 1)[0] if src.name.lower().endswith((".txt", ".docx", ".rtf", ".pdf", ".md")) else src.name
        tid = _unique(slug(stem, "transcript"), used)
        placed = place_text(raw, src.selections, project.origin)
        if placed.crlf_as_two is not None:
            how = "two characters (as NVivo and MAXQDA count)" if placed.crlf_as_two else "one character (as ATLAS.ti counts)"
            warnings.append(f"source '{src.name}' has Windows line endings: its positions were read counting each as {how}")
        if placed.controls_replaced:
            warnings.append(f"source '{src.name}': {placed.controls_replaced} control character(s) replaced by spaces")
        if src.other_codings:
            warnings.append(f"source '{src.name}': {src.other_codings} coding(s) of the whole source were not carried over")
        meta = {"title": src.name, **_source_metadata(src.description, src.name, warnings)}
        meta.setdefault("note", f"Imported from {package.file.name} (REFI-QDA).")
        pids = cases_of.get(src.guid, [])
        if "participant" in meta or "speakers" in meta:
            pass  # written by coder: exact speaker links
        elif len(pids) == 1:
            meta["participant"] = pids[0]
        elif len(pids) > 1:
            warnings.append(f"transcript '{tid}' belongs to {len(pids)} cases ({', '.join(pids)}): add a `speakers:` "
                            "mapping to its front matter to link each speaker to a participant")
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        path = writer.write(f"transcripts/{tid}.txt", f"---\n{front}---\n{placed.text}")
        loaded = read_plain(path).text
        if loaded != placed.text:  # the reader must see exactly the text the positions refer to
            raise CoderError("internal check failed: the imported transcript does not read back as written",
                             file=path, hint="please report this with the file you imported")
        out[src.guid] = _Placed(tid, placed.text, placed.mapper(raw))
    return out


def _source_metadata(description: str, name: str, warnings: list[str]) -> dict:
    """Front-matter keys from a source's description: coder's own metadata block, or the text as `notes`."""
    from coder.core.refi.writer import METADATA_MARK
    from coder.core.transcript_meta import KNOWN_KEYS

    text = description.strip()
    if not text:
        return {}
    if not text.startswith(METADATA_MARK) or len(text) > 100_000:
        return {"notes": text}
    try:
        data = safe_load(text[len(METADATA_MARK):])
    except (yaml.YAMLError, CoderError):  # invalid, or refused (an alias bomb): kept as notes
        data = None
    if not isinstance(data, dict):
        warnings.append(f"source '{name}': its coder metadata could not be read; kept as notes")
        return {"notes": text}
    return {str(k): v for k, v in data.items() if str(k) in KNOWN_KEYS}


def _codings(package: RefiPackage, writer: _Writer, transcripts: dict[str, _Placed], code_ids: dict[str, str],
             warnings: list[str]) -> tuple[int, int, list[str]]:
    from coder.core.codings import CodingStore

    project = package.project
    used: set[str] = set()
    names: dict[str, str] = {g: _unique(coder_name(n, g), used) for g, n in project.users.items()}
    unknown_users: set[str] = set()

    def who(user: str | None) -> str:
        if user is None:
            return names.setdefault("", _unique(FALLBACK_CODER, used))
        if user not in names:
            unknown_users.add(user)
            names[user] = _unique(f"user-{user[:8]}", used)
        return names[user]

    store = CodingStore(writer.target / "codings")
    store.load()
    made: dict[str, list[str]] = {}  # REFI selection/coding GUID -> new coding ids
    problems: Counter = Counter()
    seen: set[tuple] = set()
    batches: dict[str, list[tuple]] = {}  # coder -> apply_many items, in document order
    guids: dict[str, list[tuple[str, str]]] = {}  # coder -> (coding GUID, selection GUID) per item
    times: dict[str, list[str | None]] = {}  # coder -> each item's time in the file (None: not given)
    for src in project.sources:
        placed = transcripts.get(src.guid)
        if placed is None:
            continue
        for sel in src.selections:
            start, end = placed.mapper(sel.start), placed.mapper(sel.end)
            if not (0 <= start < end <= len(placed.text)):
                problems[f"selections outside their source's text or empty (in '{src.name}')"] += 1
                continue
            for c in sel.codings:
                code = code_ids.get(c.code)
                if code is None:
                    problems["codings of a code that is not in the codebook"] += 1
                    continue
                coder = who(c.user)
                key = (coder, placed.tid, code, start, end)
                if key in seen:
                    problems["duplicate codings (same coder, code and span) merged"] += 1
                    continue
                seen.add(key)
                batches.setdefault(coder, []).append((placed.tid, placed.text, code, start, end, Origin()))
                guids.setdefault(coder, []).append((c.guid, sel.guid))
                times.setdefault(coder, []).append(c.time)
    n = 0
    for coder, items in batches.items():  # one durable batch per coder's log, not one fsync per coding
        for coding, pair in zip(store.apply_many(coder, items, times[coder]), guids[coder]):
            for guid in pair:
                made.setdefault(guid, []).append(coding.id)
        n += len(items)
    for message, count in sorted(problems.items()):
        warnings.append(f"{count} {message}" + ("" if "merged" in message else " were skipped"))
    if unknown_users:
        warnings.append(f"{len(unknown_users)} coding user(s) are not listed under Users; their codings were given "
                        "names like user-1a2b3c4d")
    memos = attach_notes(project, store, made, {g: p.tid for g, p in transcripts.items()}, code_ids, who, warnings)
    return n, memos, sorted(store.coders)


__all__ = ["ImportReport", "coder_name", "import_refi"]
