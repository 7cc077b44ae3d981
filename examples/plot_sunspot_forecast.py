"""
Multi-step forecasting of the sunspot cycle
===========================================

This example forecasts the yearly mean sunspot number (1700 to 2008, see
:func:`~sklstm.datasets.load_sunspots`) up to five years ahead with an
:class:`~sklstm.LSTMRegressor`, and compares it with two baselines on the same
test windows: a seasonal-naive forecast (the value one solar cycle, 11 years,
earlier) and a ridge regression on the same past window.

The problem becomes regression on windows with
:func:`~sklstm.forecasting.make_windows`: each sample holds the past 22 years
(about two solar cycles) and its target the next 5 years, one output column per
horizon (the *direct* multi-horizon strategy: one model predicts all horizons
at once, no forecast is fed back as an input). The last 59 years (1950 to 2008)
are held out for testing, without any shuffling across time.
"""

# %%
# Imports and settings
# --------------------
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import RidgeCV

from sklstm import LSTMRegressor
from sklstm.datasets import load_sunspots
from sklstm.forecasting import align_forecast, make_windows

# A small LSTM gains nothing from a second thread and loses much on a busy machine.
torch.set_num_threads(1)

RANDOM_STATE = 0
MAX_EPOCHS = (
    2 if os.environ.get("SKLSTM_EXAMPLE_QUICK") else 100
)  # the docs CI runs the gallery with fewer epochs
WINDOW = 22  # past years per sample, about two 11-year solar cycles
HORIZON = 5  # years to forecast, one target column each
CYCLE = 11  # years in one solar cycle, for the seasonal-naive baseline
N_TEST = 59  # the last 59 years, 1950 to 2008, are the test period

# %%
# Load the series and split it in time
# ------------------------------------
# The series is a single array with the year of each value in ``dates``.
# Everything before 1950 is training data, 1950 to 2008 is the test period.
data = load_sunspots()
series = data.series
years = data.dates.astype(int)
test_start = len(series) - N_TEST
print(
    f"train: {years[0]}-{years[test_start - 1]} ({test_start} years), "
    f"test: {years[test_start]}-{years[-1]} ({N_TEST} years)"
)

# %%
# Cut the windows
# ---------------
# Training windows are cut from the training years only, so every training
# target lies before 1950: no value of the test period is ever fitted.
#
# Test windows are every window whose ``HORIZON`` target years all lie in the
# test period. Their inputs may reach back into the training years (the
# first test window reads 1928 to 1949 to forecast 1950 to 1954); that is no
# leak, since at forecast time these years are past observations. Cutting the
# windows from ``series[test_start - WINDOW:]`` gives exactly those windows.
X_train_raw, y_train = make_windows(series[:test_start], window=WINDOW, horizon=HORIZON)
test_part = series[test_start - WINDOW :]
X_test_raw, y_test = make_windows(test_part, window=WINDOW, horizon=HORIZON)
# the last training target is 1949, the first test target 1950
assert X_train_raw.shape[0] + WINDOW + HORIZON - 1 == test_start
print(
    f"{len(X_train_raw)} training windows, {len(X_test_raw)} test windows, "
    f"each {WINDOW} years -> {HORIZON} years"
)

# %%
# Scale the inputs
# ----------------
# The LSTM's sigmoid and tanh gates work best on inputs of order one, while
# sunspot numbers range from 0 to about 190. We standardise the inputs with
# the mean and standard deviation of the training years only, so that the
# test period leaks nothing into the preprocessing. (A square-root transform
# is a classic alternative for sunspots: it shrinks the peaks and evens out
# the variance. Plain standardisation keeps the example simple.) The targets
# stay in sunspot numbers: :class:`~sklstm.LSTMRegressor` standardises them
# internally and returns predictions in the original units.
mean, std = series[:test_start].mean(), series[:test_start].std()
X_train = (X_train_raw - mean) / std  # (n_windows, WINDOW, 1)
X_test = (X_test_raw - mean) / std

# %%
# Fit the models
# --------------
# The LSTM keeps its default hyperparameters; a 2-D ``y`` gives it one output
# per horizon.
lstm = LSTMRegressor(max_epochs=MAX_EPOCHS, random_state=RANDOM_STATE).fit(X_train, y_train)
y_lstm = lstm.predict(X_test)  # (n_test_windows, HORIZON)

# Seasonal naive: the forecast for year t is the value of year t - 11. With
# WINDOW >= CYCLE that year is always inside the input window: the target at
# position WINDOW + h of a window was observed CYCLE steps earlier.
y_naive = X_test_raw[:, WINDOW - CYCLE : WINDOW - CYCLE + HORIZON, 0]

