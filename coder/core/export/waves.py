"""Waves of a repeated study: which transcripts and answers belong to which wave.

* A transcript's wave is ``wave:`` in its front matter or sidecar; a transcript
  without one belongs to wave ``1`` (the first).
* The participant table holds each wave's answers side by side (a wide layout):
  the plain column (``q_influence_decisions``) holds the first wave's answers and
  ``<column>@<wave>`` (``q_influence_decisions@2``) a later wave's.  Attributes
  (programme, nation, role...) are the same in every wave.
* An export reports one wave at a time, as if it were its own project: only that
  wave's transcripts, codings and answers, so a participant interviewed in two
  waves is counted once in each.  The default is the first wave; ``--wave W``
  chooses another, and ``--by-wave`` writes every wave, its rows marked with the
  wave, in the same tables.  A project whose transcripts name no wave has no waves.
"""

from __future__ import annotations

from dataclasses import replace

from coder.core.errors import CoderError
from coder.core.export.inputs import ExportInput
from coder.core.export.table import Table
from coder.core.participants import ParticipantTable

FIRST = "1"
SEP = "@"
RULE = ("a transcript's wave is `wave:` in its front matter or sidecar (none: wave 1); answers of a later wave are "
        "in participant-table columns named <column>@<wave>, the plain column holding wave 1; each wave is reported "
        "as its own project (its transcripts, codings and answers), so a participant interviewed in two waves is "
        "counted once in each; the default export reports wave 1, --wave W another, --by-wave every wave with a "
        "'wave' column on every table")


def wave_of(meta: dict) -> str:
    value = meta.get("wave")
    return FIRST if value is None or str(value).strip() == "" else str(value).strip()


def _key(wave: str) -> tuple:
    return (0, int(wave), wave) if wave.isdigit() else (1, 0, wave)


def waves(inp: ExportInput) -> list[str]:
    """The project's waves in order; empty when no transcript names one."""
    if not any("wave" in t.meta for t in inp.transcripts.values()):
        return []
    found = {wave_of(t.meta) for t in inp.transcripts.values()}
    found |= {c.split(SEP, 1)[1] for c in inp.participants.columns if SEP in c}
    return sorted(found | {FIRST}, key=_key)


def for_wave(inp: ExportInput, wave: str) -> ExportInput:
    """The part of ``inp`` that belongs to ``wave``: its transcripts, their codings and memos, its answers."""
    transcripts = {tid: t for tid, t in inp.transcripts.items() if wave_of(t.meta) == wave}
    codings = [c for c in inp.codings if c.transcript in transcripts]
    ids = {c.id for c in codings}
    memos = [m for m in inp.memos if (m.target_kind == "coding" and m.target in ids)
             or (m.target_kind == "transcript" and m.target in transcripts) or m.target_kind == "code"]
    answer_columns = {o.column for o in inp.outcomes}
    return replace(inp, transcripts=transcripts, codings=codings, memos=memos,
                   participants=_answers(inp.participants, wave, answer_columns),
                   done=frozenset(t for t in inp.done if t in transcripts))


def _answers(table: ParticipantTable, wave: str, answer_columns: set[str]) -> ParticipantTable:
    """The table with ``wave``'s answers in the plain columns and no ``@`` columns.

    In a later wave, a questionnaire column without a ``@wave`` column is empty
    (nobody answered it then); other columns are attributes, the same in every wave.
    """
    plain = tuple(c for c in table.columns if SEP not in c)
    rows = {}
    for pid, row in table.rows.items():
        out = {c: row.get(c, "") for c in plain}
        if wave != FIRST:
            for c in plain:
                later = f"{c}{SEP}{wave}"
                if later in table.columns or c in answer_columns:
                    out[c] = row.get(later, "")
        rows[pid] = out
    return replace(table, columns=plain, rows=rows)


def view(inp: ExportInput, wave: str | None) -> tuple[ExportInput, str | None]:
    """The input an export reports (one wave of it, when the project has waves) and that wave."""
    found = waves(inp)
    if not found:
        if wave is not None:
            raise CoderError(f"cannot report wave {wave}: no transcript names a wave",
                             hint="give transcripts `wave:` in their front matter or sidecar")
        return inp, None
    chosen = FIRST if wave is None else str(wave)
    if chosen not in found:
        raise CoderError(f"no wave '{chosen}' in this project", hint=f"waves: {', '.join(found)}")
    return for_wave(inp, chosen), chosen


def stack(per_wave: list[tuple[str, list[Table]]]) -> list[Table]:
    """Every wave's tables as one set, each row led by its wave (columns: the union, in first-seen order)."""
    order: list[str] = []
    parts: dict[str, list[tuple[str, Table]]] = {}
    for wave, tables in per_wave:
        for t in tables:
            if t.name not in parts:
                order.append(t.name)
            parts.setdefault(t.name, []).append((wave, t))
    out = []
    for name in order:
        first = parts[name][0][1]
        columns = {"wave": "the wave the row reports (each wave is counted on its own)"}
        for _, t in parts[name]:
            for c, meaning in t.columns.items():
                columns.setdefault(c if c != "wave" else "wave_column", meaning)
        rows = []
        for wave, t in parts[name]:
            names = [c if c != "wave" else "wave_column" for c in t.columns]
            for row in t.rows:
                values = dict(zip(names, row))
                rows.append([wave, *[values.get(c) for c in list(columns)[1:]]])
        out.append(Table(first.name, first.title, f"{first.unit}, in one wave", first.denominator, columns, rows))
    return out
