"""The one facade over a project folder: what the CLI, the TUI, the exports and the tests use.

    project = Project.open(path)
    project.codebook, project.transcript("ac-eng-p01-interview"), project.participants
    project.check()                      # every problem, file:line
    project.apply(coder, transcript_id, code_id, start, end)   # durable before it returns

Reading is lazy and cached: opening a project reads ``coder.yaml`` only, so
the TUI can paint at once; each file is read on first use and re-read when it
changes on disk.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, TypeVar

from coder.core.codebook import Codebook
from coder.core.config import ProjectConfig, is_project, load_config
from coder.core.errors import CoderError, Problem, Severity
from coder.core.outcomes import Outcome, check_answers, load_outcomes
from coder.core.parse_cache import ParseCache
from coder.core.participants import ParticipantTable, load_participants
from coder.core.coding import Coding, Origin
from coder.core.transcript import Transcript

T = TypeVar("T")


@dataclass(frozen=True)
class TranscriptInfo:
    """What the transcript list and ``coder stats`` show."""

    id: str
    format: str
    speakers: int
    turns: int
    segments: int
    words: int
    participants: tuple[str, ...]


class _FileCache:
    """Values derived from one file, recomputed when its mtime or size changes."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Path], tuple[tuple[int, int], object]] = {}

    def get(self, kind: str, path: Path, build: Callable[[], T]) -> T:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        hit = self._entries.get((kind, path))
        if hit and hit[0] == stamp:
            return hit[1]  # type: ignore[return-value]
        value = build()
        self._entries[(kind, path)] = (stamp, value)
        return value


