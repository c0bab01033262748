"""Replacing a file: all or nothing, and readable by the team like any other file."""

from __future__ import annotations

import os
import stat

import pytest

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError


def test_new_files_get_the_usual_permissions_and_edited_files_keep_theirs(tmp_path):
    umask = os.umask(0o022)
    try:
        fresh = write_atomic(tmp_path / "quotes.csv", "a,b\n")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "codebook.yaml"
        kept.write_text("old")
        kept.chmod(0o664)
        write_atomic(kept, "new")
        assert kept.read_text() == "new" and stat.S_IMODE(kept.stat().st_mode) == 0o664
    finally:
        os.umask(umask)


def test_a_failed_write_is_a_clear_error_and_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "codebook.yaml"
    target.write_text("old")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(CoderError, match="No space left on device"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["codebook.yaml"]
