"""Multilabel classification: a 0/1 indicator y, one sigmoid per label, as MLP."""

import re

import numpy as np
import pytest
import torch
from conftest import FAST, make_ragged
from sklearn.metrics import f1_score, hamming_loss

from sklstm import LSTMClassifier
from sklstm._loss import LabelSetLoss


def label_sets(X):
    """Three labels per sequence, any of them on or off."""
    return np.array([[x[:, 0].mean() > 0, x[:, 1].mean() > 0, x[-1, 0] > 0] for x in X], dtype=int)


@pytest.fixture
def multilabel_data():
    X = make_ragged(n_samples=60, min_length=4, max_length=12, seed=4)
    return X, label_sets(X)


def test_multilabel_fit_predict_as_mlp(multilabel_data):
    X, Y = multilabel_data
    clf = LSTMClassifier(**{**FAST, "max_epochs": 30}).fit(X, Y)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    pred, proba = clf.predict(X), clf.predict_proba(X)
    assert pred.shape == proba.shape == Y.shape
    assert set(np.unique(pred)) <= {0, 1}
    # independent sigmoids: each probability in [0, 1], rows need not sum to 1
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    # scikit-learn's multilabel metrics take the output as it is
    assert 0 <= hamming_loss(Y, pred) < 0.5
    f1_score(Y, pred, average="micro")
    assert clf.score(X, Y) == np.mean(np.all(pred == Y, axis=1))  # subset accuracy


def test_multilabel_predictions_are_exact_on_padded_batches(multilabel_data):
    X, Y = multilabel_data
    clf = LSTMClassifier(**FAST, n_networks=2).fit(X, Y)
    batch = clf.predict_proba(X)
    alone = np.vstack([clf.predict_proba([x]) for x in X])
    np.testing.assert_allclose(batch, alone, atol=1e-6)


def test_an_ensemble_averages_the_label_probabilities(multilabel_data):
    X, Y = multilabel_data
    clf = LSTMClassifier(**FAST, n_networks=3).fit(X, Y)
    dense = np.zeros((len(X), 12, X[0].shape[1]), dtype=np.float32)
    for i, x in enumerate(X):
        dense[i, : len(x)] = x
    lengths = torch.tensor([len(x) for x in X])
    module = clf.net_.module_.eval()
    with torch.no_grad():
        each = [torch.sigmoid(net(torch.from_numpy(dense), lengths)) for net in module.networks]
    np.testing.assert_allclose(
        clf.predict_proba(X), torch.stack(each).mean(0).numpy(), rtol=1e-5, atol=1e-6
    )


def test_label_set_loss_is_the_weighted_mean_binary_cross_entropy():
    rng = np.random.RandomState(0)
    logits, target = rng.normal(size=(4, 3)), rng.randint(0, 2, size=(4, 3))
    weight = np.array([1.0, 0.5, 2.0, 1.0])
    loss = LabelSetLoss()(
        torch.tensor(logits),
        {"target": torch.tensor(target, dtype=torch.float64), "weight": torch.tensor(weight)},
    )
    p = 1 / (1 + np.exp(-logits))
    per_sequence = -(target * np.log(p) + (1 - target) * np.log(1 - p)).mean(1)
    np.testing.assert_allclose(loss.item(), (per_sequence * weight).sum() / weight.sum())


def test_multilabel_partial_fit_and_its_errors(multilabel_data):
    X, Y = multilabel_data
    clf = LSTMClassifier(**FAST)
    clf.partial_fit(X[:30], Y[:30], classes=[0, 1, 2]).partial_fit(X[30:], Y[30:])
    assert clf.n_iter_ == 2 and clf.predict(X).shape == Y.shape
    with pytest.raises(ValueError, match="y has 2 labels, but LSTMClassifier was fitted with 3"):
        clf.partial_fit(X, Y[:, :2])
    with pytest.raises(ValueError, match="cannot switch to class labels"):
        clf.partial_fit(X, Y[:, 0])
    with pytest.raises(ValueError, match=re.escape("does not support class_weight")):
        LSTMClassifier(**FAST, class_weight="balanced").fit(X, Y)


def test_per_step_binary_labels_are_not_read_as_label_sets():
    X = np.random.RandomState(0).normal(size=(20, 6, 2)).astype(np.float32)
    y = (X[:, :, 0] > 0).astype(int)  # (n_samples, n_timesteps) of 0/1: one label per step
    clf = LSTMClassifier(**FAST, readout="sequence").fit(X, y)
    assert clf.predict(X).shape == (20, 6)
    np.testing.assert_array_equal(clf.classes_, [0, 1])


@pytest.mark.parametrize("values", [(-1, 1), (0, 2)])
def test_an_indicator_of_other_values_than_0_and_1_is_refused(multilabel_data, values):
    # Non-regression test for #35: {-1, +1} or {0, 2} trained the 0/1 loss on
    # targets it cannot reach.
    X, Y = multilabel_data
    low, high = values
    message = (
        f"y has shape {Y.shape}, which LSTMClassifier reads as a multilabel indicator (one "
        "column per label, 1 where a sample has it, 0 elsewhere, as "
        "sklearn.preprocessing.MultiLabelBinarizer makes it), but it holds the values "
        f"[{low}, {high}]. Convert it first, e.g. y = (y == {high}).astype(int)."
    )
    clf = LSTMClassifier(**FAST)
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.fit(X, np.where(Y == 1, high, low))
    fitted = LSTMClassifier(**FAST).fit(X, Y)
    with pytest.raises(ValueError, match=re.escape(message)):
        fitted.partial_fit(X, np.where(Y == 1, high, low))
