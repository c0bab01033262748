"""Fine-tuning the sentence encoder on the project's own codings (optional, off by default).

SetFit-style contrastive training: pairs of texts that share a code (a coded
passage and another passage or codebook example of the same code) are pulled
together and the other pairs of the batch pushed apart (the
multiple-negatives ranking loss, written out here in a few lines of torch so
no training framework is needed).  Each batch holds at most one pair per
code, so a batch never pushes apart two texts of the same code.

The model is kept under ``.coder/models/<base>-ft-<key>/`` where ``key`` is a
hash of the base model id and the training pairs: the same data gives the
same folder, so a finished model is never trained twice, and a new round
writes a new folder.  ``.coder/models/current.json`` names the one in use;
without it (or when its folder is gone) the stock model is used.

Training is slow (minutes of CPU): :mod:`coder.core.suggest.background`
runs it in a separate low-priority process.  Nothing heavy is imported at
the top of this module.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from coder.core.atomic import write_atomic
from coder.core.codebook import Codebook
from coder.core.config import FINE_TUNE_AFTER
from coder.core.suggest.model import model_slug, resolve_model_id
from coder.core.suggest.training import Example, candidate_codes, code_texts

MIN_CODED = FINE_TUNE_AFTER  # coded passages before a round, unless coder.yaml says otherwise
STALE_PARTIAL = 3600.0  # seconds after which a half-written model folder is a stopped round's, not a running one's
MODELS = "models"  # folder under .coder/
CURRENT = "current.json"

Pair = tuple[str, str, str]  # (anchor text, positive text, code id)
StepFn = Callable[[int, int], None]  # (step, steps)


@dataclass(frozen=True)
class Settings:
    epochs: int = 1
    batch_size: int = 16
    learning_rate: float = 2e-5
    pairs_per_text: int = 2  # positive partners drawn for each coded passage
    max_tokens: int = 128  # longer passages are cut while training (scoring still sees them whole)
    scale: float = 20.0  # cosine similarity scale of the ranking loss
    seed: int = 0


def training_pairs(codebook: Codebook, positives: Sequence[Example], settings: Settings = Settings()) -> list[Pair]:
    """Pairs of texts sharing a code: each coded passage with ``pairs_per_text`` other
    passages or codebook quotes of that code, and each code's codebook quotes in a chain."""
    rng = random.Random(settings.seed)
    book = {c.id: [e.text for e in code_texts(c) if e.kind in ("example", "definition")]
            for c in candidate_codes(codebook, positives)}
    coded = [(e.text, code) for e in positives if (code := codebook.resolve(e.code)) in book and e.text.strip()]
    pool = {code: list(texts) for code, texts in book.items()}
    for text, code in coded:
        pool[code].append(text)
    pairs: list[Pair] = []
    for text, code in coded:
        others = [t for t in dict.fromkeys(pool[code]) if t != text]
        for partner in rng.sample(others, min(settings.pairs_per_text, len(others))):
            pairs.append((text, partner, code))
    for code, texts in sorted(book.items()):
        pairs += [(a, b, code) for a, b in zip(texts, texts[1:])]
    return pairs


