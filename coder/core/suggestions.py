"""The project's suggestion service: the model, the classifier and what it has learnt.

``project.suggestions`` is one :class:`SuggestionService`.  It never loads
anything on its own: a caller (the TUI's worker thread, ``coder suggest``)
calls :meth:`SuggestionService.load`, which loads the model offline and
trains on the codebook plus every coding and rejection in the project.
Until then :meth:`suggest` answers ``[]`` at once, so nothing waits on the
model.  After each coding action :meth:`learn` retrains (warm, a fraction of
a second).  The classifier learns from every coder's codings: in a team,
what one researcher codes improves everyone's suggestions.

The workbench sets :attr:`SuggestionService.in_worker`, so the model lives in
a child process (:mod:`coder.core.suggest.worker`) and the screen never
waits on torch; ``coder suggest`` and the tests keep it in this process.
Sentences of interviewers' turns get no suggestions unless asked for
(:func:`participant_turns` is the rule).  Every sentence is read with the
interviewer's question before it and without what it denies
(:mod:`coder.core.suggest.context`), here and in ``coder suggest`` alike.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from coder.core.coding import Coding
from coder.core.errors import CoderError
from coder.core.text import flow
from coder.core.transcript import Transcript

if TYPE_CHECKING:
    from coder.core.project import Project
    from coder.core.suggest import Suggester, Suggestion
    from coder.core.suggest.context import Reading
    from coder.core.suggest.worker import WorkerProcess


@dataclass(frozen=True)
class TrainingData:
    """(text, code, transcript) examples for the suggestion model; ``uncoded`` has no code."""

    positives: list[tuple[str, str, str]]
    rejections: list[tuple[str, str, str]]
    uncoded: list[tuple[str, str, str]]


def training_data(project: "Project") -> TrainingData:
    """What the suggestions learn from: every coder's current codings, rejected
    suggestions, and the participant sentences read but left uncoded.

    A sentence counts as read when it lies before the furthest coding in its
    transcript: a researcher codes from the top, so what lies between their
    codings was looked at and judged to need no code.
    """
    codings, transcripts, uncoded, rejections = _judged(project)
    positives = [(transcripts[c.transcript].quote(c.start, c.end), c.code, c.transcript) for c in codings]
    return TrainingData(positives, [(flow(r.quote), r.code, r.transcript) for r in rejections],
                        [(seg.text, "", tid) for tid, seg in uncoded])


@dataclass(frozen=True)
class JudgedSpan:
    """A span of a transcript someone judged: coded (``codes``), or read and left uncoded (none)."""

    transcript: str
    start: int
    end: int
    codes: frozenset[str]  # as coded (not resolved through the codebook)


def judged_spans(project: "Project") -> tuple[list[JudgedSpan], dict[str, Transcript]]:
    """:func:`training_data`'s coded and read passages as spans (codings of one span merged),
    with their transcripts, so they can be read as the workbench reads a span."""
    codings, transcripts, uncoded, _ = _judged(project)
    codes: dict[tuple[str, int, int], set[str]] = {}
    for c in codings:
        codes.setdefault((c.transcript, c.start, c.end), set()).add(c.code)
    for tid, seg in uncoded:
        codes.setdefault((tid, seg.start, seg.end), set())
    return [JudgedSpan(t, s, e, frozenset(c)) for (t, s, e), c in sorted(codes.items())], transcripts


def _judged(project: "Project"):
    """(codings placed in the current text, their transcripts by id, the (transcript id, segment)
    read but left uncoded, the rejections with a quote)."""
    with project.lock:  # a consistent view while the UI thread may be appending
        codings = project.codings()  # placed in the current text; orphans left out
        rejections = [r for r in project.store.state().rejections.values() if r.quote]
    by_transcript: dict[str, list[Coding]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript, []).append(c)
    transcripts = {tid: project.transcript(tid) for tid in by_transcript}
    uncoded = []
    for tid, group in sorted(by_transcript.items()):
        transcript = transcripts[tid]
        read_to = max(c.end for c in group)
        coded = overlaps_coding(group)
        for seg in transcript.segments:
            if seg.end > read_to or not transcript.by_participant(seg):
                continue
            if not coded(seg.start, seg.end):
                uncoded.append((tid, seg))
    return codings, transcripts, uncoded, rejections


def overlaps_coding(codings: list[Coding]) -> Callable[[int, int], bool]:
    """A test of whether ``[start, end)`` overlaps any of ``codings`` (one transcript's),
    in log time: a coded transcript has thousands of codings and sentences."""
    starts: list[int] = []
    ends: list[int] = []
    for c in sorted(codings, key=lambda c: (c.start, c.end)):  # disjoint stretches (overlaps merged)
        if ends and c.start < ends[-1]:
            ends[-1] = max(ends[-1], c.end)
        else:
            starts.append(c.start)
            ends.append(c.end)

    def overlaps(start: int, end: int) -> bool:
        at = bisect_left(starts, end) - 1  # the last stretch starting before ``end``
        return at >= 0 and start < ends[at]

    return overlaps


def participant_turns(transcript: Transcript) -> set[int] | None:
    """Indexes of the turns whose sentences get suggestions: the participants'
    (:meth:`Transcript.participant_turn`: linked to a participant, or, where no speaker is
    linked, any speaker but an interviewer).

    None when every turn counts.  The one rule for who is suggested for, used by
    ``coder suggest`` and the workbench alike, and the one progress counts by.
    """
    turns = {t.index for t in transcript.turns if transcript.participant_turn(t)}
    return turns if turns and len(turns) < len(transcript.turns) else None


def participant_sentences(transcript: Transcript) -> Transcript:
    """The transcript with only the sentences of turns linked to a participant (if any are)."""
    turns = participant_turns(transcript)
    if turns is None:
        return transcript
    return replace(transcript, segments=tuple(s for s in transcript.segments if s.turn in turns))


def trained_suggester(codebook, encoder, cache_dir, corpus, data: TrainingData, progress=None,
                      talk=()) -> "Suggester":
    """A :class:`Suggester` as the workbench trains one: reading sentences with their questions,
    the word vocabulary from ``corpus`` (and ``talk``, the participants' sentences, which keep the
    bands sparing before anything is coded), trained on ``data`` (cross-validation trains its
    folds here too)."""
    from coder.core.suggest import Suggester
    from coder.core.suggest.contextual import reading_encoder

    suggester = Suggester(codebook, reading_encoder(encoder, cache_dir))
    suggester.add_corpus(corpus)
    suggester.add_corpus(talk, talk=True)
    suggester.train(data.positives, data.rejections, data.uncoded, progress=progress)
    return suggester


class SuggestionService:
    """The model, trained on the project; in this process, or in a worker process.

    With ``in_worker`` set before :meth:`load` (the workbench sets it), the
    model loads, encodes and retrains in a child process at a lower priority
    (:mod:`coder.core.suggest.worker`), and this object only sends it the
    sentences to rank: nothing heavy is imported here.  ``close()`` stops it.
    """

    def __init__(self, project: "Project") -> None:
        self.project = project
        self.encoder = None  # an encoder to use instead of the configured model (e.g. a fake in tests)
        self.in_worker = False
        self._suggester: Suggester | None = None
        self._worker: WorkerProcess | None = None
        self._model_id = ""
        self._status = "idle"
        self._lock = threading.Lock()

    @property
    def status(self) -> str:
        """``idle``, ``loading``, ``ready`` or ``error: <what went wrong>``."""
        return self._status

    @property
    def ready(self) -> bool:
        return self._status == "ready"

    @property
    def model_id(self) -> str:
        if self._suggester:
            return self._suggester.model_id
        return self._model_id or self.project.config.model

    def load(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Load the model and train; blocking, so call it from a worker thread."""
        with self._lock:
            if self._suggester is not None or self._worker is not None:
                return
            self._status = "loading"
            try:
                if self.in_worker:
                    self._start_worker()
                else:
                    self._suggester = self._train_here(progress)
            except CoderError as exc:
                if self._status == "idle":  # closed while it loaded: nothing went wrong
                    return
                self._status = f"error: {exc.message}"
                raise
            except Exception as exc:  # a broken model must not take the workbench down
                self._status = f"error: {exc}"
                raise CoderError(f"suggestions are unavailable: {exc}") from exc
            self._status = "ready"

    def _train_here(self, progress) -> "Suggester":
        from coder.core.suggest import load_encoder
        from coder.core.suggest.finetune import project_model

        encoder = self.encoder or load_encoder(project_model(self.project))
        project = self.project  # every transcript's words, so the word vocabulary is the project's
        transcripts = [project.transcript(tid) for tid in project.transcript_ids()]
        corpus = [seg.text for t in transcripts for seg in t.segments]
        talk = [seg.text for t in transcripts for seg in t.participant_segments]
        return trained_suggester(project.codebook, encoder, project.config.cache / "embeddings", corpus,
                                 self.training_data(), progress, talk)

    def _start_worker(self) -> None:
        from coder.core.suggest.worker import WorkerGone, WorkerProcess

        worker = self._worker = WorkerProcess(self.project.root, self.project.config.cache)
        try:
            self._model_id = worker.start(self.encoder)
        except WorkerGone as exc:
            self._worker = None
            raise CoderError(f"suggestions are unavailable: {exc}",
                             hint=f"details in {worker.log_path}") from None

    def reload(self) -> None:
        """Load the model again (a fine-tuned one is ready); blocking, so call it from a worker thread.

        The old model answers until the new one is trained, then the new one takes over."""
        if self._worker is None:
            if self._suggester is not None:
                self._suggester = self._train_here(None)
            return
        from coder.core.suggest.worker import WorkerProcess

        fresh = WorkerProcess(self.project.root, self.project.config.cache)
        model_id = fresh.start(self.encoder)
        if self._worker is None:  # closed while the new model loaded (the workbench quit)
            fresh.close()
            return
        old, self._worker, self._model_id = self._worker, fresh, model_id
        old.close()

    def follow(self) -> tuple[str, str] | None:
        """Load the model the project names if another one answers (a fine-tuned model's folder was
        deleted, or a round finished elsewhere); blocking, so call it from a worker thread.

        Returns (the model used until now, the one used from now), or None when nothing changed."""
        from coder.core.suggest.finetune import project_model
        from coder.core.suggest.model import resolve_model_id

        if self.encoder is not None or not self.ready:
            return None  # a stand-in encoder never changes; a loading model is the named one
        using = self.model_id
        if using == resolve_model_id(project_model(self.project)):
            return None
        self.reload()
        return using, self.model_id

    def close(self) -> None:
        """Stop the worker process, if one runs, even while it loads (the workbench calls this on exit)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
            self._status = "idle"

    def training_data(self) -> TrainingData:
        return training_data(self.project)

    def write(self, out: Path, transcript_ids: list[str] | None = None, *, top: int = 3, min_band: str = "weak",
              fmt: str = "csv", all_speakers: bool = False, progress=None) -> int:
        """``coder suggest``: rank codes for every sentence and write CSV/JSONL; returns the row count.

        Interviewers' sentences are left out unless ``all_speakers``.
        """
        from coder.core.suggest import load_encoder, suggest_transcripts, write_suggestions
        from coder.core.suggest.finetune import project_model

        project = self.project
        transcripts = [project.transcript(t) for t in (transcript_ids or project.transcript_ids())]
        if not all_speakers:
            transcripts = [participant_sentences(t) for t in transcripts]
        data = self.training_data()
        rows = suggest_transcripts(
            transcripts, project.codebook, data.positives, data.rejections, data.uncoded,
            encoder=self.encoder or load_encoder(project_model(project)),
            cache_dir=project.config.cache / "embeddings", top=top, min_band=min_band, progress=progress,
        )
        write_suggestions(rows, out, fmt)
        return len(rows)

    def learn(self) -> None:
        """Retrain on the current codings and rejections (cheap; call after each action)."""
        if self._worker is not None:
            if self.ready:
                self._ask("learn")
            return
        suggester = self._suggester
        if suggester is None:
            return
        data = self.training_data()
        suggester.train(data.positives, data.rejections, data.uncoded)

    def suggest(self, transcript_id: str, start: int, end: int, k: int = 5, coder: str | None = None,
                *, all_speakers: bool = False) -> list["Suggestion"]:
        """Ranked codes for ``text[start:end]`` (the sentences it covers); ``[]`` until ready.

        Codes the coder already applied to this span are left out.  A span
        wholly in interviewers' turns gets none unless ``all_speakers``.
        Each sentence is read with the question it answers and without what
        it denies (:func:`~coder.core.suggest.context.read_span`).
        """
        from coder.core.suggest.context import read_span

        if not self.ready:
            return []
        transcript = self.project.transcript(transcript_id)
        turns = participant_turns(transcript)
        if not all_speakers and turns is not None:
            if not any(s.turn in turns for s in transcript.segments_in(start, end)):
                return []
        readings = read_span(transcript, start, end)
        applied = {c.code for c in self.project.codings(coder, transcript_id) if c.start < end and start < c.end}
        if self._worker is not None:
            return self._ask("rank", readings, k, applied) or []
        return self.rank(readings, k, applied)

    def rank(self, readings: list["Reading"], k: int, exclude: set[str]) -> list["Suggestion"]:
        """The ``k`` best codes for these readings of one span's sentences, leaving out ``exclude``."""
        from coder.core.suggest.contextual import suggest_readings

        suggester = self._suggester
        if suggester is None:
            return []
        try:
            return suggest_readings(suggester, [readings], top=k, exclude=[exclude], block=False)[0]
        except Exception as exc:  # NotReady while an uncached text is embedded, or a model fault
            if type(exc).__name__ == "NotReady":
                return []
            raise

    def _ask(self, *message):
        """A request to the worker; if it has stopped, the status says so and the answer is None."""
        from coder.core.suggest.worker import WorkerGone

        worker = self._worker
        if worker is None:
            return None
        try:
            return worker.request(*message)
        except WorkerGone as exc:
            worker.close()
            if self._worker is worker:  # not one that a reload() replaced meanwhile
                self._worker = None
                self._status = f"error: {exc}"
            return None
