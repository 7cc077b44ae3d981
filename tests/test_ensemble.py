"""``n_networks``: networks trained side by side and averaged."""

import pickle

import numpy as np
import pytest
import torch
from conftest import FAST, WeightsPerEpoch, make_order_problem, make_ragged
from sklearn.utils._param_validation import InvalidParameterError

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor
from sklstm._callbacks import ClipGradientNorm
from sklstm._ensemble import Ensemble, EnsembleLoss
from sklstm._loss import LabelLoss
from sklstm._module import LSTMModule

MODULE_PARAMS = dict(
    input_size=2,
    hidden_size=4,
    num_layers=1,
    bidirectional=False,
    dropout=0.0,
    readout="last+mean",
    state="hidden",
    layers="last",
    frontend="conv",
    patch_length=2,
    frontend_width=4,
    n_outputs=3,
)


def labels_of(X):
    return np.array([int(x[:, 0].sum() > 0) for x in X])


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor])
def test_one_network_is_the_single_network(Est, ragged_data):
    X, y = ragged_data
    y = labels_of(X) if Est is LSTMClassifier else y
    single = Est(**FAST).fit(X, y)
    one = Est(n_networks=1, **FAST).fit(X, y)
    assert isinstance(one.net_.module_, LSTMModule)
    method = "predict_proba" if Est is LSTMClassifier else "predict"
    np.testing.assert_array_equal(getattr(one, method)(X), getattr(single, method)(X))


def run_networks(module, X):
    """Each network's output on an unpadded batch, by hand: (n_networks, N, C)."""
    module.eval()
    X = torch.from_numpy(X)
    lengths = torch.full((len(X),), X.shape[1])
    with torch.no_grad():
        return np.stack([network(X, lengths).numpy() for network in module.networks])


def test_classifier_averages_the_probabilities_of_its_networks(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(n_networks=3, **FAST).fit(X, y)
    logits = run_networks(clf.net_.module_, X).astype(np.float64)
    proba = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(X), proba.mean(axis=0), rtol=1e-5, atol=1e-6)
    # the networks start from different weights, so they disagree
    assert np.ptp(proba[:, :, 0], axis=0).max() > 1e-3


def test_regressor_averages_the_predictions_of_its_networks(dense_data):
    X, _ = dense_data
    y = X[:, :, 0].sum(axis=1)
    reg = LSTMRegressor(n_networks=2, **FAST).fit(X, y)
    outputs = run_networks(reg.net_.module_, X)[:, :, 0]
    expected = outputs.mean(axis=0) * reg._y_scale_[0] + reg._y_mean_[0]
    np.testing.assert_allclose(reg.predict(X), expected, rtol=1e-5, atol=1e-5)


def test_each_network_gets_its_own_gradient():
    """The loss of the ensemble is the sum of the networks' losses, so the
    gradient of a network is the one it gets alone."""
    torch.manual_seed(0)
    ensemble = Ensemble(module=LSTMModule, n_networks=2, combine="probabilities", **MODULE_PARAMS)
    X = torch.randn(5, 6, 2)
    lengths = torch.tensor([6, 4, 3, 6, 1])
    y = {"target": torch.tensor([0, 1, 2, 1, 0])}
    EnsembleLoss(criterion=LabelLoss)(ensemble(X, lengths), y).backward()
    for network in ensemble.networks:
        alone = [p.grad.clone() for p in network.parameters()]
        network.zero_grad()
        LabelLoss()(network(X, lengths), y).backward()
        for grad, param in zip(alone, network.parameters()):
            torch.testing.assert_close(grad, param.grad)


def test_gradient_clipping_is_per_network():
    torch.manual_seed(0)
    ensemble = Ensemble(module=LSTMModule, n_networks=2, combine="probabilities", **MODULE_PARAMS)
    for i, network in enumerate(ensemble.networks):
        for param in network.parameters():
            param.grad = torch.full_like(param, 1000.0**i)  # a small and a large gradient
    small_before = [p.grad.clone() for p in ensemble.networks[0].parameters()]
    assert torch.cat([g.flatten() for g in small_before]).norm() < 100

    class Net:
        module_ = ensemble

    ClipGradientNorm(max_norm=100.0).on_grad_computed(Net(), named_parameters=None)
    # the first network's norm is below the limit: untouched, whatever the second's
    for before, param in zip(small_before, ensemble.networks[0].parameters()):
        torch.testing.assert_close(before, param.grad)
    norm = torch.cat([p.grad.flatten() for p in ensemble.networks[1].parameters()]).norm()
    assert norm == pytest.approx(100.0, rel=1e-5)


def test_padded_batch_equals_each_sequence_alone():
    X = make_ragged(min_length=2, max_length=13)
    clf = LSTMClassifier(n_networks=2, **FAST).fit(X, labels_of(X))
    batch = clf.predict_proba(X)
    alone = np.vstack([clf.predict_proba([x]) for x in X])
    np.testing.assert_allclose(batch, alone, rtol=1e-5, atol=1e-6)


def test_per_step_and_attention_readouts(ragged_data):
    X, _ = ragged_data
    steps = [(x[:, 0] > 0).astype(int) for x in X]
    clf = LSTMClassifier(n_networks=2, readout="sequence", **FAST).fit(X, steps)
    assert [len(p) for p in clf.predict(X)] == [len(x) for x in X]
    clf = LSTMClassifier(n_networks=2, readout="attention", **FAST).fit(X, labels_of(X))
    for w in clf.attention_weights(X):
        assert w.sum() == pytest.approx(1.0, abs=1e-5)


def test_same_random_state_same_ensemble_and_pickle(dense_data):
    X, y = dense_data
    a = LSTMClassifier(n_networks=2, **FAST).fit(X, y)
    b = LSTMClassifier(n_networks=2, **FAST).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.predict_proba(X), c.predict_proba(X))


def test_bad_n_networks_is_a_clear_error(dense_data):
    X, y = dense_data
    with pytest.raises(InvalidParameterError, match="'n_networks' parameter of LSTMClassifier"):
        LSTMClassifier(n_networks=0).fit(X, y)
    # the transformer's encodings are not averaged: it has no n_networks
    assert "n_networks" not in LSTMEncoderTransformer().get_params()


def test_each_network_keeps_the_weights_of_its_own_best_epoch():
    X, y = make_order_problem(n_samples=60, n_timesteps=6)
    recorder = WeightsPerEpoch()
    clf = LSTMClassifier(
        n_networks=2,
        max_epochs=12,
        lr=0.05,
        lr_schedule="constant",
        callbacks=[recorder],
        hidden_size=4,
        frontend="none",
        random_state=0,
    ).fit(X, y)
    history = clf.net_.history
    losses = np.array(history[:, "train_loss_networks"])  # (epochs, networks)
    # the ensemble's loss is the sum of the networks' losses
    np.testing.assert_allclose(losses.sum(1), history[:, "train_loss"], rtol=1e-5)
    best = np.argmin(losses, axis=0) + 1
    np.testing.assert_array_equal(clf.best_epoch_, best)
    assert best[0] != best[1]  # so that one shared epoch would not do
    for i, network in enumerate(clf.net_.module_.networks):
        kept = recorder.weights[best[i] - 1]
        for name, value in network.state_dict().items():
            np.testing.assert_array_equal(value.numpy(), kept[f"networks.{i}.{name}"].numpy())
