"""WindowNormalizedRegressor: any regressor on windows, each in its own frame."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from .._validation import (
    HasMethods,
    Interval,
    StrOptions,
    _check_y_given,
    _fit_context,
    check_n_samples,
    check_windows,
    set_fitted,
)
from ._windows import _check_series


def _default_regressor():
    """``LSTMRegressor(early_stopping=True, frontend='patch', readout='last',
    input_norm='none')``: after the linear part, a network that stops when a
    hold-out of windows stops improving, rather than one that memorises a
    few hundred windows' residuals. Patches and the final state, with the
    windows as the linear part leaves them: on windows of one series the
    level carries the forecast, which a per-window standardisation removes
    and batch-normalised convolutions blur (docs/accuracy.md, the
    regressor's defaults)."""
    from .._regressor import LSTMRegressor

    return LSTMRegressor(early_stopping=True, frontend="patch", readout="last", input_norm="none")


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
        ``LSTMRegressor(early_stopping=True, frontend='patch', readout='last',
        input_norm='none')``, the window model. A regressor for
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
        Number of features of each window step (for a 2-D ``X`` of
        univariate windows, its number of columns, as scikit-learn counts).

    window_ : int
        Number of steps of the training windows.

    normalize_ : str
        The ``normalize`` the model was fitted with, which :meth:`predict`
        uses (as ``target_`` for ``target``): changing the parameters after
        fitting changes no prediction until the next fit.

    target_ : int
        The fitted ``target`` column.

    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardisation of the columns that are not window-normalised (all
        of them with ``normalize='global'``), weighted with ``sample_weight``.

    scale_floor_ : float
        Scale of a window whose values are all zero, which has none of its
        own: the mean window scale in training. Any other window is divided
        by its standard deviation, or by a billionth of its largest absolute
        value when it is flatter (never by zero), so the frames do not
        depend on the series' units.

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

    def _check_fit_windows(self, X):
        """The windows, and the fitted input attributes to set once fitting succeeds."""
        name = type(self).__name__
        X, fitted = check_windows(self, X, reset=True)
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
        return X, fitted

    def _check_predict_windows(self, X):
        X, _ = check_windows(self, X, reset=False)
        reads_every_step = self.linear_ is not None or not _takes_3d(self.regressor_)
        if reads_every_step and X.shape[1] != self.window_:
            raise ValueError(
                f"X has windows of {X.shape[1]} steps, but {type(self).__name__} was "
                f"fitted on windows of {self.window_} and reads each step (linear part or "
                f"a regressor for tables). Cut windows of {self.window_} steps."
            )
        return X

    def _frame(self, X):
        """``(X in the frame, shift, scale)``; shift and scale of shape (n_windows, 1)."""
        return _frame(X, self._frame_state())

    def _frame_state(self):
        names = ["feature_mean_", "feature_scale_", "scale_floor_", "normalize_", "target_"]
        return {name: getattr(self, name) for name in names}

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the regressor on the windows, each in its own frame.

        Parameters
        ----------
        X : array-like of shape (n_windows, window, n_features)
            Input windows, e.g. from :func:`make_windows`; a 2-D array
            ``(n_windows, window)`` holds univariate windows.

        y : array-like of shape (n_windows,) or (n_windows, horizon)
            The values of the target column that follow each window.

        sample_weight : array-like of shape (n_windows,), default=None
            Weights of the windows, for the standardisation, the linear part
            and the regressor alike (which must then take ``sample_weight``).

        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        name = type(self).__name__
        X, fitted = self._check_fit_windows(X)
        _check_y_given(y, name)
        y = _check_series(y, "y", shapes=("n_windows", "horizon"))
        check_n_samples(y, len(X), name)
        regressor = _default_regressor() if self.regressor is None else clone(self.regressor)
        if sample_weight is not None:
            if not has_fit_parameter(regressor, "sample_weight"):
                raise TypeError(
                    f"{type(regressor).__name__} takes no sample_weight in fit, so {name} "
                    "cannot weight the windows. Use a regressor that does (such as "
                    "LSTMRegressor or Ridge), or fit without sample_weight."
                )
            sample_weight = _check_window_weights(sample_weight, len(X))
            fit_params["sample_weight"] = sample_weight
        # statistics of the training steps, each step weighted as its window
        steps = X.reshape(-1, X.shape[2])
        step_weight = None if sample_weight is None else np.repeat(sample_weight, X.shape[1])
        feature_mean = np.average(steps, axis=0, weights=step_weight)
        deviation = (steps - feature_mean) ** 2
        feature_scale = np.sqrt(np.average(deviation, axis=0, weights=step_weight))
        feature_scale[feature_scale == 0] = 1.0
        window_std = X[:, :, self.target].std(1)
        typical = np.average(window_std, weights=sample_weight)
        # set as fitted state only once both parts are fitted
        state = {
            "feature_mean_": feature_mean,
            "feature_scale_": feature_scale,
            "scale_floor_": typical if typical > 0 else 1.0,
            "normalize_": self.normalize,
            "target_": self.target,
        }
        Xn, shift, scale = _frame(X, state)
        yn = (y.reshape(len(y), -1) - shift) / scale
        linear = None
        if self.linear:
            from sklearn.linear_model import RidgeCV

            Z = _linear_input(Xn, shift, scale, feature_mean[self.target])
            linear = RidgeCV(alphas=_LINEAR_ALPHAS).fit(Z, yn, sample_weight=sample_weight)
            yn = yn - linear.predict(Z).reshape(yn.shape)
        regressor.fit(_as_input(Xn, regressor), yn.reshape(y.shape), **fit_params)
        set_fitted(self, {**fitted, **state})
        self.window_ = X.shape[1]
        self._y_ndim = y.ndim
        self.linear_ = linear
        self.regressor_ = regressor
        return self

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
        X = self._check_predict_windows(X)
        Xn, shift, scale = self._frame(X)
        pred = np.asarray(self.regressor_.predict(_as_input(Xn, self.regressor_)), dtype=float)
        pred = pred.reshape(len(X), -1)
        if self.linear_ is not None:
            level = self.feature_mean_[self.target_]
            linear = self.linear_.predict(_linear_input(Xn, shift, scale, level))
            pred = pred + linear.reshape(len(X), -1)
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
        tags.target_tags.multi_output = True  # one output per horizon
        return tags


def _frame(X, state):
    """``X`` in the frame that ``state`` (the fitted statistics, by attribute
    name) defines, and each window's shift and scale, of shape (n_windows, 1)."""
    target = state["target_"]
    mean, feature_scale = state["feature_mean_"], state["feature_scale_"]
    Xn = (X - mean) / feature_scale
    values = X[:, :, target]
    if state["normalize_"] == "global":
        shift = np.full((len(X), 1), mean[target])
        scale = np.full((len(X), 1), feature_scale[target])
        return Xn, shift, scale
    last = state["normalize_"] == "last"
    shift = values[:, -1:] if last else values.mean(1, keepdims=True)
    scale = _window_scale(values, state["scale_floor_"])
    Xn[:, :, target] = (values - shift) / scale
    return Xn, shift, scale


def _linear_input(Xn, shift, scale, level):
    """What the linear part reads: the flattened window in its frame and
    ``level``, the series' training mean, in the same frame."""
    return np.column_stack([Xn.reshape(len(Xn), -1), (level - shift) / scale])


def _check_window_weights(sample_weight, n_windows):
    """The weights as given, in float64 (a ridge penalty weighs against their
    sum, so they are not rescaled); errors in plain words."""
    weights = _check_series(sample_weight, "sample_weight", shapes=("n_windows", "1"))
    if weights.shape != (n_windows,):
        raise ValueError(
            f"sample_weight must have shape ({n_windows},), one weight per window; got "
            f"shape {weights.shape}."
        )
    if np.any(weights < 0):
        raise ValueError("sample_weight has negative values; weights must be 0 or more.")
    if not np.any(weights > 0):
        raise ValueError("sample_weight is zero for every window; at least one must be positive.")
    return weights


def _takes_3d(regressor):
    return get_tags(regressor).input_tags.three_d_array


def _as_input(Xn, regressor):
    """Windows as ``regressor`` takes them: 3-D, or flattened for a tabular one."""
    return Xn if _takes_3d(regressor) else Xn.reshape(len(Xn), -1)


# A window's scale is at least this share of its largest absolute value:
# relative to the window itself, so a series and a copy at another scale get
# the same frames, and only a window flat to about float64 precision is
# affected.
_RELATIVE_FLOOR = 1e-9


def _window_scale(values, zero_scale):
    """Standard deviation of each window (rows of ``values``), at least
    ``_RELATIVE_FLOOR`` times its largest absolute value; ``zero_scale`` for a
    window of zeros, which has no scale of its own."""
    floor = _RELATIVE_FLOOR * np.abs(values).max(1, keepdims=True)
    floor[floor == 0] = zero_scale
    return np.maximum(values.std(1, keepdims=True), floor)
