"""Windows for direct multi-horizon forecasting with :class:`~sklstm.LSTMRegressor`.

A forecasting problem becomes a regression problem on windows: each sample is
``window`` past steps of the series, its target the next ``horizon`` values
(one output column per horizon, the *direct* strategy). :func:`make_windows`
cuts the windows; :func:`align_forecast` puts predictions back on the time
axis of the series.
"""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["align_forecast", "make_windows"]


def _n_windows(n_timesteps, window, horizon, step):
    sizes = (window, horizon, step)
    if not all(isinstance(v, Integral) and not isinstance(v, bool) and v >= 1 for v in sizes):
        raise ValueError(
            f"window, horizon and step must be positive ints; got window={window}, "
            f"horizon={horizon}, step={step}."
        )
    n_windows = (n_timesteps - window - horizon) // step + 1
    if n_windows < 1:
        raise ValueError(
            f"A series of {n_timesteps} steps is too short for window={window} and "
            f"horizon={horizon}: it needs at least window + horizon = "
            f"{window + horizon} steps."
        )
    return n_windows


def make_windows(series, *, window, horizon=1, step=1, target=None):
    """Cut a series into (past window, next values) pairs.

    Window ``i`` starts at step ``i * step``: ``X[i]`` holds steps
    ``i*step`` to ``i*step + window - 1`` and ``y[i, h]`` the target at step
    ``i*step + window + h``.

    Parameters
    ----------
    series : array-like of shape (n_timesteps,) or (n_timesteps, n_features)
        The series, oldest step first.

    window : int
        Number of past steps in each sample.

    horizon : int, default=1
        Number of future steps to predict, one target column each.

    step : int, default=1
        Distance between the starts of consecutive windows.

    target : int, default=None
        Column of a multivariate series to forecast. Required when the series
        has several features; ignored for a univariate one.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        The past windows, ready for :class:`~sklstm.LSTMRegressor`.

    y : ndarray of shape (n_windows, horizon)
        The values to forecast, one column per horizon.

    See Also
    --------
    align_forecast : Put predictions for these windows back on the time axis.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.forecasting import make_windows
    >>> X, y = make_windows(np.arange(10.0), window=3, horizon=2)
    >>> X.shape, y.shape
    ((6, 3, 1), (6, 2))
    >>> X[0, :, 0], y[0]
    (array([0., 1., 2.]), array([3., 4.]))
    """
    series = np.asarray(series, dtype=float)
    if series.ndim == 1:
        series = series[:, None]
        target = 0
    elif series.ndim != 2:
        raise ValueError(
            f"series must have shape (n_timesteps,) or (n_timesteps, n_features); "
            f"got shape {series.shape}."
        )
    elif target is None:
        if series.shape[1] != 1:
            raise ValueError(
                f"The series has {series.shape[1]} features: pass target=<column "
                "index> to say which one to forecast."
            )
        target = 0
    n_windows = _n_windows(len(series), window, horizon, step)
    starts = np.arange(n_windows) * step
    # (n_timesteps - window + 1, n_features, window) views, no copy until indexed
    X = sliding_window_view(series, window, axis=0)[starts].transpose(0, 2, 1)
    future = sliding_window_view(series[window:, target], horizon)[starts]
    return np.ascontiguousarray(X), np.ascontiguousarray(future)


def align_forecast(y_pred, *, window, n_timesteps, step=1):
    """Put window predictions back on the time axis of the series.

    Parameters
    ----------
    y_pred : array-like of shape (n_windows, horizon) or (n_windows,)
        Predictions for windows made by :func:`make_windows` with the same
        ``window`` and ``step``.

    window : int
        The ``window`` the windows were made with.

    n_timesteps : int
        Length of the series the windows were cut from.

    step : int, default=1
        The ``step`` the windows were made with.

    Returns
    -------
    forecast : ndarray of shape (n_timesteps, horizon)
        ``forecast[t, h]`` is the prediction for step ``t`` made ``h + 1``
        steps ahead, NaN where no window predicts step ``t``. Column ``h`` is
        the ``h + 1``-step-ahead forecast as a series, to plot under the data.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.forecasting import align_forecast, make_windows
    >>> X, y = make_windows(np.arange(6.0), window=3, horizon=2)
    >>> align_forecast(y, window=3, n_timesteps=6)
    array([[nan, nan],
           [nan, nan],
           [nan, nan],
           [ 3., nan],
           [ 4.,  4.],
           [nan,  5.]])
    """
    y_pred = np.asarray(y_pred, dtype=float)
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    n_windows, horizon = y_pred.shape
    if n_windows > _n_windows(n_timesteps, window, horizon, step):
        raise ValueError(
            f"{n_windows} windows do not fit in a series of {n_timesteps} steps with "
            f"window={window}, horizon={horizon} and step={step}."
        )
    forecast = np.full((n_timesteps, horizon), np.nan)
    # step t = start + window + h for window i starting at i * step
    rows = np.arange(n_windows)[:, None] * step + window + np.arange(horizon)
    forecast[rows, np.arange(horizon)] = y_pred
    return forecast
