"""Parsed transcripts are kept by content under .coder/parsed: same results, no spaCy when warm."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core.parse_cache import ParseCache, Segments
from coder.core.project import Project
from coder.core.transcripts import discover_transcripts, find_transcript, load_transcript, transcript_id

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    for name in ("coder.yaml", "codebooks", "transcripts"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    return root


def same(a, b) -> None:
    assert (a.id, a.path, a.format, a.text, a.turns) == (b.id, b.path, b.format, b.text, b.turns)
    assert tuple(a.segments) == tuple(b.segments) and len(a.segments) == len(b.segments)
    assert dict(a.meta) == dict(b.meta) and a.meta.file == b.meta.file and a.meta.lines == b.meta.lines


def every(root: Path):
    folder = root / "transcripts"
    return [(p, folder) for p in discover_transcripts(folder)]


def test_every_sample_transcript_comes_back_from_the_cache_as_parsed(project):
    cache = ParseCache(project / ".coder" / "parsed")
    for path, folder in every(project):
        fresh = load_transcript(path, folder)
        stored = load_transcript(path, folder, cache)  # parsed, then kept
        again = load_transcript(path, folder, ParseCache(cache.folder))  # read back in a new process
        same(fresh, stored)
        same(fresh, again)
        assert isinstance(again.segments, Segments)
    assert len(list(cache.folder.glob("*.json"))) == len(every(project))


WARM = """
import sys
from coder.core.project import Project
p = Project.open(sys.argv[1])
n = sum(len(p.transcript(t).segments) for t in p.transcript_ids())
print(n, "spacy" in sys.modules)
"""


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def test_a_warm_project_never_loads_spacy(project):
    cold = run(WARM, str(project)).stdout.split()
    warm = run(WARM, str(project)).stdout.split()
    assert cold[1] == "True" and warm[1] == "False"
    assert cold[0] == warm[0] and int(cold[0]) > 1000


def test_concurrent_processes_share_the_cache_safely(project):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", WARM, str(project)], stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    counts = {p.communicate(timeout=300)[0].split()[0] for p in procs}
    assert len(counts) == 1
    entries = list((project / ".coder" / "parsed").iterdir())
    assert entries and all(e.suffix == ".json" for e in entries)  # no temporary file left behind
    for entry in entries:
        json.loads(entry.read_bytes())  # every entry whole


def test_a_damaged_entry_is_rebuilt_silently(project):
    path, folder = every(project)[0]
    cache = ParseCache(project / ".coder" / "parsed")
    fresh = load_transcript(path, folder, cache)
    for n, entry in enumerate(cache.folder.glob("*.json")):
        entry.write_bytes([b"", b"{not json", b'{"key": 1}', b"[]"][n % 4])
    same(fresh, load_transcript(path, folder, ParseCache(cache.folder)))
    assert json.loads(next(cache.folder.glob("*.json")).read_bytes())["format"] >= 1  # rewritten whole


def test_a_wrong_entry_for_the_right_key_is_rebuilt(project):
    path, folder = every(project)[0]
    cache = ParseCache(project / ".coder" / "parsed")
    fresh = load_transcript(path, folder, cache)
    entry = next(cache.folder.glob("*.json"))
    data = json.loads(entry.read_bytes())
    data["segments"]["end"] = data["segments"]["end"][:-1]  # columns that disagree
    entry.write_text(json.dumps(data), encoding="utf-8")
    same(fresh, load_transcript(path, folder, ParseCache(cache.folder)))


def test_an_edited_transcript_is_parsed_again(project):
    path = project / "transcripts" / "ac-eng-pr01-interview.txt"
    folder = project / "transcripts"
    cache = ParseCache(project / ".coder" / "parsed")
    before = load_transcript(path, folder, cache)
    path.write_text(path.read_text(encoding="utf-8") + "\nInterviewer: One more thing. Thank you.\n", encoding="utf-8")
    after = load_transcript(path, folder, ParseCache(cache.folder))
    assert after.text != before.text and after.segments[-1].text == "Thank you."
    assert len(list(cache.folder.glob("*.json"))) == 1  # the entry was replaced, not added to


def test_no_writable_cache_folder_means_no_cache_not_an_error(project):
    (project / ".coder").mkdir()
    (project / ".coder" / "parsed").write_text("a file where the folder would be")
    path, folder = every(project)[0]
    same(load_transcript(path, folder), load_transcript(path, folder, ParseCache(project / ".coder" / "parsed")))


def test_segments_from_the_cache_behave_as_a_tuple(project):
    path, folder = every(project)[0]
    cache = ParseCache(project / ".coder" / "parsed")
    fresh = load_transcript(path, folder, cache)
    lazy = load_transcript(path, folder, ParseCache(cache.folder)).segments
    assert lazy[0] == fresh.segments[0] and lazy[-1] == fresh.segments[-1]
    assert lazy[1:3] == fresh.segments[1:3] and list(lazy) == list(fresh.segments)
    assert lazy == fresh.segments and hash(lazy) == hash(fresh.segments)
    with pytest.raises(IndexError):
        lazy[len(lazy)]


LABELS = st.sampled_from(["Interviewer", "Gwen", "Tariq", "**Ana**", "P05"])
WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), min_size=0, max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(st.tuples(LABELS, WORDS), max_size=6),
       date=st.one_of(st.none(), st.dates()))
def test_any_transcript_reads_back_as_parsed(tmp_path_factory, turns, date):
    folder = tmp_path_factory.mktemp("t")
    meta = "---\nparticipant: P05\ninterviewers: [Interviewer]\n" + (f"date: {date}\n" if date else "") + "---\n"
    path = folder / "x.md"
    path.write_text(meta + "\n\n".join(f"{who}: {words}" for who, words in turns), encoding="utf-8")
    try:
        fresh = load_transcript(path, folder)
    except Exception:  # noqa: BLE001 - a file the reader refuses is refused the same way with a cache
        with pytest.raises(Exception):
            load_transcript(path, folder, ParseCache(folder / ".cache"))
        return
    cache = ParseCache(folder / ".cache")
    same(fresh, load_transcript(path, folder, cache))
    same(fresh, load_transcript(path, folder, ParseCache(cache.folder)))


def test_a_transcript_is_found_by_name_as_a_scan_would_find_it(tmp_path):
    folder = tmp_path / "transcripts"
    (folder / "wave2").mkdir(parents=True)
    for name in ("a.txt", "a.md", "wave2/b.vtt", "c.TXT", ".hidden.txt", "~$d.docx", "participants.csv",
                 "readme.md", "e.yaml"):
        (folder / name).write_text("Interviewer: hi\n", encoding="utf-8")
    scanned: dict[str, Path] = {}
    for path in discover_transcripts(folder):
        scanned.setdefault(transcript_id(path, folder), path)
    for tid, path in scanned.items():
        assert find_transcript(folder, tid) in (path, None)  # never a different file
    assert find_transcript(folder, "a") == folder / "a.md" == scanned["a"]
    assert find_transcript(folder, "wave2/b") == folder / "wave2" / "b.vtt"
    for tid in ("readme", "participants", ".hidden", "../p/transcripts/a", "/a", "", "e"):
        assert find_transcript(folder, tid) is None


def test_asking_whether_undo_applies_never_reads_the_logs(project):
    p = Project.open(project)
    assert p.can_undo("ana") is False and p.can_redo("ana") is False
    assert p._store is None


FINGERPRINTED = """
import sys
from pathlib import Path
import coder.core.transcripts, coder.core.parse_cache as pc
core = Path(pc.__file__).resolve().parent
covered = {p.resolve() for pattern in pc.PARSE_SOURCES for p in core.glob(pattern)}
loaded = {Path(m.__file__).resolve() for n, m in list(sys.modules.items())
          if n.startswith("coder.core.") and getattr(m, "__file__", None) and not m.__file__.endswith("__init__.py")}
print("\\n".join(sorted(str(p.relative_to(core)) for p in loaded - covered)))
"""


def test_the_cache_key_covers_every_module_that_parses():
    missing = run(FINGERPRINTED).stdout.split()
    assert not missing, f"add to PARSE_SOURCES: {missing}"
