"""The training target of each task: what its builder encodes, without training."""

import dataclasses
import re

import numpy as np
import pytest
import torch

from sklstm._base import _BaseLSTM
from sklstm._budget import CONTRASTIVE_BUDGET, SUPERVISED_BUDGET
from sklstm._data import Sequences
from sklstm._ensemble import EnsembleLoss
from sklstm._loss import IGNORE_LABEL, LabelLoss, LabelSetLoss, ValueLoss
from sklstm._targets import (
    autoencoder_target,
    classification_target,
    contrastive_target,
    regression_target,
)

NAME = "LSTMClassifier"
HEAD = {"head": "linear", "head_hidden_sizes": ()}


@pytest.fixture(scope="module")
def sequences():
    X = np.random.RandomState(0).normal(size=(6, 5, 2)).astype(np.float32)
    return Sequences.from_dense(X)


def test_classification_target_encodes_string_labels(sequences):
    y = np.array(["dog", "cat", "emu", "cat", "dog", "emu"])
    target = classification_target(y, sequences, NAME, HEAD)
    np.testing.assert_array_equal(target.fitted["classes_"], ["cat", "dog", "emu"])
    assert target.y.dtype == torch.long
    np.testing.assert_array_equal(target.y.numpy(), [1, 0, 2, 0, 1, 2])
    np.testing.assert_array_equal(target.stratify, [1, 0, 2, 0, 1, 2])
    assert target.fitted["_multilabel_"] is False
    assert target.criterion is LabelLoss
    assert target.module_params == {"n_outputs": 3, **HEAD}
    assert target.criterion_params == {"class_weight": None}
    assert target.y_fill_value == 0
    # a constant output of the class frequencies (1/3 each) costs log(3)
    assert target.null_loss == pytest.approx(np.log(3))
    assert target.budget is SUPERVISED_BUDGET
    assert (target.n_networks, target.combine) == (1, "probabilities")


def test_classification_target_keeps_the_given_classes(sequences):
    y = ["a", "b"] * 3
    target = classification_target(y, sequences, NAME, HEAD, classes=np.array(["a", "b", "c"]))
    np.testing.assert_array_equal(target.fitted["classes_"], ["a", "b", "c"])
    assert target.module_params["n_outputs"] == 3


def test_classification_target_per_step_pads_with_the_ignored_label(sequences):
    y = np.tile(["x", "y", "x", "y", "x"], (6, 1))
    target = classification_target(y, sequences, NAME, HEAD, per_step=True)
    assert target.y_fill_value == IGNORE_LABEL
    assert target.stratify is None  # no one class per sequence
    np.testing.assert_array_equal(target.y.values.ravel(), np.tile([0, 1, 0, 1, 0], 6))


def test_classification_target_of_an_indicator_is_multilabel(sequences):
    Y = np.array([[1, 0, 1], [0, 1, 0]] * 3)
    target = classification_target(Y, sequences, NAME, HEAD, n_networks=2)
    assert target.criterion is LabelSetLoss
    assert target.fitted["_multilabel_"] is True
    np.testing.assert_array_equal(target.fitted["classes_"], [0, 1, 2])
    np.testing.assert_array_equal(target.y.numpy(), Y)
    assert target.stratify is None
    assert (target.n_networks, target.combine) == (2, "label_probabilities")


def test_multilabel_target_refuses_class_weight(sequences):
    Y = np.array([[1, 0], [0, 1]] * 3)
    msg = (
        f"{NAME} does not support class_weight with multilabel y (a 2-D 0/1 indicator); "
        "weigh the sequences with sample_weight instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        classification_target(Y, sequences, NAME, HEAD, class_weight="balanced")


def test_regression_target_standardises_y_and_decodes_back(sequences):
    y = np.array([3.0, 5.0, 7.0, 9.0, 11.0, 40.0])
    target = regression_target(y, sequences, "LSTMRegressor", HEAD)
    scaled = target.y.numpy()
    assert scaled.shape == (6, 1)
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(scaled.std(axis=0), 1, atol=1e-6)
    mean, scale = target.fitted["_y_mean_"], target.fitted["_y_scale_"]
    np.testing.assert_allclose((scaled * scale + mean).ravel(), y, rtol=1e-6)
    assert target.fitted["_y_ndim_"] == 1
    assert target.criterion is ValueLoss
    assert target.criterion_params == {}
    assert target.module_params["n_outputs"] == 1
    # the mean of standardised targets costs their variance, 1
    assert target.null_loss == pytest.approx(1.0, rel=1e-5)
    assert target.stratify is None
    assert (target.n_networks, target.combine) == (1, "mean")


def test_regression_target_keeps_the_fitted_scaling(sequences):
    y = np.arange(6.0)
    target = regression_target(y, sequences, "LSTMRegressor", HEAD, scaling=([1.0], [2.0]))
    np.testing.assert_allclose(target.y.numpy().ravel(), (y - 1) / 2)
    msg = "y has 2 targets, but LSTMRegressor was fitted with 1."
    with pytest.raises(ValueError, match=re.escape(msg)):
        regression_target(
            np.ones((6, 2)), sequences, "LSTMRegressor", HEAD, scaling=([1.0], [2.0])
        )


def test_objectives_without_labels(sequences):
    contrastive = contrastive_target()
    assert contrastive.y is None and contrastive.null_loss is None
    assert contrastive.budget is CONTRASTIVE_BUDGET
    autoencoder = autoencoder_target(sequences)
    assert autoencoder.y is None and autoencoder.budget is SUPERVISED_BUDGET
    mean = autoencoder.module_params["feature_mean"]
    assert mean.dtype == np.float32
    np.testing.assert_allclose(mean, sequences.values.mean(axis=(0, 1)), rtol=1e-5)


def test_targets_are_frozen(sequences):
    target = classification_target(["a", "b"] * 3, sequences, NAME, HEAD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.n_networks = 3
    with pytest.raises(TypeError):
        target.module_params["n_components"] = 4
    with pytest.raises(TypeError):
        target.fitted["objective_"] = "classification"
    changed = dataclasses.replace(
        target, module_params={**target.module_params, "n_components": 4}, n_networks=3
    )
    assert changed.module_params["n_components"] == 4
    assert "n_components" not in target.module_params
    assert target.n_networks == 1


def test_an_ensemble_trains_on_the_ensemble_loss(sequences):
    target = regression_target(
        np.arange(6.0), sequences, "LSTMRegressor", HEAD, loss={"loss": "huber"}, n_networks=3
    )
    criterion, params = _BaseLSTM._criterion(target)
    assert criterion is EnsembleLoss
    assert params == {"criterion": ValueLoss, "loss": "huber"}
    single = dataclasses.replace(target, n_networks=1)
    assert _BaseLSTM._criterion(single) == (ValueLoss, {"loss": "huber"})
