"""
One prediction per time step
============================

With ``readout='sequence'`` an sklstm estimator returns one output per time
step instead of one per sequence: the head is applied to the LSTM's output
at every step. A unidirectional LSTM is causal, so the output at step ``t``
depends on steps ``0..t`` only, and the model can learn to forecast the
next value at every step of a series at once.

This example trains an :class:`~sklstm.LSTMRegressor` that way on the
yearly sunspot numbers (see :func:`~sklstm.datasets.load_sunspots`): at every
year of a sequence, it predicts the next year. It trains on short sequences
cut from the years 1700 to 1949, then reads the whole series in one go, and
is scored on its forecasts for 1950 to 2008. Because each output is a
forecast made with a different amount of history, we can also measure how
many past years the model needs.
"""

# %%
# Imports and settings
# --------------------
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.linear_model import RidgeCV

from sklstm import LSTMRegressor
from sklstm.datasets import load_sunspots
from sklstm.forecasting import make_windows

# A small LSTM gains nothing from a second thread and loses much on a busy machine.
torch.set_num_threads(1)

RANDOM_STATE = 0
MAX_EPOCHS = (
    2 if os.environ.get("SKLSTM_EXAMPLE_QUICK") else 100
)  # the docs CI runs the gallery with fewer epochs
LENGTH = 22  # years per training sequence, about two 11-year solar cycles
N_TEST = 59  # the last 59 years, 1950 to 2008, are the test period

# %%
# Load the series and split it in time
# ------------------------------------
data = load_sunspots()
series = data.series
years = data.dates.astype(int)
test_start = len(series) - N_TEST
print(f"train: {years[0]}-{years[test_start - 1]}, test: {years[test_start]}-{years[-1]}")

# The inputs are standardised with the training years' statistics; the
# targets stay in sunspot numbers (the regressor standardises them
# internally and predicts in the original units).
mean, std = series[:test_start].mean(), series[:test_start].std()
scaled = (series - mean) / std

# %%
# Per-step training data
# ----------------------
# Every stretch of ``LENGTH + 1`` training years gives one sequence: its
# first ``LENGTH`` years are the input, and the target at each step is the
# following year, i.e. the input shifted by one. ``y`` therefore has the
# shape ``(n_samples, n_timesteps)``, one target per step.
stretches = sliding_window_view(np.arange(test_start), LENGTH + 1)  # indices
X_train = scaled[stretches[:, :-1]][..., np.newaxis]  # (n_samples, LENGTH, 1)
y_train = series[stretches[:, 1:]]  # (n_samples, LENGTH)
print(f"{len(X_train)} training sequences of {LENGTH} years, y: {y_train.shape}")

model = LSTMRegressor(readout="sequence", max_epochs=MAX_EPOCHS, random_state=RANDOM_STATE)
model.fit(X_train, y_train)

# %%
# Forecast by reading the whole series
# ------------------------------------
# The model was trained on 22-year sequences, but it reads sequences of any
# length. We feed it the whole series, 1700 to 2007, as a single sequence:
# output ``t`` is the forecast of year ``t + 1`` made from the years up to
# ``t``. The forecasts of the test years see the earlier test years, as a
# real one-year-ahead forecast would, but never the year they forecast.
whole = model.predict(scaled[np.newaxis, :-1, np.newaxis])[0]  # (len(series) - 1,)
forecast = np.full(len(series), np.nan)
forecast[1:] = whole  # forecast[t]: the forecast of year t, from years < t


def rmse(y_pred, y_true):
    return np.sqrt(np.mean((y_pred - y_true) ** 2))


# Baselines for the same test years. Persistence: next year equals this
# year. Ridge: a linear model on the past 22 years, fitted on the training
# windows whose target lies before 1950.
X_windows, y_windows = make_windows(scaled, window=LENGTH, horizon=1)
target_year = np.arange(LENGTH, len(series))  # year index of each window's target
ridge = RidgeCV(alphas=np.logspace(-3, 3, 13))
ridge.fit(X_windows[target_year < test_start, :, 0], series[target_year[target_year < test_start]])
ridge_test = ridge.predict(X_windows[target_year >= test_start, :, 0])

