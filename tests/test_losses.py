"""Regression losses: each agrees with a hand computation, quantiles cover."""

import re

import numpy as np
import pytest
import torch
from conftest import FAST, make_ragged
from sklearn.utils._param_validation import InvalidParameterError

from sklstm import LSTMRegressor
from sklstm._loss import ValueLoss
from sklstm.forecasting import LSTMForecaster


def hand_losses(diff, loss, quantile):
    if loss == "squared_error":
        return diff**2
    if loss == "absolute_error":
        return np.abs(diff)
    if loss == "huber":
        return np.where(np.abs(diff) <= 1, 0.5 * diff**2, np.abs(diff) - 0.5)
    return np.maximum(-quantile * diff, (1 - quantile) * diff)


@pytest.mark.parametrize(
    "loss, quantile",
    [("squared_error", None), ("absolute_error", None), ("huber", None), ("quantile", 0.8)],
)
def test_value_loss_is_the_weighted_mean_over_real_steps(loss, quantile):
    rng = np.random.RandomState(0)
    y_pred = rng.normal(scale=2, size=(3, 4, 2))
    target = rng.normal(size=(3, 4, 2))
    target[1, 2:] = np.nan  # padded steps of a shorter sequence
    target[2, 3:] = np.nan
    weight = np.array([1.0, 2.0, 0.5])
    value = ValueLoss(loss, quantile)(
        torch.tensor(y_pred), {"target": torch.tensor(target), "weight": torch.tensor(weight)}
    )
    per_step = hand_losses(y_pred - target, loss, quantile).mean(-1)  # (3, 4), NaN padded
    real = ~np.isnan(per_step)
    step_weight = np.broadcast_to(weight[:, None], real.shape)[real]
    expected = (per_step[real] * step_weight).sum() / step_weight.sum()
    np.testing.assert_allclose(value.item(), expected, rtol=1e-12)


def noisy_problem(n, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 6, 1)).astype("float32")
    return X, X[:, :, 0].mean(1) + rng.normal(size=n)


@pytest.mark.parametrize("quantile", [0.1, 0.9])
def test_a_quantile_model_has_about_that_share_of_targets_below_it(quantile):
    X, y = noisy_problem(1200)
    model = LSTMRegressor(
        hidden_size=8,
        frontend="none",
        max_epochs=15,
        loss="quantile",
        quantile=quantile,
        random_state=0,
    ).fit(X[:800], y[:800])
    below = np.mean(y[800:] <= model.predict(X[800:]))
    assert abs(below - quantile) < 0.05


def test_quantiles_per_step_on_ragged_sequences():
    X = make_ragged(60, seed=1)
    rng = np.random.RandomState(0)
    y = [x[:, 0] + rng.normal(size=len(x)) for x in X]
    params = {**FAST, "readout": "sequence", "loss": "quantile", "max_epochs": 40}
    low = LSTMRegressor(**params, quantile=0.1).fit(X, y).predict(X)
    high = LSTMRegressor(**params, quantile=0.9).fit(X, y).predict(X)
    assert [len(p) for p in low] == [len(x) for x in X]
    assert np.mean(np.concatenate(high) > np.concatenate(low)) > 0.9


def test_quantile_loss_needs_a_quantile():
    X, y = noisy_problem(20)
    with pytest.raises(ValueError, match=re.escape("pass quantile=<a number in (0, 1)>")):
        LSTMRegressor(loss="quantile").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'quantile' parameter"):
        LSTMRegressor(loss="quantile", quantile=1.5).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'loss' parameter"):
        LSTMRegressor(loss="poisson").fit(X, y)


@pytest.mark.parametrize("loss", ["absolute_error", "quantile"])
def test_an_ensemble_trains_with_the_chosen_loss(loss):
    """Non-regression test: an ensemble's loss took ``loss`` for its own
    argument (TypeError: 'str' object is not callable)."""
    X, y = noisy_problem(40)
    model = LSTMRegressor(**FAST, n_networks=2, loss=loss, quantile=0.7).fit(X, y)
    assert model.net_.criterion_.criterion.loss == loss
    assert model.predict(X).shape == (40,)


def test_warm_start_trains_on_with_the_new_loss():
    X, y = noisy_problem(40)
    model = LSTMRegressor(**FAST, warm_start=True).fit(X, y)
    model.set_params(loss="quantile", quantile=0.9).fit(X, y)
    assert model.net_.criterion_.loss == "quantile"
    assert model.net_.criterion_.quantile == 0.9


def test_quantile_forecasts_bracket_the_median():
    t = np.arange(200)
    series = np.sin(t / 3) + np.random.RandomState(0).normal(scale=0.3, size=200)
    forecasts = {
        q: LSTMForecaster(
            8, 2, regressor=LSTMRegressor(**FAST, loss="quantile", quantile=q), random_state=0
        )
        .fit(series)
        .predict()
        for q in (0.1, 0.9)
    }
    assert np.all(forecasts[0.1] < forecasts[0.9])
