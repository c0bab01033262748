"""REFI-QDA notes as coder memos.

A note becomes a memo on what it is attached to: a coding (``NoteRef`` in the
``Coding``), every coding of a selection (``NoteRef`` in the selection, or a
``Link`` between note and selection, as ATLAS.ti writes memo links), a
transcript (``NoteRef`` in the source) or a code.  Several notes on the same
target by the same coder are joined, since a coder keeps one memo per target.
Notes attached to nothing coder has (the project itself, a picture...) are
reported, not dropped silently.
"""

from __future__ import annotations

from coder.core.refi.model import RefiProject


def attach_notes(project: RefiProject, store, made: dict[str, list[str]], tids: dict[str, str],
                 code_ids: dict[str, str], who, warnings: list[str]) -> int:
    """Notes attached to codings, selections, sources or codes become memos; others are reported."""
    targets: dict[str, list[tuple[str, str]]] = {}  # note GUID -> [(target kind, target id)]

    def attach(note: str, kind: str, target: str) -> None:
        targets.setdefault(note, []).append((kind, target))

    coding_owner = {cid: c for cid, c in store.state().codings.items()}
    for src in project.sources:
        tid = tids.get(src.guid)
        for note in src.notes:
            if tid:
                attach(note, "transcript", tid)
        for sel in src.selections:
            for note in sel.notes:
                for cid in made.get(sel.guid, []):
                    attach(note, "coding", cid)
            for c in sel.codings:
                for note in c.notes:
                    for cid in made.get(c.guid, []):
                        attach(note, "coding", cid)
    for code in project.codes:
        for note in code.notes:
            if code.guid in code_ids:
                attach(note, "code", code_ids[code.guid])
    for a, b in project.links:
        note, other = (a, b) if a in project.notes else (b, a) if b in project.notes else (None, None)
        if note is None:
            continue
        for cid in made.get(other, []):
            attach(note, "coding", cid)
        if other in tids:
            attach(note, "transcript", tids[other])
        if other in code_ids:
            attach(note, "code", code_ids[other])
    texts: dict[tuple[str, str, str], list[str]] = {}
    times: dict[tuple[str, str, str], str] = {}  # the latest time of the notes joined into one memo
    for note_guid, note in project.notes.items():
        places = list(dict.fromkeys(targets.get(note_guid, [])))
        if not note.text.strip():
            continue
        for kind, target in places:
            coder = who(note.user) if note.user else (coding_owner[target].coder if kind == "coding" else who(None))
            texts.setdefault((kind, target, coder), []).append(note.text.strip())
            if note.time:
                times[(kind, target, coder)] = max(times.get((kind, target, coder), ""), note.time)
    unattached = [g for g, note in project.notes.items() if note.text.strip() and g not in targets]
    if unattached:
        names = ", ".join(f"'{project.notes[g].name or g}'" for g in unattached[:5])
        warnings.append(f"{len(unattached)} note(s) not attached to a coding, transcript or code were not carried over: "
                        f"{names}{' ...' if len(unattached) > 5 else ''}")
    batches: dict[str, list[tuple[str, str, str]]] = {}
    when: dict[str, list[str | None]] = {}
    for (kind, target, coder), parts in texts.items():
        batches.setdefault(coder, []).append((kind, target, "\n\n".join(parts)))
        when.setdefault(coder, []).append(times.get((kind, target, coder)))
    for coder, items in batches.items():  # one durable batch per coder's log, at the notes' own times
        store.memo_many(coder, items, when[coder])
    return len(texts)
