"""LSTMRegressor."""

from numbers import Real

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from ._base import _ENSEMBLE_CONSTRAINTS, _PRETRAINED_CONSTRAINTS, _BaseLSTM
from ._docstring import fill_doc
from ._loss import VALUE_LOSSES
from ._targets import regression_target
from ._validation import Interval, StrOptions, _fit_context, check_finite_outputs


@fill_doc
class LSTMRegressor(RegressorMixin, _BaseLSTM):
    """LSTM regressor for sequences.

    An LSTM encoder reads each sequence, a readout turns its outputs into one
    vector (``readout``, ``state``, ``layers``), and a head maps that vector to
    the target(s), trained with the mean squared error on standardised
    targets (predictions are returned in the original units); ``loss``
    chooses another loss, including quantiles for prediction intervals.

    The default front-end is ``'patch'``, not the classifier's ``'conv'``:
    on the bundled regression and forecasting sets, batch-normalised
    convolutions forecast the sunspot cycle far worse (the documentation's
    Accuracy page has the ablation).

    Parameters
    ----------
    %(regressor_encoder_params)s

    %(head_params)s

    loss : {'squared_error', 'absolute_error', 'huber', 'quantile'}, \
default='squared_error'
        The training loss, on standardised targets: the mean squared error
        (``predict`` estimates the conditional mean), the absolute error (the
        median), the Huber loss (quadratic within one standard deviation of
        the target, linear beyond: robust to outliers), or the quantile
        (pinball) loss for the quantile ``quantile`` (as
        :class:`~sklearn.ensemble.HistGradientBoostingRegressor` names them).

    quantile : float, default=None
        The quantile, in (0, 1), that ``loss='quantile'`` estimates and
        ``predict`` returns; ignored by the other losses.

    %(ensemble_params)s

    %(pretrained_params)s

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

    _parameter_constraints = {
        **_BaseLSTM._parameter_constraints,
        **_ENSEMBLE_CONSTRAINTS,
        **_PRETRAINED_CONSTRAINTS,
        "loss": [StrOptions(set(VALUE_LOSSES))],
        "quantile": [Interval(Real, 0, 1, closed="neither"), None],
    }

    def __init__(
        self,
        *,
        hidden_size=32,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        cell="lstm",
        readout="last+mean",
        state="hidden",
        layers="last",
        frontend="conv",
        patch_length="auto",
        frontend_width=64,
        input_norm="auto",
        head="linear",
        head_hidden_sizes=(32,),
        head_activation="relu",
        head_dropout=0.0,
        loss="squared_error",
        quantile=None,
        n_networks=1,
        encoder=None,
        freeze_encoder=False,
        max_epochs="auto",
        lr=0.001,
        batch_size="auto",
        optimizer="adam",
        weight_decay=0.0,
        clip_grad_norm=1.0,
        forget_bias=1.0,
        lr_schedule="plateau",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=20,
        tol=1e-3,
        warm_start=False,
        random_state=None,
        device="auto",
        callbacks=None,
        verbose=0,
    ):
        super().__init__(
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            cell=cell,
            readout=readout,
            state=state,
            layers=layers,
            frontend=frontend,
            patch_length=patch_length,
            frontend_width=frontend_width,
            input_norm=input_norm,
            head=head,
            head_hidden_sizes=head_hidden_sizes,
            head_activation=head_activation,
            head_dropout=head_dropout,
            max_epochs=max_epochs,
            lr=lr,
            batch_size=batch_size,
            optimizer=optimizer,
            weight_decay=weight_decay,
            clip_grad_norm=clip_grad_norm,
            forget_bias=forget_bias,
            lr_schedule=lr_schedule,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            warm_start=warm_start,
            random_state=random_state,
            device=device,
            callbacks=callbacks,
            verbose=verbose,
        )
        self.loss = loss
        self.quantile = quantile
        self.n_networks = n_networks
        self.encoder = encoder
        self.freeze_encoder = freeze_encoder

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the regressor.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values; 2-D for several targets. With
            ``readout='sequence'``, one target per time step instead:
            ``(n_samples, n_timesteps)`` or ``(n_samples, n_timesteps,
            n_targets)`` for a 3-D ``X``, or, for a list ``X``, a list with
            one ``(n_timesteps_i,)`` or ``(n_timesteps_i, n_targets)`` array
            per sequence.

        %(sample_weight)s

        Returns
        -------
        self : LSTMRegressor
            The fitted regressor.
        """
        return self._fit(X, y, sample_weight=sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
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
        return regression_target(
            y,
            sequences,
            type(self).__name__,
            self._head_params(),
            per_step=self._per_step,
            scaling=(self._y_mean_, self._y_scale_) if continuing else None,
            loss=self._loss_params(),
            n_networks=self.n_networks,
        )

    def _loss_params(self):
        if self.loss == "quantile" and self.quantile is None:
            raise ValueError(
                f"{type(self).__name__}(loss='quantile') needs the quantile to predict: "
                "pass quantile=<a number in (0, 1)>, e.g. quantile=0.9."
            )
        return {"loss": self.loss, "quantile": self.quantile}

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
            or a list of ``(n_timesteps_i[, n_targets])`` arrays when X is a list.
        """
        outputs, sequences = self._run_module(X)
        check_finite_outputs(outputs, sequences, type(self).__name__)
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
        if not self._fitted_per_step:
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
