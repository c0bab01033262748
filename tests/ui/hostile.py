"""A project full of hostile-but-ordinary text: transcription brackets, Textual markup and action
markup, ``$`` variables, backslashes, emoji, combining accents and right-to-left words, in the
transcript, its file name, code names, definitions, examples and memos."""

from __future__ import annotations

from pathlib import Path

# Each is everyday text a researcher may type or transcribe; the app must draw it exactly.
BRACKETS = "[/laughs] [laughs] [pause] [inaudible] [Now]"
MARKUP = "[b]bold?[/b] [@click=app.quit]quit[/] [red]"
OTHER = "$var ${HOME} C:\\new\\[x] \\[esc] 🎉 Zoë Zoe\u0301 مرحبا שלום"
HOSTILE = (BRACKETS, MARKUP, OTHER)
# Short pieces that must be visible wherever the whole text is shown (a title may clip the rest).
TOKENS = ("[/laughs]", "[laughs]", "[b]", "[@click=app.quit]", "$var", "\\[esc]", "🎉")

CODE_NAME = "[b]Confidence[/b] [@click=app.quit]"
CODE_NAME_2 = "Power [/laughs] $var"
FILE_STEM = "p03 [draft] $var"

CODEBOOK = f"""\
# A codebook whose names and words are hostile to markup.
name: "Hostile [b]codebook"
codes:
  - id: confidence
    name: "{CODE_NAME}"
    key: "1"
    colour: "#c2701c"
    definition: 'Growth in self-belief [laughs] $var [b]not bold[/b] [@click=app.quit]'
    examples:
      - "[Now] I run the Tuesday session myself."
      - 'I said [pause] yes \\[esc] 🎉'
  - id: power
    name: "{CODE_NAME_2}"
    key: "2"
    colour: "#b91c1c"
    definition: >
      Influence over [inaudible] local decisions, مرحبا.
"""

TRANSCRIPT = """\
---
title: Hostile transcript
fictional: true
participant: P03
interviewers: [Interviewer]
---

Interviewer: How did it start [pause] for you?

Ann: [/laughs] I was nervous at first. Then [laughs] it was fine [b]really[/b].

Ann: Click [@click=app.quit]here[/] to go, said the sign. It cost $var and C:\\new\\[x] \\[esc] too.

Ann: We cheered 🎉 with Zoë and Zoe\u0301, مرحبا and שלום [inaudible] at the end.
"""


def write_hostile_project(root: Path) -> Path:
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "coder.yaml").write_text('name: "Hostile [b]project $var"\ncodebook: codebooks/test.yaml\n',
                                     encoding="utf-8")
    (root / "codebooks" / "test.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / f"{FILE_STEM}.md").write_text(TRANSCRIPT, encoding="utf-8")
    return root