# Ridge on the flattened window, its penalty chosen by (efficient)
# leave-one-out cross-validation on the training windows only.
ridge = RidgeCV(alphas=np.logspace(-3, 3, 13))
ridge.fit(X_train[:, :, 0], y_train)
y_ridge = ridge.predict(X_test[:, :, 0])

# %%
# Test error per horizon
# ----------------------
# Every method is scored on the same test windows. The RMSE is in sunspot
# numbers; "mean" averages the RMSE of the ``HORIZON`` horizons.
predictions = {"LSTMRegressor": y_lstm, "seasonal naive": y_naive, "RidgeCV": y_ridge}
header = ["method", "mean", *(f"h={h + 1}" for h in range(HORIZON))]
print(
    f"\nTest RMSE, {years[test_start]}-{years[-1]} "
    f"({len(y_test)} windows, random_state={RANDOM_STATE})"
)
print(f"{header[0]:<15}" + "".join(f"{c:>8}" for c in header[1:]))
for name, y_pred in predictions.items():
    rmse = np.sqrt(np.mean((y_pred - y_test) ** 2, axis=0))  # (HORIZON,)
    print(f"{name:<15}{rmse.mean():8.1f}" + "".join(f"{r:8.1f}" for r in rmse))
print(f"(RidgeCV chose alpha={ridge.alpha_:g})")

# %%
# Plot the forecasts on the time axis
# -----------------------------------
# :func:`~sklstm.forecasting.align_forecast` puts the window predictions back
# on the time axis of ``test_part``: column ``h`` is the ``h + 1``-year-ahead
# forecast of each year, NaN where no test window forecasts it.
part_years = years[test_start - WINDOW :]
lstm_on_axis = align_forecast(y_lstm, window=WINDOW, n_timesteps=len(test_part))
naive_on_axis = align_forecast(y_naive, window=WINDOW, n_timesteps=len(test_part))

fig, ax = plt.subplots(figsize=(9, 5))
ax.plot(years[test_start:], series[test_start:], color="black", lw=2, label="observed")
ax.plot(part_years, lstm_on_axis[:, 0], "o-", ms=3, color="tab:blue", label="LSTM, 1 year ahead")
ax.plot(
    part_years,
    lstm_on_axis[:, HORIZON - 1],
    "s--",
    ms=3,
    color="tab:orange",
    label=f"LSTM, {HORIZON} years ahead",
)
ax.plot(
    part_years,
    naive_on_axis[:, 0],
    ":",
    color="tab:gray",
    label=f"seasonal naive (value {CYCLE} years earlier)",
)
ax.set_xlim(years[test_start] - 1, years[-1] + 1)
ax.set_xlabel("year")
ax.set_ylabel("yearly mean sunspot number")
ax.set_title(f"Sunspot forecasts on the test period {years[test_start]}-{years[-1]}")
# below the axes, where it hides no peak
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small")
fig.tight_layout()

output = os.environ.get("SKLSTM_EXAMPLE_OUTPUT")
if output:
    fig.savefig(output, dpi=100)
plt.show()

# %%
# What the numbers say
# --------------------
# With its default hyperparameters the LSTM loses clearly here: to the ridge
# regression at every horizon, and to the seasonal-naive forecast at every
# horizon but the first, where the two are about level. The plot shows why:
# its forecasts stay well below the test-period peaks, the 1-year-ahead
# forecast lags on the rising flank of each cycle, and the 5-year-ahead
# forecast reaches only a fifth to a half of each peak.
#
# Two reasons. First, the data are tiny: 224 overlapping training windows
# cut from 250 years, i.e. about 23 solar cycles, while the default network
# has over 4,000 weights and trains for 100 epochs. It fits the training
# cycles almost exactly and learns their typical amplitude. Second, the test
# period is not like the training period: the cycles after 1950 are the
# strongest on record (the 1957 peak, 190, is well above the training
# maximum of 154), so the inputs fall outside the range the saturating gates
# saw in training. A linear model such as ridge scales its forecast with the
# amplitude of the input window and extrapolates more gracefully; the
# seasonal-naive forecast simply copies the last cycle's amplitude.
#
# We tried a few things, on this test period, so read them as hints rather
# than results: a smaller network (``hidden_size=8``), fewer epochs
# (``max_epochs=30``), both together, weight decay, a shorter window (11
# years) and a square-root transform. Most narrowed the gap (weight decay did
# not), and the small network matched ridge with ``random_state=0``, but not
# with 1 or 2: none beat ridge reliably across seeds. The honest way to
# choose such settings is on a validation period carved out of the training
# years (for example 1900 to 1949), never on the test period. On a series
# this short, a linear model is the baseline to beat.
