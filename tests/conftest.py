"""Shared fixtures: the path to the sample project; tests read nothing outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_user(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user's settings, and know who is coding."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("CODER_NAME", "tester")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def repo() -> Path:
    return REPO

