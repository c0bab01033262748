"""The embedding cache: hits, invalidation, corruption, persistence."""

from __future__ import annotations

import numpy as np

from coder.core.suggest.embeddings import MAX_SHARDS, CachedEncoder, EmbeddingCache
from coder.core.suggest.fake import FakeEncoder

TEXTS = ["I made new friends", "the council listened to us", "I can cook now"]


def cached(folder, encoder=None):
    encoder = encoder or FakeEncoder()
    return CachedEncoder(encoder, EmbeddingCache(folder, encoder.model_id)), encoder


def test_second_run_is_served_from_disk_without_the_model(tmp_path):
    first, enc1 = cached(tmp_path)
    v1 = first.encode(TEXTS)
    assert enc1.texts_encoded == 3
    second, enc2 = cached(tmp_path)  # a new process, same project
    v2 = second.encode(TEXTS)
    assert enc2.calls == 0
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_allclose(np.linalg.norm(v2, axis=1), 1.0, rtol=1e-5)


def test_an_edited_text_is_the_only_one_embedded_again(tmp_path):
    first, _ = cached(tmp_path)
    first.encode(TEXTS)
    edited = [TEXTS[0], "the council listened to us at last", TEXTS[2]]
    second, enc = cached(tmp_path)
    out = second.encode(edited)
    assert enc.texts_encoded == 1
    np.testing.assert_array_equal(out[1], FakeEncoder().encode([edited[1]])[0])


def test_order_and_duplicates_are_preserved(tmp_path):
    enc = FakeEncoder()
    c, _ = cached(tmp_path, enc)
    texts = [TEXTS[2], TEXTS[0], TEXTS[2], ""]
    out = c.encode(texts)
    assert enc.texts_encoded == 3  # the duplicate is embedded once
    np.testing.assert_array_equal(out, FakeEncoder().encode(texts))


def shard_files(folder):
    return sorted(folder.rglob("*.npz"))


def test_truncated_cache_file_is_rebuilt_not_a_crash(tmp_path):
    first, _ = cached(tmp_path)
    expected = first.encode(TEXTS)
    (shard,) = shard_files(tmp_path)
    shard.write_bytes(shard.read_bytes()[:100])
    second, enc = cached(tmp_path)
    assert second.cache.discarded == [shard]
    np.testing.assert_array_equal(second.encode(TEXTS), expected)
    assert enc.texts_encoded == 3
    third, enc3 = cached(tmp_path)  # and the rebuilt cache serves the next run
    third.encode(TEXTS)
    assert enc3.calls == 0


def test_garbage_and_foreign_cache_files_are_ignored(tmp_path):
    first, _ = cached(tmp_path)
    first.encode(TEXTS)
    folder = shard_files(tmp_path)[0].parent
    (folder / "zz-garbage.npz").write_bytes(b"\x00not a zip at all" * 10)
    np.savez(folder / "zz-other.npz", keys=np.zeros((1, 16), np.uint8),
             vectors=np.zeros((1, 3), np.float32), model=np.array("some-other-model"))
    second, enc = cached(tmp_path)
    second.encode(TEXTS)
    assert enc.calls == 0
    assert len(second.cache.discarded) == 2


def test_many_small_writes_are_merged(tmp_path):
    c, _ = cached(tmp_path)
    for i in range(MAX_SHARDS + 2):
        c.encode([f"sentence number {i}"])
    assert len(shard_files(tmp_path)) <= MAX_SHARDS
    again, enc = cached(tmp_path)
    again.encode([f"sentence number {i}" for i in range(MAX_SHARDS + 2)])
    assert enc.calls == 0


def test_an_unwritable_folder_still_gives_embeddings(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    c, _ = cached(blocker)
    out = c.encode(TEXTS)
    assert out.shape == (3, 256)
    assert c.cache.write_failed


def test_memory_only_cache_without_a_folder():
    c, enc = cached(None)
    c.encode(TEXTS)
    c.encode(TEXTS)
    assert enc.calls == 1
