"""Two running instances of coder for one coder, as two real processes using the Project facade.

The rule: both may work; coding a span the other already coded is not written
twice (checked under the log's lock), and undo/redo in one instance only ever
take back that instance's own actions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coder.core.project import Project

DRIVER = textwrap.dedent("""\
    import sys
    from coder.core.project import Project
    project = Project.open(sys.argv[1])
    project.store  # loaded now, as when the workbench opens
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "apply":
            phrase = " ".join(args[1:])
            text = project.transcript("ana").text
            start = text.index(phrase)
            print(project.apply("ana", "ana", args[0], start, start + len(phrase)).id, flush=True)
        elif cmd == "undo":
            print(project.undo("ana"), flush=True)
        elif cmd == "redo":
            print(project.redo("ana"), flush=True)
    """)

TRANSCRIPT = "Interviewer: How did it start?\n\nAna: I went along to the lunch club. I made new friends there.\n"


class Instance:
    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(root)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def __call__(self, command: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    Project.init(root)
    (root / "transcripts" / "ana.txt").write_text(TRANSCRIPT, encoding="utf-8")
    return root


def events(root: Path) -> list[dict]:
    return [json.loads(x) for x in (root / "codings" / "ana.jsonl").read_text().splitlines()]


def test_two_instances_never_write_the_same_coding_twice_and_each_undoes_only_its_own(root):
    one, two = Instance(root), Instance(root)
    try:
        a = one("apply example-theme I made new friends there.")
        b = two("apply example-theme I made new friends there.")  # two has not seen one's coding yet
        assert a == b and [e["type"] for e in events(root)] == ["apply"]
        c = one("apply example-subtheme I went along to the lunch club.")
        d = two("apply example-theme I went along to the lunch club.")  # two's latest action
        assert "Example sub-theme" in one("undo")  # one's own latest, not two's later coding
        assert {x["type"] for x in events(root)} == {"apply", "undo"}
        assert two("undo").startswith("Undid: apply")  # two's own: its coding of the lunch club
        assert one("undo").startswith("Undid: apply")  # one's first coding (the friends sentence)
        assert two("undo") == "None"  # two never coded that span itself: nothing of its own is left
        current = {x.id for x in Project.open(root).codings("ana")}
        assert current == set() and a and c and d
        assert "Example theme" in two("redo")  # redo, too, is two's own
        assert {x.id for x in Project.open(root).codings("ana")} == {d}
    finally:
        one.close()
        two.close()
