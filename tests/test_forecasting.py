"""Windows for direct multi-horizon forecasting."""

import re

import numpy as np
import pytest

from sklstm import LSTMRegressor
from sklstm.datasets import load_sunspots
from sklstm.forecasting import align_forecast, make_windows


def test_windows_match_a_hand_loop():
    series = np.random.RandomState(0).normal(size=(40, 3))
    X, y = make_windows(series, window=5, horizon=3, step=2, target=1)
    starts = range(0, 40 - 5 - 3 + 1, 2)
    np.testing.assert_array_equal(X, [series[s : s + 5] for s in starts])
    np.testing.assert_array_equal(y, [series[s + 5 : s + 8, 1] for s in starts])


def test_univariate_series_gives_one_feature():
    X, y = make_windows(np.arange(20.0), window=4, horizon=2)
    assert X.shape == (15, 4, 1) and y.shape == (15, 2)


def test_align_forecast_puts_each_target_at_its_time_step():
    series = np.arange(30.0) ** 2
    X, y = make_windows(series, window=6, horizon=4, step=3)
    forecast = align_forecast(y, window=6, n_timesteps=30, step=3)
    assert forecast.shape == (30, 4)
    for h in range(4):
        known = ~np.isnan(forecast[:, h])
        np.testing.assert_array_equal(forecast[known, h], series[known])
    assert np.all(np.isnan(forecast[:6]))  # nothing forecasts the first window


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"window": 8, "horizon": 3},
            "A series of 10 steps is too short for window=8 and horizon=3",
        ),
        ({"window": 0}, "window, horizon and step must be positive ints"),
        ({"window": 2.5}, "window, horizon and step must be positive ints; got window=2.5"),
    ],
)
def test_make_windows_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_windows(np.arange(10.0), **kwargs)


def test_multivariate_series_needs_a_target():
    with pytest.raises(ValueError, match=re.escape("pass target=<column index>")):
        make_windows(np.zeros((10, 2)), window=3)


def test_lstm_forecasts_sunspots_better_than_the_mean():
    series = load_sunspots().series
    scaled = (series - series[:250].mean()) / series[:250].std()
    X, y = make_windows(scaled, window=22, horizon=3)
    # chronological split: the targets of training windows end before step 250
    n_train = 250 - 22 - 3 + 1
    reg = LSTMRegressor(max_epochs=30, random_state=0).fit(X[:n_train], y[:n_train])
    assert reg.predict(X[n_train:]).shape == (len(X) - n_train, 3)
    assert reg.score(X[n_train:], y[n_train:]) > 0.3