class Project:
    def __init__(self, config: ProjectConfig, config_problems: list[Problem] | None = None) -> None:
        self.config = config
        self.root = config.root
        self._config_problems = config_problems or []
        self._cache = _FileCache()
        self._parsed = ParseCache(self.root / ".coder" / "parsed")  # parsed transcripts, by content
        self._store = None
        self._suggestions = None
        self.lock = threading.RLock()  # held by coding actions, and by workers while they read the state

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, root: Path | str = ".") -> "Project":
        root = Path(root)
        if not root.is_dir():
            raise CoderError(f"no such folder: {root}", hint="give the path of a coder project (a folder with codebooks/ and transcripts/)")
        if not is_project(root):
            raise CoderError(f"{root} is not a coder project (no coder.yaml or codebooks/ folder)",
                             hint="run `coder init` there to start one")
        config, problems = load_config(root)
        return cls(config, problems)

    @classmethod
    def find(cls, start: Path | str = ".") -> "Project":
        """Open the project ``start`` is in: ``start`` itself or the nearest parent that is a project root."""
        from coder.core.config import find_project

        start = Path(start)
        if not start.is_dir():
            raise CoderError(f"no such folder: {start}", hint="give the path of a coder project (a folder with codebooks/ and transcripts/)")
        root = find_project(start)
        if root is None:
            raise CoderError(f"{start} is not in a coder project (no coder.yaml or codebooks/ folder here or in any "
                             "parent folder)", hint="run `coder init` to start one, or give its folder with -C DIR")
        return cls.open(root)

    @classmethod
    def init(cls, root: Path | str) -> "Project":
        from coder.core.scaffold import create_project

        create_project(Path(root))
        return cls.open(root)

    @property
    def name(self) -> str:
        return self.config.name

    # ---------------------------------------------------------------- codebook
    def _load_codebook(self) -> tuple[Codebook, list[Problem]]:
        from coder.core.codebook_file import load_codebook

        path = self.config.codebook
        if path is None or not path.exists():
            raise CoderError("the project has no codebook", file=path or self.root / "codebooks",
                             hint="add codebooks/<name>.yaml or set `codebook:` in coder.yaml")
        return self._cache.get("codebook", path, lambda: load_codebook(path))

    @property
    def codebook(self) -> Codebook:
        return self._load_codebook()[0]

    def codebook_problems(self) -> list[Problem]:
        """Every problem of the codebook file, errors and warnings; one that cannot be read is one."""
        return _collect(self._load_codebook)

    def codebook_stamp(self) -> tuple[int, int] | None:
        """The codebook file's (mtime, size), to notice it changed; None when it does not exist."""
        path = self.config.codebook
        try:
            st = path.stat() if path is not None else None
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size) if st else None

    # ------------------------------------------------------------- transcripts
    def transcript_paths(self) -> list[Path]:
        from coder.core.transcripts import discover_transcripts

        folder = self.config.transcripts
        return discover_transcripts(folder) if folder.is_dir() else []

    def transcript_ids(self) -> list[str]:
        from coder.core.transcripts import transcript_id

        return [transcript_id(p, self.config.transcripts) for p in self.transcript_paths()]

    def transcript_path(self, transcript_id: str) -> Path:
        from coder.core.transcripts import find_transcript, transcript_id as id_of

        direct = find_transcript(self.config.transcripts, transcript_id)  # a few stats, not a scan
        if direct is not None:
            return direct
        for path in self.transcript_paths():
            if id_of(path, self.config.transcripts) == transcript_id:
                return path
        raise CoderError(f"no transcript '{transcript_id}' in {self.config.transcripts}",
                         hint="`coder stats` lists the project's transcripts")

    def transcript(self, transcript_id: str) -> Transcript:
        from coder.core.transcripts import load_transcript

        path = self.transcript_path(transcript_id)
        root = self.config.transcripts
        return self._cache.get("transcript", path, lambda: load_transcript(path, root, self._parsed))

    def transcripts(self) -> list[Transcript]:
        """Every transcript that can be read; :meth:`unreadable` lists the others."""
        out = []
        for tid in self.transcript_ids():
            try:
                out.append(self.transcript(tid))
            except CoderError:
                continue
        return out

    def unreadable(self) -> list[Problem]:
        """A problem (file, line, why) for each transcript that cannot be read; the rest is usable."""
        out = []
        for tid in self.transcript_ids():
            try:
                self.transcript(tid)
            except CoderError as exc:
                out.append(Problem(str(exc.file or self.transcript_path(tid)), exc.line, exc.message,
                                   Severity.ERROR, exc.hint))
        return out

    def transcript_info(self, transcript: Transcript) -> TranscriptInfo:
        pids = tuple(dict.fromkeys(t.participant_id for t in transcript.turns if t.participant_id))
        return TranscriptInfo(transcript.id, transcript.format, len(transcript.speakers), len(transcript.turns),
                              len(transcript.segments), transcript.words, pids)

    # ------------------------------------------------------ quantitative links
    def _load_participants(self) -> tuple[ParticipantTable, list[Problem]]:
        path = self.config.participants
        if path is None or not path.exists():
            return ParticipantTable.empty(path or self.config.transcripts / "participants.csv"), []
        return self._cache.get("participants", path, lambda: load_participants(path))

    @property
    def participants(self) -> ParticipantTable:
        return self._load_participants()[0]

    def _load_outcomes(self) -> tuple[list[Outcome], list[Problem]]:
        path = self.config.outcomes
        if path is None or not path.exists():
            return [], []
        return self._cache.get("outcomes", path, lambda: load_outcomes(path))

    @property
    def outcomes(self) -> list[Outcome]:
        return self._load_outcomes()[0]

    # -------------------------------------------------------------- validation
    def check(self) -> list[Problem]:
        """Every problem in the project's files, errors and warnings, in file order."""
        from coder.core.links import check_links
        from coder.core.transcripts import check_transcript

        problems = list(self._config_problems)
        problems += _collect(self._load_codebook)
        for path in self.transcript_paths():
            problems += check_transcript(path, cache=self._parsed)
        table_problems = _collect(self._load_participants)
        problems += table_problems
        outcome_problems = _collect(self._load_outcomes)
        problems += outcome_problems
        if self.config.outcomes is not None and self.config.outcomes.exists() and not _fatal(outcome_problems):
            problems += check_answers(self.outcomes, self.participants, str(self.config.outcomes))
        if not _fatal(table_problems):
            problems += check_links(self)
        problems += self.store.problems
        problems += self._coding_problems()
        return problems

    def _coding_problems(self) -> list[Problem]:
        """Codings that need the researcher: of codes gone from the codebook, or orphaned."""
        from collections import Counter

        from coder.core.codings import unknown_code_codings

        out: list[Problem] = []
        try:
            book = self.codebook
        except CoderError:
            return out
        gone = Counter(c.code for c in unknown_code_codings(self.store.state(), book))
        for code, n in sorted(gone.items()):
            out.append(Problem(str(self.config.codings), None,
                               f"{n} coding(s) use code '{code}', which is not in the codebook",
                               Severity.WARNING, hint="restore the code, list its id under a code's former_ids, or remove the codings"))
        orphaned = self.orphans()
        if orphaned:
            out.append(Problem(str(self.config.codings), None,
                               f"{len(orphaned)} coding(s) could not be re-placed after transcript edits; "
                               "exports leave them out", Severity.WARNING,
                               hint="review them with `coder orphans` or in the workbench"))
        fuzzy = self.to_review()
        if fuzzy:
            out.append(Problem(str(self.config.codings), None,
                               f"{len(fuzzy)} coding(s) were re-placed after transcript edits but need review "
                               "(approximate, in another speaker's turn, or far from their old place); "
                               "exports leave them out until confirmed", Severity.WARNING,
                               hint="check them with `coder orphans`; confirm with --place ID"))
        return out

    # ----------------------------------------------------------------- codings
    @property
    def store(self):
        """The coding log of every coder (``codings/*.jsonl``), loaded on first use."""
        if self._store is None:
            from coder.core.codings import CodingStore

            store = CodingStore(self.config.codings)
            store.load()
            self._store = store
        return self._store

    def codings(self, coder: str | None = None, transcript_id: str | None = None, *,
                confirmed: bool = False) -> list[Coding]:
        """Current codings (one coder's, or everyone's merged) placed in the *current* text.

        A coding made on an earlier version of its transcript is re-anchored
        (exact, moved, or fuzzy above the documented threshold) and returned at
        its new place; orphans, and codings of missing transcripts, are left
        out here and listed by :meth:`orphans`.  With ``confirmed`` (exports),
        placements waiting for review (:meth:`to_review`) are left out too.
        Sorted by transcript and position.
        """
        return self.place(_groups(self.store.state(coder), transcript_id), confirmed=confirmed)

    def place(self, groups: dict[str, list[Coding]], *, confirmed: bool = False) -> list[Coding]:
        """Codings grouped by transcript, placed in each transcript's current text as
        :meth:`codings` places them (for a caller that keeps its own copy of the state)."""
        out: list[Coding] = []
        for tid in sorted(groups):
            group, placements = self._placements(groups[tid], tid)
            if placements is None:
                out += group
                continue
            text = self.transcript(tid)
            for placed in placements:
                if placed.anchor.placed and not (confirmed and placed.anchor.needs_review):
                    start, end = placed.start, placed.end
                    out.append(replace(placed.coding, start=start, end=end, quote=text.text[start:end],
                                       text_hash=text.hash))
        return sorted(out, key=lambda c: (c.transcript, c.start, c.end, c.code, c.coder))

    def _placements(self, group: list[Coding], tid: str) -> tuple[list[Coding], list | None]:
        """A transcript's codings, and where each sits now (None when all were made on this text)."""
        from coder.core.codings import resolve_codings

        try:
            transcript = self.transcript(tid) if group else None
        except CoderError:
            return [], None  # a missing transcript: its codings are orphans
        if transcript is None or all(c.text_hash == transcript.hash for c in group):
            return group, None
        return group, resolve_codings(group, transcript)

    def to_review(self, coder: str | None = None, transcript_id: str | None = None) -> list:
        """Codings re-placed automatically but worth a look: fuzzy matches, or quotes
        found again without their surrounding text (``PlacedCoding`` values); of one transcript if given."""
        groups = _groups(self.store.state(coder), transcript_id)
        out = []
        for tid in sorted(groups):
            _, placements = self._placements(groups[tid], tid)
            out += [p for p in placements or [] if p.anchor.placed and p.anchor.needs_review]
        return out

    def left_out(self, coder: str | None = None) -> list[dict]:
        """Codings an export leaves out and why: orphans, and re-placements waiting for review."""
        rows = [{"coding": o.coding.id, "coder": o.coding.coder, "transcript": o.coding.transcript,
                 "code": o.coding.code, "quote": o.coding.quote,
                 "why": o.reason if o.reason != "text changed" else "orphaned by a transcript edit"}
                for o in self.orphans(coder)]
        rows += [{"coding": p.coding.id, "coder": p.coding.coder, "transcript": p.coding.transcript,
                  "code": p.coding.code, "quote": p.coding.quote,
                  "why": f"re-placed, waiting for review ({p.anchor.label})"} for p in self.to_review(coder)]
        return sorted(rows, key=lambda r: (r["transcript"], r["coding"]))

    def orphans(self, coder: str | None = None, transcript_id: str | None = None) -> list:
        """Codings that could not be placed confidently after their transcript changed (or vanished);
        of one transcript if given."""
        from coder.core.codings import orphans

        groups = _groups(self.store.state(coder), transcript_id)
        known = set(self.transcript_ids())
        readable = {}
        for tid in groups.keys() & known:
            try:
                readable[tid] = self.transcript(tid)
            except CoderError:
                continue  # listed as "transcript unreadable"
        # Codings made on a transcript's current text are placed as they are: only edited
        # transcripts (and missing or unreadable ones) can hold orphans.
        changed = {tid: t for tid, t in readable.items() if any(c.text_hash != t.hash for c in groups[tid])}
        found = orphans([c for tid, group in groups.items() if tid in changed or tid not in readable for c in group],
                        changed)
        return [replace(o, reason="transcript unreadable")
                if o.reason == "transcript missing" and o.coding.transcript in known else o
                for o in found]

    def replace_orphan(self, coder: str, coding_id: str, start: int | None = None, end: int | None = None) -> Coding:
        """Re-place an orphan at ``start:end``, or at its best candidate when not given;
        or confirm (or move) a coding that was re-placed fuzzily."""
        orphan = next((o for o in self.orphans() if o.coding.id == coding_id), None)
        if orphan is not None:
            coding, candidate = orphan.coding, (orphan.candidate_start, orphan.candidate_end)
        else:
            placed = next((p for p in self.to_review() if p.coding.id == coding_id), None)
            if placed is None:
                raise CoderError(f"no orphaned or re-placed coding '{coding_id}'", hint="`coder orphans` lists them")
            coding, candidate = placed.coding, (placed.start, placed.end)
        if start is None or end is None:
            if candidate[0] is None:
                raise CoderError(f"coding '{coding_id}' has no candidate place",
                                 hint="give the new span with --at START:END")
            start, end = candidate
        transcript = self.transcript(coding.transcript)
        with self.lock:
            return self.store.replace(coder, coding_id, start, end, transcript.text, method="manual",
                                      speaker=_speaker_at(transcript, start))

    def discard_orphan(self, coder: str, coding_id: str) -> Coding:
        with self.lock:
            return self.store.remove(coder, coding_id, reason="orphan discarded")

    def damaged_lines(self) -> list[tuple[str, int, bytes]]:
        """Coding-log lines skipped as damaged and not yet quarantined: (coder, line, bytes)."""
        self.store.refresh()
        return self.store.damaged_lines()

    def repair_logs(self) -> list[tuple[str, int, Path]]:
        """Quarantine every damaged log line (see :mod:`coder.core.codings.quarantine`):
        (coder, lines moved, side file) per log repaired."""
        out = []
        with self.lock:
            for coder in sorted({c for c, _, _ in self.damaged_lines()}):
                n, side = self.store.quarantine(coder)
                if n:
                    out.append((coder, n, side))
        return out

    def memos(self, target_kind: str, target: str) -> list:
        return self.store.state().memos_on(target_kind, target)

    def can_undo(self, coder: str) -> bool:
        """Whether ``coder`` has something to undo (False while the logs are still unread: asking never reads them)."""
        return self._store is not None and self.store.state(coder).can_undo(coder)

    def can_redo(self, coder: str) -> bool:
        return self._store is not None and self.store.state(coder).can_redo(coder)

    def apply(self, coder: str, transcript_id: str, code: str, start: int, end: int,
              origin: Origin | None = None) -> Coding:
        """Code ``text[start:end]``; durable before it returns. Applying a code the coder
        already gave this exact span returns that coding and writes nothing."""
        if code not in self.codebook:
            raise CoderError(f"unknown code '{code}'", file=self.config.codebook,
                             hint="add it to the codebook first")
        transcript = self.transcript(transcript_id)
        text = transcript.text
        if not (0 <= start < end <= len(text)):
            raise CoderError(f"span {start}–{end} is outside transcript '{transcript_id}' ({len(text)} characters)")
        code = self.codebook.resolve(code)
        with self.lock:
            same = [c for c in self.codings(coder, transcript_id) if (c.code, c.start, c.end) == (code, start, end)]
            if same:
                return same[0]  # already coded so: applying again changes nothing
            return self.store.apply(coder, transcript_id, text, code, start, end, origin=origin or Origin(),
                                    speaker=_speaker_at(transcript, start))

    def remove(self, coder: str, coding_id: str) -> Coding:
        with self.lock:
            return self.store.remove(coder, coding_id)

    def memo(self, coder: str, target_kind: str, target: str, text: str):
        with self.lock:
            return self.store.memo(coder, target_kind, target, text)

    def report_quote(self, coder: str, coding_id: str, text: str) -> Coding:
        """Give one of ``coder``'s codings a reported quote (``[...]`` replacements and additions,
        ``…`` cuts), refused with :class:`CoderError` if it changes what was said; empty removes it."""
        from coder.core.reported import check_reported

        coding = next((c for c in self.codings(coder) if c.id == coding_id), None)
        if coding is None:
            raise CoderError(f"{coder} has no current coding '{coding_id}'", hint="quotes.csv lists coding ids")
        if text:
            check_reported(text, coding.quote)
        with self.lock:
            return self.store.report(coder, coding_id, text)

    def mark_done(self, coder: str, transcript_id: str, done: bool = True) -> bool:
        """Record that ``coder`` has finished coding a transcript (or, ``done=False``, has not); False if unchanged."""
        self.transcript(transcript_id)  # an unknown id is an error, not a silent mark
        with self.lock:
            return self.store.mark_done(coder, transcript_id, done)

    def not_done(self, coder: str | None = None) -> list[str]:
        """Transcripts not marked done by ``coder`` (by anyone, for None), in id order."""
        done = {t for t, _ in self.store.state(coder).done}
        return [t for t in self.transcript_ids() if t not in done]

    # ------------------------------------------------------------- suggestions
    @property
    def suggestions(self):
        """The suggestion service (nothing is loaded until its ``load()`` is called)."""
        if self._suggestions is None:
            from coder.core.suggestions import SuggestionService

            self._suggestions = SuggestionService(self)
        return self._suggestions

    def close(self) -> None:
        """Stop what runs on the project's behalf (the suggestion worker process, if any)."""
        if self._suggestions is not None:
            self._suggestions.close()

    def accept(self, coder: str, transcript_id: str, start: int, end: int, suggestion) -> Coding:
        """Apply a suggested code; the log records the model, score and rank."""
        return self.apply(coder, transcript_id, suggestion.code, start, end, origin=suggestion.origin())

    def reject(self, coder: str, transcript_id: str, start: int, end: int, suggestion):
        """Turn a suggestion down; it is not suggested here again and teaches the model."""
        text = self.transcript(transcript_id).text
        with self.lock:
            return self.store.reject(coder, transcript_id, start, end, suggestion.code, suggestion.model,
                                     round(suggestion.score, 4), suggestion.rank, text=text,
                                     band=getattr(suggestion, "band", ""))

    # ------------------------------------------------------ codebook editing
    def add_example(self, code_id: str, quote: str) -> None:
        """Add a quote to a code's examples in the codebook YAML (comments survive)."""
        from coder.core.codebook_edit import add_example

        add_example(self._codebook_path(code_id), self.codebook.resolve(code_id) or code_id, quote)

    def set_definition(self, code_id: str, text: str) -> None:
        from coder.core.codebook_edit import set_definition

        set_definition(self._codebook_path(code_id), self.codebook.resolve(code_id) or code_id, text)

    def rename_code(self, old: str, new: str) -> None:
        """Give a code a new id; the old one joins its ``former_ids`` so every coding follows."""
        from coder.core.codebook_rename import rename_code

        rename_code(self._codebook_path(old), self.codebook, old, new)

    def merge_codes(self, sources: list[str], into: str) -> None:
        """Fold codes into ``into``: they leave the codebook, their ids join its ``former_ids``."""
        from coder.core.codebook_rename import merge_codes

        merge_codes(self._codebook_path(into), self.codebook, sources, into)

    def _codebook_path(self, code_id: str) -> Path:
        if code_id not in self.codebook:
            raise CoderError(f"unknown code '{code_id}'", file=self.config.codebook)
        return self.config.codebook

    def coders(self) -> list[str]:
        """Everyone with a coding log in this project."""
        return list(self.store.coders)

    # -------------------------------------------------------------- read back
    def query(self, now=None):
        """Retrieval, counts and corpus search over the current state
        (:class:`coder.core.query.ProjectQuery`, counted as the exports count); ``now``: the
        files' stamp as :meth:`query_if_current` just read it."""
        from coder.core.query import ProjectQuery

        return ProjectQuery.of(self, now)

    def query_if_current(self):
        """(the engine of :meth:`query` if it is built and still current, else None; the files'
        stamp, for :meth:`query`).  Never builds."""
        from coder.core.query import ProjectQuery

        return ProjectQuery.current(self)

    # ----------------------------------------------------------------- exports
    def export(self, out_dir: Path | None = None, progress=None, **options) -> list[Path]:
        """Write the export tables (CSV or one XLSX workbook) and return their paths.

        ``options`` are the fields of :class:`coder.core.export.ExportOptions`;
        ``format="qdpx"``/``"qdc"`` writes a REFI-QDA project or codebook instead, and
        ``"taguette"`` the codebook as the CSV Taguette imports.
        """
        fmt = options.get("format", "csv")
        if fmt == "taguette":
            from coder.core.atomic import write_atomic
            from coder.core.refi.taguette import codebook_csv

            folder = Path(out_dir or self.config.exports)
            return [write_atomic(folder / "codebook-taguette.csv", codebook_csv(self.codebook))]
        if fmt in ("qdpx", "qdc"):
            from coder.core.refi import export_qdc, export_qdpx

            folder = Path(out_dir or self.config.exports)
            if fmt == "qdc":
                return [export_qdc(self.codebook, folder / "codebook.qdc")]
            return [export_qdpx(self, folder / "project.qdpx", coder=options.get("coder")).path]
        from coder.core.export import ExportOptions, export_project

        return export_project(self, out_dir, ExportOptions(**options), progress)

    def report(self, out_dir: Path | None = None, format: str = "both", coder: str | None = None,
               min_cell: int = 0, now=None) -> list[Path]:
        """Write the evaluation report (``report.html`` and/or ``report.docx``) and return their paths.

        Its figures, quotes and method notes are the export tables' (same ``coder`` and ``min_cell``).
        """
        from coder.core.export import ExportInput, ExportOptions
        from coder.core.report import write_report
        from coder.core.report.agreement import agreement_notes

        problems = self.check()
        if any(p.severity is Severity.ERROR for p in problems):
            raise CoderError.from_problems(problems)
        inp = ExportInput.from_project(self, coder)
        return write_report(inp, Path(out_dir or self.config.exports), ExportOptions(coder=coder, min_cell=min_cell),
                            format, agreement_notes(self), now)

    # ---------------------------------------------------------- pseudonymising
    def pseudonym_candidates(self, use_ner: bool | None = None, progress=None) -> list:
        """Candidate identifiers in every transcript (see :mod:`coder.core.pseudonym`);
        ``progress(what, done, total)`` is told of each transcript searched."""
        from coder.core.pseudonym import find_candidates, load_wordlist

        return find_candidates(self.transcripts(), load_wordlist(self.root), use_ner, progress, self.config.cache)

    def pseudonym_decisions(self):
        from coder.core.pseudonym import Decisions

        return Decisions.load(self.root)

    def pseudonymise(self, out: Path | str, key: Path | str, accept: str = "reviewed",
                     use_ner: bool | None = None, progress=None, candidates: list | None = None) -> dict:
        """Write a pseudonymised copy to ``out`` and its key to ``key``; this project is not changed.
        ``candidates``: ones already found (else they are found again); ``progress(what, done, total)``."""
        from coder.core.pseudonym import load_wordlist
        from coder.core.pseudonym.copy import write_copy
        from coder.core.pseudonym.plan import make_plan

        self.check_pseudonym_places(out, key)
        words = load_wordlist(self.root)
        if candidates is None:
            candidates = self.pseudonym_candidates(use_ner, progress)
        plan = make_plan(self.transcripts(), candidates, self.pseudonym_decisions(), accept, words)
        return write_copy(self, plan, Path(out), Path(key), words.drop_columns, words.replace_columns, progress)

    def check_pseudonym_places(self, out: Path | str, key: Path | str) -> tuple[Path, Path]:
        """The copy's folder and the key file, resolved, or :class:`CoderError` saying why not there."""
        from coder.core.pseudonym.copy import check_places

        _, out, key = check_places(self.root, Path(out), Path(key))
        return out, key

    def undo(self, coder: str) -> str | None:
        """Undo the coder's last action; say what was undone (None when nothing is left)."""
        with self.lock:
            change = self.store.undo(coder)
        return self._say(change)

    def redo(self, coder: str) -> str | None:
        with self.lock:
            change = self.store.redo(coder)
        return self._say(change)

    def _say(self, change) -> str | None:
        """"Undid: apply Confidence to '…'": the log's summary, with the code's name for its id."""
        if change is None:
            return None
        head, _, rest = str(change).partition(": ")
        verb = next((v for v in ("apply ", "remove ", "re-place ", "reject suggestion ") if rest.startswith(v)), None)
        if verb:
            code_id, _, tail = rest[len(verb):].partition(" ")
            try:
                code = self.codebook.get(code_id)
            except CoderError:
                code = None
            if code is not None:
                rest = f"{verb}{code.name} {tail}"
        return f"{head}: {rest}"


def _speaker_at(transcript: Transcript, pos: int) -> str:
    turn = transcript.turn_at(pos)
    return turn.speaker if turn else ""


def _collect(load: Callable[[], tuple[object, list[Problem]]]) -> list[Problem]:
    try:
        return list(load()[1])
    except CoderError as exc:
        return [Problem(exc.file or "", exc.line, exc.message, Severity.ERROR, exc.hint)]


def _fatal(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def _groups(state, transcript_id: str | None) -> dict[str, list[Coding]]:
    """One transcript's codings, or every transcript's, keyed by transcript."""
    if transcript_id:
        group = state.codings_in(transcript_id)
        return {transcript_id: group} if group else {}
    return _by_transcript(state)


def _by_transcript(state) -> dict[str, list[Coding]]:
    """Each transcript's codings in text order, in one pass over the state (not one per transcript)."""
    groups: dict[str, list[Coding]] = {}
    for c in state.codings.values():
        groups.setdefault(c.transcript, []).append(c)
    for group in groups.values():
        group.sort(key=lambda c: (c.start, c.end, c.code, c.id))
    return groups
