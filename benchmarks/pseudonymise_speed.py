"""How long finding identifiers takes on the sample project, with spaCy's entity recogniser
one transcript at a time (as before) beside all transcripts through one ``nlp.pipe``.

    python benchmarks/pseudonymise_speed.py [--repeat 2]

Needs a spaCy pipeline with an entity recogniser (``pip install -e '.[ner]'``); the workbench
finds identifiers in a worker thread either way, so the screen stays live while it runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from coder.core.project import Project
from coder.core.pseudonym import find_candidates, load_wordlist, ner

REPO = Path(__file__).resolve().parents[1]


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest is printed")
    args = parser.parse_args()
    project = Project.open(REPO)
    texts = [t.text for t in project.transcripts()]
    print(f"sample project: {len(texts)} transcripts, {sum(len(t) for t in texts)} characters")
    t0 = time.perf_counter()
    nlp = ner.load_pipeline()
    if nlp is None:
        print("no spaCy pipeline with an entity recogniser installed: pip install -e '.[ner]'")
        return
    print(f"loading the pipeline ({', '.join(nlp.pipe_names)}): {time.perf_counter() - t0:.1f} s")
    one = _best(lambda: [list(ner._spans(t, [(e.start_char, e.end_char, e.label_) for e in nlp(t).ents])) for t in texts],
                args.repeat)
    batched = _best(lambda: ner.entities_of(texts, nlp), args.repeat)
    print(f"entities, one transcript at a time (baseline): {one:.1f} s")
    print(f"entities, all transcripts through nlp.pipe:     {batched:.1f} s ({batched / one:.0%} of the baseline)")
    transcripts, words = project.transcripts(), load_wordlist(REPO)
    print(f"all candidates without spaCy: {_best(lambda: find_candidates(transcripts, words, False), args.repeat):.1f} s")
    print(f"all candidates with spaCy:    {_best(lambda: find_candidates(transcripts, words, True), args.repeat):.1f} s")
    with tempfile.TemporaryDirectory() as cache:
        find_candidates(transcripts, words, True, cache=Path(cache))
        again = _best(lambda: find_candidates(transcripts, words, True, cache=Path(cache)), args.repeat)
    print(f"all candidates with spaCy again, nothing changed (the project's entity cache): {again:.1f} s")


if __name__ == "__main__":
    main()
