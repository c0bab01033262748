"""Fixtures shared by the coding-log tests (fixtures only: test modules import nothing from here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coder.core.codings import CodingStore

TEXT = (
    "Interviewer: How did taking part change things for you?\n"
    "Ana: I never thought I'd speak at a meeting, but I did. "
    "Now I run the Tuesday group and people come to me for advice.\n"
    "Interviewer: And your health?\n"
    "Ana: I walk every day with the group. I feel better than I have in years.\n"
)


@pytest.fixture
def text() -> str:
    """A short transcript text."""
    return TEXT


@pytest.fixture
def span() -> Callable[..., tuple[int, int]]:
    """``span(text, phrase, occurrence=0)``: where a phrase is."""

    def find(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(occurrence + 1):
            i = text.index(phrase, i + 1)
        return i, i + len(phrase)

    return find


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "codings"


@pytest.fixture
def store(root: Path) -> CodingStore:
    s = CodingStore(root, lock_timeout=2.0)
    assert s.load() == []
    return s


@pytest.fixture
def reload(root: Path) -> Callable[[], CodingStore]:
    """A fresh store over the same folder, as after a restart."""

    def fresh() -> CodingStore:
        s = CodingStore(root)
        s.load()
        return s

    return fresh