def data_key(base_model_id: str, pairs: Sequence[Pair], settings: Settings = Settings()) -> str:
    """A short hash of what a fine-tuned model is made of (base model, pairs, settings)."""
    h = hashlib.blake2b(digest_size=6)
    h.update(json.dumps([base_model_id, sorted(pairs), repr(settings)], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def model_dir(cache: Path, base_model_id: str, key: str) -> Path:
    return Path(cache) / MODELS / f"{model_slug(base_model_id)}-ft-{key}"


def batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches in which no code and no text appears twice (in-batch negatives are real)."""
    waiting = list(pairs)
    rng.shuffle(waiting)
    out: list[list[Pair]] = []
    while waiting:
        batch: list[Pair] = []
        codes: set[str] = set()
        texts: set[str] = set()
        rest: list[Pair] = []
        for p in waiting:
            if len(batch) < size and p[2] not in codes and p[0] not in texts and p[1] not in texts:
                batch.append(p)
                codes.add(p[2])
                texts.update(p[:2])
            else:
                rest.append(p)
        if len(batch) < 2:
            break  # a lone pair has no negatives to learn from
        out.append(batch)
        waiting = rest
    return out


def fine_tune(
    base_model: str | None,
    pairs: Sequence[Pair],
    out: Path,
    settings: Settings = Settings(),
    progress: StepFn | None = None,
) -> Path:
    """Train a copy of ``base_model`` on ``pairs`` and save it atomically as the folder ``out``."""
    import torch
    import torch.nn.functional as F

    from coder.core.suggest.model import load_encoder

    torch.manual_seed(settings.seed)
    st = load_encoder(base_model, device="cpu").model
    st.max_seq_length = min(st.max_seq_length or settings.max_tokens, settings.max_tokens)
    rng = random.Random(settings.seed)
    plan = [b for _ in range(settings.epochs) for b in batches(pairs, settings.batch_size, rng)]
    optimiser = torch.optim.AdamW(st.parameters(), lr=settings.learning_rate)
    st.train()

    def embed(texts: list[str]):
        prepare = getattr(st, "preprocess", None) or st.tokenize  # sentence-transformers 6 renamed it
        features = {k: v.to(st.device) if hasattr(v, "to") else v for k, v in prepare(texts).items()}
        return F.normalize(st(features)["sentence_embedding"], dim=-1)

    for step, batch in enumerate(plan, 1):
        a = embed([p[0] for p in batch])
        b = embed([p[1] for p in batch])
        scores = a @ b.T * settings.scale
        labels = torch.arange(len(batch))
        loss = (F.cross_entropy(scores, labels) + F.cross_entropy(scores.T, labels)) / 2
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
        if progress:
            progress(step, len(plan))
    st.eval()
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    st.save(str(tmp))
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def _record(cache: Path, base_model: str | None) -> dict | None:
    """What ``current.json`` says, if it is about this base model and its folder is there."""
    try:
        data = json.loads((Path(cache) / MODELS / CURRENT).read_text(encoding="utf-8"))
        folder = Path(cache) / MODELS / str(data["folder"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("base") != resolve_base_id(base_model) or not (folder / "config.json").is_file():
        return None
    return {**data, "path": folder}


def current(cache: Path, base_model: str | None) -> Path | None:
    """The fine-tuned model in use for this base model, or None (then the stock model is used)."""
    record = _record(cache, base_model)
    return record["path"] if record else None


def last_round_coded(cache: Path, base_model: str | None) -> int | None:
    """How many coded passages the current fine-tuned model learnt from (None: there is none)."""
    record = _record(cache, base_model)
    return int(record.get("coded", 0)) if record else None


def set_current(cache: Path, base_model: str | None, folder: Path, info: dict) -> None:
    """Record ``folder`` as the fine-tuned model in use (atomically)."""
    record = {"base": resolve_base_id(base_model), "folder": Path(folder).name, **info}
    write_atomic(Path(cache) / MODELS / CURRENT, json.dumps(record, indent=2).encode("utf-8"))


def resolve_base_id(base_model: str | None) -> str:
    return resolve_model_id(base_model)


def coded_needed(config) -> int:
    """Coded passages before a round: ``fine_tune_after`` in ``coder.yaml`` (default 100)."""
    return getattr(config, "fine_tune_after", MIN_CODED)


def prune(cache: Path, keep: Path) -> list[Path]:
    """Delete the other fine-tuned models, and half-written ones left by a round stopped mid-save
    an hour or more ago (a younger one may be another round's, still writing); the deleted folders."""
    import time

    gone = []
    for folder in sorted((Path(cache) / MODELS).glob("*-ft-*")):
        if not folder.is_dir() or folder.name == Path(keep).name:
            continue
        if folder.name.endswith(".partial") and time.time() - folder.stat().st_mtime < STALE_PARTIAL:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        gone.append(folder)
    return gone


def project_model(project) -> str:
    """What the project's suggestions load: its fine-tuned model when ``fine_tune`` is on in
    ``coder.yaml`` and a round has finished, else the configured model (the stock one)."""
    config = project.config
    if getattr(config, "fine_tune", False):
        folder = current(config.cache, config.model)
        if folder is not None:
            return str(folder)
    return config.model


@dataclass(frozen=True)
class Round:
    """One finished fine-tuning round."""

    model_id: str  # the fine-tuned model's id, recorded as the origin model of accepted suggestions
    folder: Path
    coded: int  # coded passages it learnt from
    pairs: int
    trained: bool  # False: a model for exactly this data already existed and was reused
    cpu_seconds: float


def run_round(project, settings: Settings = Settings(), progress=None, *, min_coded: int | None = None) -> Round:
    """Fine-tune the project's model on its codings and codebook and make it the current one
    (earlier rounds' models are then deleted: each is about 90 MB).

    Raises :class:`CoderError` when fewer than ``min_coded`` passages are coded
    (default: ``fine_tune_after`` in ``coder.yaml``).
    ``progress(stage, done, total)`` is told of each training step.
    """
    import time

    from coder.core.errors import CoderError
    from coder.core.suggestions import training_data

    need = min_coded if min_coded is not None else coded_needed(project.config)
    data = training_data(project)
    coded = len({(text, where) for text, _, where in data.positives})
    if coded < need:
        raise CoderError(f"fine-tuning needs at least {need} coded passages; this project has {coded}",
                         hint="code more first (below 100, fine-tuning did not help in the measurements), "
                              "or lower 'fine_tune_after' in coder.yaml")
    config = project.config
    positives = [Example(text, code, where) for text, code, where in data.positives]
    pairs = training_pairs(project.codebook, positives, settings)
    key = data_key(resolve_base_id(config.model), pairs, settings)
    folder = model_dir(config.cache, resolve_base_id(config.model), key)
    started = time.process_time()
    trained = not (folder / "config.json").is_file()
    if trained:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if progress:
            progress("loading the model", 0, 0)
        fine_tune(config.model, pairs, folder, settings,
                  (lambda step, steps: progress("step", step, steps)) if progress else None)
    done = Round(folder.name, folder, coded, len(pairs), trained, round(time.process_time() - started, 1))
    set_current(config.cache, config.model, folder, {"model": done.model_id, "coded": coded, "pairs": len(pairs)})
    prune(config.cache, folder)
    return done
