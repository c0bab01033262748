"""A small project written into tmp_path, and the app built on it through the real factory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from coder.ui.app import make_app

CODER = "tester"

CODEBOOK = """\
# Test codebook: comments must survive edits made from the app.
name: Test codebook
codes:
  - id: short-term
    name: Short-term changes
    colour: "#3b82c4"
    definition: Changes people notice in themselves soon after joining.
    examples:
      - "Within a couple of months I was a different person."
    children:
      - id: confidence
        name: Confidence
        key: "1"
        colour: "#c2701c"
        definition: Growth in self-belief or willingness to do new things.
        examples:
          - "I stood up and talked in front of everyone, me who used to hide."
          - "I feel braver, that's the only word for it."
      - id: new-skills
        name: New skills
        key: "2"
        colour: "#2a9266"
        definition: Practical skills the person learned through the project.
        examples:
          - "I learned to write a funding application."
          - "They showed us how to get on Zoom."
  - id: longer-term
    name: Longer-term changes
    colour: "#8b5cf6"
    definition: Changes that build up in the community over time.
    children:
      - id: community-power
        name: Community power
        key: "6"
        colour: "#b91c1c"
        definition: Influence over local decisions.
        examples:
          - "The council listened to us about the bus stop."
      - id: health-wellbeing
        name: Health and wellbeing
        key: "0"
        colour: "#0e7490"
        definition: Physical or mental health changes.
        examples:
          - "My mood is better, I sleep better."
"""

P01 = """\
---
title: Test interview one
fictional: true
participant: P01
interviewers: [Interviewer]
programme: Active Communities
nation: Wales
role: participant
---

**Interviewer:** How did you first hear about the group?

**Ana:** My neighbour told me about it. I was very shy at first. Now I run the Tuesday session myself.

**Interviewer:** What did you learn there?

**Ana:** I learned to use Zoom during lockdown. I also did a food hygiene course. The council listened to us about the bus stop.

**Interviewer:** And how are you feeling these days?

**Ana:** My mood is much better. I sleep better too.
"""

P02 = """\
---
title: Test interview two
fictional: true
participant: P02
interviewers: [Interviewer]
programme: Local Conversations
nation: Scotland
role: participant
---

Interviewer: Tell me about the project.

Bea: We started a community garden. Everyone in the street helped.
"""

PARTICIPANTS = """\
participant_id,programme,nation,role,area
P01,Active Communities,Wales,participant,Penrhyn Vale
P02,Local Conversations,Scotland,participant,Kilbrannan
"""


def write_project(root: Path) -> Path:
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "coder.yaml").write_text('name: "Test project"\ncodebook: codebooks/test.yaml\n', encoding="utf-8")
    (root / "codebooks" / "test.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "p01-interview.md").write_text(P01, encoding="utf-8")
    (root / "transcripts" / "p02-interview.txt").write_text(P02, encoding="utf-8")
    (root / "transcripts" / "participants.csv").write_text(PARTICIPANTS, encoding="utf-8")
    return root


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    return write_project(tmp_path / "study")


def fake_encoder():
    from coder.core.suggest.fake import FakeEncoder

    return FakeEncoder()


@pytest.fixture
def build(project_root: Path, tmp_path: Path):
    """``build()`` makes a fresh app on the test project (call it again to "restart")."""
    settings = tmp_path / "settings.yaml"

    def _build(**kw):
        return make_app(project_root, kw.pop("coder", CODER), encoder=kw.pop("encoder", fake_encoder()),
                        settings_path=kw.pop("settings_path", settings), **kw)

    return _build


def log_events(root: Path, coder: str = CODER) -> list[dict]:
    path = root / "codings" / f"{coder}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def _settle(pilot) -> None:
    # A failed worker (a broken codebook, say) is the app's to report, as a notification;
    # tests assert on that, so waiting must not raise it here.
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerFailed:
        pass
    await pilot.pause()


async def ready(pilot) -> None:
    """Wait until the transcript (and the model) have loaded and the screen has caught up."""
    await _settle(pilot)
    await _settle(pilot)
