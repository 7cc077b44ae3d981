"""LSTMRegressor."""

import numpy as np
import torch
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from ._base import _BaseLSTM
from ._docstring import fill_doc
from ._loss import ValueLoss
from ._module import LSTMModule
from ._preprocessing import mean_and_scale
from ._validation import check_regression_y, check_step_targets


def regression_spec(y, sequences, name, head_params, *, per_step=False, scaling=None):
    """How to train on continuous targets.

    Targets are standardised per column for training (a recurrent net trains
    poorly on targets of arbitrary scale) and mapped back in ``predict``.
    ``scaling``: the fitted ``(mean, scale)``, kept when training goes on.
    """
    if per_step:
        y = check_step_targets(y, sequences, name, numeric=True)  # (sum(lengths), ...)
    else:
        y = check_regression_y(y, len(sequences), name)
    y2d = y.reshape(len(y), -1)
    if scaling is None:
        mean, scale = mean_and_scale(y2d)
    else:
        mean, scale = scaling
        if y2d.shape[1] != len(mean):
            raise ValueError(
                f"y has {y2d.shape[1]} targets, but {name} was fitted with {len(mean)}."
            )
    scaled = ((y2d - mean) / scale).astype(np.float32)
    if per_step:
        # padded steps are NaN, which ValueLoss leaves out
        y_train, fill_value = sequences.with_values(scaled), np.nan
    else:
        y_train, fill_value = torch.from_numpy(scaled), 0
    return {
        "y": y_train,
        "y_fill_value": fill_value,
        "criterion": ValueLoss,
        "module": LSTMModule,
        "module_params": {"n_outputs": y2d.shape[1], **head_params},
        "fitted": {"_y_mean_": mean, "_y_scale_": scale, "_y_ndim_": y.ndim},
    }


@fill_doc
class LSTMRegressor(RegressorMixin, _BaseLSTM):
    """LSTM regressor for sequences.

    An LSTM encoder reads each sequence, a readout turns its outputs into one
    vector (``readout``, ``state``, ``layers``), and a head maps that vector to
    the target(s), trained with the mean squared error on standardised
    targets (predictions are returned in the original units).

    Parameters
    ----------
    %(encoder_params)s

    %(head_params)s

    %(training_params)s

    Attributes
    ----------
    %(fitted_attributes)s

    See Also
    --------
    LSTMClassifier : The same model for class labels.
    LSTMEncoderTransformer : The encoder alone, as a transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 12, 1)).astype("float32")
    >>> y = X[:, :, 0].sum(axis=1)
    >>> reg = LSTMRegressor(hidden_size=8, max_epochs=5, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    def fit(self, X, y, sample_weight=None):
        """Train the regressor.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values; 2-D for several targets.

        %(sample_weight)s

        Returns
        -------
        self : LSTMRegressor
            The fitted regressor.
        """
        return self._fit(X, y, sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch, from the fitted state if there is one.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values (per step for ``readout='sequence'``). The target
            scaling is computed on the first call and kept.

        %(sample_weight)s

        Returns
        -------
        self : LSTMRegressor
            The regressor, trained for one more epoch.
        """
        return self._fit(X, y, incremental=True, sample_weight=sample_weight)

    def _prepare_fit(self, y, sequences, *, continuing=False, classes=None):
        return regression_spec(
            y,
            sequences,
            type(self).__name__,
            self._head_params(),
            per_step=self._per_step,
            scaling=(self._y_mean_, self._y_scale_) if continuing else None,
        )

    def predict(self, X):
        """Predict the target(s) of each sequence (or of each time step).

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predictions, 1-D when ``y`` was 1-D in ``fit``. With
            ``readout='sequence'``: ``(n_samples, n_timesteps[, n_targets])``,
            or a list of ``(n_timesteps_i[, n_targets])`` arrays for ragged X.
        """
        outputs, sequences = self._run_module(X)
        return self._to_input_layout(self._decode(outputs), sequences)

    def _decode(self, outputs):
        y_pred = outputs.astype(np.float64) * self._y_scale_ + self._y_mean_
        return y_pred.ravel() if self._y_ndim_ == 1 else y_pred

    def score(self, X, y, sample_weight=None):
        """R^2 of the predictions; over all real steps for ``readout='sequence'``.

        Parameters
        ----------
        %(X_predict)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets), or per-step targets
            True values, in the layout ``fit`` takes.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the sequences (each step of a sequence gets its weight).

        Returns
        -------
        score : float
            :func:`~sklearn.metrics.r2_score` of ``predict(X)`` against ``y``.
        """
        if not self._per_step:
            return super().score(X, y, sample_weight=sample_weight)
        return self._step_score(X, y, sample_weight, metric=r2_score, numeric=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    fit = fill_doc(fit)
    partial_fit = fill_doc(partial_fit)
    predict = fill_doc(predict)
    score = fill_doc(score)
