"""Every user command, defined once.

A :class:`Command` gives a command its binding id (the name used in the user's
keymap), default key, action, description (help screen and palette), footer
text and the state it needs.  Screens build their ``BINDINGS`` from this table
and answer ``check_action`` from :attr:`Command.needs`, so the footer, the
help screen and the command palette never disagree about what a key does or
whether it applies now.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

APPLY_GROUP = Binding.Group("apply", compact=True)
TRIM_GROUP = Binding.Group("trim", compact=True)
GROW_GROUP = Binding.Group("give back", compact=True)
CLAUSE_GROUP = Binding.Group("clause", compact=True)

# The state flags a screen reports (see ``CodingScreen.state_flags``).  Flags that change with
# every move of the selection (CODED, SUGGESTION) only filter the palette: keeping the footer
# still while the researcher moves through a transcript is calmer, and cheaper to draw.  The
# footer does follow EXTENDED/TRIMMED/SINGLE, which change only when a selection starts or stops
# being more than one sentence (see ``Command.footer_when``).
TRANSCRIPT = "transcript"  # a transcript is open and loaded
MODEL = "model"  # the suggestion model is ready
SUGGESTION = "suggestion"  # there is at least one suggestion for the selection
CODED = "coded"  # the selection overlaps at least one of this coder's codings
UNDO = "undo"  # the coder has something to undo
REDO = "redo"  # ... or to redo
SELECTION_FLAGS = frozenset({SUGGESTION, CODED})
SEARCH = "search"  # a search is active
FILTERED = "filtered"  # the transcript is filtered to one code
TRIMMED = "trimmed"  # the selection is trimmed to words
EXTENDED = "extended"  # the selection covers more than one sentence
SINGLE = "single"  # the selection is one whole sentence (neither extended nor trimmed)
WIDE = "wide"  # the screen is wide enough (100 columns) for the footer's less essential keys
WIDER = "wider"  # ... and (120 columns) for the least essential


@dataclass(frozen=True)
class Command:
    id: str  # binding id: the name used in settings.yaml `keymap:`
    key: str  # default key(s), comma separated
    action: str
    description: str  # one line, for the help screen and the palette
    footer: str = ""  # short footer label; empty: not shown in the footer
    needs: frozenset[str] = frozenset()
    # Shown in the footer only while one of these flags holds (empty: whenever it applies).  The key
    # works regardless: this keeps the footer to what is useful now, so it fits in 80 columns.
    footer_when: frozenset[str] = frozenset()
    # ... and only while all of these hold (e.g. WIDE: keys worth showing only when there is room).
    footer_needs: frozenset[str] = frozenset()
    palette: bool = True
    group: str = "Coding"  # heading on the help screen
    binding_group: Binding.Group | None = None
    priority: bool = False

    @property
    def title(self) -> str:
        """The palette title: the description without trailing detail."""
        return self.description.split(" (")[0]

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.footer or self.title, show=bool(self.footer),
                       id=self.id, group=self.binding_group, priority=self.priority)


def _c(id: str, key: str, action: str, description: str, footer: str = "", *needs: str, **kw) -> Command:
    return Command(id, key, action, description, footer, frozenset(needs), **kw)


_T = TRANSCRIPT
_SELECTING = frozenset({EXTENDED, TRIMMED})
_ROOMY = frozenset({WIDE})
_PLAIN = frozenset({SINGLE})  # while selecting, the footer makes room for the selection's keys

CODING_COMMANDS: tuple[Command, ...] = (
    # Moving and selecting
    _c("cursor.next", "j,down", "move(1)", "Next sentence", "", _T, palette=False, group="Move and select"),
    _c("cursor.previous", "k,up", "move(-1)", "Previous sentence", "", _T, palette=False, group="Move and select"),
    _c("cursor.next-turn", "right_curly_bracket,pagedown", "move_turn(1)", "Next speaker turn", "", _T,
       group="Move and select"),
    _c("cursor.previous-turn", "left_curly_bracket,pageup", "move_turn(-1)", "Previous speaker turn", "", _T,
       group="Move and select"),
    _c("cursor.first", "home", "move_to_end(-1)", "First sentence", "", _T, palette=False, group="Move and select"),
    _c("cursor.last", "end", "move_to_end(1)", "Last sentence", "", _T, palette=False, group="Move and select"),
    _c("select.extend-down", "J,shift+down", "extend(1)", "Extend the selection by a sentence", "extend", _T,
       group="Move and select", footer_when=frozenset({SINGLE})),
    _c("select.extend-up", "K,shift+up", "extend(-1)", "Shrink or extend the selection upwards", "", _T,
       group="Move and select"),
    _c("select.trim-start", "left_square_bracket", "trim(0)", "Trim a word from the start of the selection",
       "trim", _T, group="Move and select", binding_group=TRIM_GROUP, footer_when=_SELECTING),
    _c("select.trim-end", "right_square_bracket", "trim(1)", "Trim a word from the end of the selection",
       "trim", _T, group="Move and select", binding_group=TRIM_GROUP, footer_when=_SELECTING),
    _c("select.grow-start", "less_than_sign", "grow(0)", "Give back a trimmed word at the start of the selection",
       "give back", _T, group="Move and select", binding_group=GROW_GROUP, footer_when=frozenset({TRIMMED})),
    _c("select.grow-end", "greater_than_sign", "grow(1)", "Give back a trimmed word at the end of the selection",
       "give back", _T, group="Move and select", binding_group=GROW_GROUP, footer_when=frozenset({TRIMMED})),
    _c("select.clause-start", "left_parenthesis", "trim_clause(0)",
       "Trim the start of the selection on to the next clause (after , ; : or .)", "clause", _T,
       group="Move and select", binding_group=CLAUSE_GROUP, footer_when=_SELECTING, footer_needs=_ROOMY),
    _c("select.clause-end", "right_parenthesis", "trim_clause(1)",
       "Trim the end of the selection back to the previous clause (, ; : or .)", "clause", _T,
       group="Move and select", binding_group=CLAUSE_GROUP, footer_when=_SELECTING, footer_needs=_ROOMY),
    _c("select.reset", "escape", "reset_selection", "Reset the selection to the current sentence", "reset", _T,
       palette=False, group="Move and select", footer_when=_SELECTING),
    # Coding
    *(
        _c(f"code.apply-{k}", k, f"apply_key('{k}')", f"Apply the code with key {k}", "apply", _T,
           palette=False, binding_group=APPLY_GROUP)
        for k in "1234567890"
    ),
    _c("code.apply", "a", "apply_picker", "Apply code… (fuzzy picker)", "apply…", _T, footer_when=_PLAIN,
       footer_needs=frozenset({WIDER})),
    _c("suggestion.accept", "enter", "accept(1)", "Accept the top suggestion", "accept", _T, MODEL, SUGGESTION),
    _c("suggestion.reject", "x", "reject(1)", "Reject the top suggestion", "reject", _T, MODEL, SUGGESTION,
       footer_when=_PLAIN, footer_needs=_ROOMY),
    _c("suggestion.focus", "s", "focus_suggestions",
       "Choose a suggestion (enter accepts, x rejects, escape returns)", "", _T, MODEL, SUGGESTION),
    _c("code.remove", "d,delete", "remove", "Remove a code from the selection", "", _T, CODED),
    _c("memo.write", "m", "memo", "Write a memo (on the coding here, else the transcript)", "", _T),
    _c("quote.report", "Q", "report_quote",
       "Edit the reported quote of the coding here (for publication: [replaced or added words], … for cuts)", "",
       _T, CODED),
    _c("transcript.done", "ctrl+d", "mark_done", "Mark this transcript done (all coded), or not done again", "",
       _T),
    _c("history.undo", "u,ctrl+z", "undo", "Undo the last coding action (and select where it was)", "undo",
       UNDO),
    _c("history.redo", "U,ctrl+r,ctrl+y", "redo", "Redo (and select where it was)", "", REDO),
    # Finding
    _c("find.uncoded", "g", "next_uncoded(1)", "Jump to the next uncoded sentence (round to the start after the last)",
       "uncoded", _T, group="Find", footer_when=_PLAIN),
    _c("find.uncoded-previous", "G", "next_uncoded(-1)", "Jump to the previous uncoded sentence", "", _T,
       group="Find"),
    _c("find.strong", "S", "next_strong", "Jump to the next strong suggestion", "", _T, MODEL, group="Find"),
    _c("find.code", "o", "next_code(1)", "Jump to the next occurrence of the current code", "", _T,
       group="Find"),
    _c("find.code-previous", "O", "next_code(-1)", "Jump to the previous occurrence of the current code",
       "", _T, group="Find"),
    _c("find.search", "slash", "search", "Search the text", "", _T, group="Find"),
    _c("find.next", "n", "search_next(1)", "Next search match", "next match", _T, SEARCH, group="Find"),
    _c("find.previous", "N", "search_next(-1)", "Previous search match", "", _T, SEARCH, group="Find"),
    _c("find.corpus", "ctrl+f", "search_corpus", "Search every transcript (words, phrase or regular expression)",
       "", group="Find"),
    _c("view.filter", "f", "filter", "Filter the transcript to one code", "", _T, group="Find"),
    _c("view.unfilter", "F", "unfilter", "Show the whole transcript again", "show all", _T, FILTERED,
       group="Find"),
    # Codebook
    _c("codebook.add-example", "e", "add_example", "Add the selection to the codebook as an example of a code",
       "", _T, group="Codebook"),
    _c("codebook.edit-definition", "D", "edit_definition", "Edit the current code's definition", "",
       group="Codebook"),
    _c("codebook.open", "b", "open_codebook", "Open the codebook screen", "", group="Codebook"),
    _c("retrieval.open", "r", "retrieve", "Every coding of the current code across all transcripts (retrieval)",
       "", group="Codebook"),
    # Screens
    _c("transcripts.open", "t", "open_transcripts", "Switch transcript (with progress and participants)",
       "", group="Project"),
    _c("coder.switch", "C", "switch_coder", "Switch coder", "", group="Project"),
    _c("coder.reconcile", "V", "reconcile", "Reconcile this transcript with another coder", "", _T,
       group="Project"),
    _c("orphans.review", "R", "review_orphans", "Review orphaned codings", "", group="Project"),
    _c("memos.open", "M", "memos", "Every memo of the project (on codings, transcripts and codes)", "",
       group="Project"),
    _c("cases.open", "P", "cases", "Cases: the interviewed participants with their transcripts and codings", "",
       group="Project"),
    _c("overview.open", "ctrl+o", "overview", "Overview: themes by transcript, participant or group, and progress",
       "", group="Project"),
    _c("quality.open", "A", "quality",
       "Suggestion quality on this project: accepted vs rejected by band, kappa per code, fine-tuning", "",
       group="Project"),
    _c("pseudonyms.review", "I", "review_pseudonyms", "Review identifiers to pseudonymise", "", group="Project"),
    _c("pseudonyms.copy", "W", "write_pseudonymised",
       "Write a pseudonymised copy of the project (asks for the folder and the key file)", "", group="Project"),
    _c("export.open", "X", "open_export", "Run the exports", "", group="Project"),
    _c("focus.codebook", "c", "focus_codebook", "Focus the codebook tree (enter applies)", "", group="Project",
       palette=False),
    _c("focus.transcript", "T", "focus_transcript", "Focus the transcript", "", group="Project", palette=False),
)

APP_COMMANDS: tuple[Command, ...] = (
    _c("app.help", "question_mark,f1", "help", "Show every key", "keys", group="App"),
    _c("app.palette", "ctrl+p", "command_palette", "Command palette (every command, by name)", "commands",
       group="App", palette=False, priority=True, footer_when=_PLAIN, footer_needs=_ROOMY),
    _c("app.theme", "f2", "toggle_dark", "Switch between light and dark themes", "", group="App"),
    _c("app.quit", "q,ctrl+q", "quit", "Quit", "", group="App"),
)

# In lists (the codebook tree, suggestions, the transcript list) j/k move as they do in the transcript.
LIST_COMMANDS: tuple[Command, ...] = (
    _c("list.down", "j", "focused.cursor_down", "Down in a list", "", group="Lists", palette=False),
    _c("list.up", "k", "focused.cursor_up", "Up in a list", "", group="Lists", palette=False),
)

ALL_COMMANDS: tuple[Command, ...] = CODING_COMMANDS + LIST_COMMANDS + APP_COMMANDS
BY_ID = {c.id: c for c in ALL_COMMANDS}


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    return [c.binding() for c in commands]


def by_action(commands: tuple[Command, ...]) -> dict[str, Command]:
    """Commands by action name (without parameters), for ``check_action``."""
    out: dict[str, Command] = {}
    for c in commands:
        out.setdefault(c.action.split("(")[0], c)
    return out


def in_footer(command: Command, flags: set[str] | frozenset[str]) -> bool:
    """Whether the footer shows ``command`` now (its key works whenever it is :func:`available`)."""
    return (bool(command.footer) and (not command.footer_when or bool(command.footer_when & flags))
            and command.footer_needs <= flags)


def available(command: Command, flags: set[str] | frozenset[str], *, keys: bool = False) -> bool:
    """Whether ``command`` applies in a state; for keys (``check_action``, the footer), the
    selection-dependent flags are taken as met and the action itself says if there is nothing to do."""
    needs = command.needs - SELECTION_FLAGS if keys else command.needs
    return needs <= flags
