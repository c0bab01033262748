"""The disagreement screen: lists differing segments and records consensus decisions in the log."""

from __future__ import annotations

import json

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from coder.core.project import Project
from coder.ui.screens.disagreements import DisagreementScreen

CODEBOOK = """\
name: Test
codes:
  - {id: social, name: Social networks, colour: "#3b82c4", definition: d, examples: [x],
     children: [{id: friends, name: New friends, colour: "#c2701c", definition: d, examples: [x]}]}
  - {id: confidence, name: Confidence, definition: d, examples: [x]}
"""
TRANSCRIPT = """\
---
participant: P1
interviewers: [Interviewer]
---
Interviewer: How did it go? Tell me.

Gwen: A neighbour told me. I went on a Tuesday. I made two good friends. Now I speak up at meetings.
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "codebooks").mkdir()
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "transcripts" / "t1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    project = Project.open(tmp_path)
    segs = project.transcript("t1").segments
    for coder, code, i in (("ana", "friends", 4), ("ben", "social", 4), ("ana", "confidence", 5),
                           ("ben", "confidence", 5), ("ben", "confidence", 3)):
        project.apply(coder, "t1", code, segs[i].start, segs[i].end)
    return project


class Host(App):
    def __init__(self, screen: DisagreementScreen) -> None:
        super().__init__()
        self._screen = screen

    def on_mount(self) -> None:
        self.push_screen(self._screen)


def consensus_log(project) -> list[dict]:
    path = project.root / "codings" / "consensus.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def test_lists_disagreements_side_by_side(project):
    screen = DisagreementScreen(project, "ana", "ben", "t1")
    async with Host(screen).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        segs = project.transcript("t1").segments
        assert [i.segment for i in screen.items] == [segs[3], segs[4]]  # segment 5 agrees
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        row = table.get_row_at(1)
        assert str(row[2]) == "New friends" and str(row[3]) == "Social networks" and str(row[4]) == "—"
        title = str(screen.query_one("#disagreement-title", Static).render())
        assert "2 segment(s) differ" in title


async def test_decisions_are_written_to_the_consensus_log(project):
    screen = DisagreementScreen(project, "ana", "ben", "t1")
    async with Host(screen).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")  # first row (segment 3): take ben's confidence; cursor moves on
        await pilot.press("a")  # second row (segment 4): take ana's new friends
        await pilot.pause()
        segs = project.transcript("t1").segments
        assert [(c.code, c.start, c.end) for c in project.codings("consensus", "t1")] == [
            ("confidence", segs[3].start, segs[3].end), ("friends", segs[4].start, segs[4].end)]
        assert [e["type"] for e in consensus_log(project)] == ["apply", "apply"]
        assert str(screen.query_one(DataTable).get_row_at(1)[4]) == "New friends"
        await pilot.press("u")  # second row again: both sides' codes
        assert {c.code for c in project.codings("consensus", "t1")} == {"confidence", "friends", "social"}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert {c.code for c in project.codings("consensus", "t1")} == {"confidence", "friends"}
        assert consensus_log(project)[-1]["type"] == "undo"


async def test_neither_removes_consensus_codings_and_escape_closes(project):
    screen = DisagreementScreen(project, "ana", "ben", "t1")
    app = Host(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.press("up")
        await pilot.press("n")
        await pilot.pause()
        assert project.codings("consensus", "t1") == []
        assert [e["type"] for e in consensus_log(project)] == ["apply", "remove"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_no_disagreements(project, tmp_path):
    screen = DisagreementScreen(project, "ana", "ana", "t1")
    async with Host(screen).run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert screen.items == []
        assert "agree on every segment" in str(screen.query_one("#disagreement-title", Static).render())
        await pilot.press("a")  # nothing to decide: no error, nothing written
        assert consensus_log(project) == []
