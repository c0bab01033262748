"""Zip bombs and archives that lie about sizes cost no more than the import limits."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile

import pytest
from refi_fixtures import REPO, project_xml, text_source

from coder.core.errors import CoderError
from coder.core.refi import ImportLimits, import_refi

SRC = "40000000-0000-0000-0000-000000000001"
HEALTH = "20000000-0000-0000-0000-000000000001"
GOOD = project_xml(text_source(SRC, "T", "internal://a.txt", [(0, 4, "Gwen", HEALTH)]))
MB = 1024 * 1024


def bomb(path, size_mb: float, declared: int | None = None):
    """A .qdpx whose one transcript expands to ``size_mb`` MB of text (about 1:1000 compressed).

    With ``declared``, the archive's headers claim that many uncompressed bytes instead.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", GOOD)
        zf.writestr("sources/a.txt", "Gwen: " + "all work and no play " * int(size_mb * MB / 21))
    if declared is not None:
        data = bytearray(path.read_bytes())
        for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = -1
            while (at := data.find(sig, at + 1)) >= 0:
                name_len = struct.unpack_from("<H", data, at + (26 if sig == b"PK\x03\x04" else 28))[0]
                start = at + (30 if sig == b"PK\x03\x04" else 46)
                if data[start:start + name_len] == b"sources/a.txt":
                    struct.pack_into("<I", data, at + offset, declared)
        path.write_bytes(bytes(data))
    return path


def refused_cheaply(qdpx, target, match, limits=ImportLimits()):
    """The import is refused, reading little, holding little, writing nothing."""
    tracemalloc.start()
    t = time.perf_counter()
    try:
        with pytest.raises(CoderError, match=match) as err:
            import_refi(qdpx, target, limits)
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not target.exists()
    assert peak < limits.source_mb * MB + 16 * MB, f"held {peak / MB:.0f} MB"
    assert elapsed < 10
    return err.value


def test_a_zip_bomb_is_refused_from_its_declared_size_before_reading(tmp_path):
    qdpx = bomb(tmp_path / "bomb.qdpx", 60)
    assert qdpx.stat().st_size < MB  # under a megabyte that expands to 60
    err = refused_cheaply(qdpx, tmp_path / "p", r"declares 60\.0 MB .* over the 8 MB limit for a transcript")
    assert "--max-source-mb" in err.hint


def test_an_archive_understating_a_size_is_stopped_while_streaming(tmp_path):
    qdpx = bomb(tmp_path / "liar.qdpx", 60, declared=1000)
    refused_cheaply(qdpx, tmp_path / "p", "cannot read 'sources/a.txt'")


def test_an_archive_understating_a_size_within_the_limit_is_stopped_at_the_limit(tmp_path):
    qdpx = bomb(tmp_path / "liar.qdpx", 60, declared=4 * MB)
    refused_cheaply(qdpx, tmp_path / "p", "cannot read|holds more than")


def test_an_archive_overstating_a_size_is_refused_without_reading(tmp_path):
    qdpx = bomb(tmp_path / "liar.qdpx", 0.01, declared=300 * MB)
    refused_cheaply(qdpx, tmp_path / "p", r"declares 300\.0 MB")


def test_the_limits_can_be_raised_and_lowered(tmp_path):
    qdpx = bomb(tmp_path / "big.qdpx", 1.5)
    refused_cheaply(qdpx, tmp_path / "p", "over the 1 MB limit", ImportLimits(source_mb=1))
    refused_cheaply(qdpx, tmp_path / "q", "over the 0.0001 MB limit for a project file", ImportLimits(project_mb=0.0001))
    refused_cheaply(qdpx, tmp_path / "r", "more than 1 MB", ImportLimits(source_mb=2, total_mb=1))
    report = import_refi(qdpx, tmp_path / "s", ImportLimits(source_mb=2))
    assert report.transcripts == 1


def test_an_unpacked_project_folder_has_the_same_limits(tmp_path):
    folder = tmp_path / "unpacked"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(GOOD, encoding="utf-8")
    (folder / "sources" / "a.txt").write_text("Gwen: " + "x" * (2 * MB), encoding="utf-8")
    refused_cheaply(folder, tmp_path / "p", r"declares 2\.0 MB .* over the 1 MB limit", ImportLimits(source_mb=1))


def test_cli_option_raises_the_limit(tmp_path):
    qdpx = bomb(tmp_path / "big.qdpx", 0.2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = [sys.executable, "-m", "coder", "import", str(qdpx)]
    low = subprocess.run(run + [str(tmp_path / "p"), "--max-source-mb", "0.1"], capture_output=True, text=True, env=env)
    assert low.returncode == 2, low.stderr
    assert "over the 0.1 MB limit" in low.stderr and "--max-source-mb" in low.stderr
    assert "Traceback" not in low.stderr and not (tmp_path / "p").exists()
    ok = subprocess.run(run + [str(tmp_path / "q")], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
