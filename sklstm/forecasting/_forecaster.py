"""LSTMForecaster: from a series (and its covariates) to its next values."""

from math import ceil
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from .._validation import HasMethods, Interval, StrOptions, _fit_context
from ._normalized import WindowNormalizedRegressor, _default_regressor
from ._windows import _check_series, make_windows


def _pandas_index(values):
    """The index of a pandas Series or DataFrame, else None."""
    if hasattr(values, "iloc") and hasattr(values, "index"):
        return values.index
    return None


def _future_index(index, horizon):
    """The ``horizon`` labels that follow a pandas index, or an error saying why not."""
    import pandas as pd

    if not (index.is_monotonic_increasing and index.is_unique):
        raise ValueError(
            "The index of the series is not strictly increasing, so the forecast cannot "
            "be placed after its last step. Sort the series oldest first "
            "(series.sort_index()) and drop repeated labels, or pass a NumPy array."
        )
    if isinstance(index, pd.PeriodIndex):
        if len(index) > 1 and np.any(np.diff(index.asi8) != 1):
            raise ValueError(
                f"The periods of the series skip some {index.freqstr} periods, so the "
                "forecast cannot be dated. Give the series every period (e.g. "
                "series.asfreq(...) or .reindex), or pass a NumPy array."
            )
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
        steps = np.unique(np.diff(np.asarray(index)))
        if len(steps) > 1:
            raise ValueError(
                f"The integer index of the series has steps of {steps[0]} to {steps[-1]}, "
                "so the forecast cannot be placed after it. Give the series an index "
                "with one step (e.g. range(len(series))), or pass a NumPy array."
            )
        step = int(steps[0]) if len(steps) else 1
        last = int(index[-1])
        return pd.RangeIndex(last + step, last + step * (horizon + 1), step)
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
        ``LSTMRegressor(early_stopping=True, frontend='patch', readout='last',
        input_norm='none')``, the window model; a regressor for tables gets
        each window flattened.

    normalize : {'auto', 'last', 'mean', 'global'}, default='auto'
        Frame of each window, see :class:`WindowNormalizedRegressor`.
        ``'auto'``: ``'global'`` when the model reads covariates known in
        advance (``covariates='known'`` and ``X`` given to ``fit``), whose
        effect on the series is in its units, not in each window's scale;
        ``'last'`` otherwise.

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

    window_, horizon_ : int
        The ``window`` and ``horizon`` the model was fitted with, which
        :meth:`predict` uses: changing the parameters after fitting changes
        no forecast until the next fit.

    normalize_ : str
        The frame of the windows, ``normalize`` with ``'auto'`` resolved.

    n_covariates_ : int
        Number of covariate columns ``X`` had in ``fit``.

    covariates_known_ : bool
        Whether the model reads covariates ``horizon`` steps ahead
        (``covariates='known'`` and ``X`` given to ``fit``).

    residuals_ : ndarray of shape (n_holdout_windows, horizon)
        Hold-out residuals in the windows' frames (with ``interval_holdout``).

    residual_scale_floor_ : float
        Scale of the flattest hold-out window (with ``interval_holdout``):
        :meth:`predict_interval` rescales the residuals to no smaller scale.

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
        "normalize": [StrOptions({"auto", "last", "mean", "global"})],
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
        normalize="auto",
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

    def _model(self, normalize):
        regressor = _default_regressor() if self.regressor is None else clone(self.regressor)
        if self.random_state is not None and "random_state" in regressor.get_params():
            regressor.set_params(random_state=self.random_state)
        return WindowNormalizedRegressor(regressor, normalize=normalize, linear=self.linear)

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

    def _inputs(self, data, future, known, horizon):
        """The model's input steps: the series and its covariates, and with
        known covariates, each step's covariates ``horizon`` steps later
        (``future``: the ``horizon`` rows after the end of ``data``; None
        in ``fit``, whose windows never read them: a window's last step is
        ``horizon`` steps before the series' end)."""
        if not known:
            return data
        covariates = data[:, 1:]
        if future is None:
            future = np.zeros((horizon, covariates.shape[1]))
        return np.column_stack([data, np.concatenate([covariates, future])[horizon:]])

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
        window, horizon = self.window, self.horizon
        index = _pandas_index(y)
        if index is not None:
            _future_index(index, horizon)  # fail now, not at predict
        known = self.covariates == "known" and data.shape[1] > 1
        normalize = self.normalize
        if normalize == "auto":
            normalize = "global" if known else "last"
        inputs = self._inputs(data, None, known, horizon)
        windows, targets = make_windows(inputs, window=window, horizon=horizon, target=0)
        holdout = None
        if self.interval_holdout is not None:
            holdout = self._holdout_residuals(windows, targets, normalize)
        model = self._model(normalize).fit(windows, targets)
        # fitted state changes only once everything has been fitted
        for name in ("residuals_", "residual_scale_floor_"):
            self.__dict__.pop(name, None)
        if holdout is not None:
            self.residuals_, self.residual_scale_floor_ = holdout
        self.model_ = model
        self.window_ = window
        self.horizon_ = horizon
        self.normalize_ = normalize
        self.n_covariates_ = data.shape[1] - 1
        self.covariates_known_ = known
        self.last_window_ = data[-window:]
        self.index_ = index
        return self

    def _holdout_residuals(self, windows, targets, normalize):
        """Residuals of the hold-out windows in their frames, and the smallest
        of their scales."""
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
        model = self._model(normalize).fit(windows[:n_fit], targets[:n_fit])
        held, held_targets = windows[-n_holdout:], targets[-n_holdout:]
        _, _, scale = model._frame(held)
        return (held_targets - model.predict(held)) / scale, scale.min()

    def _window_of(self, y, X):
        """The model's input for the last window of ``y`` (and ``X``), and the
        index to date a forecast with."""
        known, window, horizon = self.covariates_known_, self.window_, self.horizon_
        ahead = horizon if known else 0
        if y is None:
            data, index, future = self.last_window_, self.index_, None
            if known:
                future = self._future_covariates(X)
            elif X is not None:
                raise ValueError("Pass y with X: the covariates go with a series.")
        else:
            data, future = self._check_data(y, X, fitting=False, ahead=ahead)
            index = _pandas_index(y)
            if len(data) < window:
                raise ValueError(
                    f"y has {len(data)} steps, fewer than window={window}, the steps "
                    "the model reads."
                )
        return self._inputs(data[-window:], future, known, horizon), index

    def _future_covariates(self, X):
        """The known covariates of the ``horizon`` steps after the fitted series."""
        horizon = self.horizon_
        rows = f"the {horizon} steps to forecast, one row per step"
        if X is None:
            raise ValueError(
                f"The forecaster reads covariates known in advance: pass their values for "
                f"{rows}, as X."
            )
        future = _check_series(X, "X")
        future = future.reshape(len(future), -1)
        if future.shape != (horizon, self.n_covariates_):
            raise ValueError(
                f"X must hold the {self.n_covariates_} known covariates of {rows}: shape "
                f"({horizon}, {self.n_covariates_}); got shape {np.shape(X)}."
            )
        return future

    def _dated(self, values, index, columns=None):
        if index is None:
            return values
        import pandas as pd

        future = _future_index(index, self.horizon_)
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
        conformal prediction), rescaled to the scale of ``y``'s last window,
        or to that of the flattest hold-out window when ``y``'s last window is
        flatter (the residuals say nothing about flatter windows).
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
        # the residuals were measured on windows at least this variable; they
        # say nothing about a flatter window's errors
        scale = max(scale[0, 0], self.residual_scale_floor_)
        half_width = np.sort(np.abs(self.residuals_), axis=0)[rank - 1] * scale
        values = np.column_stack([forecast, forecast - half_width, forecast + half_width])
        return self._dated(values, index, columns=["forecast", "lower", "upper"])
