"""Forecasts of sklstm against the naive and linear baselines, side by side.

Two bundled series, each split in time: everything before the test period
is training data, and every window whose targets all lie in the test period
is scored (its input may read training values: they are the past at
forecast time).

- **co2** (monthly Mauna Loa CO2, 1958-2001, trend and yearly season):
  windows of 24 months, horizons 1 to 12, test period the last 60 months.
- **sunspots** (yearly, 1700-2008, an 11-year cycle): windows of 22 years,
  horizons 1 to 5, test period the last 50 years.

Contenders, fitted on the training part only:

- **naive**: the last value of the window, for every horizon;
- **seasonal naive**: the value one season earlier (12 months; 11 years);
- **RidgeCV**: ``RidgeCV(alphas=np.logspace(-3, 3, 13))`` on the raw window,
  one output per horizon;
- **sklstm forecast**: ``LSTMForecaster(window, horizon,
  random_state=seed)`` with its defaults (each window in its own frame; a
  ridge model on the window and the series' level, then
  ``LSTMRegressor(early_stopping=True)`` on its residuals, patches and the
  final state: ``WINDOW_MODEL``); forecasts come
  from ``predict(history)`` at every forecast origin of the test period;
- **plain LSTMRegressor**: ``LSTMRegressor(random_state=seed, **WINDOW_MODEL)`` on windows
  standardised with the training series' mean and standard deviation (the way
  sklstm forecast before ``LSTMForecaster``);

and, as ablations of the forecaster (what each of its choices buys):
``normalize='mean'`` (RevIN's shift) instead of the last value; the LSTM
on the linear part's residuals trained for its whole budget
(``LSTMRegressor()``, no early stopping); the network alone
(``linear=False``); the linear part alone (``DummyRegressor()`` after
it, which adds the mean residual, zero); the former default
(``linear=False`` and ``LSTMRegressor(n_networks=3)``, three networks
without early stopping); and ``RidgeCV`` inside the window normalisation
without the linear part's level feature (``linear=False``; NLinear's frame
with a ridge model).

The LSTM rows run with seeds 0 to N-1 (``--seeds N``, default 3): MAE and
RMSE are means over seeds (averaged over horizons and windows), with the
standard deviation of the MAE over seeds; fit times are mean wall-clock
seconds on one torch thread. The last line, ``forecasting: ...``, gives the
ratio of the sklstm forecast's MAE to the best baseline's (naive, seasonal
naive, RidgeCV) per series: below 1 means sklstm wins. Run:

    python benchmarks/forecasting.py             # about 5 min on 2 CPU cores
    python benchmarks/forecasting.py --seeds 5
    python benchmarks/forecasting.py --quick     # 5 epochs, a smoke run
"""

import argparse
import os
import time

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import RidgeCV

from sklstm import LSTMRegressor
from sklstm.datasets import load_co2, load_sunspots
from sklstm.forecasting import LSTMForecaster, _default_regressor, make_windows

# The network the forecasters put on windows of one series (their default
# regressor, sklstm.forecasting): patches, the final state and the windows as
# the linear part leaves them; every LSTMRegressor here uses it, so that the
# rows compare the forecasting recipes, not LSTMRegressor's own defaults.
WINDOW_MODEL = {"frontend": "patch", "readout": "last", "input_norm": "none"}

SERIES = {  # name: (loader, window, horizon, test steps, season)
    "co2": (load_co2, 24, 12, 60, 12),
    "sunspots": (load_sunspots, 22, 5, 50, 11),
}
RIDGE_ALPHAS = np.logspace(-3, 3, 13)
BASELINES = ["naive", "seasonal naive", "RidgeCV"]
LSTM_ROWS = {  # label: LSTMForecaster settings (None: the plain LSTMRegressor)
    "sklstm forecast": {},
    "plain LSTMRegressor": None,
    "ablation: normalize='mean'": {"normalize": "mean"},
    "ablation: no early stopping": {"regressor": LSTMRegressor(**WINDOW_MODEL)},
    "ablation: the network alone": {"linear": False},
    "ablation: the linear part alone": {"regressor": DummyRegressor()},
    "ablation: former default": {
        "linear": False,
        "regressor": LSTMRegressor(n_networks=3, **WINDOW_MODEL),
    },
    "ablation: RidgeCV, no level": {"linear": False, "regressor": RidgeCV(alphas=RIDGE_ALPHAS)},
}
DETERMINISTIC = {"ablation: the linear part alone", "ablation: RidgeCV, no level"}


