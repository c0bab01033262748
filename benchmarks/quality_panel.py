"""The project-quality panel on the sample project: how fast it opens, and how held-out passages are scored.

    python benchmarks/quality_panel.py [--cache DIR]

Works on a temporary copy of the sample project at the repo root (its
``coder.yaml``, codebook, transcripts and both coders' logs), with the
configured model loaded offline.  Prints:

* ``opening``: what the panel (``A``) and ``coder suggest --quality`` spend
  before showing kappa per code, when the saved result is current (reading
  the logs and transcripts to compute its key, and reading
  ``.coder/quality.json``), beside the cross-validation they ran on every
  opening before (the baseline, measured in the same run, embeddings cached);
* ``scoring``: mean kappa, codes proposed per held-out passage and the
  kappa of each code, with held-out passages scored two ways in the same run:
  ``whole`` (the passage's text as one piece, no question, no negation: how
  cross-validation scored before) and ``as the workbench`` (sentence by
  sentence, each read with the interviewer's question and without what it
  denies: what the researcher sees for that span), beside the codes the
  coders gave per passage.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from coder.core.project import Project  # noqa: E402
from coder.core.suggest.context import read_alone  # noqa: E402
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache  # noqa: E402
from coder.core.suggest.model import load_encoder  # noqa: E402
from coder.core.suggest.quality import cross_validate, current, project_inputs, project_quality  # noqa: E402


def copy_project(dest: Path) -> Project:
    for name in ("coder.yaml", "codebooks", "transcripts", "codings"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".coder"))
        else:
            shutil.copy2(src, dest / name)
    return Project.open(dest)


def per_passage(quality, passages: int) -> float:
    return sum(c.proposed for c in quality.codes) / max(passages, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, help="embedding cache to reuse (default: a fresh one in the copy)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        model = load_encoder(project.config.model)
        encoder = CachedEncoder(model, EmbeddingCache(args.cache or Path(tmp) / ".coder" / "embeddings",
                                                      model.model_id))
        inputs = project_inputs(project, encoder)
        corpus = [s.text for tid in project.transcript_ids() for s in project.transcript(tid).segments]
        encoder.encode(corpus)  # embeddings cached, as in a project that has been open before

        started = time.perf_counter()
        project_quality(project, encoder=encoder, fresh=True)  # the baseline: what every opening cost before
        recompute = time.perf_counter() - started
        started = time.perf_counter()
        last, fresh = current(Project.open(project.root), encoder)
        opening = time.perf_counter() - started
        assert fresh and last is not None
        print("opening the panel with kappa per code (s, this run):")
        print(f"  cross-validate on every opening (before): {recompute:6.2f}")
        print(f"  saved result, key checked (now):          {opening:6.2f}")

        whole = [replace(p, readings=(read_alone(p.text, polarity=False),)) for p in inputs.passages]
        ways = {
            "whole": cross_validate(project.codebook, inputs.data, encoder, passages=whole, corpus=corpus),
            "as the workbench": cross_validate(project.codebook, inputs.data, encoder, passages=inputs.passages,
                                               corpus=corpus),
        }
        coded = sum(len(p.codes) for p in inputs.passages) / len(inputs.passages)
        print(f"\nheld-out passages: {len(inputs.passages)}; codes the coders gave per passage: {coded:.2f}")
        print(f"{'scored':18} {'mean kappa':>10} {'proposed/passage':>17}")
        for name, q in ways.items():
            print(f"{name:18} {q.mean_kappa:10.3f} {per_passage(q, q.passages):17.2f}")
        print(f"\n{'code':22} {'coded':>5} " + " ".join(f"{n:>17}" for n in ways))
        for i, c in enumerate(ways["whole"].codes):
            if c.kappa is None:
                continue
            print(f"{c.code:22} {c.positives:5} " + " ".join(f"{q.codes[i].kappa:17.2f}" for q in ways.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
