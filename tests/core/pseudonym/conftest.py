"""A writable copy of the sample project for pseudonymisation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def copy_sample(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "coder.yaml", root / "coder.yaml")
    for folder in ("codebooks", "transcripts", "codings"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def sample(tmp_path) -> Path:
    return copy_sample(tmp_path / "study")
