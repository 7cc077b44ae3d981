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

from math import ceil
from numbers import Integral, Real

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from ._validation import HasMethods, Interval, StrOptions, _fit_context

__all__ = [
    "LSTMForecaster",
    "WindowNormalizedRegressor",
    "align_forecast",
    "fourier_features",
    "make_windows",
]


def _is_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool)


def _as_floats(values, name):
    """``values`` as a float array, finite; a clear error for text or NaN."""
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must hold numbers; got values such as {np.ravel(values)[:3]!r}. Convert "
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
    if not isinstance(period, Real) or isinstance(period, bool) or not period > 0:
        raise ValueError(f"period must be a positive number of steps; got {period!r}.")
    angle = 2 * np.pi * np.arange(start, start + n_timesteps)[:, None] / period
    angle = angle * np.arange(1, order + 1)
    return np.stack([np.sin(angle), np.cos(angle)], axis=2).reshape(n_timesteps, 2 * order)


def _default_regressor():
    """``LSTMRegressor(early_stopping=True)``: after the linear part, a
    network that stops when a hold-out of windows stops improving, rather
    than one that memorises a few hundred windows' residuals
    (``python benchmarks/forecasting.py`` compares it with the former
    default, three networks without early stopping)."""
    from ._regressor import LSTMRegressor

    return LSTMRegressor(early_stopping=True)


# Penalties RidgeCV chooses from for the linear part (by efficient
# leave-one-out), the same grid as the forecasting benchmark's baseline.
_LINEAR_ALPHAS = np.logspace(-3, 3, 13)


