"""What the coding screen's commands do (see :mod:`coder.ui.commands` for their keys).

Every change goes through the Project facade; the view is updated and the
action reported only after the facade returns.  On :class:`CoderError` the
error is shown and the selection is kept, so the researcher can retry.
"""

from __future__ import annotations

import bisect
from collections import Counter

from coder.core.errors import CoderError
from coder.core.search import find_phrase
from coder.ui.pickers import Entry, picker
from coder.ui.selection import Selection


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _uses(n: int) -> str:
    return "not used" if not n else "used once" if n == 1 else f"used {n} times"


class CodingActions:
    """Mixed into :class:`CodingScreen`; relies on its state and helpers."""

    # ------------------------------------------------------------ movement
    def action_move(self, step: int) -> None:
        self.select_segment(self.sel.cursor + step)

    def action_move_to_end(self, direction: int) -> None:
        self.select_segment(0 if direction < 0 else len(self.nav) - 1)

    def action_move_turn(self, step: int) -> None:
        if not self.nav:
            return
        turn = self.nav[self.sel.cursor].turn
        indices = range(self.sel.cursor + 1, len(self.nav)) if step > 0 else range(self.sel.cursor - 1, -1, -1)
        for i in indices:
            if self.nav[i].turn != turn:
                if step < 0:  # to the first sentence of the previous turn
                    target_turn = self.nav[i].turn
                    while i > 0 and self.nav[i - 1].turn == target_turn:
                        i -= 1
                self.select_segment(i)
                return

    def action_extend(self, step: int) -> None:
        self.select_segment(self.sel.cursor + step, extend=True)

    def action_trim(self, side: int) -> None:
        self.sel = self.sel.trim(side, self.transcript.text, self.nav)

    def action_grow(self, side: int) -> None:
        if not (self.sel.trim_start if side == 0 else self.sel.trim_end):
            where = "start" if side == 0 else "end"
            more = "K" if side == 0 else "J"
            self.notify(f"No word trimmed at the {where}: {more} extends by a sentence.", timeout=2)
            return
        self.sel = self.sel.grow(side)

    def action_trim_clause(self, side: int) -> None:
        trimmed = self.sel.trim_clause(side, self.transcript.text, self.nav)
        if trimmed == self.sel:
            self.notify("No clause boundary (, ; : .) inside the selection to trim to.", timeout=2)
            return
        self.sel = trimmed

    def action_reset_selection(self) -> None:
        if self.sel.extended or self.sel.trimmed:
            self.sel = Selection(self.sel.cursor, self.sel.cursor)

    # -------------------------------------------------------------- coding
    def apply_code(self, code_id: str) -> None:
        start, end = self.span
        try:
            self.project.apply(self.coder, self.tid, code_id, start, end)
        except CoderError as exc:
            self.report(exc)
            return
        self._changed(f"coded {self._code_name(code_id)}", toast=False)

    def action_apply_key(self, key: str) -> None:
        codebook = self.codebook
        code = codebook.by_key(key)
        if code is None and self.codebook_broken():
            self.notify(f"The codebook is broken, so key {key} codes nothing until it is fixed "
                        f"(see the panel): {self.codebook_broken()}", title="Not done", severity="error")
            return
        if code is None:
            self.notify(f"No code has the key {key}; set `key:` in the codebook.", severity="warning")
            return
        self.apply_code(code.id)

    def action_apply_picker(self) -> None:
        codebook = self.codebook
        entries = [Entry(f"{code.key + ' ' if code.key else ''}{code.name}",
                         " › ".join(codebook.path(code.id)), lambda cid=code.id: self.apply_code(cid))
                   for code in codebook.codes]
        self.app.push_screen(picker(entries, "Apply code…"))

    def _suggestion(self, rank: int):
        if not (1 <= rank <= len(self.suggestions)):
            self.notify("No suggestion here.", timeout=2)
            return None
        return self.suggestions[rank - 1]

    def action_accept(self, rank: int = 1) -> None:
        suggestion = self._suggestion(rank)
        if suggestion is None:
            return
        try:
            self.project.accept(self.coder, self.tid, *self.span, suggestion)
        except CoderError as exc:
            self.report(exc)
            return
        self._changed(f"accepted {self._code_name(suggestion.code)}", toast=False)

    def action_reject(self, rank: int = 1) -> None:
        suggestion = self._suggestion(rank)
        if suggestion is None:
            return
        try:
            self.project.reject(self.coder, self.tid, *self.span, suggestion)
        except CoderError as exc:
            self.report(exc)
            return
        self.suggestions = [s for s in self.suggestions if s is not suggestion]
        self._changed(f"rejected {self._code_name(suggestion.code)}", reload=False, toast=False)

    def action_focus_suggestions(self) -> None:
        if not self.suggestions:
            self.notify("No suggestion here.", timeout=2)
            return
        self.query_one("#suggestions").focus()

    def remove_coding(self, coding_id: str) -> None:
        coding = next((c for c in self.codings if c.id == coding_id), None)
        try:
            self.project.remove(self.coder, coding_id)
        except CoderError as exc:
            self.report(exc)
            return
        self._changed(f"removed {self._code_name(coding.code) if coding else 'the code'}", toast=False)

    def action_remove(self) -> None:
        here = self.codings_here()
        if not here:
            self.notify("No code of yours here to remove.", timeout=2)
        elif len(here) == 1:
            self.remove_coding(here[0].id)
        elif here:
            entries = [Entry(f"{self._code_name(c.code)}", f"“{_short(c.quote, 80)}”",
                             lambda cid=c.id: self.remove_coding(cid)) for c in here]
            self.app.push_screen(picker(entries, "Remove which code?"))

    def action_memo(self) -> None:
        from coder.ui.screens.dialogs import MemoDialog

        here = self.codings_here()
        start, end = self.span
        exact = [c for c in here if (c.start, c.end) == (start, end)]
        if here:
            target = (exact or here)[0]
            kind, target_id = "coding", target.id
            about = f"Memo on {self._code_name(target.code)}: “{_short(target.quote, 60)}”"
        else:
            kind, target_id, about = "transcript", self.tid, f"Memo on the transcript {self.tid}"
        try:
            existing = self.project.memos(kind, target_id)
        except CoderError as exc:
            self.report(exc)
            return
        current = existing[-1].text if existing else ""

        def save(text: str | None) -> None:
            if text is None or text == current:
                return
            try:
                self.project.memo(self.coder, kind, target_id, text)
            except CoderError as exc:
                self.report(exc)
                return
            # Reloaded so the coding carries its memo: the margin marks it and the Code panel shows it.
            self._changed("Memo saved" if text else "Memo deleted", reload=kind == "coding", learn=False)

        self.app.push_screen(MemoDialog(about, current), save)

    def action_report_quote(self) -> None:
        """Edit the reported quote (for publication) of the coding here; with several, ask which."""
        here = self.codings_here()
        if not here:
            self.notify("No code of yours here: a reported quote belongs to a coding.", timeout=3)
        elif len(here) == 1:
            self.edit_reported(here[0].id)
        else:
            entries = [Entry(f"{self._code_name(c.code)}", f"“{_short(c.reported or c.quote, 80)}”",
                             lambda cid=c.id: self.edit_reported(cid)) for c in here]
            self.app.push_screen(picker(entries, "Reported quote of which coding?"))

    def edit_reported(self, coding_id: str) -> None:
        """The reported quote in a dialog, prefilled with the current one (else the words as coded),
        checked as it is typed as `coder quote` checks it; saved to the log before it says so."""
        from coder.core.reported import check_reported
        from coder.ui.screens.dialogs import LongTextDialog

        coding = next((c for c in self.codings if c.id == coding_id), None)
        if coding is None:
            return
        current = coding.reported or coding.quote

        def check(text: str) -> str | None:
            if not text or text == coding.quote:
                return None  # saving nothing, or the words as coded, leaves no reported quote
            try:
                check_reported(text, coding.quote)
            except CoderError as exc:
                return str(exc)
            return None

        def save(text: str | None) -> None:
            text = "" if text == coding.quote else text
            if text is None or text == coding.reported:
                return
            try:
                self.project.report_quote(self.coder, coding_id, text)
            except CoderError as exc:
                self.report(exc)
                return
            self._changed("Reported quote saved" if text else "Reported quote removed", learn=False)

        title = (f"Reported quote of {self._code_name(coding.code)}: [replaced or added words] in brackets, … for "
                 "cuts; empty (or the words as coded) removes it")
        self.app.push_screen(LongTextDialog(title, current, what="reported quote", check=check), save)

    def action_mark_done(self) -> None:
        """Toggle this coder's done mark on the transcript (theme tables count its participants once done)."""
        done = self.tid in self.project.not_done(self.coder)
        try:
            self.project.mark_done(self.coder, self.tid, done)
        except CoderError as exc:
            self.report(exc)
            return
        self._changed(f"{self.tid} marked {'done' if done else 'not done'}", reload=False, learn=False)

    def action_undo(self) -> None:
        self._history(self.project.undo, "Undone", "Nothing to undo")

    def action_redo(self) -> None:
        self._history(self.project.redo, "Redone", "Nothing to redo")

    def _history(self, step, verb: str, nothing: str) -> None:
        """Undo or redo, then show what changed selected, in its own transcript: the researcher
        always sees the change, even when it was made while another transcript was open."""
        try:
            before = set(self.project.codings(self.coder))
            what = step(self.coder)
            changed = before.symmetric_difference(self.project.codings(self.coder)) if what else set()
        except CoderError as exc:
            self.report(exc)
            return
        if what is None:
            self.notify(nothing, timeout=2)
            return
        # The facade already says "Undid: …" / "Redid: …"; don't say it twice.
        message = what if what.startswith(("Undid", "Redid")) else f"{verb}: {what}"
        here = [c for c in changed if c.transcript == self.tid]
        elsewhere = sorted({c.transcript for c in changed} - {self.tid})
        if elsewhere and not here:  # said for longer: the screen is about to change under the researcher
            message += f" (in {elsewhere[0]}, now open)"
            self.notify(message, timeout=8)
        self._changed(message, learn=True, toast=not (elsewhere and not here))
        shown = here or [c for c in changed if elsewhere and c.transcript == elsewhere[0]]
        if shown:  # selected, so the researcher sees it and can adjust and re-apply at once
            self.show_span_in(shown[0].transcript, min(c.start for c in shown), max(c.end for c in shown))

    def _changed(self, message: str, *, reload: bool = True, learn: bool = True, toast: bool = True) -> None:
        """After the facade returned: redraw, report, and let the model learn."""
        if reload:
            self.reload_codings()
        self.done(message, toast=toast)
        self.refresh_status()
        if learn and self._model_status() == "ready":
            self._learn()
        self.update_suggestions() if reload else self.query_one("#suggestions").show(
            self.suggestions, self._model_status(), self.codebook)
        self.refresh_bindings()

    def _code_name(self, code_id: str) -> str:
        code = self.codebook.get(code_id)
        return code.name if code else code_id

    # ------------------------------------------------------------- finding
    def action_next_uncoded(self, direction: int = 1) -> None:
        """The next (or previous) participant sentence with no code of this coder's, on round the
        transcript from the other end when there is none further on."""
        covered = sorted((c.start, c.end) for c in self.codings)
        starts = [s for s, _ in covered]
        longest = max((e - s for s, e in covered), default=0)

        def uncoded(seg) -> bool:
            # Only codings starting less than the longest coding's length before the sentence can reach it.
            lo = bisect.bisect_left(starts, seg.start - longest)
            hi = bisect.bisect_left(starts, seg.end)
            return not any(covered[j][1] > seg.start for j in range(lo, hi))

        n, here = len(self.nav), self.sel.cursor
        for step in range(1, n):
            i = (here + direction * step) % n
            seg = self.nav[i]
            if self.is_interviewer(seg) or not uncoded(seg):
                continue
            self.select_segment(i)
            if (i < here) == (direction > 0):
                self.notify("Wrapped to the start" if direction > 0 else "Wrapped to the end", timeout=2)
            return
        if n and not self.is_interviewer(self.nav[here]) and uncoded(self.nav[here]):
            self.notify("This is the only uncoded participant sentence left.", timeout=3)
        else:
            self.notify("Every participant sentence is coded.", timeout=3)

    def action_next_strong(self) -> None:
        if self._model_status() != "ready":
            self.notify("Suggestions are not ready yet (see the status bar).", severity="warning")
            return
        coded = [(c.start, c.end) for c in self.codings]
        candidates = [(i, s.start, s.end) for i, s in enumerate(self.nav)
                      if i > self.sel.cursor and not self.is_interviewer(s)
                      and not any(a < s.end and s.start < b for a, b in coded)]
        self.notify("Looking for a strong suggestion…", timeout=2)
        self._find_strong(self.tid, candidates)

    def action_next_code(self, direction: int) -> None:
        here = self.codings_here()
        code = here[0].code if here else self.query_one("#codebook").current_code
        if code is None:
            return
        mine = [c for c in self.codings if c.code == code]
        if not mine:
            self.notify(f"{self._code_name(code)} is not used in this transcript.", timeout=3)
            return
        start = self.span[0]
        after = [c for c in mine if c.start > start] if direction > 0 else [c for c in mine if c.start < start]
        target = (after[0] if direction > 0 else after[-1]) if after else (mine[0] if direction > 0 else mine[-1])
        self.sel = Selection.covering(target.start, target.end, self.transcript.text, self.nav)

    def action_search(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        def run(query: str | None) -> None:
            if query is None:
                return
            self.query_text = query.strip()
            self.matches, self.match_index = [], None
            if self.query_text:
                self.matches = find_phrase(self.transcript.text, self.query_text)
            self.view.set_matches(self.matches)
            if self.query_text and not self.matches:
                self.notify(f"“{self.query_text}” is not in this transcript.", severity="warning")
            elif self.matches:
                self.notify(f"{len(self.matches)} matches: n / N to move between them", timeout=3)
                self.action_search_next(1)
            self.refresh_status()
            self.refresh_bindings()

        self.app.push_screen(TextDialog("Search the text", self.query_text, "words to find"), run)

    def action_search_next(self, direction: int) -> None:
        """Select the sentence of the next (or previous) match, round from the other end after the last."""
        if not self.matches:
            return
        current = self.current_match()
        if current is not None:
            target = (current + direction) % len(self.matches)
        else:  # from where the cursor is: a match in this sentence counts as the next one
            start = self.span[0]
            starts = [m[0] for m in self.matches]
            if direction > 0:
                target = bisect.bisect_left(starts, start) % len(self.matches)
            else:
                target = (bisect.bisect_left(starts, start) - 1) % len(self.matches)
        self.match_index = target
        self.select_segment(self.segment_at(self.matches[target][0]))

    def current_match(self) -> int | None:
        """The match the researcher last moved to, while the selection still holds it."""
        index = self.match_index
        if index is None or index >= len(self.matches):
            return None
        start, end = self.span
        m_start, m_end = self.matches[index]
        return index if start <= m_start and m_end <= end else None

    def action_filter(self) -> None:
        codebook = self.codebook
        used = Counter(c.code for c in self.codings)
        entries = [Entry(f"{code.name} ({used[code.id]})",
                         f"{_uses(used[code.id])} in this transcript · " + " › ".join(codebook.path(code.id)),
                         lambda cid=code.id: self.apply_filter(cid)) for code in codebook.codes]
        self.app.push_screen(picker(entries, "Filter the transcript to code… (uses here in brackets)"))

    def apply_filter(self, code_id: str, *, keep: bool = False) -> None:
        spans = [(c.start, c.end) for c in self.codings if c.code == code_id]
        if not spans:
            if not keep:
                self.notify(f"{self._code_name(code_id)} is not used in this transcript.", severity="warning")
                return
        current = self.span[0]
        self.filter_code = code_id
        segments = self.transcript.segments
        self.nav = [s for s in segments if any(a < s.end and s.start < b for a, b in spans)] or list(segments)
        shown = [(s.start, s.end) for s in self.nav] if spans else None
        if not spans:
            self.filter_code = None
        self.view.set_filter(shown)
        self.sel = Selection().moved_to(self.segment_at(current))
        self.refresh_status()

    def action_unfilter(self) -> None:
        current = self.span[0]
        self.filter_code = None
        self.nav = list(self.transcript.segments)
        self.view.set_filter(None)
        self.sel = Selection().moved_to(self.segment_at(current))
        self.refresh_status()

    # ------------------------------------------------------------ codebook
    def action_add_example(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        quote = self.quote

        def add(code_id: str) -> None:
            def save(text: str | None) -> None:
                if not text:
                    return
                try:
                    self.project.add_example(code_id, text.strip())
                except CoderError as exc:
                    self.report(exc)
                    return
                self.reload_codebook()
                self._changed(f"Added an example to {self._code_name(code_id)}", reload=False)

            self.app.push_screen(TextDialog(f"Example quote for {self._code_name(code_id)} (edit, then enter)",
                                            quote, "quote"), save)

        first = {c.code for c in self.codings_here()}  # the codes already on this quote come first
        codes = sorted(self.codebook.codes, key=lambda code: code.id not in first)
        entries = [Entry(code.name, f"{len(code.examples)} examples", lambda cid=code.id: add(cid))
                   for code in codes]
        self.app.push_screen(picker(entries, "Add the selection as an example of…"))

    def action_edit_definition(self) -> None:
        here = self.codings_here() if self.transcript is not None else []
        code_id = here[0].code if here else self.query_one("#codebook").current_code
        if code_id is None:
            self.notify("Highlight a code in the codebook first (c focuses it).", severity="warning")
            return
        self.app.edit_definition(code_id, self.reload_codebook)

    def action_open_codebook(self) -> None:
        from coder.ui.screens.codebook import CodebookScreen

        def back(place: tuple[str, int, int] | None) -> None:
            self.reload_codebook()
            if place is not None:
                self.show_place(place)

        self.app.push_screen(CodebookScreen(), back)

    def action_retrieve(self) -> None:
        """Every coding of the code here (else the one highlighted in the codebook), with its sub-codes."""
        from coder.ui.screens.retrieval import RetrievalScreen

        here = self.codings_here() if self.transcript is not None else []
        code_id = here[0].code if here else self.query_one("#codebook").current_code
        if code_id is None:
            self.notify("Highlight a code in the codebook first (c focuses it).", severity="warning")
            return
        self.app.push_screen(RetrievalScreen(code_id), self.show_place)

    def action_cases(self) -> None:
        from coder.ui.screens.cases import CasesScreen

        self.app.push_screen(CasesScreen(), self.show_place)

    def action_memos(self) -> None:
        from coder.ui.screens.memos import MemosScreen

        self.app.push_screen(MemosScreen(), self.show_place)

    def action_overview(self) -> None:
        from coder.ui.screens.overview import OverviewScreen

        self.app.push_screen(OverviewScreen(), self.show_place)

    def action_quality(self) -> None:
        from coder.ui.screens.quality import QualityScreen

        self.app.push_screen(QualityScreen())

    def action_search_corpus(self) -> None:
        from coder.ui.screens.corpus_search import CorpusSearchScreen

        self.app.push_screen(CorpusSearchScreen(self.query_text), self.show_place)

    def show_place(self, place: tuple[str, int, int] | None) -> None:
        """Back from a list of codings: reload them; with a place chosen, open its transcript and select
        it (an empty span: just open the transcript, where the coder left off)."""
        self.reload_codings(all_transcripts=True)
        if place is None:
            return
        tid, start, end = place
        if end > start:
            self.show_span_in(tid, start, end)
        elif tid != self.tid:
            self.open_transcript(tid)

    # -------------------------------------------------------------- screens
    def action_open_transcripts(self) -> None:
        from coder.ui.screens.transcripts import TranscriptsScreen

        def chosen(tid: str | None) -> None:
            if tid:
                self.open_transcript(tid)

        self.app.push_screen(TranscriptsScreen(self.tid), chosen)

    def action_switch_coder(self) -> None:
        from coder.ui.screens.dialogs import TextDialog

        def switch(name: str | None) -> None:
            from coder.core.codings.identity import validate_coder_name

            name = (name or "").strip()
            if not name:
                return
            try:
                name = validate_coder_name(name)
            except CoderError as exc:
                self.report(exc)
                return
            if name != self.coder:
                first = not self.coder
                self.app.coder = name
                self.reload_codings(all_transcripts=True)
                self.done(f"Now coding as {name}")
                self.update_suggestions()
                if first:
                    self.app.remember_coder(name)

        title = "Switch coder (your name or initials)" if self.coder else \
            "Who is coding? Your name or initials, recorded with every coding"
        self.app.push_screen(TextDialog(title, self.coder, "coder"), switch)

    def action_reconcile(self) -> None:
        from coder.ui.screens.disagreements import DisagreementScreen

        try:  # only coders who coded this transcript: there is nothing to compare with the others
            others = [c for c in self.project.coders()
                      if c not in (self.coder, "consensus") and self.project.codings(c, self.tid)]
        except CoderError as exc:
            self.report(exc)
            return
        if not others:
            self.notify(f"No other coder has coded {self.tid} yet.", severity="warning")
            return
        entries = [Entry(other, f"compare {self.coder} with {other} on {self.tid}",
                         lambda other=other: self.app.push_screen(
                             DisagreementScreen(self.project, self.coder, other, self.tid),
                             lambda _: self.reload_codings(all_transcripts=True)))
                   for other in others]
        self.app.push_screen(picker(entries, "Reconcile with coder…"))

    def action_review_orphans(self) -> None:
        from coder.ui.screens.orphans import OrphanScreen

        self.app.push_screen(OrphanScreen(), self.show_place)  # "view in transcript": that place, selected

    def action_review_pseudonyms(self) -> None:
        from coder.ui.screens.pseudonyms import PseudonymScreen

        self.app.push_screen(PseudonymScreen())

    def action_write_pseudonymised(self) -> None:
        from coder.ui.screens.pseudonyms import PseudonymScreen

        self.app.push_screen(PseudonymScreen(write=True))

    def action_open_export(self) -> None:
        from coder.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_focus_codebook(self) -> None:
        self.query_one("#codebook").focus()

    def action_focus_transcript(self) -> None:
        self.view.focus()
