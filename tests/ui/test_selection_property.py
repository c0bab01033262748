"""Random key sequences over the sample project: after every step the highlighted words on screen
are exactly the span the next code would be written to, and a code writes exactly that span."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coder.core.project import Project
from coder.ui.app import make_app
from tests.ui.conftest import CODER, fake_encoder, ready
from tests.ui.drawn import highlighted, visible_span_positions

REPO = Path(__file__).resolve().parents[2]
SAMPLE_TRANSCRIPTS = ("ac-eng-p01-interview.md", "ac-eng-pr01-interview.txt", "participants.csv")

# One step: a key, or a short sequence a researcher would type as one move.
KEYS = ["j", "k", "J", "K", "left_square_bracket", "right_square_bracket", "less_than_sign",
        "greater_than_sign", "left_parenthesis", "right_parenthesis", "right_curly_bracket",
        "left_curly_bracket", "g", "G", "n", "N", "home", "end", "F", "u", "U", "escape"]
DIGITS = ["1", "2", "3", "5", "6", "0"]
SEQUENCES = [("question_mark", "escape"), ("b", "escape"), ("t", "escape"), ("t", "down", "enter"), ("t", "up", "enter"),
             ("f", "enter"), ("slash", *"the", "enter"), ("s", "enter")]
RESIZES = [("resize", 120, 36), ("resize", 90, 24), ("resize", 70, 20)]
STEP = st.one_of(st.sampled_from([(k,) for k in KEYS]), st.sampled_from([(d,) for d in DIGITS]),
                 st.sampled_from(SEQUENCES), st.sampled_from(RESIZES))


def sample_project(root: Path) -> Path:
    for name in ("coder.yaml", "codebooks"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    (root / "transcripts").mkdir()
    shutil.copy(REPO / "transcripts" / "outcomes.yaml", root / "transcripts")
    for name in SAMPLE_TRANSCRIPTS:
        shutil.copy(REPO / "transcripts" / name, root / "transcripts")
    # A transcript too short to scroll: switching from it to a long one at a remembered place must scroll.
    (root / "transcripts" / "ac-eng-p00-note.txt").write_text(
        "Interviewer: Shall we start?\n\nBrenda: Yes. [laughs] Go on then.\n", encoding="utf-8")
    return root


def check_drawn(app) -> None:
    screen = app.screen
    if screen.id != "coding" or screen.transcript is None:
        return
    view = screen.view
    start, end = screen.span
    drawn = highlighted(view)
    assert drawn, "the selection is not on screen"
    assert drawn == visible_span_positions(view, start, end)


async def run_steps(root: Path, steps) -> None:
    app = make_app(root, CODER, encoder=fake_encoder(), settings_path=root / "settings.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        check_drawn(app)
        for step in steps:
            if step[0] == "resize":
                await pilot.resize_terminal(step[1], step[2])
            else:
                span = app.screen.span if app.screen.id == "coding" else None
                tid = app.screen.tid if app.screen.id == "coding" else None
                for key in step:
                    await pilot.press(key)
                    await pilot.pause()
                if step[0] in DIGITS and span is not None:
                    code = Project.open(root).codebook.by_key(step[0])
                    placed = {(c.transcript, c.code, c.start, c.end) for c in Project.open(root).codings(CODER)}
                    assert (tid, code.id, *span) in placed
            await ready(pilot)
            check_drawn(app)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, min_size=4, max_size=14))
# Back to where one left a long transcript, from one too short to scroll (its view had no scrollbar).
@example([("t", "down", "enter"), ("G",), ("t", "up", "enter"), ("t", "down", "enter"), ("k",)])
def test_the_highlight_is_what_gets_coded(steps):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run_steps(sample_project(Path(tmp)), steps))
