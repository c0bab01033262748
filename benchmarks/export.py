"""How long the exports take on a large project, and how much memory they need.

Generates (in memory, seeded) a project of 100 interview transcripts with
20,000 codings by two coders against the sample codebook and outcomes, then
times ``write_exports`` (every table, CSV) against a bare pandas ``to_csv`` of
the quotes table, measured in the same run.  Also times the XLSX workbook and
reports peak memory (tracemalloc, and the process's maximum resident size).

    python benchmarks/export.py [--transcripts 100] [--codings 20000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from coder.core.codebook_file import load_codebook
from coder.core.coding import Coding, Origin
from coder.core.export import ExportInput, ExportOptions, write_exports
from coder.core.export.index import build_index
from coder.core.export.quotes import quotes_table
from coder.core.outcomes import load_outcomes
from coder.core.participants import load_participants
from coder.core.transcript import Segment, Transcript, Turn, content_hash

REPO = Path(__file__).resolve().parents[1]
WORDS = ("we", "the", "group", "council", "friends", "really", "you", "know", "started", "garden", "walk",
         "confident", "estate", "neighbours", "people", "project", "met", "learned", "together", "decided")
PROGRAMMES = ("Active Communities", "Local Conversations")
NATIONS = ("England", "Wales", "Scotland")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def make_transcript(tid: str, pid: str, rng: random.Random, turns: int = 60) -> Transcript:
    parts: list[str] = []
    turn_list: list[Turn] = []
    segs: list[Segment] = []
    pos = 0
    for i in range(turns):
        interviewer = i % 2 == 0
        speaker = "Interviewer" if interviewer else "Respondent"
        label = f"{speaker}: "
        sentences = [sentence(rng) for _ in range(1 if interviewer else rng.randint(2, 5))]
        start = pos + len(label)
        cursor = start
        for s in sentences:
            segs.append(Segment(f"s{len(segs)}", cursor, cursor + len(s), i, s))
            cursor += len(s) + 1
        body = " ".join(sentences)
        turn_list.append(Turn(i, speaker, start, start + len(body), start_time=float(i * 30),
                              end_time=float(i * 30 + 29), participant_id=None if interviewer else pid))
        parts.append(label + body)
        pos += len(label) + len(body) + 2
    text = "\n\n".join(parts) + "\n"
    return Transcript(tid, Path(f"{tid}.txt"), "txt", text, tuple(turn_list), tuple(segs), {"participant": pid})


def make_input(n_transcripts: int, n_codings: int, folder: Path, seed: int = 7, coders: int = 2,
               turns: int = 60) -> ExportInput:
    """A seeded project in memory; ``coders`` share the codings in turn, ``turns`` per transcript."""
    rng = random.Random(seed)
    codebook, _ = load_codebook(REPO / "codebooks" / "social-determinants.yaml")
    outcomes, _ = load_outcomes(REPO / "transcripts" / "outcomes.yaml")
    header = ["participant_id", "programme", "nation", "role", "area", "interviewed",
              *[o.column for o in outcomes]]
    lines = [",".join(header)]
    people = []
    for n in range(n_transcripts * 3):  # a third interviewed, like a real evaluation
        pid = f"P{n:04d}"
        role = "practitioner" if n % 4 == 0 else "participant"
        answers = []
        for o in outcomes:
            asked = o.applies_to({"role": role})
            answers.append(rng.choice(o.answers) if asked and rng.random() > 0.05 else "")
        row = [pid, rng.choice(PROGRAMMES), rng.choice(NATIONS), role, f"Area {n % 17}",
               "yes" if n < n_transcripts else "no", *answers]
        lines.append(",".join(row))
        people.append(pid)
    table_path = folder / "participants.csv"
    table_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    participants, _ = load_participants(table_path)
    transcripts = {f"t{n:03d}": make_transcript(f"t{n:03d}", people[n], rng, turns) for n in range(n_transcripts)}
    codes = [c.id for c in codebook.codes]
    names = ("ann", "ben") if coders == 2 else tuple(f"coder{n:02d}" for n in range(coders))
    tids = sorted(transcripts)
    codings = []
    for n in range(n_codings):
        t = transcripts[tids[n % len(tids)]]
        first = rng.randrange(len(t.segments))
        last = min(len(t.segments) - 1, first + rng.choice((0, 0, 0, 1, 2)))
        start, end = t.segments[first].start, t.segments[last].end
        suggested = rng.random() < 0.2
        codings.append(Coding(
            id=f"c{n:06d}", coder=names[n % len(names)], transcript=t.id, code=rng.choice(codes),
            start=start, end=end, quote=t.text[start:end], prefix=t.text[max(0, start - 32):start],
            suffix=t.text[end:end + 32], text_hash=content_hash(t.text),
            origin=Origin("suggestion", "all-MiniLM-L6-v2", round(rng.random(), 3), rng.randint(1, 5)) if suggested
            else Origin(), time=f"2021-08-{1 + n % 28:02d}T10:00:00Z"))
    return ExportInput(codebook, participants, outcomes, transcripts, codings, [], "benchmark", None)


def rss_mb() -> float:
    """The process's maximum resident size so far (kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transcripts", type=int, default=100)
    ap.add_argument("--codings", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inp = make_input(args.transcripts, args.codings, folder)
        import pandas  # noqa: F401  (imported before timing, as in a running CLI)

        write_exports(inp, folder / "warmup", ExportOptions())  # first-call costs out of the measurement
        frame = quotes_table(build_index(inp, ExportOptions())).frame()
        export_times, bare_times = [], []
        for n in range(args.repeat):
            t0 = time.perf_counter()
            paths = write_exports(inp, folder / f"csv{n}", ExportOptions())
            export_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            frame.to_csv(folder / f"bare-quotes{n}.csv", index=False)
            bare_times.append(time.perf_counter() - t0)
        export_s, bare_s = statistics.median(export_times), statistics.median(bare_times)

        tracemalloc.start()
        write_exports(inp, folder / "mem", ExportOptions())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_csv = rss_mb()

        t0 = time.perf_counter()
        write_exports(inp, folder / "xlsx", ExportOptions(format="xlsx"))
        xlsx_s = time.perf_counter() - t0
        rss_xlsx = rss_mb()
        size = sum(p.stat().st_size for p in paths)

    print(f"project: {args.transcripts} transcripts, {args.codings} codings by 2 coders, "
          f"{len(inp.participants.rows)} participants in the table")
    print(f"export, every table as CSV ({len(paths)} files, {size / 1e6:.1f} MB): "
          f"{export_s:.2f} s median of {args.repeat} (min {min(export_times):.2f} s)")
    print(f"baseline, bare pandas to_csv of the quotes table ({len(frame)} rows): "
          f"{bare_s:.3f} s median (min {min(bare_times):.3f} s)")
    print(f"ratio export / baseline: {export_s / bare_s:.1f}x")
    print(f"peak traced memory during a CSV export (tracemalloc): {peak / 1e6:.0f} MB")
    print(f"process maximum resident size after the CSV exports: {rss_csv:.0f} MB")
    print(f"export as one XLSX workbook: {xlsx_s:.2f} s (maximum resident size after it: {rss_xlsx:.0f} MB)")


if __name__ == "__main__":
    main()
