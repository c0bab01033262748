"""The suggestion model in a worker process, and who gets suggestions.

The worker is the workbench's path: the model loads, encodes and retrains in
a child process, and the caller only sends sentences.  The fake encoder is
pickled into the child for the fast tests; one test drives the packaged model.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.suggest.fake import FakeEncoder
from coder.core.suggest.values import Suggestion

REPO = Path(__file__).resolve().parents[3]

CODEBOOK = """\
name: Test
codes:
  - id: confidence
    name: Confidence
    key: "1"
    definition: Feeling more confident, believing in yourself.
    examples: ["I feel much more confident now", "I believe in myself more"]
  - id: skills
    name: New skills
    key: "2"
    definition: Learning new skills or knowledge.
    examples: ["I learned how to use a computer", "they taught me cooking skills"]
  - id: power
    name: Community power
    key: "3"
    definition: Influencing decisions that affect the local area.
    examples: ["we persuaded the council to fix the park"]
"""

INTERVIEW = """\
---
participant: P01
interviewers: [Interviewer]
---

Interviewer: Do you feel more confident now? Did you learn new skills?

Ana: I feel much more confident now. I learned how to use a computer at the library.

Interviewer: And the council?

Ana: We persuaded the council to fix the park.
"""


def write(root: Path, interview: str = INTERVIEW, model: str | None = None) -> Path:
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "coder.yaml").write_text(f"name: t\ncodebook: codebooks/test.yaml\n"
                                     + (f"model: {model}\n" if model else ""), encoding="utf-8")
    (root / "codebooks" / "test.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "p01.md").write_text(interview, encoding="utf-8")
    return root


def span(project: Project, words: str) -> tuple[int, int]:
    text = project.transcript("p01").text
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def project(tmp_path) -> Project:
    return Project.open(write(tmp_path / "study"))


@pytest.fixture
def here(project) -> Project:
    """The project with its model loaded in this process (the fake encoder)."""
    project.suggestions.encoder = FakeEncoder()
    project.suggestions.load()
    return project


@pytest.fixture
def remote(project):
    """A second view of the same project whose model runs in a worker process."""
    project = Project.open(project.root)
    service = project.suggestions
    service.encoder, service.in_worker = FakeEncoder(), True
    yield project
    service.close()


def test_the_worker_ranks_exactly_as_the_model_in_this_process(here, remote):
    remote.suggestions.load()
    assert remote.suggestions.status == "ready" and remote.suggestions.model_id == "fake-bow-256"
    for words in ("I learned how to use a computer at the library.", "We persuaded the council to fix the park."):
        found = remote.suggestions.suggest("p01", *span(remote, words), k=3)
        assert found and all(isinstance(s, Suggestion) for s in found)
        assert found == here.suggestions.suggest("p01", *span(here, words), k=3)


def test_the_worker_retrains_on_what_was_coded_since_it_loaded(here, remote):
    remote.suggestions.load()
    words = "We persuaded the council to fix the park."
    here.apply("ana", "p01", "confidence", *span(here, words))
    remote.suggestions.learn()  # the child re-reads the coding logs
    here.suggestions.learn()
    got = remote.suggestions.suggest("p01", *span(remote, words), k=3, coder="other")
    assert got == here.suggestions.suggest("p01", *span(here, words), k=3, coder="other")
    assert all(s.code != "confidence" for s in remote.suggestions.suggest("p01", *span(remote, words), coder="ana"))


def test_a_worker_that_dies_becomes_an_error_status_not_a_crash(remote):
    service = remote.suggestions
    service.load()
    proc = service._worker._proc
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert service.suggest("p01", *span(remote, "We persuaded the council"), k=3) == []
    assert service.status.startswith("error: the suggestion process stopped")
    assert "suggestions.log" in service.status
    service.learn()  # nothing to retrain, and nothing raised
    assert not service.ready


def test_closing_ends_the_worker_and_leaves_no_zombie(remote):
    service = remote.suggestions
    service.load()
    proc = service._worker._proc
    service.close()
    assert proc.returncode is not None  # reaped: not a zombie
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)
    assert service.suggest("p01", 0, 10) == []
    service.close()  # twice is harmless


def test_a_model_the_worker_cannot_load_is_reported_with_its_reason(tmp_path):
    project = Project.open(write(tmp_path / "study", model=str(tmp_path / "no-such-model")))
    service = project.suggestions
    service.in_worker = True
    with pytest.raises(CoderError) as err:
        service.load()
    assert service.status.startswith("error:") and "no-such-model" in service.status
    assert "suggestions.log" in (err.value.hint or "")
    assert service.suggest("p01", 0, 10) == []


# ------------------------------------------------------------ who is suggested for
def test_interviewer_sentences_get_no_suggestions_unless_asked(here):
    service = here.suggestions
    question = span(here, "Do you feel more confident now?")
    assert service.suggest("p01", *question) == []
    assert service.suggest("p01", *question, all_speakers=True)
    both = (question[0], span(here, "I feel much more confident now.")[1])
    assert service.suggest("p01", *both), "a span that reaches a participant's words is suggested for"


def test_without_participant_links_every_speaker_but_the_interviewer_is_suggested_for(tmp_path):
    body = INTERVIEW.split("---\n\n", 1)[1]
    project = Project.open(write(tmp_path / "study", body))
    project.suggestions.encoder = FakeEncoder()
    project.suggestions.load()
    assert project.suggestions.suggest("p01", *span(project, "I feel much more confident now."))
    assert project.suggestions.suggest("p01", *span(project, "Do you feel more confident now?")) == []
    project = Project.open(write(tmp_path / "other", body.replace("Interviewer:", "Bob:")))
    project.suggestions.encoder = FakeEncoder()
    project.suggestions.load()  # nobody is known to interview: every speaker counts
    assert project.suggestions.suggest("p01", *span(project, "Do you feel more confident now?"))


# ------------------------------------------------------------------- the real model
@pytest.mark.slow
def test_the_packaged_model_runs_in_the_worker_and_nothing_heavy_loads_here(tmp_path):
    root = write(tmp_path / "study")
    script = textwrap.dedent(f"""
        import sys
        from coder.core.project import Project
        project = Project.open({str(root)!r})
        service = project.suggestions
        service.in_worker = True
        service.load()
        text = project.transcript("p01").text
        start = text.index("We persuaded")
        found = service.suggest("p01", start, text.index("park.") + 5, k=3)
        print(service.status, found[0].code if found else "-", found[0].model if found else "-")
        service.learn()
        heavy = [m for m in ("torch", "sentence_transformers", "transformers", "sklearn") if m in sys.modules]
        print(",".join(heavy) or "none")
        service.close()
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert out.returncode == 0, out.stderr[-3000:]
    status, heavy = out.stdout.split("\n")[:2]
    assert status.split() == ["ready", "power", "all-MiniLM-L6-v2"]
    assert heavy == "none"
