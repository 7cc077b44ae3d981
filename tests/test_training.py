"""Training features: early stopping, lr schedule, progress output (#6)."""

import copy
import re

import numpy as np
import pytest
from conftest import FAST, make_order_problem, make_ragged
from skorch.callbacks import Callback

from sklstm import LSTMClassifier, LSTMRegressor


class WeightsPerEpoch(Callback):
    """A user callback: the module's weights at the end of each epoch."""

    def initialize(self):
        self.weights = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.weights.append(copy.deepcopy(net.module_.state_dict()))


def test_early_stopping_restores_the_best_epoch():
    X, y = make_order_problem(n_samples=120, n_timesteps=8)
    recorder = WeightsPerEpoch()
    clf = LSTMClassifier(
        early_stopping=True, n_iter_no_change=3, max_epochs=60, lr=0.05,
        lr_schedule="constant", callbacks=[recorder], random_state=0,
    ).fit(X, y)
    curve = clf.validation_loss_curve_
    assert len(curve) == clf.n_iter_ == len(recorder.weights)
    assert clf.best_epoch_ == int(np.argmin(curve)) + 1
    assert clf.n_iter_ == clf.best_epoch_ + 3  # stopped after 3 epochs without improvement
    kept = clf.net_.module_.state_dict()
    best = recorder.weights[clf.best_epoch_ - 1]
    for name in kept:
        np.testing.assert_array_equal(kept[name].numpy(), best[name].numpy())


def test_without_early_stopping_all_epochs_run_on_all_data():
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    clf = LSTMClassifier(**{**FAST, "max_epochs": 4}).fit(X, y)
    assert clf.n_iter_ == clf.best_epoch_ == 4
    assert clf.validation_loss_curve_ is None
    assert clf.net_.history[-1, "train_batch_count"] == 2  # 40 sequences, batches of 32


def test_validation_split_is_stratified_and_not_kept_in_the_model():
    X, y = make_order_problem(n_samples=100, n_timesteps=6)
    y = np.where(np.arange(100) < 80, "a", "b")  # 80/20: a random 10 could miss "b"
    clf = LSTMClassifier(**{**FAST, "early_stopping": True}).fit(X, y)
    # 90 training sequences: 72 of "a", 18 of "b" in 3 batches
    assert sum(clf.net_.history[-1, "batches"][i]["train_batch_size"] for i in range(3)) == 90
    assert clf.net_.train_split is None


def test_early_stopping_on_ragged_sequences_and_per_step_targets():
    X = make_ragged(n_samples=30)
    y = [np.cumsum(x[:, 0]) for x in X]
    reg = LSTMRegressor(**{**FAST, "early_stopping": True, "readout": "sequence"}).fit(X, y)
    assert len(reg.validation_loss_curve_) == reg.n_iter_


def test_early_stopping_needs_two_sequences():
    message = "LSTMRegressor cannot hold out validation_fraction=0.5 of 1 sequences"
    with pytest.raises(ValueError, match=re.escape(message)):
        LSTMRegressor(**{**FAST, "early_stopping": True, "validation_fraction": 0.5}).fit(
            np.zeros((1, 3, 1)), [1.0]
        )


def test_plateau_schedule_lowers_the_learning_rate():
    # constant inputs: only the class prior can be learned, so the loss plateaus
    X, y = np.zeros((32, 6, 2)), np.arange(32) % 3 == 0
    params = {**FAST, "max_epochs": 40, "lr": 0.05}
    plateau = LSTMClassifier(lr_schedule="plateau", **params).fit(X, y)
    constant = LSTMClassifier(lr_schedule="constant", **params).fit(X, y)
    assert plateau.net_.optimizer_.param_groups[0]["lr"] < 0.05
    assert constant.net_.optimizer_.param_groups[0]["lr"] == 0.05


def test_verbose_prints_progress_and_silent_by_default(capsys):
    X, y = make_order_problem(n_samples=20, n_timesteps=5)
    LSTMClassifier(**FAST).fit(X, y)
    assert capsys.readouterr().out == ""
    LSTMClassifier(**{**FAST, "verbose": 1}).fit(X, y)
    out = capsys.readouterr().out
    assert "epoch" in out and "train_loss" in out
    assert len([line for line in out.splitlines() if re.match(r"\s+\d+\s", line)]) == 2
