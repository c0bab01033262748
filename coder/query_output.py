"""Plain-text, JSON and CSV output of ``coder find``, ``coder search`` and ``coder codes stats``."""

from __future__ import annotations

import sys
from typing import TextIO

from coder.core.export.options import DEFAULT_GROUP_BY
from coder.core.query import CodeCount, Retrieved, SearchHit
from coder.core.query.output import records_csv, records_json


def write_records(records: list[dict], fmt: str, out: TextIO = sys.stdout) -> None:
    out.write(records_json(records) + "\n" if fmt == "json" else records_csv(records))


def print_found(rows: list[Retrieved], title: str, out: TextIO = sys.stdout) -> None:
    """One block per coding: where it is and who said it, then the quote with its context."""
    for r in rows:
        c = r.coding
        who = ", ".join(f"{p} ({s})" for p, s in zip(r.participants, r.speakers)) or f"{'; '.join(r.speakers)} (not a participant)"
        groups = ", ".join(r.attributes[g] for g in DEFAULT_GROUP_BY if r.attributes.get(g))
        memo = "  [memo]" if r.memo else ""
        print(f"{c.transcript}:{c.start}-{c.end}  {who}  {groups}  {r.code}  {c.coder}  {r.origin}{memo}", file=out)
        if r.before:
            print(f"    … {r.before}", file=out)
        print(f"  » {r.quote}", file=out)
        if r.after:
            print(f"    {r.after} …", file=out)
        print(file=out)
    people = {p for r in rows for p in r.participants}
    transcripts = {r.transcript for r in rows}
    print(f"{len(rows)} coding(s) of {title} from {len(people)} participant(s) in {len(transcripts)} transcript(s)",
          file=out)


def print_hits(hits: list[SearchHit], pattern: str, out: TextIO = sys.stdout) -> None:
    current = None
    for h in hits:
        if h.transcript != current:
            current = h.transcript
            n = sum(1 for x in hits if x.transcript == current)
            print(f"{current} ({n} hit{'s' if n != 1 else ''})", file=out)
        who = f"{h.speaker} [{h.participant_id}]" if h.participant_id else h.speaker
        print(f"  {h.start:>7}  {who}: {h.before}[{h.text}]{h.after}", file=out)
    print(f"{len(hits)} hit(s) of {pattern!r} in {len({h.transcript for h in hits})} transcript(s)", file=out)


def stats_records(counts: list[CodeCount], by: str | None) -> list[dict]:
    return [c.record(by) for c in counts]


def print_stats(counts: list[CodeCount], by: str | None, out: TextIO = sys.stdout) -> None:
    from coder.cli import _print_table

    rows = []
    for c in counts:
        row = c.record(by)
        row["code_id"] = "  " * (c.level - 1) + c.code
        rows.append(row)
    columns = ["code_id", "code_name", *([by] if by else []), "codings", "segments", "participants"]
    _print_table(rows, columns, out)
    print("segments and participants: distinct, spoken by interviewed participants; "
          "a theme counts its sub-themes' (never summed)", file=out)
