"""Window utilities: cut a series into windows, put predictions back on its
time axis, and make seasonal covariates."""

from numbers import Integral, Real

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _is_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool)


def _as_floats(values, name):
    """``values`` as a float array, finite; a clear error for text, dates,
    rows of different lengths or NaN."""
    try:
        raw = np.asarray(values)
    except ValueError:  # nested sequences of different lengths
        raise ValueError(
            f"{name} must be one array, but its rows have different lengths. Pad or cut "
            "them to one length first."
        ) from None
    if raw.dtype.kind in "mM":
        raise TypeError(
            f"{name} holds dates or durations ({raw.dtype}), not values to forecast. "
            "Pass the values (dates belong in a pandas index), or convert them to "
            "numbers first."
        )
    try:
        values = raw.astype(float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must hold numbers; got values such as {raw.ravel()[:3]!r}. Convert "
            "it to floats first (for a pandas object, pd.to_numeric)."
        ) from None
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"{name} contains NaN or infinite values. Fill or drop them first (for a "
            "pandas object, .interpolate() or .ffill())."
        )
    return values


def _check_series(series, name="series", shapes=("n_timesteps", "n_features")):
    """A numeric, finite array of shape ``(rows,)`` or ``(rows, columns)``
    (``shapes``: their names, for the error)."""
    values = _as_floats(series, name)
    if values.ndim not in (1, 2):
        rows, columns = shapes
        raise ValueError(
            f"{name} must have shape ({rows},) or ({rows}, {columns}); got shape {values.shape}."
        )
    return values


def _n_windows(n_timesteps, window, horizon, step):
    sizes = (window, horizon, step)
    if not all(_is_int(v) and v >= 1 for v in sizes):
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
    ``i*step + window + h``. No target value is ever inside its own input
    window. Covariates are windowed next to the target: pass them as further
    columns of ``series``.

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
    fourier_features : Seasonal covariates to add as columns.

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
    series = _check_series(series)
    if series.ndim == 1:
        series = series[:, None]
        target = 0
    elif target is None:
        if series.shape[1] != 1:
            raise ValueError(
                f"The series has {series.shape[1]} features: pass target=<column "
                "index> to say which one to forecast."
            )
        target = 0
    elif not _is_int(target) or not -series.shape[1] <= target < series.shape[1]:
        raise ValueError(
            f"target={target!r} is not a column of a series with {series.shape[1]} "
            f"features; pass an int from 0 to {series.shape[1] - 1}."
        )
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
    if not _is_int(n_timesteps) or n_timesteps < 1:
        raise ValueError(
            f"n_timesteps must be a positive int, the length of the series the windows "
            f"were cut from; got {n_timesteps!r}."
        )
    y_pred = _check_series(y_pred, "y_pred", shapes=("n_windows", "horizon"))
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


def fourier_features(n_timesteps, period, *, order=1, start=0):
    """Sine and cosine waves of a seasonal period, to use as covariates.

    Column ``2k`` is ``sin(2 pi (k + 1) t / period)`` and column ``2k + 1``
    the cosine, for steps ``t = start, ..., start + n_timesteps - 1``. Being
    known at every step, they tell a model where in the season each window
    lies (as statsmodels' ``Fourier`` deterministic terms do for a linear
    model).

    Parameters
    ----------
    n_timesteps : int
        Number of steps.

    period : float
        Length of the season in steps (12 for a yearly season of monthly data).

    order : int, default=1
        Number of harmonics; ``2 * order`` columns.

    start : int, default=0
        Position of the first step, so that features of a later stretch
        continue those of an earlier one.

    Returns
    -------
    features : ndarray of shape (n_timesteps, 2 * order)
        The sines and cosines, one row per step.

    Examples
    --------
    >>> from sklstm.forecasting import fourier_features
    >>> fourier_features(4, period=4).round(3)
    array([[ 0.,  1.],
           [ 1.,  0.],
           [ 0., -1.],
           [-1., -0.]])
    """
    for name, value in [("n_timesteps", n_timesteps), ("order", order)]:
        if not _is_int(value) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}.")
    if not _is_int(start):
        raise ValueError(f"start must be an int; got {start!r}.")
    if not isinstance(period, Real) or isinstance(period, bool) or not 0 < period < np.inf:
        raise ValueError(
            f"period must be a positive, finite number of steps; got {period!r}. (An "
            "infinite period gives constant columns: for a trend, pass the step number.)"
        )
    angle = 2 * np.pi * np.arange(start, start + n_timesteps)[:, None] / period
    angle = angle * np.arange(1, order + 1)
    return np.stack([np.sin(angle), np.cos(angle)], axis=2).reshape(n_timesteps, 2 * order)