def split(name):
    loader, window, horizon, n_test, _ = SERIES[name]
    series = loader().series
    test_start = len(series) - n_test
    X_test, y_test = make_windows(series[test_start - window :], window=window, horizon=horizon)
    return series[:test_start], X_test[:, :, 0], y_test


def baseline(name, label):
    loader, window, horizon, _, season = SERIES[name]
    train, X_test, _ = split(name)
    if label == "naive":
        return np.repeat(X_test[:, -1:], horizon, axis=1)
    if label == "seasonal naive":  # the target at window + h was seen `season` steps earlier
        return X_test[:, window - season : window - season + horizon]
    X, y = make_windows(train, window=window, horizon=horizon)
    return RidgeCV(alphas=RIDGE_ALPHAS).fit(X[:, :, 0], y).predict(X_test)


def with_epochs(regressor, max_epochs):
    """``regressor`` (None: the forecaster's default) with ``max_epochs`` for --quick."""
    if max_epochs is None:
        return regressor
    regressor = clone(_default_regressor() if regressor is None else regressor)
    if "max_epochs" not in regressor.get_params():
        return regressor
    return regressor.set_params(max_epochs=max_epochs)


def lstm(name, label, seed, max_epochs):
    """Test predictions and fit seconds of one LSTM row, one seed."""
    torch.set_num_threads(1)
    _, window, horizon, _, _ = SERIES[name]
    train, X_test, _ = split(name)
    settings = LSTM_ROWS[label]
    if settings is None:
        mean, scale = train.mean(), train.std()
        X, y = make_windows((train - mean) / scale, window=window, horizon=horizon)
        model = with_epochs(LSTMRegressor(random_state=seed, **WINDOW_MODEL), max_epochs)
        start = time.perf_counter()
        model.fit(X, y * scale + mean)  # the targets in the series' units
        seconds = time.perf_counter() - start
        return model.predict(((X_test - mean) / scale)[:, :, None]), seconds
    settings = dict(settings)
    regressor = with_epochs(settings.pop("regressor", None), max_epochs)
    forecaster = LSTMForecaster(
        window, horizon, regressor=regressor, random_state=seed, **settings
    )
    start = time.perf_counter()
    forecaster.fit(train)
    seconds = time.perf_counter() - start
    return np.array([forecaster.predict(history) for history in X_test]), seconds


def errors(y_pred, y_true):
    return np.abs(y_pred - y_true).mean(), np.sqrt(((y_pred - y_true) ** 2).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="5 epochs, a smoke run")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    max_epochs = 5 if args.quick else None
    tasks = [
        (name, label, seed)
        for name in SERIES
        for label in LSTM_ROWS
        for seed in range(1 if label in DETERMINISTIC else args.seeds)
    ]
    start = time.perf_counter()
    results = Parallel(n_jobs=args.jobs)(
        delayed(lstm)(name, label, seed, max_epochs) for name, label, seed in tasks
    )
    runs = {}
    for (name, label, _), result in zip(tasks, results):
        runs.setdefault((name, label), []).append(result)
    ratios = []
    for name, (_, window, horizon, n_test, _) in SERIES.items():
        _, X_test, y_test = split(name)
        print(
            f"\n{name}: window {window}, horizons 1-{horizon}, test period the last "
            f"{n_test} steps ({len(y_test)} forecast origins); seeds 0-{args.seeds - 1}"
        )
        print(f"{'':34}{'MAE':>16}{'RMSE':>9}{'fit s':>8}")
        best = None
        for label in BASELINES:
            mae, rmse = errors(baseline(name, label), y_test)
            best = mae if best is None else min(best, mae)
            print(f"{label:<34}{mae:>16.3f}{rmse:>9.3f}{'':>8}")
        for label in LSTM_ROWS:
            scores = np.array([errors(pred, y_test) for pred, _ in runs[name, label]])
            seconds = np.mean([s for _, s in runs[name, label]])
            mae = f"{scores[:, 0].mean():.3f} ± {scores[:, 0].std():.3f}"
            print(f"{label:<34}{mae:>16}{scores[:, 1].mean():>9.3f}{seconds:>8.1f}")
            if label == "sklstm forecast":
                ratios.append(f"{name} {scores[:, 0].mean() / best:.3f}")
    print(f"\n(total {time.perf_counter() - start:.0f} s)")
    print(f"forecasting: sklstm forecast MAE / best baseline MAE: {', '.join(ratios)}")


if __name__ == "__main__":
    main()