class WindowNormalizedRegressor(RegressorMixin, BaseEstimator):
    """Regression on windows, each put on its own scale (instance normalisation).

    The target column of each input window is shifted by its own last value
    (``normalize='last'``) or mean (``'mean'``) and divided by its own
    standard deviation; the regressor is fitted on these windows to the
    targets in the same frame, and its predictions are mapped back with the
    window's shift and scale. This is reversible instance normalisation
    (RevIN, Kim et al. 2022, without the learned affine map; NLinear of Zeng
    et al. 2023 shifts by the last value): a regressor that never saw a level
    or a trend in training still forecasts it, since every window looks like
    the past in its own frame. The other columns (covariates) are
    standardised with one mean and scale fitted on the training windows.

    The frame throws away the window's level, which can matter: a series
    that reverts to its mean, or one whose rise grows with its level, is
    forecast from where it stands. With ``linear=True`` a ridge model
    (:class:`~sklearn.linear_model.RidgeCV`) is fitted first, in the same
    frame, on each flattened window and one more feature, the series'
    training mean in the window's frame (``(mean - shift) / scale``, which
    says where the window lies relative to the usual level); ``regressor``
    is then fitted to the ridge model's residuals, and the forecast is the
    sum. The linear part extrapolates, as a network's saturating units do
    not, and the network adds what is not linear: the linear "highway" of
    LSTNet (Lai et al. 2018), fitted in sequence as in Zhang's (2003) hybrid
    of a linear model and a network; the level feature gives back what
    normalisation removed, as the non-stationary Transformer does (Liu et
    al. 2022).

    Parameters
    ----------
    regressor : estimator, default=None
        Regressor, cloned before fitting. None means
        ``LSTMRegressor(early_stopping=True)``. A regressor for
        tables (one that does not take 3-D input, such as
        :class:`~sklearn.linear_model.RidgeCV`) gets each window flattened.
        With ``linear=True`` it learns the linear part's residuals; pass
        :class:`~sklearn.dummy.DummyRegressor` for the linear part alone.

    normalize : {'last', 'mean', 'global'}, default='last'
        Shift of the target column of each window: its last value or its
        mean, then divided by the window's standard deviation. ``'global'``
        uses one mean and scale fitted on all training windows instead (the
        usual standardisation, for comparison).

    linear : bool, default=True
        Fit a ridge model in the windows' frame first, on each flattened
        window and the series' mean in its frame, and ``regressor`` on its
        residuals (see above). False: ``regressor`` alone.

    target : int, default=0
        Column of the windows that ``y`` continues (as in
        :func:`make_windows`).

    Attributes
    ----------
    regressor_ : estimator
        The fitted regressor, which works in the windows' frame.

    linear_ : RidgeCV or None
        The fitted linear part (None with ``linear=False``); its last
        coefficient of each output is that of the level feature.

    n_features_in_ : int
        Number of features of each window step.

    feature_mean_, feature_scale_ : ndarray of shape (``n_features_in_``,)
        Standardisation of the columns that are not window-normalised (all
        of them with ``normalize='global'``).

    scale_floor_ : float
        Smallest scale a window gets: a constant window is divided by this,
        not by zero (a thousandth of the mean window scale in training).

    See Also
    --------
    LSTMForecaster : From a series to a forecast, built on this.

    References
    ----------
    Kim, T. et al. (2022). Reversible Instance Normalization for Accurate
    Time-Series Forecasting against Distribution Shift. ICLR.

    Lai, G. et al. (2018). Modeling Long- and Short-Term Temporal Patterns
    with Deep Neural Networks. SIGIR.

    Liu, Y. et al. (2022). Non-stationary Transformers: Exploring the
    Stationarity in Time Series Forecasting. NeurIPS.

    Zeng, A. et al. (2023). Are Transformers Effective for Time Series
    Forecasting? AAAI.

    Zhang, G. P. (2003). Time series forecasting using a hybrid ARIMA and
    neural network model. Neurocomputing 50, 159-175.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm.forecasting import WindowNormalizedRegressor, make_windows
    >>> X, y = make_windows(np.arange(50.0), window=5, horizon=2)
    >>> reg = WindowNormalizedRegressor(Ridge(), linear=False).fit(X, y)  # steps 0 to 49
    >>> X_later, _ = make_windows(np.arange(1000.0, 1007.0), window=5, horizon=2)
    >>> reg.predict(X_later[:1]).round(6)  # a level never seen in training
    array([[1005., 1006.]])
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "normalize": [StrOptions({"last", "mean", "global"})],
        "linear": ["boolean"],
        "target": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, regressor=None, *, normalize="last", linear=True, target=0):
        self.regressor = regressor
        self.normalize = normalize
        self.linear = linear
        self.target = target

    def _check_windows(self, X, *, reset):
        name = type(self).__name__
        X = _as_floats(X, "X")
        if X.ndim != 3:
            raise ValueError(
                f"{name} needs windows of shape (n_windows, window, n_features), as "
                f"make_windows returns them; got an array of shape {X.shape}."
            )
        if reset:
            if X.shape[1] < 2 and self.normalize != "global":
                raise ValueError(
                    f"{name} with normalize={self.normalize!r} needs windows of at least "
                    "2 steps to measure their scale; use longer windows or "
                    "normalize='global'."
                )
            if self.target >= X.shape[2]:
                raise ValueError(
                    f"target={self.target} is not a column of windows with {X.shape[2]} features."
                )
            self.n_features_in_ = X.shape[2]
        elif X.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[2]} features per step, but {name} was fitted with "
                f"{self.n_features_in_}."
            )
        return X

    def _frame(self, X):
        """``(X in the frame, shift, scale)``; shift and scale of shape (n_windows, 1)."""
        Xn = (X - self.feature_mean_) / self.feature_scale_
        values = X[:, :, self.target]
        if self.normalize == "global":
            shift = np.full((len(X), 1), self.feature_mean_[self.target])
            scale = np.full((len(X), 1), self.feature_scale_[self.target])
            return Xn, shift, scale
        shift = values[:, -1:] if self.normalize == "last" else values.mean(1, keepdims=True)
        scale = np.maximum(values.std(1, keepdims=True), self.scale_floor_)
        Xn[:, :, self.target] = (values - shift) / scale
        return Xn, shift, scale

    def _linear_input(self, Xn, shift, scale):
        """What the linear part reads: the flattened window in its frame and
        the series' training mean in the same frame."""
        level = (self.feature_mean_[self.target] - shift) / scale
        return np.column_stack([Xn.reshape(len(Xn), -1), level])

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the regressor on the windows, each in its own frame.

        Parameters
        ----------
        X : array-like of shape (n_windows, window, n_features)
            Input windows, e.g. from :func:`make_windows`.

        y : array-like of shape (n_windows,) or (n_windows, horizon)
            The values of the target column that follow each window.

        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X = self._check_windows(X, reset=True)
        y = _check_series(y, "y", shapes=("n_windows", "horizon"))
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} windows but y has {len(y)} rows.")
        steps = X.reshape(-1, X.shape[2])
        self.feature_mean_ = steps.mean(0)
        self.feature_scale_ = steps.std(0)
        self.feature_scale_[self.feature_scale_ == 0] = 1.0
        window_scale = X[:, :, self.target].std(1).mean()
        self.scale_floor_ = 1e-3 * window_scale if window_scale > 0 else 1.0
        Xn, shift, scale = self._frame(X)
        yn = (y.reshape(len(y), -1) - shift) / scale
        linear = None
        if self.linear:
            from sklearn.linear_model import RidgeCV

            Z = self._linear_input(Xn, shift, scale)
            linear = RidgeCV(alphas=_LINEAR_ALPHAS).fit(Z, yn)
            yn = yn - linear.predict(Z).reshape(yn.shape)
        regressor = _default_regressor() if self.regressor is None else self.regressor
        regressor = clone(regressor)
        regressor.fit(self._as_input(Xn, regressor), yn.reshape(y.shape), **fit_params)
        # fitted state changes only once both parts are fitted
        self._y_ndim = y.ndim
        self.linear_ = linear
        self.regressor_ = regressor
        return self

    @staticmethod
    def _as_input(Xn, regressor):
        """Windows as ``regressor`` takes them: 3-D, or flattened for a tabular one."""
        if get_tags(regressor).input_tags.three_d_array:
            return Xn
        return Xn.reshape(len(Xn), -1)

    def predict(self, X):
        """Predict the values that follow each window, in the series' units.

        Parameters
        ----------
        X : array-like of shape (n_windows, window, n_features)
            Input windows.

        Returns
        -------
        y_pred : ndarray of shape (n_windows,) or (n_windows, horizon)
            As the ``y`` of ``fit``.
        """
        check_is_fitted(self)
        X = self._check_windows(X, reset=False)
        Xn, shift, scale = self._frame(X)
        pred = np.asarray(
            self.regressor_.predict(self._as_input(Xn, self.regressor_)), dtype=float
        )
        pred = pred.reshape(len(X), -1)
        if self.linear_ is not None:
            pred = pred + self.linear_.predict(self._linear_input(Xn, shift, scale)).reshape(
                len(X), -1
            )
        pred = pred * scale + shift
        return pred[:, 0] if self._y_ndim == 1 else pred

    def score(self, X, y, sample_weight=None):
        """R^2 of the predictions, in the series' units.

        Parameters
        ----------
        X : array-like of shape (n_windows, window, n_features)
            Input windows.

        y : array-like of shape (n_windows,) or (n_windows, horizon)
            True values.

        sample_weight : array-like of shape (n_windows,), default=None
            Weights of the windows.

        Returns
        -------
        score : float
            :func:`~sklearn.metrics.r2_score` of ``predict(X)`` against ``y``.
        """
        return super().score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


