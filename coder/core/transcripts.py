"""Loading, finding and checking the transcripts of a project.

A transcript's id is its path relative to the transcripts folder, without the
suffix, with ``/`` separators (``interviews/ac-eng-p01-interview``).  Its
metadata comes from YAML front matter (``.txt``/``.md``) or from a sidecar
``<stem>.yaml`` next to it (any format), never both.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from coder.core.errors import CoderError, Problem, Severity
from coder.core.parse_cache import ParseCache
from coder.core.readers import FORMATS, READERS, Parsed
from coder.core.readers.plain import known_speakers
from coder.core.segmenter import segment
from coder.core.transcript import Transcript, Turn
from coder.core.transcript_meta import Metadata, MetaDict, read_sidecar, sidecar_for, validate

NOT_TRANSCRIPTS = frozenset({"participants.csv", "outcomes.yaml", "readme.md", "readme.txt"})


def transcript_id(path: str | Path, transcripts_root: str | Path | None = None) -> str:
    """``path`` relative to ``transcripts_root``, without suffix (the file stem if outside it)."""
    path = Path(path)
    if transcripts_root is not None:
        root = Path(transcripts_root)
        for how in (lambda p: p, Path.absolute, Path.resolve):  # the cheap way first
            try:
                return how(path).relative_to(how(root)).with_suffix("").as_posix()
            except ValueError:
                continue
    return path.stem


def find_transcript(directory: str | Path, tid: str) -> Path | None:
    """The file of transcript ``tid`` found by name, without scanning the folder.

    The same file :func:`discover_transcripts` would list first for that id; None when
    there is none by the usual names (a scan may still find one, e.g. ``A.TXT``).
    """
    rel = PurePosixPath(tid)
    if not tid or rel.is_absolute() or any(part in ("", "..") or part.startswith(".") for part in rel.parts):
        return None
    found = [path for fmt in FORMATS if (path := Path(directory, f"{tid}.{fmt}")).is_file()
             and path.name.lower() not in NOT_TRANSCRIPTS and not path.name.startswith("~$")]
    return min(found, key=lambda p: p.name) if found else None


def load_transcript(path: str | Path, transcripts_root: str | Path | None = None,
                    cache: ParseCache | None = None) -> Transcript:
    """Read, parse and segment one transcript (or take it from ``cache``); a user mistake raises :class:`CoderError`."""
    transcript, _ = _load(Path(path), transcripts_root, cache)
    return transcript


def check_transcript(path: str | Path, transcripts_root: str | Path | None = None,
                     cache: ParseCache | None = None) -> list[Problem]:
    """Everything wrong or doubtful about one transcript (empty list: all fine)."""
    try:
        _, problems = _load(Path(path), transcripts_root, cache)
    except CoderError as exc:
        return [Problem(exc.file or str(path), exc.line, exc.message, Severity.ERROR, exc.hint)]
    return problems


def discover_transcripts(directory: str | Path) -> list[Path]:
    """Transcript files under ``directory`` (recursively), sorted by id.

    Skips hidden files and folders, Word's ``~$`` lock files, sidecar
    metadata, the participant table, the outcomes file and READMEs.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CoderError("the transcripts folder does not exist", file=directory)
    found = []
    for path in directory.rglob("*"):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts) or path.name.startswith("~$"):
            continue
        if path.suffix.lower().lstrip(".") not in FORMATS or path.name.lower() in NOT_TRANSCRIPTS:
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix())


def check_transcripts(directory: str | Path) -> list[Problem]:
    """:func:`check_transcript` for every transcript, plus files that share an id."""
    problems: list[Problem] = []
    owners: dict[str, Path] = {}
    for path in discover_transcripts(directory):
        problems.extend(check_transcript(path, directory))
        tid = transcript_id(path, directory)
        if tid in owners:
            problems.append(
                Problem(
                    str(path),
                    None,
                    f"{owners[tid].name} and {path.name} have the same transcript id {tid!r}",
                    Severity.ERROR,
                    "rename one of them: codings refer to transcripts by id",
                )
            )
        owners.setdefault(tid, path)
    return problems


