"""A retrain after each action reuses what the last one computed, and must land where a fresh fit does."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.core.suggest.engine import Suggester, SuggestSettings
from coder.core.suggest.fake import FakeEncoder
from coder.core.suggest.rows import RowFeatures
from coder.core.suggest.training import Example
from coder.core.suggest.words import Vocabulary

WORDS = ("friends", "group", "council", "confident", "cooking", "computer", "park", "neighbours", "decisions",
         "garden", "lonely", "believe", "learned", "home", "say", "myself", "met", "people")
CODES = ("confidence", "skills", "networks", "power", "wellbeing")

sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=7).map(" ".join)
coding = st.tuples(sentence, st.sampled_from(CODES))
action = st.tuples(st.sampled_from(("code", "reject")), sentence, st.sampled_from(CODES))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(coding, min_size=12, max_size=30), actions=st.lists(action, min_size=1, max_size=4),
       probes=st.lists(sentence, min_size=1, max_size=4))
def test_retraining_after_each_action_scores_as_a_fresh_fit(codebook, first, actions, probes):
    encoder = FakeEncoder(64)
    knobs = SuggestSettings(neighbour_weight=2.0)  # not chosen by cross-validation: the same for both
    corpus = [t for t, _ in first] + [t for _, t, _ in actions] + probes

    def suggester() -> Suggester:
        s = Suggester(codebook, encoder, settings=knobs)
        s.add_corpus(corpus)  # the project's texts: one vocabulary for both
        return s

    positives = [Example(t, c, "t") for t, c in first]
    rejections: list[Example] = []
    step = suggester()
    step.train(positives, rejections)
    for kind, text, code in actions:  # one action at a time, as the workbench retrains
        (positives if kind == "code" else rejections).append(Example(text, code, "t"))
        step.train(positives, rejections, calibrate=False)
    fresh = suggester()
    fresh.train(positives, rejections)

    assert [c.id for c in step.codes] == [c.id for c in fresh.codes]
    a, b = step.score(probes).logits, fresh.score(probes).logits
    assert np.allclose(a, b, atol=0.05), np.abs(a - b).max()


texts = st.lists(st.sampled_from([" ".join(WORDS[i : i + 3]) for i in range(len(WORDS))] + ["", "home"]),
                 max_size=12)


@settings(max_examples=60, deadline=None)
@given(calls=st.lists(texts, min_size=1, max_size=4), words=st.booleans())
def test_features_kept_between_calls_equal_features_computed_afresh(calls, words):
    encoder = FakeEncoder(16)
    vocabulary = Vocabulary.build([t for c in calls for t in c], min_df=1) if words else None
    rows = RowFeatures()
    for call in calls:
        X, S = rows.features(call, encoder.encode, vocabulary, encoder)
        assert np.array_equal(X, encoder.encode(call).reshape(len(call), 16))
        if words:
            assert (S != vocabulary.transform(call)).nnz == 0
        else:
            assert S is None
