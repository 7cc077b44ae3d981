"""sklstm's estimators as aeon classifiers and regressors (needs aeon: ``pip install aeon``).

`aeon <https://www.aeon-toolkit.org>`_ stores a collection of series with
the channels first: a 3-D array ``(n_cases, n_channels, n_timepoints)``
("numpy3D") or, for series of different lengths, a list of
``(n_channels, n_timepoints_i)`` arrays ("np-list"); its other containers
(a multi-index DataFrame, a list of DataFrames, a 2-D array of univariate
series) convert to these two. sklstm reads time first:
``(n_samples, n_timesteps, n_features)`` or a list of
``(n_timesteps_i, n_features)`` arrays. The adapters here transpose each
series and hand it to an sklstm estimator, the series of a ragged
collection one by one at their own lengths (never padded), and declare to
aeon that they take multivariate and unequal-length series, so aeon's
input checks, pipelines and benchmarking tools accept them.

The sklstm estimator is a parameter (``estimator=``), as aeon's own
``SklearnClassifierWrapper`` takes its ``classifier``: every sklstm
hyperparameter stays where it is documented and validated, and search
spaces name them through it (``estimator__hidden_size``).
"""

try:
    from aeon.classification import BaseClassifier
    from aeon.regression import BaseRegressor
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "sklstm.aeon needs aeon. Install it with `pip install 'aeon>=1.6'` "
        "(sklstm's [aeon] extra)."
    ) from exc

import numpy as np
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.pipeline import Pipeline

from ._classifier import LSTMClassifier
from ._regressor import LSTMRegressor

__all__ = ["AeonLSTMClassifier", "AeonLSTMRegressor"]

# What aeon checks on the adapters' behalf before fit and predict see X.
_TAGS = {
    "capability:multivariate": True,
    "capability:unequal_length": True,
    # sklstm rejects NaN: aeon then says so before any training
    "capability:missing_values": False,
    # unequal lengths stay a list (no padding); equal ones one array
    "X_inner_type": ["np-list", "numpy3D"],
    "algorithm_type": "deeplearning",
}

# Small networks trained for two epochs: enough for aeon's checks of the
# interface, fast on one CPU core.
_TEST_PARAMS = {
    "hidden_size": 4,
    "frontend_width": 4,
    "max_epochs": 2,
    "batch_size": 8,
    "device": "cpu",
    "random_state": 0,
}


def _to_sklstm(X):
    """aeon's ``numpy3D`` or ``np-list`` collection in sklstm's layout.

    ``(n_cases, n_channels, n_timepoints)`` becomes
    ``(n_samples, n_timesteps, n_features)``; a list of
    ``(n_channels, n_timepoints_i)`` arrays a list of
    ``(n_timesteps_i, n_features)`` arrays, each at its own length.
    """
    if isinstance(X, np.ndarray):
        return X.transpose(0, 2, 1)
    return [x.T for x in X]


class _Adapter:
    """What both adapters do: fit a clone of ``estimator`` on the series
    transposed to sklstm's layout. ``_default`` is the sklstm estimator
    used when ``estimator`` is None; ``_kind`` and ``_is_kind`` say which
    kind of scikit-learn estimator ``estimator`` must be."""

    _tags = _TAGS

    def __init__(self, estimator=None):
        self.estimator = estimator
        super().__init__()

    def _fit(self, X, y):
        self.estimator_ = clone(self._checked_estimator()).fit(_to_sklstm(X), y)
        return self

    def _predict(self, X):
        return self.estimator_.predict(_to_sklstm(X))

    def _checked_estimator(self):
        """The sklstm estimator to clone and fit: ``_default()`` when None."""
        estimator = self.estimator
        name = type(self).__name__
        if estimator is None:
            return self._default()
        # scikit-learn reads the kind from tags, which only estimators have
        if not hasattr(estimator, "__sklearn_tags__"):
            default = self._default.__name__
            raise TypeError(
                f"The 'estimator' parameter of {name} must be a {self._kind} that takes "
                f"sklstm's layout, such as {default}(); got {type(estimator).__name__} "
                f"{estimator!r:.40} instead. Its hyperparameters go to that estimator: "
                f"{name}({default}(cell='gru'))."
            )
        if not self._is_kind(estimator):
            raise TypeError(
                f"The 'estimator' parameter of {name} must be a {self._kind} that takes "
                f"sklstm's layout, such as {self._default.__name__}(); got "
                f"{type(estimator).__name__} instead."
            )
        final, where = estimator, ""
        # the readout that decides the output is that of a pipeline's last step
        while isinstance(final, Pipeline):
            final, where = final.steps[-1][1], ", the final step of its pipeline,"
        if getattr(final, "readout", None) == "sequence":
            raise ValueError(
                f"{name} predicts one value per series, as aeon's {self._kind}s do, but "
                f"{type(final).__name__}(readout='sequence'){where} predicts one per "
                "time step. Use another readout, or the sklstm estimator directly."
            )
        return estimator

    @classmethod
    def _get_test_params(cls, parameter_set="default"):
        """Parameters of the instances aeon's estimator checks run on.

        Parameters
        ----------
        parameter_set : str, default="default"
            Name of the set of test parameters; there is one.

        Returns
        -------
        params : list of dict
            A small LSTM, and a small GRU with the mean readout.
        """
        return [
            {"estimator": cls._default(**_TEST_PARAMS)},
            {"estimator": cls._default(cell="gru", readout="mean", **_TEST_PARAMS)},
        ]


