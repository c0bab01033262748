"""How well `coder pseudonymise` finds planted identifiers, and whether a copy keeps none.

Generates (seeded) a project of interview transcripts with planted identifiers of
every kind: the speakers' own names (full, first name, possessive), other people's
names and nicknames, places, organisations, street addresses, streets, phone numbers,
e-mail addresses, postcodes, NHS-number-like digit runs and dates.  Prints recall per
planted kind and precision per candidate kind, with and without spaCy's entity
recogniser (when a pipeline is installed, see README: Pseudonymising), then applies
every candidate (``--accept all``) and counts the planted identifiers left in the
copy's transcripts, memos and every export (CSV, XLSX, REFI-QDA), and the codings
that survive with the same code and the same text apart from the replacements.

    python benchmarks/pseudonymise.py [--transcripts 30] [--seed 1] [--spacy both|on|off]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from coder.core.project import Project
from coder.core.pseudonym import ner
from coder.core.pseudonym.patterns import FACILITY_WORDS, ORG_WORDS, TITLES

REPO = Path(__file__).resolve().parents[1]
FIRST = ["Brenda", "Tariq", "Siân", "Gareth", "Maureen", "Leanne", "Dev", "Agnieszka", "Kwame", "Fiona",
         "Hamish", "Rhiannon", "Imran", "Carol", "Derek", "Yasmin", "Colin", "Nadia", "Owen", "Priya"]
LAST = ["Holt", "Khan", "Jenkins", "Whitworth", "Price", "Okafor", "Campbell", "Nowak", "Patel", "Lewis"]
OTHERS = ["Chloe", "Mr Hussain", "Auntie Pat", "Big Steve", "Mrs Donnelly", "Jayden", "Father Michael", "Gemma Hartley"]
PLACES = ["Halifax", "Rochdale", "Merthyr Tydfil", "Paisley", "Blackburn", "Dundee", "Wrexham", "Oldham"]
ORGS = ["Oxfam", "Calderdale Council", "Age UK", "Salvation Army", "Tesco", "Citizens Advice", "Barnardo's"]
STREETS = ["Lister Lane", "Kirkgate Road", "Bryn Avenue", "Gorse Crescent", "Mill Street", "Wharf Terrace"]
DATES = ["the 3rd of March", "14 July 2021", "last Tuesday the 9th", "June 2020"]

TEMPLATES = [
    ("{other}, my neighbour, got me into it, and now {other2} comes along too.", ["other", "other2"]),
    ("I grew up in {place} but I moved here from {place2} after the kids.", ["place", "place2"]),
    ("We got a grant from {org} and {org2} lent us the hall.", ["org", "org2"]),
    ("I'm at {address}, just off {street}, if you need me.", ["address", "street"]),
    ("Ring me on {phone} or e-mail {email}, either is fine.", ["phone", "email"]),
    ("The letter had my postcode, {postcode}, and my NHS number, {nhs}, on it.", ["postcode", "nhs"]),
    ("It started on {date}, I remember because it was my birthday.", ["date"]),
    ("People call me {first} round here, {first2}'s the name on the rota.", ["first", "first2"]),
    ("Honestly the group has made a real difference to how I feel about the estate.", []),
    # capitalised words that identify nobody, for precision: a day, a festival, an app, the NHS, a programme
    ("We met on Zoom every Tuesday during Covid, and at Christmas the Local Conversation paid for a meal.", []),
    ("My GP said the NHS could not do much, so I'm English and proud but I needed a hand.", []),
    ("{place} is where my sister lives, and I still miss it.", ["place"]),
    ("I've made friends I would never have met otherwise, and I go out more.", []),
]
KIND_OF = {"other": "other-name", "other2": "other-name", "place": "place", "place2": "place", "org": "organisation",
           "org2": "organisation", "address": "address", "street": "street", "phone": "phone", "email": "email",
           "postcode": "postcode", "nhs": "nhs-number", "date": "date", "first": "known-name", "first2": "known-name"}


def _phone(rng):
    return rng.choice([f"0113 496 {rng.randrange(1000, 9999)}", f"07700 900{rng.randrange(100, 999)}",
                       f"+44 7700 900{rng.randrange(100, 999)}", f"020 7946 {rng.randrange(1000, 9999)}"])


def _values(rng, first, full):
    user = full.lower().replace(" ", ".").replace("â", "a")
    return {"other": rng.choice(OTHERS), "other2": rng.choice(OTHERS), "place": rng.choice(PLACES),
            "place2": rng.choice(PLACES), "org": rng.choice(ORGS), "org2": rng.choice(ORGS),
            "address": f"{rng.randrange(1, 99)} {rng.choice(STREETS)}", "street": rng.choice(STREETS),
            "phone": _phone(rng), "email": f"{user}@example.org",
            "postcode": rng.choice(["LS6 2AB", "HX1 5QT", "CF47 8PL", "PA1 1XX", "M14 7RJ"]),
            "nhs": f"{rng.randrange(100, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            "date": rng.choice(DATES), "first": first, "first2": first}


def make_corpus(root: Path, n: int, seed: int) -> dict[str, list[tuple[int, int, str, str]]]:
    """Write a project under ``root``; return the planted identifiers per transcript (start, end, kind, text)."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    (root / "transcripts").mkdir()
    planted: dict[str, list] = {}
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        full, tid = f"{first} {last}", f"t{i:02d}-interview"
        text, spans = "\n**Interviewer:** Tell me about yourself.\n\n", []
        text += f"**{full}:** "
        at = text.rindex(full)
        spans.append((at, at + len(full), "known-name", full))
        for template, slots in rng.sample(TEMPLATES, 7):
            values = _values(rng, first, full)
            pos = len(text)
            out = template
            for slot in sorted(slots, key=lambda s: template.index("{" + s + "}"), reverse=True):
                out = out.replace("{" + slot + "}", values[slot], 1)
            # find each slot's position in the rendered sentence, left to right
            cursor = 0
            for slot in sorted(slots, key=lambda s: template.index("{" + s + "}")):
                at = out.index(values[slot], cursor)
                spans.append((pos + at, pos + at + len(values[slot]), KIND_OF[slot], values[slot]))
                cursor = at + len(values[slot])
            text += out + " "
        text = text.rstrip() + "\n\n**Interviewer:** Thank you.\n"
        front = f"---\ntitle: Generated interview {i}\nparticipant: G-{i:03d}\ninterviewers: [Interviewer]\n---\n"
        (root / "transcripts" / f"{tid}.md").write_text(front + text, encoding="utf-8")
        planted[tid] = spans
    return planted


