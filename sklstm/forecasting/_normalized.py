"""WindowNormalizedRegressor: any regressor on windows, each in its own frame."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from .._validation import HasMethods, Interval, StrOptions, _fit_context
from ._windows import _as_floats, _check_series


def _default_regressor():
    """``LSTMRegressor(early_stopping=True)``: after the linear part, a
    network that stops when a hold-out of windows stops improving, rather
    than one that memorises a few hundred windows' residuals
    (``python benchmarks/forecasting.py`` compares it with the former
    default, three networks without early stopping)."""
    from .._regressor import LSTMRegressor

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
