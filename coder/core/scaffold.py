"""``coder init``: a new, valid, empty project with a starter codebook."""

from __future__ import annotations

from pathlib import Path

from coder.core.errors import CoderError

CONFIG = """\
# coder project settings. Paths are relative to this folder.
name: {name}
codebook: codebooks/codebook.yaml
transcripts: transcripts
participants: transcripts/participants.csv   # one row per participant (optional)
outcomes: transcripts/outcomes.yaml          # questionnaire items and benchmarks (optional)
model: all-MiniLM-L6-v2                      # sentence-transformers model for suggestions
"""

CODEBOOK = """\
# The codebook: edit it by hand or from coder. Comments survive edits made by coder.
# Each code needs a stable `id` (never reuse one; list old ids under `former_ids`
# when you rename), a `name` and a `definition`. Example quotes are the biggest
# single lever on the quality of suggestions: aim for 5-10 per code.
name: Starter codebook
codes:
  - id: example-theme
    name: Example theme
    key: "1"
    colour: "#4e79a7"
    definition: Replace this with what the theme means in your study.
    include: What counts as this theme.
    exclude: What looks similar but belongs elsewhere.
    examples:
      - "A short quote that is a clear instance of the theme."
    children:
      - id: example-subtheme
        name: Example sub-theme
        key: "2"
        colour: "#f28e2b"
        definition: A narrower part of the example theme.
        examples:
          - "A quote that shows the sub-theme."
"""

PARTICIPANTS = "participant_id,programme,nation,role,q_example\n"

OUTCOMES = """\
# Questionnaire items: see the README, section "Outcomes definition".
outcomes:
  - id: example-item
    column: q_example
    wording: Replace with the question as asked.
    answers: ["Yes", "No"]
    positive: ["Yes"]
    themes: [example-theme]
"""

GITIGNORE = ".coder/\n"


def create_project(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    if (root / "coder.yaml").exists() or (root / "codebooks").exists():
        raise CoderError(f"{root} already holds a coder project", hint="open it with `coder open`")
    files = {
        "coder.yaml": CONFIG.format(name=root.resolve().name),
        "codebooks/codebook.yaml": CODEBOOK,
        "transcripts/participants.csv": PARTICIPANTS,
        "transcripts/outcomes.yaml": OUTCOMES,
        ".gitignore": GITIGNORE,
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(content, encoding="utf-8")
    for folder in ("codings", "exports"):
        (root / folder).mkdir(exist_ok=True)
