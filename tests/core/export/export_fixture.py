"""A small project on disk whose every table can be computed by hand.

Interviewed: A1 (a1.txt), A2 and A3 (focus group fg.txt), B1 (b1.txt), B2 (b2.txt).
In the table but not interviewed: A4, B3, B4.  Codebook::

    short            (Short-term)
      confidence
      networks       (Social networks)
        friends      (New friends)
    power            (Community power)

The codings (see ``CODINGS``) are applied through the Project API.  Test
modules import the ``fixture_project`` fixture from here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.core.coding import Origin
from coder.core.export import ExportInput, ExportOptions, Table, build_tables
from coder.core.project import Project

CODEBOOK = """\
name: Fixture codebook
codes:
  - id: short
    name: Short-term
    definition: Changes soon after taking part.
    children:
      - id: confidence
        name: Confidence
        definition: Feeling more able.
        examples: ["I feel more confident now."]
      - id: networks
        name: Social networks
        definition: New people and connections.
        examples: ["I know more people."]
        children:
          - id: friends
            name: New friends
            definition: Friendships made.
            examples: ["We became friends."]
  - id: power
    name: Community power
    definition: Influence over local decisions.
    examples: ["The council listened."]
"""

PARTICIPANTS = """\
participant_id,programme,nation,role,area,q_friends,q_partner
A1,Active Communities,England,participant,Calder,Yes,
A2,Active Communities,Wales,participant,Penrhyn,No,
A3,Active Communities,Wales,participant,Penrhyn,Yes,
A4,Active Communities,England,participant,Calder,Yes,
B1,Local Conversations,England,participant,Northgate,No,
B2,Local Conversations,England,practitioner,=1+2,,Yes
B3,Local Conversations,Wales,practitioner,Glanrhyd,,No
B4,Local Conversations,Wales,participant,Glanrhyd,,
"""

OUTCOMES = """\
outcomes:
  - id: friends
    column: q_friends
    wording: Have you made new friends?
    answers: ["Yes", "No"]
    positive: ["Yes"]
    asked_of: {role: participant}
    report_by: programme
    themes: [friends, networks]
    benchmark:
      value: 0.5
      source: Test Survey
      year: "2020"
      population: everyone
    benchmarks:
      - value: 0.5
        source: Test Survey, Local Conversations areas
        year: "2021"
        population: people near Local Conversations projects
        for: {programme: Local Conversations}
  - id: partner
    column: q_partner
    wording: Has the project created new partnerships?
    answers: ["Yes", "No"]
    positive: ["Yes"]
    asked_of: {role: practitioner}
    themes: [power]
"""


def front(participant: str, programme: str, role: str, nation: str | None = None) -> str:
    lines = ["---", "title: Fixture interview", "fictional: true", f"participant: {participant}",
             "interviewers: [Interviewer]", f"programme: {programme}", f"role: {role}"]
    if nation:
        lines.append(f"nation: {nation}")
    return "\n".join(lines + ["---", ""])


TRANSCRIPTS = {
    "a1.txt": front("A1", "Active Communities", "participant", "England") + (
        "Interviewer: How did you start?\n\n"
        "Ann: I felt more confident after a month. I made new friends at the group.\n\n"
        "Interviewer: Anything else?\n\n"
        "Ann: We told the council what we wanted. They listened to us.\n"),
    "b1.txt": front("B1", "Local Conversations", "participant", "England") + (
        "Interviewer: Tell me about the group.\n\n"
        "Bea: I met new people there. Some are friends now.\n"),
    "b2.txt": front("B2", "Local Conversations", "practitioner", "England") + (
        "[00:00:05] Interviewer: What changed?\n\n"
        "[00:01:05] Bo: We are ready to have our own voice. The residents lead now.\n"),
    "fg.txt": ("---\ntitle: Fixture focus group\nfictional: true\ninterviewers: [Facilitator]\n"
               "speakers:\n  Cai: A2\n  Dee: A3\nprogramme: Active Communities\nrole: participant\n---\n"
               "Facilitator: What did the group do for you?\n\n"
               "Cai: It gave me confidence. I speak up now.\n\n"
               "Dee: Same for me. I know my neighbours now.\n"),
}

# (coder, transcript, code, quoted text); numbered as in the hand computations of the tests.
CODINGS = [
    ("ann", "a1", "confidence", "I felt more confident after a month."),            # 1
    ("ann", "a1", "friends", "I made new friends at the group."),                    # 2
    ("ann", "a1", "power", "We told the council what we wanted. They listened to us."),  # 3
    ("ann", "b1", "networks", "I met new people there. Some are friends now."),      # 4
    ("ann", "b1", "friends", "Some are friends now."),                               # 5
    ("ann", "b2", "power", "We are ready to have our own voice."),                   # 6
    ("ann", "fg", "confidence", "It gave me confidence."),                           # 7
    ("ben", "fg", "networks", "I know my neighbours now."),                          # 8
    ("ann", "a1", "confidence", "How did you start?"),                               # 9 interviewer text
    ("ben", "a1", "confidence", "I made new friends at the group."),                 # 10
]

SUGGESTED = 6  # coding 6 is an accepted suggestion
MEMO = (7, "Said with real pride.")


def write_project(root: Path, participants: str = PARTICIPANTS, transcripts: dict[str, str] = TRANSCRIPTS) -> Path:
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "codebooks" / "fixture.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "participants.csv").write_text(participants, encoding="utf-8")
    (root / "transcripts" / "outcomes.yaml").write_text(OUTCOMES, encoding="utf-8")
    for name, text in transcripts.items():
        (root / "transcripts" / name).write_text(text, encoding="utf-8")
    (root / "coder.yaml").write_text("name: Fixture evaluation\n", encoding="utf-8")
    return root


def apply_codings(project: Project) -> list:
    out = []
    for n, (coder, tid, code, quote) in enumerate(CODINGS, start=1):
        text = project.transcript(tid).text
        start = text.index(quote)
        origin = Origin("suggestion", "all-MiniLM-L6-v2", 0.83, 1) if n == SUGGESTED else None
        out.append(project.apply(coder, tid, code, start, start + len(quote), origin=origin))
    memo_n, memo_text = MEMO
    project.memo(out[memo_n - 1].coder, "coding", out[memo_n - 1].id, memo_text)
    return out


def coded_project(root: Path) -> Project:
    project = Project.open(write_project(root))
    apply_codings(project)
    return project


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory) -> Project:
    """The coded fixture project, built once per test module (tests only read it)."""
    return coded_project(tmp_path_factory.mktemp("fixture"))


def tables(project: Project, coder: str | None = None, **options) -> dict[str, Table]:
    built = build_tables(ExportInput.from_project(project, coder), ExportOptions(coder=coder, **options))
    return {t.name: t for t in built}


def rows_by(table: Table, *keys: str) -> dict[tuple, dict]:
    """The table's records keyed by the values of ``keys``."""
    out = {}
    for record in table.records():
        key = tuple(record[k] for k in keys)
        assert key not in out, f"duplicate row {key}"
        out[key] = record
    return out
