"""The coding screen: transcript, codebook, suggestions and status.

The screen holds view state only (which transcript, the selection, the
filter, the search) and does everything else through the Project facade.
Slow work runs in named thread workers whose results come back through one
``on_worker_state_changed`` handler.
"""

from __future__ import annotations

import bisect
from collections import Counter

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Tree
from textual.worker import Worker, WorkerState, get_current_worker

from coder.core.codebook import Codebook
from coder.core.codings.events import short_quote
from coder.core.errors import CoderError
from coder.core.transcript import Transcript
from coder.ui import commands as C
from coder.ui.pickers import Entry, command_entry
from coder.ui.pauses import settle
from coder.ui.screens.coding_actions import CodingActions
from coder.ui.screens.transcripts import coded_segments
from coder.ui.selection import Selection
from coder.ui.widgets.code_detail import CodeDetail
from coder.ui.widgets.footer import KeyFooter
from coder.ui.widgets.codebook_tree import CodebookTree
from coder.ui.widgets.problems import ProblemsPanel
from coder.ui.widgets.status_bar import Status, StatusBar
from coder.ui.widgets.suggestions import SuggestionList
from coder.ui.widgets.transcript_view import TranscriptView


class CodingScreen(CodingActions, Screen):
    BINDINGS = C.bindings(C.CODING_COMMANDS)
    COMMANDS_TABLE = C.CODING_COMMANDS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    # The one selection: every assignment redraws the view and the panels from it (see watch_sel),
    # even an equal value, since the same sentences may lie elsewhere after a filter or a reload.
    sel: reactive[Selection] = reactive(Selection, always_update=True, repaint=False, init=False)

    def __init__(self) -> None:
        super().__init__(id="coding")
        self.tid: str | None = None
        self.transcript: Transcript | None = None
        self.nav: list = []  # the segments one can move through (all, or the filtered ones)
        self.codings: list = []
        self.suggestions: list = []
        self.filter_code: str | None = None
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []
        self.match_index: int | None = None  # the match n / N last moved to
        self._awaiting_suggestions = False  # suggestions for the selection are being worked out
        self._other_counts: Counter = Counter()
        self._state = "saved"
        self._error = False
        self._by_action = C.by_action(C.CODING_COMMANDS)
        self._codebook = Codebook("", None, ())
        self._codebook_error = ""
        self._codebook_stamp: tuple[int, int] | None = None
        self._flags: frozenset[str] = frozenset()
        self._target: tuple[str, int, int] | None = None  # a span to select when its transcript shows
        self._position_timer = None

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            yield TranscriptView(id="transcript")
            with Vertical(id="sidebar"):
                suggestions = SuggestionList(id="suggestions")
                suggestions.border_title = "Suggestions"
                yield suggestions
                problems = ProblemsPanel(id="codebook-problems")
                problems.border_title = "Codebook problems"
                problems.display = False
                yield problems
                tree = CodebookTree(id="codebook")
                tree.border_title = "Codebook"
                yield tree
                detail = CodeDetail(id="detail")
                detail.border_title = "Code"
                yield detail
        yield KeyFooter(show_command_palette=False)

    @property
    def project(self):
        return self.app.project

    @property
    def coder(self) -> str:
        return self.app.coder

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        self.query_one(SuggestionList).show([], self._model_status(), None)
        self.check_codebook()
        self.set_interval(1.0, self.check_codebook)  # an edit of the codebook file shows without a key
        self.set_interval(2.0, self._follow_job)  # fine-tuning's progress in the status line
        self.view.focus()
        self.refresh_status()
        try:
            ids = self.project.transcript_ids()
        except CoderError as exc:
            self.report(exc)
            ids = []
        start = self.app.initial_transcript(ids)
        if start:
            self.tid = start
            self._state = "loading…"
            self.refresh_status()
        else:
            self.notify("No transcripts yet: add files to transcripts/ and press t.", title="Empty project")
        # spaCy and the model load in workers started after the first paint, so they never delay it.
        self.call_after_refresh(self._after_first_paint, start)

    def _after_first_paint(self, start: str | None) -> None:
        if start and self.transcript is None and self.tid == start:
            self.tid = None
            self.open_transcript(start)
        settle()  # what start-up loaded is here to stay: out of the full collections
        self.start_model()

    # ------------------------------------------------------------- workers
    _model_started = False  # start_model() has run: "idle" from the service then means "loading"
    _job_shown = ""  # the background job's progress last put in the status line

    def start_model(self) -> None:
        service = getattr(self.project, "suggestions", None)
        if service is not None and self._model_status() in ("idle", "unavailable"):
            if self.app.encoder is not None:
                service.encoder = self.app.encoder  # a stand-in (tests): cheap enough to run here
            else:
                service.in_worker = True  # torch in this interpreter would freeze the screen
            self._model_started = True
            self._load_model()
            self.refresh_status()

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def _load_model(self) -> None:
        self.project.suggestions.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcript")
    def _load_transcript(self, tid: str) -> tuple[str, Transcript, int]:
        from coder.ui.screens.orphans import needing_review

        transcript = self.project.transcript(tid)
        with self.project.lock:  # what colleagues (or a git pull) added to the logs since: shown from here on
            self.project.store.refresh()
        review = 0
        if self.coder:  # the coding logs and the coded transcripts are read here, never on the screen's thread
            try:  # and how many of this coder's codings here need a look after an edit of the file
                with self.project.lock:
                    self.project.codings(self.coder)
                review = len(needing_review(self.project, self.coder, tid))
            except CoderError:
                review = 0
        return tid, transcript, review

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _suggest(self, tid: str, start: int, end: int) -> tuple[tuple, list]:
        return (tid, start, end), list(self.project.suggestions.suggest(tid, start, end, k=5, coder=self.coder))

    @work(thread=True, exclusive=True, exit_on_error=False, group="learn")
    def _learn(self) -> None:
        self.project.suggestions.learn()

    @work(thread=True, exclusive=True, exit_on_error=False, group="strong")
    def _find_strong(self, tid: str, candidates: list[tuple[int, int, int]]) -> int | None:
        worker = get_current_worker()
        for index, start, end in candidates:
            if worker.is_cancelled:
                return None
            found = self.project.suggestions.suggest(tid, start, end, k=1, coder=self.coder)
            if found and found[0].band == "strong":
                return index
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker, state = event.worker, event.state
        group = worker.group
        if state == WorkerState.ERROR:
            error = worker.error
            if group == "suggest":  # a failed suggestion is not worth a toast each time
                self.suggestions = []
                self._awaiting_suggestions = False
                self.update_detail()
                return
            self.report(error if isinstance(error, CoderError) else CoderError(f"{group}: {error}"))
            if group == "transcript":
                self._state = "saved"
            self.refresh_status()
            self.refresh_bindings()
            return
        if state == WorkerState.RUNNING and group == "model":
            self.refresh_status()
        if state != WorkerState.SUCCESS:
            return
        result = worker.result
        if group == "transcript":
            tid, transcript, review = result
            if tid == self.tid:
                self._show_transcript(transcript)
                if review:
                    self.notify(f"{review} coding{'s' if review > 1 else ''} in {tid} need{'s' if review == 1 else ''} "
                                "review after the transcript changed (orphaned or re-placed approximately): "
                                "press R to review.", title="Review needed", severity="warning", timeout=10)
        elif group == "model":
            self.refresh_status()
            self.refresh_bindings()
            self.update_suggestions()
        elif group == "suggest":
            key, found = result
            if self.transcript is not None and key == (self.tid, *self.span):
                self.suggestions = found
                self._awaiting_suggestions = False
                if self._model_status() != "ready":  # the model's process stopped meanwhile: say so
                    self.refresh_status()
                self.query_one(SuggestionList).show(found, self._model_status(), self.codebook)
                self.update_detail()
                self.refresh_bindings()
        elif group == "strong":
            if result is None:
                self.notify("No strong suggestion further on.", timeout=3)
            else:
                self.select_segment(result)

    def _model_status(self) -> str:
        service = getattr(self.project, "suggestions", None)
        if service is None:
            return "unavailable"
        try:
            status = str(service.status)
        except Exception as exc:  # a status property must never take the screen down
            return f"error: {exc}"
        return "loading" if status == "idle" and self._model_started else status

    # ------------------------------------------------------------ transcript
    def open_transcript(self, tid: str) -> None:
        if tid == self.tid and self.transcript is not None:
            return
        self.save_position()
        self.tid = tid
        self.transcript = None
        self._state = "loading…"
        self.app.remember_transcript(tid)
        self.refresh_status()
        self._load_transcript(tid)

    def _show_transcript(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.filter_code = None
        self.query_text, self.matches, self.match_index = "", [], None
        self.nav = list(transcript.segments)
        self.set_reactive(CodingScreen.sel, Selection())  # the old one indexes another transcript
        self._state = "saved"
        view = self.view
        view.show(transcript, self.codebook)
        self.reload_codings(all_transcripts=True)
        self._select_on_open()
        settle()  # the transcript, its lines and spaCy are here to stay: out of the full collections

    def _select_on_open(self) -> None:
        """Select what was asked for (an undo elsewhere), else where this coder left off, else the
        first participant sentence."""
        target, self._target = self._target, None
        text = self.transcript.text
        if target is not None and target[0] == self.tid and target[2] <= len(text):
            self.sel = Selection.covering(target[1], target[2], text, self.nav)
            return
        offset = self.app.last_position(self.tid)
        if offset is not None and offset < len(text):
            self.select_segment(self.segment_at(offset))
        else:
            self.select_segment(self._first_participant_segment())

    def show_span_in(self, tid: str, start: int, end: int) -> None:
        """Open ``tid`` (if it is not the one shown) and select ``start:end`` in it."""
        if tid == self.tid and self.transcript is not None:
            self.sel = Selection.covering(start, end, self.transcript.text, self.nav)
        else:
            self._target = (tid, start, end)
            self.open_transcript(tid)

    def save_position(self) -> None:
        """Remember where this coder is in the transcript shown, to resume there next time."""
        if self._position_timer is not None:
            self._position_timer.stop()
            self._position_timer = None
        if self.transcript is not None and self.nav:
            self.app.remember_position(self.tid, self.span[0])

    def on_unmount(self) -> None:
        self.save_position()

    def _first_participant_segment(self) -> int:
        for i, seg in enumerate(self.nav):
            if not self.is_interviewer(seg):
                return i
        return 0

    def is_interviewer(self, segment) -> bool:
        return not self.transcript.by_participant(segment)

    @property
    def codebook(self) -> Codebook:
        """The project's codebook, re-read when its file changes; the last good one if it is broken."""
        try:
            codebook = self.project.codebook
        except CoderError as exc:  # the problems panel says why (see check_codebook)
            self._codebook_error = str(exc)
            return self._codebook
        self._codebook_error = ""
        if codebook is not self._codebook:
            self._codebook = codebook
            self.call_later(self.reload_codebook)
        return codebook

    def check_codebook(self) -> None:
        """Show the codebook's errors (or hide the panel) and redraw it, whenever its file changed."""
        stamp = self.project.codebook_stamp()
        if stamp == self._codebook_stamp and self._codebook_stamp is not None:
            return
        self._codebook_stamp = stamp
        self.query_one(ProblemsPanel).show(self.project.codebook_problems(), self.project.root)
        self.reload_codebook()

    def codebook_broken(self) -> str:
        """The first error of the codebook, as ``file:line: message``; "" when it has none."""
        problems = self.query_one(ProblemsPanel).problems
        return str(problems[0]).replace(": error:", ":", 1) if problems else ""

    def reload_codebook(self) -> None:
        codebook = self.codebook
        tree = self.query_one(CodebookTree)
        if tree.codebook is codebook:
            return
        tree.show(codebook)
        if self.transcript is not None:
            self.view.set_codings(self.codings, codebook)
        self.update_detail()

    def reload_codings(self, *, all_transcripts: bool = False) -> None:
        """Re-read this coder's codings from the facade and redraw what depends on them."""
        if self.transcript is None:
            return
        if not self.coder:  # nobody named yet: the app is asking; nothing of theirs to show
            self.codings, self._other_counts = [], Counter()
            self.view.set_codings(self.codings, self.codebook)
            return
        try:
            if all_transcripts:
                everything = self.project.codings(self.coder)
                self.codings = [c for c in everything if c.transcript == self.tid]
                self._other_counts = Counter(c.code for c in everything if c.transcript != self.tid)
            else:
                self.codings = self.project.codings(self.coder, self.tid)
        except CoderError as exc:
            self.report(exc)
            return
        self.view.set_codings(self.codings, self.codebook)
        here = Counter(c.code for c in self.codings)
        self.query_one(CodebookTree).set_counts(dict(here), dict(here + self._other_counts))
        if self.filter_code:
            self.apply_filter(self.filter_code, keep=True)
        self.refresh_status()
        self.update_detail()
        self.refresh_bindings()

    # ------------------------------------------------------------- selection
    @property
    def span(self) -> tuple[int, int]:
        if self.transcript is None or not self.nav:
            return (0, 0)
        return self.sel.span(self.transcript.text, self.nav)

    @property
    def quote(self) -> str:
        start, end = self.span
        return " ".join(self.transcript.text[start:end].split()) if self.transcript else ""

    def select_segment(self, index: int, *, extend: bool = False) -> None:
        if not self.nav:
            return
        index = max(0, min(len(self.nav) - 1, index))
        self.sel = self.sel.extended_to(index) if extend else self.sel.moved_to(index)

    def watch_sel(self) -> None:
        self.selection_changed()

    def on_screen_resume(self) -> None:
        """Back from a full screen: draw the selection afresh (styles may have been recomputed)."""
        if self.transcript is not None:
            self.view.set_selection(*self.span, scroll=False)
            self.view.refresh()

    def selection_changed(self) -> None:
        """Draw the view from :attr:`sel` at once (its watcher calls this); the panels follow.

        The highlight is painted in the frame right after the key, alone; the panels, the footer
        and the status bar are redrawn just after that frame, once for any number of moves made
        meanwhile (key repeat), so a keypress never waits for them.  What the selection's
        suggestions were is forgotten at once: an action can never take them for the new one.
        """
        self.view.set_selection(*self.span)
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(1.0, self.save_position)
        self.suggestions = []
        self._awaiting_suggestions = self.transcript is not None and self._model_status() == "ready"
        if not self._panels_due:
            self._panels_due = True
            self.call_after_refresh(self._update_panels)

    _panels_due = False  # the panels are to be redrawn after the next frame

    def _update_panels(self) -> None:
        """The panels, footer and status bar for the selection as it is now."""
        self._panels_due = False
        self.update_suggestions()
        self.update_detail()
        self.refresh_bindings()
        if (self.sel.extended or self.sel.trimmed or self.matches or self.on_interviewer()
                or self.query_one(StatusBar).showing_selection):
            self.refresh_status()

    def on_interviewer(self) -> bool:
        return bool(self.transcript is not None and self.nav and self.is_interviewer(self.nav[self.sel.cursor]))

    def segment_at(self, pos: int) -> int:
        starts = [s.start for s in self.nav]
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def codings_here(self) -> list:
        start, end = self.span
        return [c for c in self.codings if c.start < end and start < c.end]

    def update_suggestions(self) -> None:
        if self.transcript is None:
            return
        self.suggestions = []
        status = self._model_status()
        box = self.query_one(SuggestionList)
        if status == "ready":
            self._awaiting_suggestions = True
            if box.showing_status:  # not the last sentence's suggestions: say they are coming
                box.show([], "pending", None)
            self._suggest(self.tid, *self.span)
        else:
            box.show([], status, None)

    def update_detail(self) -> None:
        """The Code panel: the code on the selection (with any memo), else while browsing the
        codebook the highlighted code, else the top suggestion's code, else the highlighted code."""
        tree = self.query_one(CodebookTree)
        codebook = tree.codebook
        if codebook is None:
            return
        here = self.codings_here() if self.transcript is not None else []
        names = list(dict.fromkeys(self._code_name(c.code) for c in here))
        memos = [(self._code_name(c.code), c.memo) for c in here if c.memo]
        code_id, heading = None, ""
        if tree.has_focus and tree.current_code:
            code_id, heading = tree.current_code, "Highlighted in the codebook" if here else ""
        elif here:
            code_id = here[0].code
        elif self.suggestions:
            top = self.suggestions[0]
            code_id, heading = top.code, f"Top suggestion ({top.band} {top.score:.2f})"
        elif self._awaiting_suggestions:
            return  # shown when the suggestions arrive, so the panel changes once per move
        elif tree.current_code:
            code_id, heading = tree.current_code, "Highlighted in the codebook"
        empty = ("No code here yet: press a code's key, or c to browse the codebook."
                 if self.transcript is not None else "No code selected.")
        self.query_one(CodeDetail).show(codebook.get(code_id) if code_id else None, codebook,
                                        here=names, memos=memos, heading=heading, empty=empty)

    def on_resize(self) -> None:
        self.refresh_bindings()  # the footer keeps fewer keys in a narrow terminal

    def on_transcript_view_clicked(self, event: TranscriptView.Clicked) -> None:
        self.select_segment(self.segment_at(event.position), extend=event.extend)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.update_detail()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, CodebookTree):  # browsing the codebook: the panel follows the tree
            self.update_detail()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, CodebookTree):
            self.update_detail()

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data and self.transcript is not None:
            self.apply_code(event.node.data)

    def on_suggestion_list_chosen(self, event: SuggestionList.Chosen) -> None:
        if event.accept:  # accepted: back to the transcript, so j moves on at once
            self.action_accept(event.rank)
            self.view.focus()
        else:  # rejected: stay in the list to judge the others
            self.action_reject(event.rank)

    def on_suggestion_list_leave(self, event: SuggestionList.Leave) -> None:
        self.view.focus()

    # ---------------------------------------------------------------- status
    def report(self, error: CoderError) -> None:
        """Show a user error; the selection stays as it was so the action can be retried."""
        self._error = True
        self._state = error.message
        self.notify(str(error), title="Not done", severity="error", timeout=8)
        self.refresh_status()

    def done(self, message: str, *, toast: bool = True) -> None:
        """Report an action the facade has completed (routine coding shows in the status bar only)."""
        self._error = False
        self._state = f"✓ {message}" if not toast else "saved"
        if toast:
            self.notify(message, timeout=2)

    def coded_segments(self) -> int:
        """Participant sentences coded (an interviewer's may be coded, but progress does not count them)."""
        return coded_segments(self.transcript.participant_segments, self.codings) if self.transcript else 0

    def refresh_status(self) -> None:
        total = len(self.transcript.participant_segments) if self.transcript else 0
        extent, warning = self.selection_summary()
        status = Status(project=self.project.name, coder=self.coder, transcript=self.tid or "",
                        coded=self.coded_segments(), total=total, model=self._model_status(),
                        state=self._state, error=self._error,
                        filter=self._code_name(self.filter_code) if self.filter_code else "",
                        search=self.search_summary(),
                        selection=extent, selection_warning=warning, job=self._job_status())
        self.query_one(StatusBar).show(status)

    def _job_status(self) -> str:
        """"fine-tuning 12/92" while a fine-tuning round runs in the background, else ""."""
        jobs = getattr(self.app, "jobs", None)
        job = jobs.get("fine-tune") if jobs is not None else None
        if job is None or not job.running:
            return ""
        return f"fine-tuning {job.done}/{job.total}" if job.total else "fine-tuning…"

    def _follow_job(self) -> None:
        if self.is_current and self._job_status() != self._job_shown:
            self._job_shown = self._job_status()
            self.refresh_status()

    def search_summary(self) -> str:
        """"match 3/12" on a match reached with n / N, else "12 matches" while a search is active."""
        if not self.matches:
            return ""
        current = self.current_match()
        if current is not None:
            return f"match {current + 1}/{len(self.matches)}"
        return "1 match" if len(self.matches) == 1 else f"{len(self.matches)} matches"

    def selection_summary(self) -> tuple[str, str]:
        """("3 sentences, 41 words", "spans 2 speakers") for a selection other than one whole sentence;
        ("", "interviewer's turn") for an interviewer's sentence, which may be coded but is not progress."""
        if self.transcript is None or not self.nav:
            return "", ""
        if not (self.sel.extended or self.sel.trimmed):
            return "", "interviewer's turn" if self.on_interviewer() else ""
        start, end = self.span
        words = len(self.transcript.text[start:end].split())
        sentences = self.sel.last - self.sel.first + 1
        extent = f"{sentences} sentences, {words} words" if sentences > 1 else f"{words} words"
        chosen = self.nav[self.sel.first:self.sel.last + 1]
        speakers = {self.transcript.turns[s.turn].speaker for s in chosen}
        if all(self.is_interviewer(s) for s in chosen):
            return extent, "interviewer's turn"
        if any(self.is_interviewer(s) for s in chosen) and len(speakers) > 1:
            return extent, "includes the interviewer"
        if len(speakers) > 1:
            return extent, f"spans {len(speakers)} speakers"
        return extent, ""

    # --------------------------------------------------------------- commands
    def state_flags(self, *, selection: bool = True) -> set[str]:
        flags: set[str] = set()
        if self.transcript is not None and self.nav:
            flags.add(C.TRANSCRIPT)
            if selection and self.codings_here():
                flags.add(C.CODED)
        if self._model_status() == "ready":
            flags.add(C.MODEL)
        if selection and self.suggestions:
            flags.add(C.SUGGESTION)
        if self.matches:
            flags.add(C.SEARCH)
        for flag, ask in ((C.UNDO, "can_undo"), (C.REDO, "can_redo")):
            try:
                if getattr(self.project, ask)(self.coder):
                    flags.add(flag)
            except (CoderError, AttributeError):
                flags.add(flag)  # unknown: offer it, the action itself says if there is nothing
        if self.filter_code:
            flags.add(C.FILTERED)
        if self.size.width >= 100:
            flags.add(C.WIDE)
        if self.size.width >= 120:
            flags.add(C.WIDER)
        if C.TRANSCRIPT in flags:
            if self.sel.extended:
                flags.add(C.EXTENDED)
            if self.sel.trimmed:
                flags.add(C.TRIMMED)
            if not (self.sel.extended or self.sel.trimmed):
                flags.add(C.SINGLE)
        return flags

    def refresh_bindings(self) -> None:
        """Refresh the footer only when what applies has changed (recomposing it is not free)."""
        flags = frozenset(self.state_flags(selection=False))
        if flags != self._flags:
            self._flags = flags
            super().refresh_bindings()

    @property
    def active_bindings(self):
        """The bindings the footer shows: those that apply, less any only worth showing in another state."""
        shown = super().active_bindings
        out = {}
        for key, active in shown.items():
            command = C.BY_ID.get(active.binding.id or "")
            if command is None or not command.footer or C.in_footer(command, self._flags):
                out[key] = active
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        command = self._by_action.get(action)
        if command is None:
            return True
        return C.available(command, self._flags, keys=True)

    def palette_entries(self) -> list[Entry]:
        flags = self.state_flags()
        out = [command_entry(self, c)
               for c in C.CODING_COMMANDS if c.palette and C.available(c, flags)]
        codebook = self.query_one(CodebookTree).codebook
        if C.TRANSCRIPT in flags and codebook is not None:
            for code in codebook.codes:
                out.append(Entry(f"Apply code: {code.name}", code.definition[:100],
                                 lambda code_id=code.id: self.apply_code(code_id), discover=False))
            for i, s in enumerate(self.suggestions, 1):
                name = codebook.get(s.code).name if codebook.get(s.code) else s.code
                out.append(Entry(f"Accept suggestion {i}: {name}", f"{s.band} {s.score:.2f} · {s.reason or ''}",
                                 lambda i=i: self.action_accept(i)))
                out.append(Entry(f"Reject suggestion {i}: {name}", f"{s.band} {s.score:.2f}",
                                 lambda i=i: self.action_reject(i), discover=False))
            for c in self.codings_here():
                name = codebook.get(c.code).name if codebook.get(c.code) else c.code
                out.append(Entry(f"Remove code: {name}", f"“{short_quote(c.quote, 80)}”",
                                 lambda cid=c.id: self.remove_coding(cid), discover=False))
        try:
            ids = self.project.transcript_ids()
        except CoderError:
            ids = []
        out += [Entry(f"Open transcript: {tid}", "", lambda tid=tid: self.open_transcript(tid), discover=False)
                for tid in ids]
        return out
