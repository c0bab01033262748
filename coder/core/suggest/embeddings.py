"""The embedding cache under ``.coder/embeddings/``.

Vectors are keyed by (model id, hash of the text), so a transcript edit
re-embeds only the sentences that changed, and unchanged projects never call
the model at all.  Layout: one folder per model
(``.coder/embeddings/<model-slug>/``) holding *shards*, each an ``.npz`` with
``keys`` (n, 16) uint8 (BLAKE2b-128 of the UTF-8 text), ``vectors`` (n, dim)
float32 and ``model``.  New vectors go to a new shard, written to a
temporary file and renamed into place (atomic: a crash leaves the old state
or the new one, never half a file).  When shards pile up they are merged
into one, again atomically.

The cache is disposable: a shard that cannot be read, or does not match
the model, is deleted and its texts are simply embedded again.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from coder.core.atomic import write_atomic
from coder.core.errors import CoderError
from coder.core.suggest.model import Encoder, EncoderLoader, ProgressFn, model_slug

KEY_BYTES = 16
MAX_SHARDS = 8  # merge into one shard beyond this many


class NotReady(Exception):
    """The model is still loading (or failed to load) and the texts are not cached."""


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class EmbeddingCache:
    """Vectors by text hash for one model; in memory, and on disk if ``folder`` is given."""

    def __init__(self, folder: str | os.PathLike | None, model_id: str) -> None:
        self.model_id = model_id
        self.dir = Path(folder) / model_slug(model_id) if folder is not None else None
        self.dim: int | None = None
        self.discarded: list[Path] = []  # unreadable shards that were deleted
        self.write_failed = False  # the folder could not be written (cache kept in memory)
        self._lock = threading.Lock()
        self._rows: dict[bytes, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._size = 0
        self._shards: list[Path] = []  # on-disk shards whose contents are loaded
        self._pending: list[bytes] = []  # keys not yet on disk
        self._load()

    def __len__(self) -> int:
        return self._size

    # -- reading -------------------------------------------------------------

    def _load(self) -> None:
        if self.dir is None or not self.dir.is_dir():
            return
        for path in sorted(self.dir.glob("*.npz")):
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys = np.asarray(data["keys"])
                    vectors = np.asarray(data["vectors"])
                    model = str(data["model"])
                ok = (
                    model == self.model_id
                    and keys.dtype == np.uint8
                    and keys.ndim == 2
                    and keys.shape[1] == KEY_BYTES
                    and vectors.dtype == np.float32
                    and vectors.ndim == 2
                    and vectors.shape[0] == keys.shape[0]
                    and (self.dim is None or vectors.shape[1] == self.dim)
                    and bool(np.isfinite(vectors).all())
                )
            except FileNotFoundError:
                continue  # merged away by another process meanwhile
            except Exception:
                ok = False
            if not ok:
                self._discard(path)
                continue
            self._append([bytes(k) for k in keys], vectors)
            self._shards.append(path)

    def _discard(self, path: Path) -> None:
        self.discarded.append(path)
        try:
            path.unlink()
        except OSError:
            pass

    def _append(self, keys: list[bytes], vectors: np.ndarray) -> None:
        if self.dim is None:
            self.dim = int(vectors.shape[1])
            self._vectors = np.zeros((max(64, len(keys)), self.dim), dtype=np.float32)
        need = self._size + len(keys)
        if need > len(self._vectors):
            grown = np.zeros((max(need, 2 * len(self._vectors)), self.dim), dtype=np.float32)
            grown[: self._size] = self._vectors[: self._size]
            self._vectors = grown
        for key, vec in zip(keys, vectors):
            row = self._rows.get(key)
            if row is None:
                self._rows[key] = row = self._size
                self._size += 1
            self._vectors[row] = vec

    def lookup(self, keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, vectors) for ``keys``; rows not found are zeros."""
        with self._lock:
            rows = np.array([self._rows.get(k, -1) for k in keys], dtype=np.int64)
            found = rows >= 0
            out = np.zeros((len(keys), self.dim or 0), dtype=np.float32)
            if found.any():
                out[found] = self._vectors[rows[found]]
        return found, out

    # -- writing -------------------------------------------------------------

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(keys) == 0:
            return
        with self._lock:
            if self.dim is not None and vectors.shape[1] != self.dim:
                # A different model under the same id: start over.
                self._rows.clear()
                self._size = 0
                self.dim = None
                self._pending.clear()
            new = [k for k in keys if k not in self._rows]
            self._append(list(keys), vectors)
            self._pending.extend(new)

    def flush(self) -> None:
        """Write vectors added since the last flush as one new shard."""
        if self.dir is None:
            return
        with self._lock:
            if not self._pending:
                return
            keys = list(dict.fromkeys(self._pending))
            rows = np.array([self._rows[k] for k in keys])
            try:
                path = self._write(keys, self._vectors[rows])
                self._shards.append(path)
                self._pending.clear()
                if len(self._shards) > MAX_SHARDS:
                    self._compact()
            except (CoderError, OSError):
                # A read-only or full disk costs speed next time, nothing else.
                self.write_failed = True

    def _write(self, keys: list[bytes], vectors: np.ndarray) -> Path:
        assert self.dir is not None
        key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), KEY_BYTES)
        buf = io.BytesIO()
        np.savez(buf, keys=key_array, vectors=vectors, model=np.array(self.model_id))
        name = f"{time.time_ns():x}-{os.getpid()}-{threading.get_ident() % 10000}.npz"
        write_atomic(self.dir / name, buf.getvalue())
        return self.dir / name

    def _compact(self) -> None:
        old = list(self._shards)
        keys = list(self._rows)
        rows = np.array([self._rows[k] for k in keys])
        merged = self._write(keys, self._vectors[rows])
        for path in old:
            path.unlink(missing_ok=True)
        self._shards = [merged]


