"""Fine-tuning the encoder on the project's codings: the pairs, the batches, one real round."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.core.errors import CoderError
from coder.core.project import Project
from coder.core.suggest import finetune
from coder.core.suggest.training import Example, code_texts
from tests.core.suggest.test_suggest_worker import write


def test_pairs_share_a_code_and_never_pair_a_text_with_itself(codebook):
    positives = [Example("I feel more confident now", "confidence"), Example("I speak up at meetings", "confidence"),
                 Example("I learned to cook", "skills")]
    pairs = finetune.training_pairs(codebook, positives)
    texts_of = {c.id: {e.text for e in code_texts(c)} for c in codebook.codes}
    for e in positives:
        texts_of[e.code].add(e.text)
    assert pairs and all(a != b and a in texts_of[c] and b in texts_of[c] for a, b, c in pairs)
    assert {a for a, _, _ in pairs} >= {e.text for e in positives}  # every coded passage is learnt from


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 6)), max_size=80),
       st.integers(2, 16), st.integers(0, 5))
def test_a_batch_never_holds_a_code_or_a_text_twice(raw, size, seed):
    pairs = [(f"t{a}", f"t{b}", f"c{c}") for a, b, c in raw if a != b]
    out = finetune.batches(pairs, size, random.Random(seed))
    for batch in out:
        assert 2 <= len(batch) <= size
        assert len({p[2] for p in batch}) == len(batch)  # in-batch negatives are other codes
        texts = [t for p in batch for t in p[:2]]
        assert len(set(texts)) == len(texts)
    used = [p for b in out for p in b]
    assert len(used) == len(set(map(id, used))) and set(used) <= set(pairs)


def test_the_model_key_follows_the_data_and_the_base_model():
    pairs = [("a", "b", "x"), ("c", "d", "y")]
    key = finetune.data_key("all-MiniLM-L6-v2", pairs)
    assert key == finetune.data_key("all-MiniLM-L6-v2", list(reversed(pairs)))
    assert key != finetune.data_key("all-MiniLM-L6-v2", pairs[:1])
    assert key != finetune.data_key("another-model", pairs)


def test_too_few_codings_is_a_clear_error(tmp_path):
    project = Project.open(write(tmp_path / "study"))
    with pytest.raises(CoderError, match="needs at least 100 coded passages; this project has 0"):
        finetune.run_round(project)


@pytest.mark.slow
def test_a_round_trains_keeps_the_model_under_coder_and_accepted_suggestions_name_it(tmp_path):
    root = write(tmp_path / "study")
    project = Project.open(root)
    text = project.transcript("p01").text
    for words, code in [("I feel much more confident now.", "confidence"),
                        ("I learned how to use a computer at the library.", "skills"),
                        ("We persuaded the council to fix the park.", "power")]:
        start = text.index(words)
        project.apply("ana", "p01", code, start, start + len(words))
    steps: list[tuple[str, int, int]] = []
    done = finetune.run_round(project, progress=lambda *a: steps.append(a), min_coded=1)
    assert done.trained and done.coded == 3 and done.pairs > 0
    assert done.folder.parent == root / ".coder" / "models" and (done.folder / "config.json").is_file()
    assert done.model_id.startswith("all-MiniLM-L6-v2-ft-")
    assert steps[-1][0] == "step" and steps[-1][1] == steps[-1][2]
    again = finetune.run_round(project, min_coded=1)  # the same data: the same model, not trained twice
    assert (again.model_id, again.trained) == (done.model_id, False)

    assert finetune.project_model(project) == "all-MiniLM-L6-v2"  # off by default: the stock model
    config = root / "coder.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fine_tune: true\n", encoding="utf-8")
    project = Project.open(root)
    assert finetune.project_model(project) == str(done.folder)
    service = project.suggestions
    service.load()
    assert service.model_id == done.model_id
    start = text.index("I learned")
    (best, *_) = service.suggest("p01", start, start + 10, k=3)
    project.accept("ana", "p01", start, start + 10, best)
    last = json.loads((root / "codings" / "ana.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last["origin"]["model"] == done.model_id  # the provenance names the fine-tuned model

    assert service.follow() is None  # the model in use is the one the project names
    shutil.rmtree(done.folder)  # gone: back to the stock model, in the running service too
    assert finetune.project_model(Project.open(root)) == "all-MiniLM-L6-v2"
    assert service.follow() == (done.model_id, "all-MiniLM-L6-v2") and service.model_id == "all-MiniLM-L6-v2"
    (again, *_) = service.suggest("p01", start, start + 10, k=3)
    assert again.model == "all-MiniLM-L6-v2"


def test_a_new_round_deletes_older_models_and_long_stopped_half_written_ones(tmp_path):
    import os
    import time

    models = tmp_path / ".coder" / "models"
    for name in ("m-ft-old", "m-ft-new", "m-ft-x.partial", "m-ft-y.partial"):
        (models / name).mkdir(parents=True)
    old = time.time() - finetune.STALE_PARTIAL - 10
    os.utime(models / "m-ft-x.partial", (old, old))
    gone = finetune.prune(tmp_path / ".coder", models / "m-ft-new")
    assert sorted(p.name for p in gone) == ["m-ft-old", "m-ft-x.partial"]
    assert sorted(p.name for p in models.iterdir()) == ["m-ft-new", "m-ft-y.partial"]  # y may be a round still writing


def test_reloading_swaps_the_worker_process_and_suggestions_go_on(tmp_path):
    from coder.core.suggest.fake import FakeEncoder

    project = Project.open(write(tmp_path / "study"))
    service = project.suggestions
    service.encoder, service.in_worker = FakeEncoder(), True
    service.load()
    try:
        old = service._worker._proc
        text = project.transcript("p01").text
        start = text.index("I learned")
        assert service.suggest("p01", start, start + 10)
        service.reload()
        assert old.poll() is not None and service._worker._proc is not old  # the old process has ended
        assert service.ready and service.suggest("p01", start, start + 10)
    finally:
        service.close()


def test_the_fine_tune_setting_is_off_by_default_and_a_bad_value_is_a_warning_with_its_line(tmp_path):
    from coder.core.config import load_config

    root = write(tmp_path / "study")
    config, problems = load_config(root)
    assert config.fine_tune is False and problems == []
    (root / "coder.yaml").write_text("name: t\ncodebook: codebooks/test.yaml\nfine_tune: sometimes\n", encoding="utf-8")
    config, problems = load_config(root)
    assert config.fine_tune is False
    (problem,) = problems
    assert problem.line == 3 and "must be true or false" in problem.message and "fine_tune: true" in problem.hint


def test_fine_tune_after_sets_how_much_is_coded_before_a_round(tmp_path):
    from coder.core.config import load_config

    root = write(tmp_path / "study")
    assert finetune.coded_needed(load_config(root)[0]) == 100
    (root / "coder.yaml").write_text("name: t\ncodebook: codebooks/test.yaml\nfine_tune_after: 2\n", encoding="utf-8")
    config, problems = load_config(root)
    assert finetune.coded_needed(config) == 2 and problems == []
    with pytest.raises(CoderError, match="needs at least 2 coded passages; this project has 0") as error:
        finetune.run_round(Project.open(root))
    assert "fine_tune_after" in error.value.hint
    (root / "coder.yaml").write_text("name: t\ncodebook: codebooks/test.yaml\nfine_tune_after: lots\n", encoding="utf-8")
    config, (problem,) = load_config(root)
    assert config.fine_tune_after == 100 and problem.line == 3 and "whole number" in problem.message