def _load(path: Path, root: str | Path | None, cache: ParseCache | None = None) -> tuple[Transcript, list[Problem]]:
    if cache is not None and path.suffix.lower().lstrip(".") in READERS:
        return cache.load(path, transcript_id(path, root), lambda: _parse(path, root))
    return _parse(path, root)


def _parse(path: Path, root: str | Path | None) -> tuple[Transcript, list[Problem]]:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in READERS:
        raise CoderError(
            f"{path.suffix or 'a file without suffix'} is not a transcript format",
            file=path,
            hint="transcripts are " + ", ".join(f".{f}" for f in FORMATS),
        )
    if not path.is_file():
        raise CoderError("the transcript file does not exist", file=path)
    sidecar_path = sidecar_for(path)
    sidecar = read_sidecar(sidecar_path) if sidecar_path else None
    parsed = READERS[fmt](path, known=known_speakers(sidecar.data) if sidecar else ())
    if parsed.has_front_matter and sidecar:
        raise CoderError(
            f"metadata is given twice: in the front matter of {path.name} and in {sidecar.file.name}",
            file=sidecar.file,
            hint="keep one of them (front matter or the sidecar file)",
        )
    if parsed.has_front_matter:
        meta = Metadata(parsed.meta, path, parsed.meta_lines)
    else:
        meta = sidecar or Metadata()

    problems = validate(meta)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise CoderError.from_problems(errors)

    turns = tuple(
        Turn(
            index=i,
            speaker=raw.speaker,
            start=raw.start,
            end=raw.end,
            start_time=raw.start_time,
            end_time=raw.end_time,
            participant_id=meta.participant_for(raw.speaker),
        )
        for i, raw in enumerate(parsed.turns)
    )
    transcript = Transcript(
        id=transcript_id(path, root),
        path=path,
        format=fmt,
        text=parsed.text,
        turns=turns,
        segments=segment(parsed.text, turns),
        meta=MetaDict({**parsed.info, **meta.data}, meta.file, meta.lines),
    )
    return transcript, problems + _content_warnings(path, parsed, meta, transcript)


def _content_warnings(path: Path, parsed: Parsed, meta: Metadata, transcript: Transcript) -> list[Problem]:
    file = str(path)
    meta_file = str(meta.file) if meta.file else file

    def warn(message: str, hint: str = "", *, line: int | None = None, where: str = file) -> Problem:
        return Problem(where, line, message, Severity.WARNING, hint)

    if not parsed.text.strip():
        empty = path.stat().st_size == 0
        return [warn("the file is empty" if empty else "the transcript has no text")]
    out: list[Problem] = []
    speakers = [t for t in transcript.turns if t.speaker]
    if not speakers:
        out.append(
            warn(
                "no speaker turns found",
                "start each turn with a speaker label, e.g. `Interviewer: So how did you...`",
            )
        )
        return out
    if meta.file is None:
        out.append(
            warn(
                "the transcript has no metadata, so its words are not linked to a participant",
                f"add YAML front matter or a {path.stem}.yaml file with `participant:` and `interviewers:`",
            )
        )
        return out
    labels = transcript.speakers
    if meta.participant and meta.interviewers is None and len(labels) > 1:
        assumed = [s for s in labels if meta.is_interviewer(s)]
        out.append(
            warn(
                "`interviewers` is not given: "
                + (f"taking {', '.join(assumed)} as the interviewer" if assumed else "every speaker counts as the participant"),
                "list the research team's labels, e.g. interviewers: [Interviewer]",
                line=meta.line("participant"),
                where=meta_file,
            )
        )
    folded = {" ".join(s.split()).casefold() for s in labels}
    for label in meta.speakers:
        if " ".join(label.split()).casefold() not in folded:
            out.append(
                warn(
                    f"speaker {label!r} in `speakers` never speaks in the transcript",
                    "check the spelling against the transcript's speaker labels",
                    line=meta.line("speakers"),
                    where=meta_file,
                )
            )
    unlinked = [s for s in labels if s and not meta.is_interviewer(s) and meta.participant_for(s) is None]
    if unlinked:
        out.append(
            warn(
                f"speaker(s) {', '.join(unlinked)} are not linked to a participant",
                "add them to `speakers` (label: participant id), or set `participant`, or list them in `interviewers`",
                where=meta_file,
            )
        )
    return out
