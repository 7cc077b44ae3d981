"""encoder=, freeze_encoder=: start from a fitted encoder, optionally frozen."""

import re

import numpy as np
import pytest
import torch
from conftest import FAST, make_ragged
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import cross_val_score

import sklstm
from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor
from sklstm._base import _AUTO_WEIGHT_DECAY

X = make_ragged(n_samples=30, min_length=4, max_length=12, seed=6)
Y = np.array([x[:, 0].mean() > 0 for x in X]).astype(int)
ENCODER = LSTMEncoderTransformer(**FAST).fit(X)  # without labels: contrastive


def encoder_weights(module):
    return {
        name: value.clone()
        for name, value in module.state_dict().items()
        if name.split(".")[0] in ("frontend", "lstm")
    }


def assert_same_weights(a, b):
    assert a.keys() == b.keys() and len(a) > 0
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=0, atol=0, msg=name)


def test_the_network_starts_from_the_encoder_weights():
    clf = LSTMClassifier(**{**FAST, "max_epochs": 0}, encoder=ENCODER).fit(X, Y)
    source = ENCODER.net_.module_.encoder
    assert_same_weights(encoder_weights(clf.net_.module_), encoder_weights(source))
    # and then trains them, unless frozen
    tuned = LSTMClassifier(**FAST, encoder=ENCODER).fit(X, Y)
    changed = encoder_weights(tuned.net_.module_)
    assert not torch.equal(changed["lstm.weight_hh_l0"], source.lstm.weight_hh_l0)


@pytest.mark.parametrize("freeze_encoder", [False, True])
def test_weight_decay_auto_treats_a_pretrained_network_as_any_other(freeze_encoder):
    """The penalty from 40 training sequences, none below
    (benchmarks/pretraining.py measured both sides)."""
    X_more, Y_more = X + X, np.concatenate([Y, Y])  # enough sequences for a penalty
    for sequences, labels, expected in [(X, Y, 0.0), (X_more, Y_more, _AUTO_WEIGHT_DECAY)]:
        clf = LSTMClassifier(**FAST, encoder=ENCODER, freeze_encoder=freeze_encoder)
        clf.fit(sequences, labels)
        assert clf.weight_decay_ == expected
        assert all(g["weight_decay"] == expected for g in clf.net_.optimizer_.param_groups)


@pytest.mark.parametrize("n_networks", [1, 2])
def test_a_frozen_encoder_does_not_change(n_networks):
    # not even under an L2 penalty: the optimizer skips weights without a gradient
    clf = LSTMClassifier(
        **{**FAST, "max_epochs": 3},
        encoder=ENCODER,
        freeze_encoder=True,
        n_networks=n_networks,
        weight_decay=0.01,
    ).fit(X, Y)
    networks = getattr(clf.net_.module_, "networks", [clf.net_.module_])
    for network in networks:
        assert_same_weights(
            encoder_weights(network), encoder_weights(ENCODER.net_.module_.encoder)
        )
    clf.partial_fit(X, Y)
    assert_same_weights(
        encoder_weights(networks[0]), encoder_weights(ENCODER.net_.module_.encoder)
    )


def test_a_frozen_encoder_stays_in_evaluation_mode_while_the_head_trains():
    clf = LSTMClassifier(**FAST, encoder=ENCODER, freeze_encoder=True).fit(X, Y)
    module = clf.net_.module_.train()
    assert module.training and module.head.training
    assert not module.frontend.training and not module.lstm.training


def test_predictions_stay_exact_on_padded_batches():
    clf = LSTMClassifier(**FAST, encoder=ENCODER).fit(X, Y)
    np.testing.assert_allclose(
        clf.predict_proba(X), np.vstack([clf.predict_proba([x]) for x in X]), atol=1e-6
    )


def test_a_frozen_estimator_survives_clone_in_cross_validation():
    clf = LSTMClassifier(**FAST, encoder=FrozenEstimator(ENCODER), freeze_encoder=True)
    assert clone(clf).encoder.estimator is ENCODER
    assert len(cross_val_score(clf, X, Y, cv=2)) == 2


def test_a_cloned_encoder_is_refused_with_the_fix():
    clf = LSTMClassifier(**FAST, encoder=ENCODER)
    with pytest.raises(ValueError, match=re.escape("sklearn.frozen.FrozenEstimator(encoder)")):
        clone(clf).fit(X, Y)


def test_an_encoder_of_another_architecture_is_refused():
    with pytest.raises(ValueError, match=re.escape("hidden_size=4 (here 8)")):
        LSTMRegressor(**{**FAST, "hidden_size": 8}, encoder=ENCODER).fit(X, Y * 1.0)
    other = [np.hstack([x, x]) for x in X]
    with pytest.raises(ValueError, match=re.escape("3 features (here 6)")):
        LSTMClassifier(**FAST, encoder=ENCODER).fit(other, Y)


def test_the_encoders_patch_length_is_used():
    encoder = LSTMEncoderTransformer(**FAST, frontend="patch", patch_length=3).fit(X)
    clf = LSTMClassifier(**FAST, frontend="patch", encoder=encoder).fit(X, Y)
    assert clf.patch_length_ == 3


def test_a_model_with_an_encoder_saves_once_the_encoder_is_dropped(tmp_path):
    clf = LSTMClassifier(**FAST, encoder=ENCODER, freeze_encoder=True).fit(X, Y)
    with pytest.raises(ValueError, match=re.escape("set_params(encoder=None)")):
        sklstm.save(clf, tmp_path / "model.sklstm")
    sklstm.save(clf.set_params(encoder=None), tmp_path / "model.sklstm")
    loaded = sklstm.load(tmp_path / "model.sklstm")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
