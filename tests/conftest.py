"""Tiny, module-level data shared by the tests (see STYLE.md: ~24 sequences)."""

import copy
import os
import re
from unittest import mock

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

# The suite tests the CPU paths, also on a machine with a GPU: there the
# default device="auto" would otherwise move every test to CUDA, whose results
# differ in the last bits and depend on the batch. tests/test_cuda.py checks
# the GPU paths: `make test-gpu` (SKLSTM_TEST_DEVICE=cuda). Set before torch
# first touches CUDA; pytest-xdist, loky and Dask workers inherit it.
if os.environ.get("SKLSTM_TEST_DEVICE", "cpu") == "cpu":
    os.environ["CUDA_VISIBLE_DEVICES"] = ""

# `make test` runs one pytest worker per core (pytest -n 2); two-thread torch
# workers would then fight over the cores, so each worker uses one thread.
torch.set_num_threads(1)

N_FEATURES = 3


class WeightsPerEpoch(Callback):
    """A user callback: the module's weights at the end of each epoch."""

    def initialize(self):
        self.weights = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.weights.append(copy.deepcopy(net.module_.state_dict()))


def make_ragged(n_samples=24, n_features=N_FEATURES, min_length=3, max_length=11, seed=0):
    rng = np.random.RandomState(seed)
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    return [rng.normal(size=(n, n_features)).astype(np.float32) for n in lengths]


def make_order_problem(n_samples=160, n_timesteps=24, seed=0):
    """The order-dependent problem: is feature 0 larger early or late?"""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_timesteps, 2)).astype(np.float32)
    half = n_timesteps // 2
    y = np.where(X[:, :half, 0].mean(axis=1) > X[:, half:, 0].mean(axis=1), "early", "late")
    return X, y


@pytest.fixture(scope="module")
def dense_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(24, 7, N_FEATURES)).astype(np.float32)
    y = np.where(X[:, :, 0].sum(axis=1) > 0, "pos", "neg")
    return X, y


@pytest.fixture(scope="module")
def ragged_data():
    X = make_ragged()
    y = np.array([x[:, 0].sum() for x in X])
    return X, y


# Small and fast; enough to exercise every code path.
FAST = {
    "hidden_size": 4,
    "frontend_width": 4,
    "max_epochs": 2,
    "batch_size": 32,
    "random_state": 0,
}


def assert_rejected(exc_type, message, fn, *args):
    """``fn(*args)`` raises ``exc_type`` with ``message`` before any part of
    a network runs (no torch module is called, whatever the path)."""
    no_torch_call = mock.patch.object(
        torch.nn.Module, "__call__", side_effect=AssertionError("torch was called")
    )
    with no_torch_call, pytest.raises(exc_type, match=re.escape(message)):
        fn(*args)


def outputs(est, X):
    """The continuous output of any of the estimators."""
    if hasattr(est, "transform"):
        return est.transform(X)
    if hasattr(est, "predict_proba"):
        return est.predict_proba(X)
    return est.predict(X)
