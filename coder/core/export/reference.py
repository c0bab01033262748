"""codebook.csv and participants.csv: the inputs, flattened, so a report can cite them."""

from __future__ import annotations

from coder.core.export.index import ExportIndex
from coder.core.export.table import Table


def codebook_table(ix: ExportIndex) -> Table:
    book = ix.inp.codebook
    columns = {
        "code_id": "the code's stable id (as in the coding log)",
        "name": "the code's label",
        "path": "ids from the top-level theme down to this code, separated by '/'",
        "parent": "id of the parent code (empty for a top-level theme)",
        "level": "1 for a top-level theme, 2 for its children, ...",
        "key": "keyboard shortcut in the coding screen",
        "colour": "highlight colour (#rrggbb)",
        "definition": "what the code captures",
        "include": "guidance on what to code here",
        "exclude": "what belongs elsewhere",
        "examples": "example quotes, separated by ' | '",
        "former_ids": "ids the code was known by before, separated by '; '",
    }
    rows = [[c.id, c.name, "/".join(book.path(c.id)), c.parent or "", book.level(c.id), c.key or "",
             c.colour, c.definition, c.include, c.exclude, " | ".join(c.examples), "; ".join(c.former_ids)]
            for c in ix.codes]
    return Table("codebook", f"Codebook: {book.name}", "one code", "", columns, rows)


def participants_table(ix: ExportIndex) -> Table:
    table = ix.inp.participants
    attrs = ix.table_columns
    outcome_cols = {o.column: o for o in ix.inp.outcomes}
    columns = {"participant_id": "the participant's id"}
    for col in attrs:
        o = outcome_cols.get(col)
        columns[col] = f"questionnaire answer to '{o.wording or o.id}' (empty: not asked or no answer)" if o \
            else "attribute from the participant table"
    extra = {
        "in_table": "yes if the participant table has a row for this id; no if only a transcript names them",
        "transcript_ids": "transcripts this participant speaks in, separated by '; ' (empty: not interviewed)",
        "n_transcripts": "number of those transcripts; participants with 1 or more are the 'interviewed'",
    }
    for name, meaning in extra.items():
        columns[name if name not in columns else f"coder_{name}"] = meaning
    ids = sorted(set(table.ids) | set(ix.interviewed))
    rows = []
    for pid in ids:
        row = ix.attrs(pid)
        tids = ix.transcripts_of.get(pid, [])
        rows.append([pid, *[row.get(c, "") for c in attrs], "yes" if pid in table else "no",
                     "; ".join(tids), len(tids)])
    return Table("participants", "Participants (validated participant table)", "one participant",
                 "", columns, rows)


def memos_table(ix: ExportIndex) -> Table:
    """Every memo: on a coding (with its quote), on a transcript, or on a code."""
    columns = {
        "target_kind": "what the memo is about: coding, transcript, code, or project (the project journal)",
        "target": "the coding id, transcript id or code id",
        "transcript": "the transcript (for memos on codings and transcripts)",
        "code_id": "the code (for memos on codings and codes)",
        "quote": "the coded passage (for memos on codings)",
        "coder": "who wrote the memo",
        "written_at": "when it was last written (UTC)",
        "memo": "the memo's text",
    }
    codings = {c.id: c for c in ix.inp.codings}
    rows = []
    for m in sorted(ix.inp.memos, key=lambda m: (m.target_kind, m.target, m.coder, m.time)):
        c = codings.get(m.target) if m.target_kind == "coding" else None
        transcript = c.transcript if c else (m.target if m.target_kind == "transcript" else "")
        code = c.code if c else (m.target if m.target_kind == "code" else "")
        rows.append([m.target_kind, m.target, transcript, code, ix.inp.quote(c) if c else "", m.coder, m.time, m.text])
    return Table("memos", "Memos", "one memo", "", columns, rows)
