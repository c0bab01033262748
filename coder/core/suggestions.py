"""The project's suggestion service: the model, the classifier and what it has learnt.

``project.suggestions`` is one :class:`SuggestionService`.  It never loads
anything on its own: a caller (the TUI's worker thread, ``coder suggest``)
calls :meth:`SuggestionService.load`, which loads the model offline and
trains on the codebook plus every coding and rejection in the project.
Until then :meth:`suggest` answers ``[]`` at once, so nothing waits on the
model.  After each coding action :meth:`learn` retrains (warm, a fraction of
a second).  The classifier learns from every coder's codings: in a team,
what one researcher codes improves everyone's suggestions.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from coder.core.errors import CoderError

if TYPE_CHECKING:
    from coder.core.project import Project
    from coder.core.suggest import Suggester, Suggestion


class SuggestionService:
    def __init__(self, project: "Project") -> None:
        self.project = project
        self.encoder = None  # an encoder to use instead of the configured model (e.g. a fake in tests)
        self._suggester: Suggester | None = None
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
        return self._suggester.model_id if self._suggester else self.project.config.model

    def load(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Load the model and train; blocking, so call it from a worker thread."""
        from coder.core.suggest import Suggester, load_encoder

        with self._lock:
            if self._suggester is not None:
                return
            self._status = "loading"
            try:
                encoder = self.encoder or load_encoder(self.project.config.model)
                suggester = Suggester(self.project.codebook, encoder, cache_dir=self.project.config.cache / "embeddings")
                data = self.project.training_examples()
                suggester.train(data.positives, data.rejections, data.uncoded, progress=progress)
            except CoderError as exc:
                self._status = f"error: {exc.message}"
                raise
            except Exception as exc:  # a broken model must not take the workbench down
                self._status = f"error: {exc}"
                raise CoderError(f"suggestions are unavailable: {exc}") from exc
            self._suggester = suggester
            self._status = "ready"

    def learn(self) -> None:
        """Retrain on the current codings and rejections (cheap; call after each action)."""
        suggester = self._suggester
        if suggester is None:
            return
        data = self.project.training_examples()
        suggester.train(data.positives, data.rejections, data.uncoded)

    def suggest(self, transcript_id: str, start: int, end: int, k: int = 5, coder: str | None = None) -> list["Suggestion"]:
        """Ranked codes for ``text[start:end]`` (the sentences it covers); ``[]`` until ready.

        Codes the coder already applied to this span are left out.
        """
        suggester = self._suggester
        if suggester is None:
            return []
        transcript = self.project.transcript(transcript_id)
        pieces = [transcript.text[max(s.start, start): min(s.end, end)] for s in transcript.segments_in(start, end)]
        pieces = [p for p in pieces if p.strip()] or [transcript.text[start:end]]
        applied = {c.code for c in self.project.codings(coder, transcript_id) if c.start < end and start < c.end}
        try:
            return suggester.suggest(pieces if len(pieces) > 1 else pieces[0], top=k, exclude=applied, block=False)
        except Exception as exc:  # NotReady while an uncached text is embedded, or a model fault
            if type(exc).__name__ == "NotReady":
                return []
            raise
