"""Shared fixtures: a coded copy of the sample project and its REFI-QDA export (built once per run)."""

from __future__ import annotations

import pytest
from refi_fixtures import copy_sample_project

from coder.core.coding import Origin
from coder.core.project import Project
from coder.core.refi import export_qdpx


@pytest.fixture(scope="session")
def coded(tmp_path_factory):
    """A copy of the sample project with codings by two coders, memos and an accepted suggestion."""
    root = copy_sample_project(tmp_path_factory.mktemp("sample") / "project")
    project = Project.open(root)
    plan = [("ana", "lc-eng-pr03-interview", "community-power", 3), ("ana", "lc-eng-pr03-interview", "partnerships", 6),
            ("ben", "lc-eng-pr03-interview", "community-power", 3), ("ben", "ac-eng-p01-interview", "confidence", 5),
            ("ana", "lc-eng-focus-group", "new-friends", 8)]
    made = []
    for coder, tid, code, i in plan:
        seg = project.transcript(tid).segments[i]
        made.append(project.apply(coder, tid, code, seg.start, seg.end))
    seg = project.transcript("ac-eng-p01-interview").segments[9]
    project.apply("ben", "ac-eng-p01-interview", "health-wellbeing", seg.start, seg.end,
                  origin=Origin("suggestion", "all-MiniLM-L6-v2", 0.71, 1))
    project.memo("ana", "coding", made[0].id, "Clear example of voice — “own words”.")
    project.memo("ben", "transcript", "ac-eng-p01-interview", "Long pauses throughout.")
    project.memo("ana", "code", "confidence", "Watch the overlap with new-skills.")
    return project


@pytest.fixture(scope="session")
def exported(coded, tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "sample.qdpx"
    return export_qdpx(coded, path), path
