"""LSTMClassifier."""

from numbers import Real

import numpy as np
from scipy.special import expit
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score

from ._base import _ENSEMBLE_CONSTRAINTS, _PRETRAINED_CONSTRAINTS, _BaseLSTM
from ._docstring import fill_doc
from ._targets import classification_target
from ._validation import Interval, StrOptions, _fit_context, check_finite_outputs


def softmax(logits):
    """Row-wise softmax in float64, so rows sum to 1 to machine precision."""
    logits = logits.astype(np.float64)
    logits -= logits.max(axis=1, keepdims=True)
    proba = np.exp(logits)
    return proba / proba.sum(axis=1, keepdims=True)


@fill_doc
class LSTMClassifier(ClassifierMixin, _BaseLSTM):
    """LSTM classifier for sequences.

    An LSTM encoder reads each sequence, a readout turns its outputs into one
    vector (``readout``, ``state``, ``layers``), and a head maps that vector to
    class scores, trained with cross-entropy.

    The default readout is ``'last+mean'``, the final state next to the
    average output, which classified better than ``'last'`` alone on the
    bundled datasets, and the default ``weight_decay='auto'`` puts a small L2
    penalty on a network with a front-end (the documentation's Accuracy page
    has the ablation of both).

    Parameters
    ----------
    %(classifier_encoder_params)s

    %(head_params)s

    %(ensemble_params)s

    %(pretrained_params)s

    %(classifier_training_params)s

    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes in the loss, ``{label: weight}``; ``'balanced'``
        weighs each class inversely to its frequency in ``y``, as in
        scikit-learn. Multiplies ``sample_weight``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``; ``0, ..., n_labels - 1`` for a
        multilabel ``y``, as in :class:`~sklearn.neural_network.MLPClassifier`.

    %(fitted_attributes)s

    See Also
    --------
    LSTMRegressor : The same model for continuous targets.
    LSTMEncoderTransformer : The encoder alone, as a transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 12, 2)).astype("float32")
    >>> y = np.where(X[:, :6, 0].sum(axis=1) > X[:, 6:, 0].sum(axis=1), "early", "late")
    >>> clf = LSTMClassifier(hidden_size=8, max_epochs=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    >>> clf.predict_proba(X[:3]).sum(axis=1).round(6)
    array([1., 1., 1.])
    """

    _parameter_constraints = {
        **_BaseLSTM._parameter_constraints,
        **_ENSEMBLE_CONSTRAINTS,
        **_PRETRAINED_CONSTRAINTS,
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "weight_decay": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
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
        n_networks=1,
        encoder=None,
        freeze_encoder=False,
        max_epochs="auto",
        lr=0.001,
        batch_size="auto",
        optimizer="adam",
        weight_decay="auto",
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
        class_weight=None,
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
        self.n_networks = n_networks
        self.encoder = encoder
        self.freeze_encoder = freeze_encoder
        self.class_weight = class_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train the classifier.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels of any type (ints, strings, ...), or a 0/1
            indicator matrix for multilabel classification (one independent
            sigmoid output per label, as in
            :class:`~sklearn.neural_network.MLPClassifier`). With
            ``readout='sequence'``, one label per time step instead:
            ``(n_samples, n_timesteps)`` for a 3-D ``X``, or, for a list
            ``X``, a list with one ``(n_timesteps_i,)`` array of labels per
            sequence.

        %(sample_weight)s

        Returns
        -------
        self : LSTMClassifier
            The fitted classifier.
        """
        return self._fit(X, y, sample_weight=sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch, from the fitted state if there is one.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (per step for ``readout='sequence'``), or a 0/1
            multilabel indicator.

        classes : array-like of shape (n_classes,), default=None
            All the labels ``y`` can take. Required in the first call, as in
            scikit-learn: later batches may lack some classes.

        %(sample_weight)s

        Returns
        -------
        self : LSTMClassifier
            The classifier, trained for one more epoch.
        """
        if not hasattr(self, "net_") and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: all the "
                "labels y can take, e.g. classes=np.unique(y_all)."
            )
        return self._fit(X, y, incremental=True, classes=classes, sample_weight=sample_weight)

    def _prepare_fit(self, y, sequences, *, continuing=False, classes=None):
        if continuing:
            if classes is not None and not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(
                    f"partial_fit got classes={np.unique(classes).tolist()}, but this "
                    f"{type(self).__name__} was fitted with classes_={self.classes_.tolist()}: "
                    "the output layer has one unit per class, so the classes cannot "
                    "change. Pass the same classes, or call fit to train a new network."
                )
            classes = self.classes_
        target = classification_target(
            y,
            sequences,
            type(self).__name__,
            self._head_params(),
            per_step=self._per_step,
            classes=classes,
            class_weight=self.class_weight,
            n_networks=self.n_networks,
        )
        multilabel = target.fitted["_multilabel_"]
        if continuing and multilabel != self._is_multilabel:
            raise ValueError(
                f"{type(self).__name__} was fitted on "
                + ("a multilabel indicator" if self._is_multilabel else "class labels")
                + " and training that goes on cannot switch to "
                + ("a multilabel indicator." if multilabel else "class labels.")
            )
        return target

    @property
    def _is_multilabel(self):
        return getattr(self, "_multilabel_", False)

    def predict_proba(self, X):
        """Class probabilities of each sequence (or of each time step).

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; rows sum to 1. For a
            multilabel model, the probability of each label, independently. With
            ``readout='sequence'``: ``(n_samples, n_timesteps, n_classes)``, or
            a list of ``(n_timesteps_i, n_classes)`` arrays when X is a list.
        """
        logits, sequences = self._run_module(X)
        check_finite_outputs(logits, sequences, type(self).__name__)
        if self._is_multilabel:
            return expit(logits.astype(np.float64))
        return self._to_input_layout(softmax(logits), sequences)

    def predict(self, X):
        """Predict the class of each sequence (or of each time step).

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted labels, of the type seen in ``fit``; for a multilabel
            model, the 0/1 indicator of the labels whose probability is above
            1/2. With
            ``readout='sequence'``: ``(n_samples, n_timesteps)``, or a list of
            ``(n_timesteps_i,)`` arrays when X is a list.
        """
        logits, sequences = self._run_module(X)
        check_finite_outputs(logits, sequences, type(self).__name__)
        return self._to_input_layout(self._decode(logits), sequences)

    def _decode(self, logits):
        if self._is_multilabel:
            return (logits > 0).astype(np.int64)  # a probability above 1/2
        return self.classes_[np.argmax(logits, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy; per time step over real steps for ``readout='sequence'``.

        Parameters
        ----------
        %(X_predict)s

        y : array-like of shape (n_samples,) or per-step labels
            True labels, in the layout ``fit`` takes.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the sequences (each step of a sequence gets its weight).

        Returns
        -------
        score : float
            Accuracy of ``predict(X)`` against ``y``.
        """
        if not self._fitted_per_step:
            return super().score(X, y, sample_weight=sample_weight)
        return self._step_score(X, y, sample_weight, metric=accuracy_score, numeric=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    fit = fill_doc(fit)
    partial_fit = fill_doc(partial_fit)
    predict_proba = fill_doc(predict_proba)
    predict = fill_doc(predict)
    score = fill_doc(score)
