"""Which sentences were read past uncoded: the overlap test must agree with checking every coding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coder.core.coding import Coding, Origin
from coder.core.suggestions import overlaps_coding

span = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1]))


def coding(start: int, end: int) -> Coding:
    return Coding(id="x", coder="c", transcript="t", code="k", start=start, end=end, quote="", prefix="",
                  suffix="", text_hash="", origin=Origin(), time="2025-01-01T00:00:00Z")


@given(codings=st.lists(span, max_size=12), segments=st.lists(span, min_size=1, max_size=12))
def test_overlap_with_any_coding_is_found_as_by_checking_each(codings, segments):
    overlaps = overlaps_coding([coding(a, b) for a, b in codings])
    for start, end in segments:
        assert overlaps(start, end) == any(a < end and start < b for a, b in codings)
