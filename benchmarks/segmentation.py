"""How long reading and segmenting a two-hour (15,000-word) interview takes.

Uses the sample project's long transcript ``transcripts/lc-sco-p06-interview.md``
when it exists, otherwise a seeded, generated 15,000-word Markdown transcript
with ``[hh:mm:ss]`` timestamps.  Prints:

* cold: the first ``load_transcript`` in this process (imports spaCy and
  builds the pipeline);
* warm: the median and best of repeated loads (target: under 0.5 s), split
  into reading + parsing and segmenting;
* words per second, and the ratio to a baseline measured in the same run:
  bare ``nlp.pipe`` sentence splitting of the same turns with the same spaCy
  pipeline (the part no parser can avoid).

    python benchmarks/segmentation.py [--repeat 10] [--generated]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "transcripts" / "lc-sco-p06-interview.md"
TARGET_WARM_S = 0.5

_PHRASES = [
    "you know", "I mean", "to be honest", "at the end of the day", "like", "sort of", "[laughs]",
    "[inaudible]", "well", "right", "aye", "the thing is",
]
_WORDS = (
    "the group met every Tuesday at the community centre in Kilbrannan and people started coming "
    "along after lockdown because they were lonely and wanted to do something for the area we "
    "had a wee garden project the council listened to us about the bus stop and I felt more "
    "confident speaking up my neighbour came with me and now we are friends it helped my mental "
    "health a lot"
).split()


def generated_transcript(words: int = 15_000, seed: int = 6) -> str:
    """A Markdown interview of about ``words`` words, in the sample project's style."""
    rng = random.Random(seed)
    lines = [
        "---", "title: Generated long interview", "fictional: true", "participant: LC-SCO-P06",
        "interviewers: [Interviewer]", "---", "", "# Interview", "",
    ]
    count, seconds, turn = 0, 0, 0
    while count < words:
        speaker = "Interviewer" if turn % 2 == 0 else "Mairi"
        sentences = []
        for _ in range(rng.randint(1, 3) if speaker == "Interviewer" else rng.randint(2, 9)):
            body = [rng.choice(_WORDS) for _ in range(rng.randint(4, 22))]
            if rng.random() < 0.5:
                body.insert(rng.randrange(len(body)), rng.choice(_PHRASES) + ",")
            sentences.append(" ".join(body).capitalize() + rng.choice([".", ".", ".", "?", "...", "!"]))
        text = " ".join(sentences)
        count += len(text.split())
        hh, mm, ss = seconds // 3600, seconds // 60 % 60, seconds % 60
        lines += [f"[{hh:02d}:{mm:02d}:{ss:02d}] **{speaker}:** {text}", ""]
        seconds += max(2, len(text.split()) // 3)
        turn += 1
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--generated", action="store_true", help="ignore the sample transcript")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if SAMPLE.exists() and not args.generated:
            path, source = SAMPLE, f"sample transcript {SAMPLE.relative_to(REPO)}"
        else:
            path = Path(tmp) / "generated-long-interview.md"
            path.write_text(generated_transcript(), encoding="utf-8")
            source = "generated transcript (seeded)"
        run(path, source, args.repeat)


def run(path: Path, source: str, repeat: int) -> None:
    start = time.perf_counter()
    from coder.core.transcripts import load_transcript

    transcript = load_transcript(path, path.parent)
    cold = time.perf_counter() - start

    from coder.core.readers import read_any
    from coder.core.segmenter import segment, sentencizer

    totals, reads, segs, bare = [], [], [], []
    nlp = sentencizer()
    turn_texts = [transcript.text[t.start : t.end] for t in transcript.turns]
    for _ in range(repeat):
        t0 = time.perf_counter()
        load_transcript(path, path.parent)
        totals.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        read_any(path)
        reads.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        segment(transcript.text, transcript.turns)
        segs.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        sum(1 for doc in nlp.pipe(turn_texts) for _ in doc.sents)
        bare.append(time.perf_counter() - t0)

    words = transcript.words
    warm = statistics.median(totals)
    print(f"source: {source}")
    print(f"size: {words:,} words, {len(transcript.text):,} characters, {len(transcript.turns)} turns, "
          f"{len(transcript.segments):,} segments")
    print(f"cold (first load, imports spaCy): {cold:.3f} s")
    print(f"warm load, median of {repeat}: {warm:.3f} s (best {min(totals):.3f} s; target < {TARGET_WARM_S} s: "
          f"{'met' if warm < TARGET_WARM_S else 'NOT met'})")
    print(f"  read + parse: {statistics.median(reads):.3f} s   segment: {statistics.median(segs):.3f} s")
    print(f"throughput (warm): {words / warm:,.0f} words/s")
    baseline = statistics.median(bare)
    print(f"baseline (bare nlp.pipe sentences of the same turns): {baseline:.3f} s, {words / baseline:,.0f} words/s")
    print(f"ratio warm load / baseline: {warm / baseline:.2f}x")


if __name__ == "__main__":
    main()