def code_corpus(project: Project, planted, rng) -> None:
    codes = [c.id for c in project.codebook.leaves][:8]
    for tid, spans in planted.items():
        text = project.transcript(tid).text
        for start, end, kind, value in rng.sample(spans, min(4, len(spans))):
            s = max(0, text.rfind(". ", 0, start) + 2)
            stop = re.compile(r"[.!?](?=\s|$)").search(text, end)  # the sentence's end (not a dot in an e-mail)
            e = stop.end() if stop else len(text)
            project.apply("bench", tid, rng.choice(codes), s, e)
        project.memo("bench", "transcript", tid, f"Talked about {spans[-1][3]} and {spans[0][3]}.")


def _core(value: str) -> int:
    """The length of a planted identifier without a possessive ending ("Barnardo" of "Barnardo's"):
    replacing that much leaves nothing that identifies."""
    return len(value) - 2 if value.endswith(("'s", "’s")) else len(value)


def measure(planted, candidates) -> tuple[dict, dict, dict, dict]:
    recall: dict[str, list[int]] = {}
    missed: dict[str, set[str]] = {}
    for tid, spans in planted.items():
        mine = [(c.start, c.end) for c in candidates if c.transcript == tid]
        for start, end, kind, value in spans:
            hit = any(a <= start and start + _core(value) <= b for a, b in mine)
            recall.setdefault(kind, [0, 0])
            recall[kind][0] += hit
            recall[kind][1] += 1
            if not hit:
                missed.setdefault(kind, set()).add(value)
    precision: dict[str, list[int]] = {}
    wrong: dict[str, Counter] = {}
    for c in candidates:
        spans = planted.get(c.transcript, [])
        ok = any(c.start < e and s < c.end for s, e, _, _ in spans)
        precision.setdefault(c.kind, [0, 0])
        precision[c.kind][0] += ok
        precision[c.kind][1] += 1
        if not ok:
            wrong.setdefault(c.kind, Counter())[c.text] += 1
    return recall, precision, missed, wrong


def _texts(path: Path):
    if path.suffix in (".qdpx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield f"{path.name}:{name}", z.read(name).decode("utf-8", "replace")
    else:
        yield path.name, path.read_text(encoding="utf-8", errors="replace")


def _alternation(words) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")(?!\w)")


def _where(path: Path, copy: Path) -> str:
    if copy not in path.parents:
        return "exports"
    return {"transcripts": "transcripts", "codings": "memos and codings", ".coder": "the copy's cache"}.get(
        path.relative_to(copy).parts[0], "other")


def remaining(copy: Path, exports: Path, originals: set[str]) -> Counter:
    """Occurrences of ``originals`` left, by (transcripts | memos and codings | exports | other, original)."""
    pattern = _alternation(originals)
    left: Counter = Counter()
    for path in [p for p in copy.rglob("*") if p.is_file()] + [p for p in exports.rglob("*") if p.is_file()]:
        for _, text in _texts(path):
            for m in pattern.finditer(text):
                left[(_where(path, copy), m.group())] += 1
    return left


