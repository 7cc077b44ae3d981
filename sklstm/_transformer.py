"""LSTMEncoderTransformer."""

import dataclasses
from numbers import Integral

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.multiclass import type_of_target

from ._base import _BaseLSTM
from ._docstring import fill_doc
from ._targets import (
    autoencoder_target,
    classification_target,
    contrastive_target,
    regression_target,
)
from ._validation import Interval, StrOptions, _fit_context, check_table_output

# the objectives that train without labels
_WITHOUT_LABELS = ("contrastive", "autoencoder")

# The temporary head of supervised training is a plain linear layer: the
# encoder, not the head, must do the work that later models rely on.
_TEMPORARY_HEAD = {
    "head": "linear",
    "head_hidden_sizes": (),
    "head_activation": "relu",
    "head_dropout": 0.0,
}


@fill_doc
class LSTMEncoderTransformer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, _BaseLSTM):
    """LSTM encoder as a transformer: one feature vector per sequence.

    ``transform`` returns the readout of a trained LSTM encoder, optionally
    projected by a learned linear layer to ``n_components`` features, so a
    sequence model can feed any scikit-learn estimator in a ``Pipeline``.

    The encoder is trained in ``fit``:

    - ``fit(X, y)`` trains it supervised, through a temporary linear head that
      is then discarded: classification (cross-entropy) for class labels,
      regression (mean squared error on standardised targets) otherwise;
    - ``fit(X)`` trains it self-supervised, without labels, on a contrastive
      objective: two random crops of a sequence must encode alike and unlike
      the crops of the other sequences in the batch. With
      ``readout='sequence'``, or ``objective='autoencoder'``, it trains a
      sequence autoencoder instead: a decoder LSTM must reconstruct each
      (standardised) sequence from its encoding alone (per step: each step's
      output predicts the next step).

    Parameters
    ----------
    n_components : int, default=None
        Width of the output. None returns the readout itself, of width
        ``hidden_size`` x (2 if ``state='both'``) x (``num_layers`` if
        ``layers='all'``) x (2 if bidirectional) for ``readout='last'``, and
        ``hidden_size`` x (2 if bidirectional) for the pooling readouts.

    objective : {'auto', 'classification', 'regression', 'contrastive', \
'autoencoder'}, default='auto'
        What ``fit`` trains the encoder on. ``'auto'``: when ``y`` is None,
        ``'contrastive'`` (``'autoencoder'`` for ``readout='sequence'``);
        otherwise classification when ``y`` holds class labels (binary or
        multiclass in the sense of :func:`~sklearn.utils.multiclass.type_of_target`),
        else regression. ``'contrastive'``: random crops of at least half of
        each sequence, encoded and compared through a projection head that
        is dropped after training, with SimCLR's NT-Xent loss (temperature
        0.2); the crops follow T-Loss (Franceschi et al. 2019). It needs a
        readout of one vector per sequence. Its ``batch_size='auto'`` is
        every training sequence up to 64 (the other sequences of a batch
        are what a crop must be told apart from), and its
        ``max_epochs='auto'`` about 500 updates within 10 to 100 epochs.
        ``'autoencoder'``: see above. The documentation's Accuracy page
        compares them.

    %(encoder_params)s

    %(training_params)s

    Attributes
    ----------
    n_components_ : int
        Number of output features of ``transform``.

    objective_ : str
        The objective ``fit`` trained on.

    classes_ : ndarray of shape (n_classes,)
        Class labels, when trained for classification.

    %(fitted_attributes)s

    See Also
    --------
    LSTMClassifier : Classifier with the same encoder.
    LSTMRegressor : Regressor with the same encoder.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMEncoderTransformer
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 12, 2)).astype("float32")
    >>> enc = LSTMEncoderTransformer(n_components=4, max_epochs=2, random_state=0)
    >>> enc.fit_transform(X).shape
    (40, 4)
    """

    _parameter_constraints = {
        **{k: v for k, v in _BaseLSTM._parameter_constraints.items() if not k.startswith("head")},
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "objective": [
            StrOptions({"auto", "classification", "regression", "autoencoder", "contrastive"})
        ],
    }

    def __init__(
        self,
        *,
        n_components=None,
        objective="auto",
        hidden_size=32,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        cell="lstm",
        readout="last",
        state="hidden",
        layers="last",
        frontend="conv",
        patch_length="auto",
        frontend_width=64,
        input_norm="none",
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
        self.n_components = n_components
        self.objective = objective

    def _head_params(self):
        return dict(_TEMPORARY_HEAD)

    def _resolve_objective(self, y):
        if self.objective != "auto":
            return self.objective
        if y is None:
            # the contrastive objective compares one vector per sequence
            return "autoencoder" if self._per_step else "contrastive"
        if self._per_step:
            # per-step targets: the kind of target is that of the steps
            y = (
                np.concatenate([np.ravel(v) for v in y])
                if isinstance(y, (list, tuple))
                else np.ravel(y)
            )
        kinds = ("binary", "multiclass", *(() if self._per_step else ("multilabel-indicator",)))
        if type_of_target(y, input_name="y") in kinds:
            return "classification"
        return "regression"

    def _prepare_fit(self, y, sequences, *, continuing=False, classes=None):
        objective = self.objective_ if continuing else self._resolve_objective(y)
        if continuing and y is not None and objective in _WITHOUT_LABELS:
            raise ValueError(
                f"{type(self).__name__} was fitted without labels (objective_={objective!r}), "
                "and training that goes on keeps its objective, so it cannot use y. Pass "
                "X alone, or fit(X, y) a new encoder (warm_start=False) to train on y."
            )
        target = self._objective_target(
            objective, y, sequences, continuing=continuing, classes=classes
        )
        return dataclasses.replace(
            target,
            module_params={**target.module_params, "n_components": self.n_components},
            fitted={**target.fitted, "objective_": objective},
        )

    def _objective_target(self, objective, y, sequences, *, continuing, classes):
        """The training target of ``objective``, before ``n_components``."""
        name = type(self).__name__
        if objective == "classification":
            return classification_target(
                y,
                sequences,
                name,
                self._head_params(),
                per_step=self._per_step,
                classes=self.classes_ if continuing else classes,
            )
        if objective == "regression":
            return regression_target(
                y,
                sequences,
                name,
                self._head_params(),
                per_step=self._per_step,
                scaling=(self._y_mean_, self._y_scale_) if continuing else None,
            )
        if objective == "autoencoder":
            return autoencoder_target(sequences)
        if self._per_step:
            raise ValueError(
                f"{name} cannot train objective='contrastive' with "
                "readout='sequence': it compares one vector per sequence. Use "
                "objective='autoencoder' (each step predicts the next), or a "
                "readout of one vector per sequence."
            )
        return contrastive_target()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the encoder, supervised with ``y`` or self-supervised without.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            Targets for supervised training; None trains without labels (see
            ``objective``). With ``readout='sequence'``, one label or target
            per time step, in the layouts :meth:`LSTMClassifier.fit
            <sklstm.LSTMClassifier.fit>` and :meth:`LSTMRegressor.fit
            <sklstm.LSTMRegressor.fit>` take.

        Returns
        -------
        self : LSTMEncoderTransformer
            The fitted transformer.
        """
        return self._fit(X, y)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, classes=None):
        """Train for one epoch, from the fitted state if there is one.

        The objective is chosen in the first call, as in :meth:`fit`; so are
        the statistics the autoencoder standardises its targets with.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
            Targets for supervised training; None trains without labels. An
            encoder set to an objective without labels (``'contrastive'``,
            ``'autoencoder'``) refuses y, where :meth:`fit` ignores it.

        classes : array-like of shape (n_classes,), default=None
            All the labels ``y`` can take, for the classification objective,
            in the first call: later batches may lack some classes. None takes
            the labels of the first call's ``y`` (scikit-learn's transformers
            take no ``classes``); a later label outside them is an error.

        Returns
        -------
        self : LSTMEncoderTransformer
            The transformer, trained for one more epoch.
        """
        if y is not None and not hasattr(self, "objective_"):
            self._check_objective_takes_labels()
        return self._fit(X, y, incremental=True, classes=classes)

    def _check_objective_takes_labels(self):
        """partial_fit's y on a first call: an objective without labels would
        ignore it. (``fit`` ignores it, as scikit-learn's unsupervised
        transformers do, since a Pipeline passes y to every step.)"""
        if self.objective in _WITHOUT_LABELS:
            raise ValueError(
                f"{type(self).__name__}(objective={self.objective!r}) trains without "
                "labels, so partial_fit cannot use y. Pass X alone, or set "
                "objective='auto' (or 'classification' or 'regression') to train on y."
            )

    def _fit(self, X, y, **kwargs):
        super()._fit(X, y, **kwargs)
        self.n_components_ = self.net_.module_.encode_width
        return self

    def transform(self, X):
        """Encode each sequence as a vector of ``n_components_`` features.

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        X_new : ndarray of shape (n_samples, ``n_components_``)
            The encodings, float32. With ``readout='sequence'``:
            ``(n_samples, n_timesteps, n_components_)``, or a list of
            ``(n_timesteps_i, n_components_)`` arrays when X is a list.
        """
        encodings, sequences = self._run_module(X, method="encode")
        return check_table_output(self._to_input_layout(encodings, sequences), self)

    @property
    def _n_features_out(self):
        return self.n_components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The network computes in float32 whatever the input dtype.
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    fit = fill_doc(fit)
    partial_fit = fill_doc(partial_fit)
    transform = fill_doc(transform)
