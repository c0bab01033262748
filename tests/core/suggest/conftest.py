"""A small codebook and corpus shared by the suggestion tests."""

from __future__ import annotations

import pytest

from coder.core.codebook import Code, Codebook
from coder.core.suggest.fake import FakeEncoder


def make_codebook() -> Codebook:
    codes = (
        Code("wellbeing", "Health and wellbeing", definition="Physical or mental health."),
        Code(
            "confidence",
            "Confidence",
            parent="wellbeing",
            definition="Feeling more confident, believing in yourself.",
            examples=("I feel much more confident now", "I believe in myself more"),
        ),
        Code(
            "skills",
            "New skills",
            definition="Learning new skills or knowledge.",
            examples=("I learned how to use a computer", "they taught me cooking skills"),
        ),
        Code(
            "networks",
            "Social networks",
            definition="Meeting people, making friends, knowing neighbours.",
            examples=("I made new friends at the group", "I know my neighbours now"),
        ),
        Code(
            "power",
            "Community power",
            definition="Influencing decisions that affect the local area.",
            examples=("we persuaded the council to fix the park", "residents now have a say in decisions"),
        ),
    )
    return Codebook("test", None, codes)


@pytest.fixture
def codebook() -> Codebook:
    return make_codebook()


@pytest.fixture
def fake() -> FakeEncoder:
    return FakeEncoder()
