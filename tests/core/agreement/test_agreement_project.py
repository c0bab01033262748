"""`coder agree` through the Project: which transcripts, which coders, the CSV it writes."""

from __future__ import annotations

import csv

import pytest
from agreement_fixtures import code_sentence, small_project
from sklearn.metrics import cohen_kappa_score

from coder.core.agreement import CSV_NAME, agreement_table
from coder.core.errors import CoderError
from coder.core.project import Project


@pytest.fixture
def project(tmp_path):
    project = Project.open(small_project(tmp_path / "proj"))
    # segments of t1: 0-1 interviewer, 2-6 Gwen
    for coder, code, i in (("ana", "friends", 4), ("ana", "confidence", 5), ("ana", "confidence", 6),
                           ("ben", "social", 4), ("ben", "confidence", 5), ("ben", "friends", 2),
                           ("ana", "friends", 3)):
        code_sentence(project, coder, "t1", code, i)
    code_sentence(project, "ana", "t2", "confidence", 5)  # only ana coded t2
    return project


def test_writes_csv_and_compares_only_transcripts_both_coded(project):
    table = agreement_table(project, "ana", "ben", unit="segment")
    assert table.transcripts == ("t1",)
    n = len(project.transcript("t1").segments)
    path = project.root / "exports" / CSV_NAME
    assert table.csv_path == path and path.exists()
    rows = {r["code"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert set(rows) == {"social", "friends", "confidence", "(pooled)"}
    assert rows["confidence"]["units"] == str(n)
    ana, ben = [0] * n, [0] * n
    ana[5] = ana[6] = ben[5] = 1
    assert float(rows["confidence"]["cohen_kappa"]) == pytest.approx(cohen_kappa_score(ana, ben), abs=1e-4)
    # ben coded the parent on segment 4 where ana coded the child: they agree on `social`, not on `friends`
    social, friends = table.row("social").counts, table.row("friends").counts
    assert (social.both, social.only_a, social.only_b) == (1, 1, 1)
    assert (friends.both, friends.only_a, friends.only_b) == (0, 2, 1)


def test_explicit_transcripts_and_units(project):
    table = agreement_table(project, "ana", "ben", unit="participant", transcripts=["t1", "t2"], write=False)
    assert [r.units for r in table.rows][0] == 2  # P1 and P2
    assert table.row("confidence").counts.both == 1 and table.row("confidence").counts.only_a == 1
    assert table.csv_path is None and not (project.root / "exports" / CSV_NAME).exists()


def test_user_mistakes_are_coder_errors(project):
    with pytest.raises(CoderError, match="no coder 'zoe'"):
        agreement_table(project, "ana", "zoe")
    with pytest.raises(CoderError, match="two different coders"):
        agreement_table(project, "ana", "ana")
    with pytest.raises(CoderError, match="no transcript 'nope'"):
        agreement_table(project, "ana", "ben", transcripts=["nope"])
    with pytest.raises(CoderError, match="unknown unit"):
        agreement_table(project, "ana", "ben", unit="paragraph")


def test_no_transcript_in_common(tmp_path):
    project = Project.open(small_project(tmp_path / "p"))
    code_sentence(project, "ana", "t1", "friends", 3)
    code_sentence(project, "ben", "t2", "friends", 3)
    with pytest.raises(CoderError, match="not coded any transcript in common"):
        agreement_table(project, "ana", "ben")
