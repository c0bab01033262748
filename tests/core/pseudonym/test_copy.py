"""A pseudonymised copy of the sample project: it opens, checks clean, keeps every coding
exactly, names nobody in its exports, and keeps the key apart."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.core.errors import CoderError, Severity
from coder.core.project import Project
from coder.core.pseudonym.plan import Plan


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".coder" not in p.parts}


def _alternation(words) -> re.Pattern:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


@pytest.fixture
def copied(sample, tmp_path):
    project = Project.open(sample)
    project.memo("sample-coder", "transcript", "lc-eng-pr03-interview", "Sandra spoke about Cranmore Street.")
    before = _tree(sample)
    summary = project.pseudonymise(tmp_path / "copy", tmp_path / "keys" / "key.csv", accept="all", use_ner=False)
    return project, Project.open(tmp_path / "copy"), before, summary, tmp_path


def test_the_copy_opens_and_checks_clean(copied):
    _, copy, _, summary, _ = copied
    assert summary["transcripts"] == 16 and summary["replacements"] > 600
    problems = copy.check()
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert problems == []


def test_every_coding_survives_with_its_code_and_text(copied):
    original, copy, _, _, tmp = copied
    key = (tmp / "keys" / "key.csv").read_text(encoding="utf-8").splitlines()[1:]
    originals = {row.split(",")[1] for row in key}
    replacements = {row.split(",")[2] for row in key}
    replacements |= {r.strip("[]") for r in replacements}
    before = {c.id: c for c in original.codings()}
    after = {c.id: c for c in copy.codings()}
    assert set(before) == set(after) and len(after) == 318
    assert copy.orphans() == [] and copy.to_review() == []
    gone, put = _alternation(originals), _alternation(replacements)
    for cid, c in before.items():
        d = after[cid]
        assert (d.code, d.coder, d.transcript) == (c.code, c.coder, c.transcript)
        assert gone.sub("\0", c.quote) == put.sub("\0", d.quote)
        assert d.quote == copy.transcript(d.transcript).text[d.start:d.end]
        assert gone.sub("\0", c.reported) == put.sub("\0", d.reported)
    assert sum(bool(c.reported) for c in after.values()) == 4
    assert copy.store.state().done.keys() == original.store.state().done.keys()


def test_no_original_name_remains_in_the_copy_or_its_exports(copied, tmp_path):
    _, copy, _, _, tmp = copied
    key = (tmp / "keys" / "key.csv").read_text(encoding="utf-8").splitlines()[1:]
    gone = _alternation({row.split(",")[1] for row in key})
    copy.export(tmp_path / "exports-out", format="csv")
    copy.export(tmp_path / "exports-out", format="qdpx")
    files = [p for p in (tmp / "copy").rglob("*") if p.is_file()] + list((tmp_path / "exports-out").rglob("*"))
    assert len(files) > 20
    for path in files:
        if path.suffix == ".qdpx":
            import zipfile

            with zipfile.ZipFile(path) as z:
                texts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            texts = [path.read_text(encoding="utf-8", errors="replace")]
        for text in texts:
            assert not gone.search(text), (path, gone.search(text).group())
    memo = copy.memos("transcript", "lc-eng-pr03-interview")[0].text
    assert re.fullmatch(r"\[Name \d+\] spoke about \[Street\]\.", memo)


def test_the_original_is_never_changed_and_a_rerun_gives_the_same_copy(copied):
    original, _, before, _, tmp = copied
    assert _tree(original.root) == before
    first = _tree(tmp / "copy")
    key = (tmp / "keys" / "key.csv").read_bytes()
    original.pseudonymise(tmp / "copy", tmp / "keys" / "key.csv", accept="all", use_ner=False)
    assert _tree(tmp / "copy") == first
    assert (tmp / "keys" / "key.csv").read_bytes() == key
    assert _tree(original.root) == before


def test_the_key_is_for_the_owner_only_and_names_originals(copied):
    _, _, _, _, tmp = copied
    path = tmp / "keys" / "key.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.startswith("transcript,original,replacement,kind,occurrences\n")
    assert "lc-eng-pr03-interview,Sandra,[Name" in text
    assert not list((tmp / "copy").rglob("key.csv"))


@pytest.mark.parametrize("out, key, message", [
    ("study/exports/copy", "key.csv", "inside the project"),
    ("copy", "study/key.csv", "key file must be outside"),
    ("copy", "study/exports/key.csv", "key file must be outside"),
    ("copy", "copy/key.csv", "key file must be outside"),
    ("copy", "keys", "is a folder"),
])
def test_places_that_are_refused(sample, tmp_path, out, key, message):
    (tmp_path / "keys").mkdir()
    before = _tree(sample)
    with pytest.raises(CoderError, match=message):
        Project.open(sample).pseudonymise(tmp_path / out, tmp_path / key, accept="all", use_ner=False)
    assert _tree(sample) == before


def test_a_folder_that_is_not_a_copy_is_never_replaced(sample, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    with pytest.raises(CoderError, match="not a pseudonymised copy"):
        Project.open(sample).pseudonymise(tmp_path / "mine", tmp_path / "k.csv", accept="all", use_ner=False)
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"


def test_decisions_choose_what_is_replaced(sample, tmp_path):
    project = Project.open(sample)
    decisions = project.pseudonym_decisions()
    decisions.decide("Sandra", "accept-everywhere", replacement="[Practitioner]")
    decisions.decide("Brenda", "reject")
    decisions.decide("Calder Road", "accept", transcript="ac-eng-p01-interview")
    reread = project.pseudonym_decisions()
    assert [d.text for d in reread] == ["Brenda", "Calder Road", "Sandra"]
    assert "decision: accept-everywhere" in (sample / "pseudonymise" / "decisions.yaml").read_text()
    project.pseudonymise(tmp_path / "copy", tmp_path / "k.csv", accept="reviewed", use_ner=False)
    copy = Project.open(tmp_path / "copy")
    pr03 = copy.transcript("lc-eng-pr03-interview").text
    assert "[Practitioner]" in pr03 and "Sandra" not in pr03
    assert "Brenda" in copy.transcript("ac-eng-p01-interview").text  # rejected
    assert "Calder Road" not in copy.transcript("ac-eng-p01-interview").text  # accepted there
    assert "Calder Road" in copy.transcript("ac-eng-pr01-interview").text  # but not reviewed here
    assert "Dan" in copy.transcript("ac-eng-p01-interview").text  # not reviewed: kept in `reviewed` mode


def test_the_word_list_configures_the_participant_table(sample, tmp_path):
    (sample / "pseudonyms.yaml").write_text(
        "identifiers:\n  - text: Beckside\n    kind: place\n    replacement: '[Estate]'\n"
        "participants:\n  drop: [gender]\n  replace: {area: '[Area]'}\n", encoding="utf-8")
    Project.open(sample).pseudonymise(tmp_path / "copy", tmp_path / "k.csv", accept="reviewed", use_ner=False)
    copy = Project.open(tmp_path / "copy")
    table = (tmp_path / "copy" / "transcripts" / "participants.csv").read_text(encoding="utf-8")
    assert "gender" not in table.splitlines()[0] and "Calder Road" not in table and "[Area]" in table
    assert "Beckside" not in copy.transcript("lc-eng-pr03-interview").text
    assert not (tmp_path / "copy" / "pseudonyms.yaml").exists()
    assert [p for p in copy.check() if p.severity is Severity.ERROR] == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_key_never_goes_where_git_would_track_it(sample, tmp_path):
    repo = tmp_path / "papers"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("private/\n")
    project = Project.open(sample)
    with pytest.raises(CoderError, match="git repository") as e:
        project.pseudonymise(tmp_path / "copy", repo / "keys" / "key.csv", accept="all", use_ner=False)
    assert "ignore" in e.value.hint
    assert not (tmp_path / "copy").exists() and not (repo / "keys").exists()
    project.pseudonymise(tmp_path / "copy", repo / "private" / "key.csv", accept="all", use_ner=False)
    assert stat.S_IMODE((repo / "private" / "key.csv").stat().st_mode) == 0o600



def test_a_replaced_column_is_replaced_in_titles_and_speech_too(sample, tmp_path):
    """`replace: {area: ...}` promises the area never appears: not in a title, not in what people say,
    even where no rule would find it."""
    path = sample / "transcripts" / "lc-eng-p09-interview.txt"
    path.write_text("---\ntitle: Interview in Thornbury Vale\nparticipant: LC-ENG-P09\narea: Thornbury Vale\n---\n\n"
                    "Interviewer: Where do you live?\n\nP: here in thornbury vale and Thornbury Vale folk are kind.\n",
                    encoding="utf-8")
    (sample / "pseudonyms.yaml").write_text("participants:\n  replace: {area: '[Area]'}\n", encoding="utf-8")
    Project.open(sample).pseudonymise(tmp_path / "copy", tmp_path / "k.csv", accept="reviewed", use_ner=False)
    written = (tmp_path / "copy" / "transcripts" / "lc-eng-p09-interview.txt").read_text(encoding="utf-8")
    assert "Thornbury Vale" not in written and "title: Interview in [Area]" in written
    assert "[Area] folk are kind" in written


def test_a_reported_quote_with_a_name_in_brackets_still_validates_in_the_copy(sample, tmp_path):
    """The researcher's [brackets] around a name are not doubled ("[[Name 1]]" would not validate):
    every reported quote of the copy passes the check against its coding's text in the copy."""
    from coder.core.reported import check_reported

    project = Project.open(sample)
    t = project.transcript("lc-eng-pr03-interview")
    start = t.text.index("Sandra, I've got a reason")
    project.apply("sample-coder", t.id, project.codebook.leaves[0].id, start, start + len("Sandra, I've got a reason"))
    coding = [c for c in project.codings() if c.transcript == t.id and c.start == start][0]
    project.report_quote("sample-coder", coding.id, "[Sandra], I've got a reason")
    project.pseudonymise(tmp_path / "copy", tmp_path / "k.csv", accept="all", use_ner=False)
    copy = Project.open(tmp_path / "copy")
    reported = [c for c in copy.codings() if c.reported]
    assert len(reported) == 5 and "[[" not in "".join(c.reported for c in reported)
    for c in reported:
        check_reported(c.reported, c.quote)
    assert [c.reported for c in reported if c.id == coding.id] == ["[Name 16], I've got a reason"]


@given(st.lists(st.sampled_from(["Sandra", "Ro", "[", "]", " said ", "[Sandra]", "…", "hi", "[Ro and me]"]), max_size=12))
def test_replacing_in_a_reported_quote_never_nests_brackets(pieces):
    plan = Plan(table={"Sandra": "[Name 1]", "Ro": "[Name 2]"})
    text = "".join(pieces)
    out = plan.replace_reported(text)
    if re.fullmatch(r"[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*", text):  # balanced, unnested, as the check requires
        assert re.fullmatch(r"[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*", out)
        # the person's own words are the same, each name now a bracketed replacement
        names = re.compile(r"(?<!\w)(?:Sandra|Ro)(?!\w)")
        expected = "".join(p if p.startswith("[") else names.sub("[x]", p) for p in re.split(r"(\[[^\[\]]*\])", text))
        assert re.sub(r"\[[^\[\]]*\]", "|", out) == re.sub(r"\[[^\[\]]*\]", "|", expected)