GENERIC = set(TITLES.split("|")) | set(f"{ORG_WORDS}|{FACILITY_WORDS}".replace(" ", "|").split("|"))


def words_of(values) -> set[str]:
    """The words of planted names, places and organisations that identify on their own
    ("Gemma", "Hartley", "Merthyr", "Calderdale"; not "Mrs" or "Council")."""
    return {w.removesuffix("'s").removesuffix("’s") for v in values for w in v.split()
            if w[0].isupper() and w.removesuffix("'s") not in GENERIC and len(w) > 2 and not any(ch.isdigit() for ch in w)}


def _by_where(left: Counter) -> str:
    total: Counter = Counter()
    for (where, _), n in left.items():
        total[where] += n
    return ", ".join(f"{where} {total[where]}" for where in ("transcripts", "memos and codings", "exports", "the copy's cache", "other")
                     if total[where] or where != "other")


def run(n: int, seed: int, use_ner: bool, work: Path) -> None:
    label = "with spaCy" if use_ner else "without spaCy"
    root = work / f"study-{label.replace(' ', '-')}"
    planted = make_corpus(root, n, seed)
    project = Project.open(root)
    code_corpus(project, planted, random.Random(seed))
    candidates = project.pseudonym_candidates(use_ner=use_ner)
    recall, precision, missed, wrong = measure(planted, candidates)
    print(f"\n== {label}: {n} transcripts, {sum(len(s) for s in planted.values())} planted identifiers, "
          f"{len(candidates)} candidates")
    print(f"{'planted kind':14} {'recall':>7}  found/planted")
    for kind, (hit, total) in sorted(recall.items()):
        print(f"{kind:14} {hit / total:7.2f}  {hit}/{total}")
    print(f"{'candidate kind':14} {'precision':>9}  true/candidates")
    for kind, (ok, total) in sorted(precision.items()):
        print(f"{kind:14} {ok / total:9.2f}  {ok}/{total}")
    copy, key, exports = work / f"copy-{label[:4]}", work / "keys" / f"key-{label[:4]}.csv", work / f"exports-{label[:4]}"
    project.pseudonymise(copy, key, accept="all", use_ner=use_ner)
    pseud = Project.open(copy)
    for fmt in ("csv", "xlsx", "qdpx"):
        pseud.export(exports / fmt, format=fmt)
    for kind, values in sorted(missed.items()):
        print(f"  missed {kind}: {', '.join(sorted(values))}")
    for kind, texts in sorted(wrong.items()):
        print(f"  not planted, as {kind}: {', '.join(f'{t} ×{n}' for t, n in texts.most_common(8))}")
    values = {v for spans in planted.values() for _, _, _, v in spans}
    left = remaining(copy, exports, values)
    print(f"planted identifiers left whole after applying all: {sum(left.values())} ({_by_where(left)})")
    per_value: Counter = Counter()
    for (_, value), n in left.items():
        per_value[value] += n
    if per_value:
        print("  " + ", ".join(f"{value} ×{n}" for value, n in sorted(per_value.items())))
    named = {v for spans in planted.values() for _, _, k, v in spans if k in ("known-name", "other-name", "place",
                                                                           "organisation")}
    parts = remaining(copy, exports, words_of(named))
    print(f"words of planted names, places and organisations left: {sum(parts.values())} ({_by_where(parts)})"
          + (f": {', '.join(sorted({w for _, w in parts}))}" if parts else ""))
    before, after = {c.id: c for c in project.codings()}, {c.id: c for c in pseud.codings()}
    rows = list(csv.reader(key.read_text(encoding="utf-8").splitlines()))[1:]
    labels = {r[2].strip("[]") for r in rows if r[3] == "name"}  # a speaker label's replacement has no brackets
    gone, put = _alternation(r[1] for r in rows), _alternation({r[2] for r in rows} | labels)
    same = sum(1 for i, c in before.items() if i in after and after[i].code == c.code
               and gone.sub("\0", c.quote) == put.sub("\0", after[i].quote))
    print(f"codings surviving with the same code and text apart from replacements: {same}/{len(before)} "
          f"({same / len(before):.0%}); "
          f"check of the copy: {len(pseud.check())} problem(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transcripts", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spacy", choices=("both", "on", "off"), default="both",
                        help="run with spaCy's entity recogniser, without it, or both (default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.spacy != "on":
            run(args.transcripts, args.seed, False, Path(tmp))
        if args.spacy == "off":
            pass
        elif ner.available():
            run(args.transcripts, args.seed, True, Path(tmp))
        else:
            print("\n(no spaCy pipeline with an entity recogniser installed: pip install -e '.[ner]' for the second run)")


if __name__ == "__main__":
    main()