class AeonLSTMClassifier(_Adapter, BaseClassifier):
    """An sklstm classifier as an aeon classifier.

    Takes aeon's collections: a 3-D array ``(n_cases, n_channels,
    n_timepoints)``, a list of ``(n_channels, n_timepoints_i)`` arrays for
    series of different lengths, a 2-D array of univariate series, or a
    multi-index DataFrame. Each series reaches ``estimator`` transposed to
    ``(n_timesteps, n_features)``, series of different lengths at their own
    lengths. Predictions and probabilities follow aeon's conventions
    (``classes_`` sorted, one row of probabilities per series).

    Parameters
    ----------
    estimator : classifier, default=None
        The classifier to fit, cloned first: an
        :class:`~sklstm.LSTMClassifier` (the default, with its default
        hyperparameters, when None), or a pipeline ending in one.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.

    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``, sorted.

    n_classes_ : int
        Number of classes.

    See Also
    --------
    AeonLSTMRegressor : The adapter of :class:`~sklstm.LSTMRegressor`.
    sklstm.LSTMClassifier : The classifier it adapts.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> from sklstm.aeon import AeonLSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.normal(size=(2, n)) for n in rng.randint(5, 15, size=20)]
    >>> y = np.array([x[0].mean() > 0 for x in X])
    >>> clf = AeonLSTMClassifier(LSTMClassifier(hidden_size=4, max_epochs=3))
    >>> clf.get_tag("capability:unequal_length")
    True
    >>> clf.fit(X, y).predict_proba(X[:3]).shape
    (3, 2)
    """

    _default = LSTMClassifier
    _kind = "classifier"
    _is_kind = staticmethod(is_classifier)

    def _predict_proba(self, X):
        # aeon's classes_ are np.unique(y), the order of sklstm's columns
        return self.estimator_.predict_proba(_to_sklstm(X))


class AeonLSTMRegressor(_Adapter, BaseRegressor):
    """An sklstm regressor as an aeon regressor.

    Takes aeon's collections: a 3-D array ``(n_cases, n_channels,
    n_timepoints)``, a list of ``(n_channels, n_timepoints_i)`` arrays for
    series of different lengths, a 2-D array of univariate series, or a
    multi-index DataFrame. Each series reaches ``estimator`` transposed to
    ``(n_timesteps, n_features)``, series of different lengths at their own
    lengths.

    Parameters
    ----------
    estimator : regressor, default=None
        The regressor to fit, cloned first: an
        :class:`~sklstm.LSTMRegressor` (the default, with its default
        hyperparameters, when None), or a pipeline ending in one.

    Attributes
    ----------
    estimator_ : regressor
        The fitted clone of ``estimator``.

    See Also
    --------
    AeonLSTMClassifier : The adapter of :class:`~sklstm.LSTMClassifier`.
    sklstm.LSTMRegressor : The regressor it adapts.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.aeon import AeonLSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(20, 2, 12))  # (n_cases, n_channels, n_timepoints)
    >>> y = X[:, 0].mean(axis=1)
    >>> reg = AeonLSTMRegressor(LSTMRegressor(hidden_size=4, max_epochs=3))
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _default = LSTMRegressor
    _kind = "regressor"
    _is_kind = staticmethod(is_regressor)
