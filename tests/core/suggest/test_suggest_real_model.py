"""The packaged all-MiniLM-L6-v2 model, loaded offline, on a handful of sentences."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from coder.core.errors import CoderError
from coder.core.suggest.embeddings import CachedEncoder, EmbeddingCache
from coder.core.suggest.engine import Suggester
from coder.core.suggest.fake import FakeEncoder
from coder.core.suggest.model import DEFAULT_MODEL, EncoderLoader, load_encoder

pytestmark = pytest.mark.slow

CORPUS = [
    "Since joining the group I feel far more confident speaking up.",
    "I learned to cook healthy meals on a budget.",
    "I have made friends with people on my street I never spoke to before.",
    "We got the council to agree to a new crossing outside the school.",
    "The bus was late again.",
]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


def test_the_default_model_loads_offline_and_embeds(encoder):
    assert encoder.model_id == DEFAULT_MODEL
    assert encoder.device in ("cpu", "cuda", "mps")
    vecs = encoder.encode(CORPUS)
    assert vecs.shape == (5, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-4)
    # Order is restored after sorting by length.
    alone = encoder.encode([CORPUS[3]])[0]
    np.testing.assert_allclose(vecs[3], alone, atol=1e-4)
    friends = encoder.encode(["I made new friends in my neighbourhood"])[0]
    assert int(np.argmax(vecs @ friends)) == 2


def test_real_suggestions_learn_and_explain(encoder, codebook, tmp_path):
    s = Suggester(codebook, encoder, cache_dir=tmp_path)
    s.train()
    assert s.suggest(CORPUS[2], top=1)[0].code == "networks"
    assert s.suggest(CORPUS[3], top=1)[0].code == "power"
    s.train([(CORPUS[4], "power", "int-09 s4")])
    sug = {x.code: x for x in s.suggest("The bus was late again this morning.", top=None)}
    assert sug["power"].rank == 1
    assert sug["power"].reason.text == CORPUS[4] and sug["power"].reason.where == "int-09 s4"


def test_second_run_uses_the_cache_not_the_model(encoder, tmp_path):
    first = CachedEncoder(encoder, EmbeddingCache(tmp_path, encoder.model_id))
    expected = first.encode(CORPUS)
    calls = encoder.calls
    second = CachedEncoder(encoder, EmbeddingCache(tmp_path, encoder.model_id))
    np.testing.assert_array_equal(second.encode(CORPUS), expected)
    assert encoder.calls == calls


def test_background_loader_reports_ready():
    loader = EncoderLoader().start()
    assert loader.state in ("loading", "ready")
    enc = loader.wait(timeout=300)
    assert loader.state == "ready" and loader.encoder() is enc


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(CoderError) as info:
        load_encoder(tmp_path / "no-such-model")
    assert "offline" in str(info.value) and info.value.hint
    with pytest.raises(CoderError):
        load_encoder("someone/not-downloaded-model-xyz")


def test_a_failed_model_load_is_reported(codebook):
    loader = EncoderLoader(model="/no/such/model/folder").start()
    s = Suggester(codebook, loader)
    with pytest.raises(Exception) as info:
        loader.wait(timeout=60)
    assert s.state == "failed"
    assert "cannot load the suggestion model" in str(info.value)
    assert s.error is not None


def test_importing_the_package_does_not_import_torch():
    code = (
        "import sys, coder.core.suggest as s; "
        "s.Suggester; s.FakeEncoder; s.EncoderLoader; s.suggest_transcripts; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_fake_encoder_has_the_real_interface(encoder):
    fake = FakeEncoder()
    for name in ("model_id", "dim", "encode"):
        assert hasattr(fake, name) and hasattr(encoder, name)
    assert fake.encode(CORPUS).shape == (5, fake.dim)


def sample_codebook():
    from pathlib import Path

    from coder.core.codebook_file import load_codebook

    codebook, problems = load_codebook(Path(__file__).resolve().parents[3] / "codebooks" / "social-determinants.yaml")
    assert not problems
    return codebook


def test_one_coding_teaches_its_close_paraphrases_at_once(encoder, tmp_path):
    """After coding one sentence as Confidence, a paraphrase a few lines later ranks it
    first, strong, because of that coding; a rejected suggestion's near-duplicate is not
    offered that code again."""
    s = Suggester(sample_codebook(), encoder, cache_dir=tmp_path)
    s.train()
    paraphrase = "You see, I speak up now."
    before = s.suggest(paraphrase, top=None, block=True)
    assert next(x for x in before if x.code == "confidence").band != "strong"

    coded = "I'm more likely to speak up now."
    s.add(positive=(coded, "confidence", "ac-wal-p04-interview"))
    top = s.suggest(paraphrase, top=3, block=True)[0]
    assert (top.code, top.band) == ("confidence", "strong")
    assert top.reason.text == coded and top.reason.kind == "coded"
    assert top.reason.where == "ac-wal-p04-interview"

    rejected = "I've made loads of new friends at the group."
    offered = s.suggest(rejected, top=3, block=True)[0].code
    s.add(rejection=(rejected, offered, "ac-wal-p04-interview"))
    again = "I made loads of new friends at the group."
    assert offered not in {x.code for x in s.suggest(again, top=None, block=True)}
    assert offered not in {x.code for x in s.suggest(rejected, top=None, block=True)}
