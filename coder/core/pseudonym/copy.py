"""Write a pseudonymised copy of a project, and its key file.

The copy holds the project settings, the codebook, the outcomes definition, every
transcript with the plan's replacements (``.md`` stays ``.md``; the other formats
become ``.txt`` with their metadata as front matter, so the text codings point into
is exactly the replaced text), the participant table with the configured columns
dropped or replaced, and one new coding log per coder whose codings are moved
through the exact offset mapping (:mod:`.mapping`), with their memos and done marks.
Nothing of the original project is changed; the same project and decisions give a
byte-identical copy.  The word list and the decisions name identifiers and are not
copied.  The key (original and replacement, per transcript) goes to a file outside
both the project and the copy, readable by its owner only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import yaml

from coder.core.codings.anchor import quote_at
from coder.core.codings.events import SCHEMA_VERSION, dumps
from coder.core.errors import CoderError
from coder.core.pseudonym.plan import Plan
from coder.core.transcript import content_hash
from coder.core.transcript_meta import KNOWN_KEYS

MARKER = Path(".coder") / "pseudonymised-copy"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _git_tracks(path: Path) -> Path | None:
    """The git work tree that would track ``path`` (one holding it that does not ignore it), or None."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    top = next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)
    if top is None:
        return None
    try:
        ignored = subprocess.run(["git", "-C", str(top), "check-ignore", "-q", str(path)],
                                 capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ignored = False  # no git to ask: a file in a repository may be tracked
    return None if ignored else top


def check_places(root: Path, out: Path, key: Path) -> tuple[Path, Path, Path]:
    """The project, the copy and the key file, resolved, or :class:`CoderError` when the copy would
    go inside the project (or around it), or the key inside the project (so its exports), the copy
    or a git repository that does not ignore it."""
    if not str(out).strip() or not str(key).strip():
        raise CoderError("give both a folder for the copy and a file for the key")
    root, out, key = root.resolve(), out.expanduser().resolve(), key.expanduser().resolve()
    if _inside(out, root) or _inside(root, out):
        raise CoderError(f"the copy cannot go inside the project or around it: {out}",
                         hint="choose a folder outside the project, e.g. ../study-pseudonymised")
    if _inside(key, root) or _inside(key, out):
        raise CoderError(f"the key file must be outside the project and outside the copy: {key}",
                         hint="keep the key apart, somewhere only the research team can read")
    if key.is_dir():
        raise CoderError(f"the key file is a folder: {key}", hint="give a file name, e.g. ~/keys/study-key.csv")
    repo = _git_tracks(key)
    if repo is not None:
        raise CoderError(f"the key file would be in the git repository at {repo}, which does not ignore it: {key}",
                         hint="choose a folder outside any repository (or one its .gitignore leaves out)")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise CoderError(f"{out} exists and is not a pseudonymised copy",
                         hint="choose a new folder (coder replaces only a copy it wrote)")
    return root, out, key


def _stable_id(time: str, *parts: str) -> str:
    """A ULID-shaped id from a time and content, so a rerun writes the same log."""
    try:
        ms = int(datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        ms = 0
    rand = int.from_bytes(hashlib.sha256("\0".join(parts).encode()).digest()[:10], "big")
    value, out = (ms << 80) | rand, []
    for _ in range(26):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))


def _meta(meta: dict, plan: Plan, drop: tuple[str, ...], fixed: dict[str, str]) -> dict:
    def walk(v):
        if isinstance(v, str):
            return plan.replace_text(v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    out = {k: fixed.get(k, walk(v)) for k, v in meta.items() if k in KNOWN_KEYS and k != "notes" and k not in drop}
    if isinstance(meta.get("speakers"), dict):
        out["speakers"] = {plan.label(str(k)): v for k, v in meta["speakers"].items()}
    return out


def _write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data, encoding="utf-8", newline="\n")


def _transcripts(project, plan: Plan, out: Path, drop: tuple[str, ...], fixed: dict[str, str], progress) -> None:
    from coder.core.transcripts import load_transcript

    folder = project.config.transcripts
    transcripts = project.transcripts()
    for i, t in enumerate(transcripts):
        progress("writing the transcripts", i, len(transcripts))
        rel = t.path.relative_to(folder)
        rel = rel if t.format in ("txt", "md") else rel.with_suffix(".txt")
        front = yaml.safe_dump(_meta(t.meta, plan, drop, fixed), allow_unicode=True, sort_keys=False) if t.meta else ""
        target = out / folder.relative_to(project.root) / rel
        new = plan.mappings[t.id].text
        _write(target, (f"---\n{front}---\n" if front else "") + new)
        if load_transcript(target, out / folder.relative_to(project.root)).text != new:
            raise CoderError(f"transcript '{t.id}' could not be written so that its text reads back the same",
                             file=t.path, hint="please report this; the original is unchanged")


def _participants(project, plan: Plan, out: Path, drop: tuple[str, ...], fixed: dict[str, str]) -> None:
    path = project.config.participants
    if path is None or not path.exists():
        return
    from coder.core.text import read_text

    rows = list(csv.reader(io.StringIO(read_text(path))))
    if not rows:
        return
    header = rows[0]
    keep = [i for i, h in enumerate(header) if h.split("@")[0] not in drop]
    ident = header.index("participant_id") if "participant_id" in header else -1

    def cell(i: int, value: str) -> str:
        if i == ident or not value:
            return value
        return fixed.get(header[i].split("@")[0], plan.replace_text(value))

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    for row in rows[1:]:
        writer.writerow([cell(i, row[i]) for i in keep if i < len(row)])
    _write(out / path.relative_to(project.root), buf.getvalue())


