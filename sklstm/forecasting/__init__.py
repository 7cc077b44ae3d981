"""Forecasting with :class:`~sklstm.LSTMRegressor`: windows, normalisation, forecasts.

A forecasting problem becomes a regression problem on windows: each sample is
``window`` past steps of the series, its target the next ``horizon`` values
(one output column per horizon, the *direct* strategy). Three layers, each
usable on its own:

- :func:`make_windows` cuts the windows and :func:`align_forecast` puts
  predictions back on the time axis; :func:`fourier_features` makes seasonal
  covariates.
- :class:`WindowNormalizedRegressor` wraps any regressor on those windows and
  puts every window on its own scale (reversible instance normalisation):
  the regressor predicts in the frame of its input window, and predictions
  are mapped back. A network trained on one global scale cannot extrapolate
  a level or a trend it never saw in training; in its window's frame, a
  rising series looks like the past. A linear model in the same frame, which
  also reads where the series' mean lies, goes first; the regressor learns
  what it leaves.
- :class:`LSTMForecaster` goes from a series (a pandas Series with dates, or
  an array) to the next ``horizon`` values, with prediction intervals from
  the residuals of a chronological hold-out.
"""

from ._forecaster import LSTMForecaster
from ._normalized import WindowNormalizedRegressor
from ._normalized import _default_regressor as _default_regressor  # for the benchmarks
from ._windows import align_forecast, fourier_features, make_windows

__all__ = [
    "LSTMForecaster",
    "WindowNormalizedRegressor",
    "align_forecast",
    "fourier_features",
    "make_windows",
]