class CachedEncoder:
    """An encoder behind an :class:`EmbeddingCache`.

    ``source`` is an encoder, or an :class:`EncoderLoader` still loading one:
    texts already in the cache are answered without it, so an unchanged
    project never waits for (or even loads) the model.
    """

    def __init__(self, source: Encoder | EncoderLoader, cache: EmbeddingCache | None = None) -> None:
        self.source = source
        self.model_id: str = source.model_id
        self.cache = cache if cache is not None else EmbeddingCache(None, self.model_id)
        self.texts_embedded = 0  # texts this wrapper sent to the model

    @property
    def ready(self) -> bool:
        """True when texts that are not cached can be embedded without waiting."""
        return self._encoder(block=False) is not None

    def _encoder(self, block: bool) -> Encoder | None:
        if isinstance(self.source, EncoderLoader):
            if block:
                return self.source.wait()
            return self.source.encoder()
        return self.source

    @property
    def dim(self) -> int:
        if self.cache.dim is not None:
            return self.cache.dim
        enc = self._encoder(block=True)
        assert enc is not None
        return enc.dim

    def cached(self, texts: Iterable[str]) -> bool:
        """True if every text is already in the cache."""
        found, _ = self.cache.lookup([text_key(t) for t in texts])
        return bool(found.all())

    def encode(
        self,
        texts: Sequence[str],
        progress: ProgressFn | None = None,
        *,
        block: bool = True,
    ) -> np.ndarray:
        """Embeddings of ``texts``, from the cache where possible.

        With ``block=False`` raises :class:`NotReady` instead of waiting for a
        model that is still loading.
        """
        texts = list(texts)
        keys = [text_key(t) for t in texts]
        found, vectors = self.cache.lookup(keys)
        total = len(texts)
        if found.all():
            if progress:
                progress(total, total)
            return vectors if total else np.zeros((0, self.cache.dim or 0), np.float32)
        missing: dict[bytes, str] = {}
        for i in np.nonzero(~found)[0]:
            missing.setdefault(keys[i], texts[i])
        encoder = self._encoder(block)
        if encoder is None:
            state = getattr(self.source, "state", "loading")
            raise NotReady(f"the suggestion model is {state}")
        done = int(found.sum())

        def report(n: int, _m: int) -> None:
            if progress:
                progress(min(total, done + n), total)

        new = encoder.encode(list(missing.values()), report)
        self.texts_embedded += len(missing)
        self.cache.put(list(missing), new)
        self.cache.flush()
        if progress:  # a text given twice is embedded once: the count ends at the total all the same
            progress(total, total)
        found, vectors = self.cache.lookup(keys)
        return vectors
