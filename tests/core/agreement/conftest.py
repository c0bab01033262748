"""A small codebook with a parent and a child code, for the agreement tests."""

from __future__ import annotations

import pytest

from coder.core.codebook import Code, Codebook


@pytest.fixture
def codebook() -> Codebook:
    return Codebook("test", None, (
        Code("social", "Social networks"),
        Code("friends", "New friends", parent="social"),
        Code("confidence", "Confidence"),
    ))  # fmt: skip