def _events(project, plan: Plan, coder: str) -> list[dict]:
    state = project.store.state(coder)
    events = []
    for c in project.codings(coder):
        m = plan.mappings[c.transcript]
        start, end = m.span(c.start, c.end)
        quote, prefix, suffix = quote_at(m.text, start, end)
        events.append({"v": SCHEMA_VERSION, "id": c.id, "time": c.time, "coder": coder, "type": "apply",
                       "transcript": c.transcript, "code": c.code, "start": start, "end": end, "quote": quote,
                       "prefix": prefix, "suffix": suffix, "hash": content_hash(m.text), "origin": c.origin.to_json()})
        if c.reported:
            text = plan.replace_reported(c.reported)
            events.append({"v": SCHEMA_VERSION, "id": _stable_id(c.time, "report", c.id, text), "time": c.time,
                           "coder": coder, "type": "report", "coding": c.id, "text": text})
    for memo in state.memos.values():
        text = plan.replace_text(memo.text)
        events.append({"v": SCHEMA_VERSION, "id": _stable_id(memo.time, memo.target_kind, memo.target, text),
                       "time": memo.time, "coder": coder, "type": "memo", "target_kind": memo.target_kind,
                       "target": memo.target, "text": text})
    for (tid, who), time in state.done.items():
        if who == coder:
            events.append({"v": SCHEMA_VERSION, "id": _stable_id(time, "done", tid), "time": time, "coder": coder,
                           "type": "done", "transcript": tid, "done": True})
    return sorted(events, key=lambda e: (e["time"], e["type"] != "apply", e["id"]))  # an apply before its report


def _codings(project, plan: Plan, out: Path) -> None:
    folder = out / project.config.codings.relative_to(project.root)
    folder.mkdir(parents=True, exist_ok=True)
    for coder in project.store.state().coders:
        (folder / f"{coder}.jsonl").write_bytes(b"".join(dumps(e) for e in _events(project, plan, coder)))


def _copy_yaml(project, path: Path | None, out: Path, plan: Plan) -> None:
    """A YAML file with the replacements in its text (comments kept); where a bracketed
    replacement would change what the YAML means, the replacement without brackets."""
    if path is None or not path.exists():
        return
    from coder.core.text import read_text
    from coder.core.yamlfile import safe_load

    text = read_text(path)
    before = safe_load(text, path)
    new = plan.replace_text(text)
    try:
        ok = _shape(safe_load(new, path)) == _shape(before)
    except (yaml.YAMLError, CoderError):
        ok = False
    _write(out / path.relative_to(project.root), new if ok else plan.replace_text(text, brackets=False))


def _shape(data):
    """The structure of loaded YAML, without its strings."""
    if isinstance(data, dict):
        return {k: _shape(v) for k, v in data.items()} if all(isinstance(k, str) for k in data) else len(data)
    if isinstance(data, list):
        return [_shape(v) for v in data]
    return type(data).__name__


def write_key(plan: Plan, key: Path) -> None:
    """The key as CSV, written atomically with permissions for the owner only."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["transcript", "original", "replacement", "kind", "occurrences"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(plan.key, key=lambda r: (r["transcript"], r["original"])))
    key.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key.name}.", dir=key.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, key)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_copy(project, plan: Plan, out: Path, key: Path, drop: tuple[str, ...] = (),
               fixed: dict[str, str] | None = None, progress=None) -> dict:
    """Write the copy and the key; return counts of what was written.  ``progress(what, done, total)``
    is told of each step."""
    progress = progress or (lambda what, done, total: None)
    root, out, key = check_places(project.root, out, key)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in (root / "coder.yaml", project.config.codebook, project.config.outcomes):
        _copy_yaml(project, path, out, plan)
    _transcripts(project, plan, out, drop, fixed or {}, progress)
    progress("writing the participant table", 0, 1)
    _participants(project, plan, out, drop, fixed or {})
    progress("moving the codings, memos and reported quotes", 0, 1)
    _codings(project, plan, out)
    _write(out / MARKER, "A pseudonymised copy written by `coder pseudonymise`; coder may replace this folder.\n")
    progress("writing the key", 0, 1)
    write_key(plan, key)
    progress("done", 1, 1)
    replaced = sum(len(m.replacements) for m in plan.mappings.values())
    return {"transcripts": len(plan.mappings), "replacements": replaced, "originals": len(plan.table),
            "codings": len(project.codings()), "orphans": len(project.orphans()),
            "unreviewed": len({c.text for c in plan.unreviewed}), "unreviewed_occurrences": len(plan.unreviewed)}


def copy_warnings(summary: dict) -> list[str]:
    """What a researcher must know about a written copy before sharing it (the CLI and the workbench say these)."""
    said = []
    if summary.get("unreviewed"):
        said.append(f"{summary['unreviewed']} candidate identifier(s) ({summary['unreviewed_occurrences']} "
                    "occurrence(s)) nobody has reviewed were left as written; review them "
                    "(`coder pseudonymise --list`, or I in the workbench) or write with --accept all")
    if summary.get("orphans"):
        said.append(f"{summary['orphans']} orphaned coding(s) were not copied; resolve them with `coder orphans`")
    return said
