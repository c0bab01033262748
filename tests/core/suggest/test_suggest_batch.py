"""``coder suggest``: suggestions for every segment, written as CSV or JSONL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from coder.core.errors import CoderError
from coder.core.suggest.batch import COLUMNS, suggest_transcripts, write_suggestions
from coder.core.suggest.fake import FakeEncoder
from coder.core.transcript import Segment, Transcript, Turn


def transcript(tid: str, turns: list[tuple[str, list[str]]]) -> Transcript:
    text, tt, segs = "", [], []
    for i, (speaker, sentences) in enumerate(turns):
        start = len(text)
        for j, s in enumerate(sentences):
            pos = len(text)
            text += s + (" " if j < len(sentences) - 1 else "")
            segs.append(Segment(f"s{len(segs)}", pos, pos + len(s), i, s))
        tt.append(Turn(i, speaker, start, len(text)))
        text += "\n\n"
    return Transcript(tid, Path(f"{tid}.txt"), "txt", text, tuple(tt), tuple(segs))


@pytest.fixture
def transcripts():
    return [
        transcript("int-01", [("Interviewer", ["What changed for you?"]),
                              ("P01", ["I made new friends at the group.", "I learned how to use a computer."])]),
        transcript("int-02", [("P02", ["We persuaded the council to fix the park."])]),
    ]


def test_every_segment_gets_ranked_codes_with_reasons(transcripts, codebook, tmp_path):
    seen = []
    rows = suggest_transcripts(transcripts, codebook, encoder=FakeEncoder(), cache_dir=tmp_path,
                               top=2, min_band="weak", progress=lambda d, n: seen.append((d, n)))
    by_seg = {}
    for r in rows:
        by_seg.setdefault((r.transcript, r.segment), []).append(r)
    assert set(by_seg) == {("int-01", "s0"), ("int-01", "s1"), ("int-01", "s2"), ("int-02", "s0")}
    assert all(len(v) == 2 and [r.rank for r in v] == [1, 2] for v in by_seg.values())
    friends = by_seg[("int-01", "s1")][0]
    assert (friends.code, friends.speaker, friends.reason_where) == ("networks", "P01", "codebook")
    assert transcripts[0].text[friends.start:friends.end] == friends.text
    assert seen and seen[-1][0] == seen[-1][1]


def test_min_band_filters_and_coded_pairs_are_not_suggested_again(transcripts, codebook):
    enc = FakeEncoder()
    rows = suggest_transcripts(transcripts, codebook, encoder=enc, top=None, min_band="strong")
    assert all(r.band == "strong" for r in rows)
    coded = [("I made new friends at the group.", "networks", "int-01 s1")]
    rows = suggest_transcripts(transcripts, codebook, coded, encoder=enc, top=5, min_band="weak")
    assert not [r for r in rows if r.segment == "s1" and r.transcript == "int-01" and r.code == "networks"]
    with pytest.raises(ValueError):
        suggest_transcripts(transcripts, codebook, encoder=enc, min_band="certain")


def test_csv_and_jsonl_output(transcripts, codebook, tmp_path):
    rows = suggest_transcripts(transcripts, codebook, encoder=FakeEncoder(), top=1, min_band="weak")
    write_suggestions(rows, tmp_path / "out.csv")
    write_suggestions(rows, tmp_path / "out.jsonl")
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert tuple(table[0]) == COLUMNS
    assert {"segment", "transcript", "speaker", "code", "score", "band", "reason"} <= set(COLUMNS)
    assert len(table) == len(rows) == 4
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["code"] for x in lines] == [r["code"] for r in table]
    stream = io.StringIO()
    write_suggestions(rows, stream, "jsonl")
    assert stream.getvalue() == (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    with pytest.raises(CoderError):
        write_suggestions(rows, tmp_path / "out.xml")
