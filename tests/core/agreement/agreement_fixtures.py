"""Small hand-built transcripts and codings for the agreement tests."""

from __future__ import annotations

from pathlib import Path

from coder.core.coding import Coding, Origin
from coder.core.transcript import Segment, Transcript, Turn


def make_transcript(tid: str, turns: list[tuple[str, str | None, list[str]]]) -> Transcript:
    """``turns``: (speaker, participant id, sentences); one turn per paragraph."""
    text, turn_objs, segs = "", [], []
    for i, (speaker, pid, sentences) in enumerate(turns):
        if text:
            text += "\n\n"
        text += f"{speaker}: "
        start = len(text)
        for j, sentence in enumerate(sentences):
            if j:
                text += " "
            segs.append(Segment(f"s-{tid}-{len(segs)}", len(text), len(text) + len(sentence), i, sentence))
            text += sentence
        turn_objs.append(Turn(i, speaker, start, len(text), participant_id=pid))
    return Transcript(tid, Path(f"{tid}.txt"), "txt", text, tuple(turn_objs), tuple(segs))


def coding(coder: str, transcript: Transcript, code: str, start: int, end: int, n: int = 0) -> Coding:
    return Coding(f"{coder}-{code}-{start}-{n}", coder, transcript.id, code, start, end,
                  transcript.text[start:end], "", "", transcript.hash, Origin(), "2024-01-01T00:00:00.000Z")


def on_segments(coder: str, transcript: Transcript, code: str, indices) -> list[Coding]:
    """One coding of ``code`` over each listed segment (a few characters inside it)."""
    out = []
    for i in indices:
        seg = transcript.segments[i]
        out.append(coding(coder, transcript, code, seg.start + 1, seg.end - 1, i))
    return out


CODEBOOK_YAML = """\
name: Test codebook
codes:
  - id: social
    name: Social networks
    definition: Relationships.
    examples: ["I know people now."]
    children:
      - id: friends
        name: New friends
        definition: New friendships.
        examples: ["We became friends."]
  - id: confidence
    name: Confidence
    definition: Self-belief.
    examples: ["I can speak up now."]
"""

TRANSCRIPT = """\
---
title: {title}
participant: {pid}
interviewers: [Interviewer]
---
Interviewer: How did you hear about the group? What happened then?

Gwen: A neighbour told me about it. I went along on a Tuesday. I made two good friends there. Now I speak up at meetings. I never thought I would.
"""


def small_project(root: Path) -> Path:
    """A project with the codebook above and two one-interview transcripts (t1, t2)."""
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "coder.yaml").write_text("name: Agreement test\ncodebook: codebooks/cb.yaml\n", encoding="utf-8")
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    for tid, pid in (("t1", "P1"), ("t2", "P2")):
        (root / "transcripts" / f"{tid}.txt").write_text(TRANSCRIPT.format(title=tid, pid=pid), encoding="utf-8")
    return root


def code_sentence(project, coder: str, tid: str, code: str, index: int):
    """Apply ``code`` to the ``index``-th segment of the transcript, as ``coder``."""
    seg = project.transcript(tid).segments[index]
    return project.apply(coder, tid, code, seg.start, seg.end)
