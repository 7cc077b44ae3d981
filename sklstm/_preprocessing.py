"""SequenceScaler: per-feature standardisation over all time steps."""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._docstring import fill_doc
from ._validation import _fit_context, check_sequences, check_table_output, set_fitted


def mean_and_scale(values):
    """Per-column mean and standard deviation of ``values`` ``(n, d)``, in
    float64; a standard deviation of 0 becomes 1, so constant columns are
    left unscaled (as in sklearn's StandardScaler)."""
    mean = values.mean(axis=0, dtype=np.float64)
    scale = values.std(axis=0, dtype=np.float64)
    scale[scale == 0] = 1.0
    return mean, scale


@fill_doc
class SequenceScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise each feature over all time steps of all sequences.

    scikit-learn's :class:`~sklearn.preprocessing.StandardScaler` on a 2-D view
    scales each *time step* separately and cannot take 3-D or variable-length
    input. ``SequenceScaler`` computes one mean and one standard deviation per
    feature, over every real time step of every sequence (padding never
    counts), which is what an LSTM wants: the same scaling at every step, for
    sequences of any length. Put it before an LSTM estimator in a
    :class:`~sklearn.pipeline.Pipeline`.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean of each feature.

    with_std : bool, default=True
        Divide by the standard deviation of each feature (features with zero
        variance are left unscaled).

    Attributes
    ----------
    mean_ : ndarray of shape (n_step_features,) or None
        Mean of each feature over all time steps (None if not ``with_mean``).

    scale_ : ndarray of shape (n_step_features,) or None
        Standard deviation of each feature (None if not ``with_std``).

    n_features_in_ : int
        Number of features per time step for 3-D or list input; number of
        columns (time steps) for a 2-D table of univariate sequences.

    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names, when ``X`` was a DataFrame with string column names.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : Scales each column of a table.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SequenceScaler
    >>> X = [np.array([[1.0, 10.0], [3.0, 30.0]]), np.array([[5.0, 50.0]])]
    >>> scaler = SequenceScaler().fit(X)
    >>> scaler.mean_
    array([ 3., 30.])
    >>> X_scaled = scaler.transform(X)  # a list in, a list out
    >>> np.vstack(X_scaled).round(3)
    array([[-1.225, -1.225],
           [ 0.   ,  0.   ],
           [ 1.225,  1.225]], dtype=float32)
    """

    _parameter_constraints = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the mean and standard deviation of each feature.

        Parameters
        ----------
        %(X_fit)s

        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
            The fitted scaler.
        """
        sequences, fitted = check_sequences(self, X, reset=True)
        mean, scale = mean_and_scale(sequences.flat_values())  # over all real steps
        set_fitted(self, fitted)
        self.mean_ = mean if self.with_mean else None
        self.scale_ = scale if self.with_std else None
        return self

    def _apply(self, X, fn):
        check_is_fitted(self)
        sequences, _ = check_sequences(self, X, reset=False)
        steps = fn(sequences.flat_values().astype(np.float64)).astype(np.float32)
        # a 2-D table comes back as a table
        return sequences.with_values(steps, table=sequences.table).to_layout()

    def transform(self, X):
        """Standardise ``X``, in the layout it came in.

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        X_scaled : ndarray or list of ndarray
            Same layout as ``X`` (3-D array, 2-D table or list), float32.
        """

        def scale(steps):
            if self.mean_ is not None:
                steps = steps - self.mean_
            return steps if self.scale_ is None else steps / self.scale_

        return check_table_output(self._apply(X, scale), self)

    def inverse_transform(self, X):
        """Undo :meth:`transform`.

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        X_original : ndarray or list of ndarray
            Same layout as ``X``, float32.
        """

        def unscale(steps):
            if self.scale_ is not None:
                steps = steps * self.scale_
            return steps if self.mean_ is None else steps + self.mean_

        return self._apply(X, unscale)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    fit = fill_doc(fit)
    transform = fill_doc(transform)
    inverse_transform = fill_doc(inverse_transform)
