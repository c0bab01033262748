"""REFI import keeps when codings and memos were made, where the file says."""

from __future__ import annotations

import json

from refi_fixtures import make_qdpx

from coder.core.refi import import_refi
from coder.core.refi.reader import utc_time

NS = "urn:QDA-XML:project:1.0"
USER = "10000000-0000-0000-0000-000000000001"
CODE = "20000000-0000-0000-0000-000000000001"
NOTE = "30000000-0000-0000-0000-000000000001"


def selection(i: int, start: int, end: int, coding_time: str | None, sel_time: str | None, note: bool = False) -> str:
    sel_attr = f' creationDateTime="{sel_time}"' if sel_time else ""
    c_attr = f' creationDateTime="{coding_time}"' if coding_time else ""
    ref = f'<NoteRef targetGUID="{NOTE}"/>' if note else ""
    return (f'<PlainTextSelection guid="5000000{i}-0000-0000-0000-000000000000" name="s" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{USER}"{sel_attr}>'
            f'<Coding guid="6000000{i}-0000-0000-0000-000000000000" creatingUser="{USER}"{c_attr}>'
            f'<CodeRef targetGUID="{CODE}"/>{ref}</Coding></PlainTextSelection>')


def test_coding_and_memo_times_come_from_the_file(tmp_path):
    sels = (selection(1, 0, 4, "2021-07-12T10:21:33+01:00", None, note=True)
            + selection(2, 6, 10, None, "2021-07-13T08:00:00Z")
            + selection(3, 11, 15, None, None))
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="Times" origin="Test">'
           f'<Users><User guid="{USER}" name="Ana"/></Users>'
           f'<CodeBook><Codes><Code guid="{CODE}" name="Health" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="40000000-0000-0000-0000-000000000001" name="T" '
           f'plainTextPath="internal://a.txt">{sels}</TextSource></Sources>'
           f'<Notes><Note guid="{NOTE}" name="n" creatingUser="{USER}" creationDateTime="2021-07-14T09:30:00.250Z">'
           f'<PlainTextContent>Long pause here.</PlainTextContent></Note></Notes></Project>')
    qdpx = make_qdpx(tmp_path / "t.qdpx", xml, {"sources/a.txt": "Gwen: well, yes and no."})
    report = import_refi(qdpx, tmp_path / "p")
    events = [json.loads(line) for line in (tmp_path / "p" / "codings" / "Ana.jsonl").read_text().splitlines()]
    applies = sorted((e for e in events if e["type"] == "apply"), key=lambda e: e["start"])
    assert applies[0]["time"] == "2021-07-12T09:21:33.000Z"  # the coding's own time, in UTC
    assert applies[1]["time"] == "2021-07-13T08:00:00.000Z"  # the selection's, when the coding has none
    assert applies[2]["time"] > "2025"  # none in the file: the time of the import
    memo = next(e for e in events if e["type"] == "memo")
    assert memo["time"] == "2021-07-14T09:30:00.250Z" and report.memos == 1


def test_times_are_read_as_the_standard_writes_them():
    assert utc_time("2021-07-12T10:21:33") == "2021-07-12T10:21:33.000Z"  # no zone: UTC
    assert utc_time("2021-07-12T10:21:33.5-05:00") == "2021-07-12T15:21:33.500Z"
    assert utc_time("12/07/2021") is None and utc_time("") is None and utc_time(None) is None