def _pandas_index(values):
    """The index of a pandas Series or DataFrame, else None."""
    if hasattr(values, "iloc") and hasattr(values, "index"):
        return values.index
    return None


def _future_index(index, horizon):
    """The ``horizon`` labels that follow a pandas index, or an error saying why not."""
    import pandas as pd

    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=horizon, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None and len(index) >= 3:
            freq = pd.infer_freq(index)
        if freq is None:
            raise ValueError(
                "The dates of the series have no regular frequency, so the forecast "
                "cannot be dated. Give the series a regular index (e.g. "
                "series.asfreq('MS') for monthly data), or pass a NumPy array."
            )
        return pd.date_range(index[-1], periods=horizon + 1, freq=freq)[1:]
    if pd.api.types.is_integer_dtype(index.dtype):
        return pd.RangeIndex(index[-1] + 1, index[-1] + 1 + horizon)
    raise ValueError(
        f"The forecast cannot be placed after an index of type {type(index).__name__}; "
        "use a DatetimeIndex or PeriodIndex with a frequency, an integer index, or a "
        "NumPy array."
    )


class LSTMForecaster(BaseEstimator):
    """Forecast the next values of a series with an LSTM, in a few lines.

    Cuts the series (and its covariates) into windows with
    :func:`make_windows`, fits a :class:`WindowNormalizedRegressor` (each
    window in its own frame, so the model forecasts levels and trends it
    never saw: a ridge model on the window and the series' level, and an
    :class:`~sklstm.LSTMRegressor` on what it leaves), and forecasts the
    ``horizon`` steps after the end of a series, all horizons at once (the
    direct strategy). A pandas Series with dates gives a forecast indexed by
    the next dates.

    Prediction intervals come from the residuals of a chronological hold-out
    (split conformal prediction): with ``interval_holdout`` set, a first
    model is fitted on the earlier windows and scored on the last ones (with
    a gap of ``horizon - 1`` windows so that no held-out target was a
    training target), then the final model is refitted on all windows. The
    residuals are measured in each window's frame, so intervals widen where
    the series is more variable.

    Parameters
    ----------
    window : int
        Number of past steps the model reads (at least 2). One or two seasons
        is a good start.

    horizon : int, default=1
        Number of steps to forecast.

    regressor : estimator, default=None
        Regressor, cloned before fitting. None means
        ``LSTMRegressor(early_stopping=True)``; a regressor for tables gets
        each window flattened.

    normalize : {'last', 'mean', 'global'}, default='last'
        Frame of each window, see :class:`WindowNormalizedRegressor`.

    linear : bool, default=True
        A ridge model in the windows' frame first, ``regressor`` on its
        residuals; see :class:`WindowNormalizedRegressor`.

    covariates : {'past', 'known'}, default='past'
        What the covariates ``X`` are. ``'past'``: observed along with the
        series; a window reads them over its own steps. ``'known'``: known in
        advance (a calendar, holidays, planned prices); each step of a
        window also reads their values ``horizon`` steps later, so the last
        ``horizon`` steps carry the covariates of the steps to forecast, and
        :meth:`predict` needs them for those steps.

    interval_holdout : float or int, default=None
        Fraction (float in (0, 1)) or number (int) of the last windows held
        out to calibrate :meth:`predict_interval`; fitting then takes two
        fits. None: no intervals, one fit.

    random_state : int, RandomState instance or None, default=None
        Passed to the regressor's ``random_state`` (when it has one) for
        reproducible forecasts; None leaves the regressor's own.

    Attributes
    ----------
    model_ : WindowNormalizedRegressor
        The model fitted on all windows.

    n_covariates_ : int
        Number of covariate columns ``X`` had in ``fit``.

    covariates_known_ : bool
        Whether the model reads covariates ``horizon`` steps ahead
        (``covariates='known'`` and ``X`` given to ``fit``).

    residuals_ : ndarray of shape (n_holdout_windows, horizon)
        Hold-out residuals in the windows' frames (with ``interval_holdout``).

    See Also
    --------
    WindowNormalizedRegressor : The model on windows, for grid searches.
    fourier_features : Seasonal covariates for ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.forecasting import LSTMForecaster
    >>> series = np.sin(np.arange(120) / 3) + np.arange(120) / 20
    >>> forecaster = LSTMForecaster(
    ...     window=12, horizon=3, regressor=LSTMRegressor(max_epochs=5), random_state=0
    ... ).fit(series)
    >>> forecaster.predict().shape
    (3,)
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 2, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "regressor": [HasMethods(["fit", "predict"]), None],
        "normalize": [StrOptions({"last", "mean", "global"})],
        "linear": ["boolean"],
        "covariates": [StrOptions({"past", "known"})],
        "interval_holdout": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        window,
        horizon=1,
        *,
        regressor=None,
        normalize="last",
        linear=True,
        covariates="past",
        interval_holdout=None,
        random_state=None,
    ):
        self.window = window
        self.horizon = horizon
        self.regressor = regressor
        self.normalize = normalize
        self.linear = linear
        self.covariates = covariates
        self.interval_holdout = interval_holdout
        self.random_state = random_state

    def _model(self):
        regressor = _default_regressor() if self.regressor is None else clone(self.regressor)
        if self.random_state is not None and "random_state" in regressor.get_params():
            regressor.set_params(random_state=self.random_state)
        return WindowNormalizedRegressor(regressor, normalize=self.normalize, linear=self.linear)

    def _check_data(self, y, X, *, fitting, ahead=0):
        """The series and its covariates as one (n_timesteps, 1 + n_covariates)
        array, and the ``ahead`` rows of ``X`` after the end of ``y`` (None
        when ``ahead`` is 0)."""
        series = _check_series(y, "y")
        if series.ndim == 2:
            if series.shape[1] != 1:
                raise ValueError(
                    f"y must be one series; got {series.shape[1]} columns. Pass the "
                    "series to forecast as y and the others as covariates in X."
                )
            series = series[:, 0]
        n_covariates = 0 if fitting else self.n_covariates_
        if X is not None:
            covariates = _check_series(X, "X")
            covariates = covariates.reshape(len(covariates), -1)
            if len(covariates) != len(series) + ahead:
                if ahead:
                    raise ValueError(
                        f"X has {len(covariates)} rows, but y has {len(series)} steps and "
                        f"the covariates are known {ahead} steps ahead: X needs the rows "
                        f"of y's steps and of the {ahead} steps to forecast, "
                        f"{len(series) + ahead} in all."
                    )
                raise ValueError(
                    f"X has {len(covariates)} rows but y has {len(series)} steps: "
                    "covariates must be aligned with y, one row per step."
                )
            if not fitting and covariates.shape[1] != n_covariates:
                raise ValueError(
                    f"X has {covariates.shape[1]} covariates, but the forecaster was "
                    f"fitted with {n_covariates}."
                )
            data = np.column_stack([series, covariates[: len(series)]])
            return data, (covariates[len(series) :] if ahead else None)
        if n_covariates:
            raise ValueError(
                f"The forecaster was fitted with {n_covariates} covariates: pass their "
                "values for the same steps as X."
            )
        return series[:, None], None

    def _inputs(self, data, future, known):
        """The model's input steps: the series and its covariates, and with
        known covariates, each step's covariates ``horizon`` steps later
        (``future``: the ``horizon`` rows after the end of ``data``; None
        in ``fit``, whose windows never read them: a window's last step is
        ``horizon`` steps before the series' end)."""
        if not known:
            return data
        covariates = data[:, 1:]
        if future is None:
            future = np.zeros((self.horizon, covariates.shape[1]))
        return np.column_stack([data, np.concatenate([covariates, future])[self.horizon :]])

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, y, X=None):
        """Fit the model on every window of the series.

        Parameters
        ----------
        y : array-like or pandas Series of shape (n_timesteps,)
            The series, oldest step first. A pandas index with dates makes
            :meth:`predict` return dated forecasts.

        X : array-like of shape (n_timesteps, n_covariates), default=None
            Covariates, one row per step of ``y`` (e.g.
            :func:`fourier_features`); the model reads them over each window
            (and ``horizon`` steps ahead with ``covariates='known'``).

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        data, _ = self._check_data(y, X, fitting=True)
        index = _pandas_index(y)
        if index is not None:
            _future_index(index, self.horizon)  # fail now, not at predict
        known = self.covariates == "known" and data.shape[1] > 1
        inputs = self._inputs(data, None, known)
        windows, targets = make_windows(inputs, window=self.window, horizon=self.horizon, target=0)
        residuals = None
        if self.interval_holdout is not None:
            residuals = self._holdout_residuals(windows, targets)
        model = self._model().fit(windows, targets)
        # fitted state changes only once everything has been fitted
        if residuals is None:
            self.__dict__.pop("residuals_", None)
        else:
            self.residuals_ = residuals
        self.model_ = model
        self.n_covariates_ = data.shape[1] - 1
        self.covariates_known_ = known
        self.last_window_ = data[-self.window :]
        self.index_ = index
        return self

    def _holdout_residuals(self, windows, targets):
        n_windows = len(windows)
        holdout = self.interval_holdout
        is_fraction = isinstance(holdout, Real) and holdout < 1
        n_holdout = ceil(holdout * n_windows) if is_fraction else holdout
        n_fit = n_windows - n_holdout - (self.horizon - 1)
        if n_holdout < 1 or n_fit < 2:
            raise ValueError(
                f"The series gives {n_windows} windows, too few to hold out "
                f"interval_holdout={holdout!r} of them and fit on the rest. Use a longer "
                "series or a smaller interval_holdout."
            )
        model = self._model().fit(windows[:n_fit], targets[:n_fit])
        held, held_targets = windows[-n_holdout:], targets[-n_holdout:]
        _, shift, scale = model._frame(held)
        return (held_targets - model.predict(held)) / scale

    def _window_of(self, y, X):
        """The model's input for the last window of ``y`` (and ``X``), and the
        index to date a forecast with."""
        known = self.covariates_known_
        ahead = self.horizon if known else 0
        if y is None:
            data, index, future = self.last_window_, self.index_, None
            if known:
                future = self._future_covariates(X)
            elif X is not None:
                raise ValueError("Pass y with X: the covariates go with a series.")
        else:
            data, future = self._check_data(y, X, fitting=False, ahead=ahead)
            index = _pandas_index(y)
            if len(data) < self.window:
                raise ValueError(
                    f"y has {len(data)} steps, fewer than window={self.window}, the steps "
                    "the model reads."
                )
        return self._inputs(data[-self.window :], future, known), index

    def _future_covariates(self, X):
        """The known covariates of the ``horizon`` steps after the fitted series."""
        rows = f"the {self.horizon} steps to forecast, one row per step"
        if X is None:
            raise ValueError(
                f"The forecaster reads covariates known in advance: pass their values for "
                f"{rows}, as X."
            )
        future = _check_series(X, "X")
        future = future.reshape(len(future), -1)
        if future.shape != (self.horizon, self.n_covariates_):
            raise ValueError(
                f"X must hold the {self.n_covariates_} known covariates of {rows}: shape "
                f"({self.horizon}, {self.n_covariates_}); got shape {np.shape(X)}."
            )
        return future

    def _dated(self, values, index, columns=None):
        if index is None:
            return values
        import pandas as pd

        future = _future_index(index, self.horizon)
        if columns is None:
            return pd.Series(values, index=future)
        return pd.DataFrame(values, index=future, columns=columns)

    def predict(self, y=None, X=None):
        """Forecast the ``horizon`` steps after the end of a series.

        Parameters
        ----------
        y : array-like or pandas Series of shape (n_timesteps,), default=None
            The history to forecast from, at least ``window`` steps: a newer
            stretch of the fitted series, or another series. None means the
            series given to ``fit``.

        X : array-like of shape (n_timesteps, n_covariates), default=None
            The covariates of ``y``, when the forecaster was fitted with some.
            With known covariates (``covariates='known'``), their rows for
            ``y``'s steps followed by the ``horizon`` steps to forecast; or,
            without ``y``, only those ``horizon`` rows.

        Returns
        -------
        forecast : ndarray of shape (horizon,) or pandas Series
            The forecast; a pandas Series indexed by the next ``horizon``
            dates (or integers) when ``y`` was a pandas Series.
        """
        check_is_fitted(self)
        window, index = self._window_of(y, X)
        forecast = self.model_.predict(window[None])[0]
        return self._dated(forecast, index)

    def predict_interval(self, y=None, X=None, *, coverage=0.9):
        """Forecast with a prediction interval around each horizon.

        The half-width is the ``coverage`` quantile of the absolute hold-out
        residuals of that horizon (with the finite-sample correction of split
        conformal prediction), rescaled to the scale of ``y``'s last window.
        Coverage holds on average when the future behaves like the hold-out
        period; it is not guaranteed for one forecast.

        Parameters
        ----------
        y, X : see :meth:`predict`

        coverage : float, default=0.9
            Share of future values the interval should contain, in (0, 1).

        Returns
        -------
        interval : ndarray of shape (horizon, 3) or pandas DataFrame
            Columns ``forecast``, ``lower`` and ``upper``.
        """
        check_is_fitted(self)
        if not hasattr(self, "residuals_"):
            raise ValueError(
                "Prediction intervals need hold-out residuals: fit the forecaster with "
                "interval_holdout set (e.g. interval_holdout=0.2)."
            )
        if not isinstance(coverage, Real) or isinstance(coverage, bool) or not 0 < coverage < 1:
            raise ValueError(f"coverage must be a number in (0, 1); got {coverage!r}.")
        n_residuals = len(self.residuals_)
        rank = ceil((n_residuals + 1) * coverage)
        if rank > n_residuals:
            raise ValueError(
                f"{n_residuals} hold-out residuals cannot calibrate coverage={coverage}: "
                f"that needs at least {ceil(coverage / (1 - coverage))}. Use a lower "
                "coverage or a larger interval_holdout."
            )
        window, index = self._window_of(y, X)
        forecast = self.model_.predict(window[None])[0]
        _, _, scale = self.model_._frame(window[None])
        half_width = np.sort(np.abs(self.residuals_), axis=0)[rank - 1] * scale[0]
        values = np.column_stack([forecast, forecast - half_width, forecast + half_width])
        return self._dated(values, index, columns=["forecast", "lower", "upper"])