truth = series[test_start:]
print(f"\nOne-year-ahead test RMSE, {years[test_start]}-{years[-1]} ({N_TEST} years):")
results = {
    "LSTMRegressor(readout='sequence'), whole series": forecast[test_start:],
    f"RidgeCV on the past {LENGTH} years": ridge_test,
    "persistence (next year = this year)": series[test_start - 1 : -1],
}
for name, y_pred in results.items():
    print(f"  {name:<48} {rmse(y_pred, truth):5.1f}")
print(
    f"(the LSTM's RMSE on the training years, in-sample: "
    f"{rmse(forecast[LENGTH + 1 : test_start], series[LENGTH + 1 : test_start]):.1f})"
)

# %%
# How much history does the model need?
# -------------------------------------
# Cut the test period into sequences of ``LENGTH`` years that start from a
# fresh state, and score each step position over all of them: the output at
# position ``k`` is a forecast made from ``k`` years only.
test_stretches = sliding_window_view(np.arange(test_start, len(series)), LENGTH + 1)
X_test = scaled[test_stretches[:, :-1]][..., np.newaxis]  # (n_test_sequences, LENGTH, 1)
y_test = series[test_stretches[:, 1:]]
per_position = np.sqrt(((model.predict(X_test) - y_test) ** 2).mean(axis=0))  # (LENGTH,)
persistence = rmse(series[test_stretches[:, :-1]], y_test)
print(
    f"\nRMSE by years read, on {len(X_test)} test sequences: "
    + " ".join(f"{r:.0f}" for r in per_position)
)

# %%
# Plot the per-step forecasts
# ---------------------------
fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7.5), gridspec_kw={"height_ratios": [3, 2]})
top.axvspan(
    years[test_start] - 0.5, years[-1] + 0.5, color="tab:orange", alpha=0.1, label="test period"
)
top.plot(years, series, color="black", lw=2, label="observed")
top.plot(
    years,
    forecast,
    color="tab:blue",
    lw=1.2,
    label="LSTM forecast of each year, from the years before it",
)
top.set_xlim(years[0], years[-1] + 1)
top.set_xlabel("year")
top.set_ylabel("yearly mean sunspot number")
top.set_title("One-year-ahead forecasts at every step of the whole series")
top.set_ylim(-5, 245)  # room for the legend above the peaks
top.legend(loc="upper left", ncol=3, fontsize="small")

positions = np.arange(1, LENGTH + 1)
bottom.plot(positions, per_position, "o-", color="tab:blue", label="LSTM, by number of years read")
bottom.axhline(persistence, color="tab:gray", ls=":", label="persistence (next year = this year)")
bottom.set_xticks(positions)
bottom.set_xlim(0.5, LENGTH + 0.5)
bottom.set_ylim(bottom=0)
bottom.set_xlabel("years read before the forecast (step position in the sequence)")
bottom.set_ylabel("test RMSE")
bottom.set_title(f"Test error by step position ({len(X_test)} test sequences of {LENGTH} years)")
bottom.legend(loc="lower right", fontsize="small")
fig.tight_layout()

output = os.environ.get("SKLSTM_EXAMPLE_OUTPUT")
if output:
    fig.savefig(output, dpi=100)
plt.show()

# %%
# What the numbers say
# --------------------
# The per-step model does the job of a one-year-ahead forecaster: reading
# the whole series in one call, it forecasts the test years far better than
# persistence, although it never saw a sequence longer than 22 years in
# training. But it does not beat the ridge regression on the past 22 years,
# as in the multi-step sunspot example: on a series this short a linear
# model is hard to beat. The in-sample error on the training years is much
# lower than the test error, a sign that the default network, trained for
# 100 epochs, fits the training cycles closely.
#
# The lower panel shows what the model uses. With one year read its
# forecast is about as poor as persistence; after two or three years the
# error falls to the level it keeps for the rest of the sequence. It gets
# nearly all its accuracy from the last few years, as a low-order
# autoregressive model would; the longer history adds little. Such a curve is
# only available because ``readout='sequence'`` scores every step, not just
# the last one.
