"""LSTMClassifier."""

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from torch import nn

from ._base import _BaseLSTM
from ._docstring import fill_doc
from ._module import LSTMModule, StepCrossEntropyLoss
from ._validation import check_classification_y, check_step_targets, encode_labels


def classification_spec(y, sequences, name, head_params, *, per_step=False, classes=None):
    """How to train on class labels: encoded ``y``, loss and output width.

    ``classes``: all labels, known beforehand (partial_fit, warm starts).
    """
    if per_step:
        labels = check_step_targets(y, sequences, name, numeric=False)
        encoded, classes = encode_labels(labels, name, classes)
        y_train = sequences.with_values(encoded.astype(np.int64))
        criterion, fill_value = StepCrossEntropyLoss, StepCrossEntropyLoss.IGNORE_LABEL
        stratify = None  # labels per step: no class per sequence to stratify on
    else:
        encoded, classes = check_classification_y(y, len(sequences), name, classes)
        y_train = torch.as_tensor(encoded, dtype=torch.long)
        criterion, fill_value = nn.CrossEntropyLoss, 0
        stratify = encoded
    return {
        "y": y_train,
        "y_fill_value": fill_value,
        "stratify": stratify,
        "criterion": criterion,
        "module": LSTMModule,
        "module_params": {"n_outputs": len(classes), **head_params},
        "fitted": {"classes_": classes},
    }


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

    Parameters
    ----------
    %(encoder_params)s

    %(head_params)s

    %(training_params)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``.

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

    def fit(self, X, y):
        """Train the classifier.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,)
            Class labels of any type (ints, strings, ...).

        Returns
        -------
        self : LSTMClassifier
            The fitted classifier.
        """
        return self._fit(X, y)

    def partial_fit(self, X, y, classes=None):
        """Train for one epoch, from the fitted state if there is one.

        Parameters
        ----------
        %(X_fit)s

        y : array-like of shape (n_samples,)
            Class labels (per step for ``readout='sequence'``).

        classes : array-like of shape (n_classes,), default=None
            All the labels ``y`` can take. Required in the first call, as in
            scikit-learn: later batches may lack some classes.

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
        return self._fit(X, y, incremental=True, classes=classes)

    def _prepare_fit(self, y, sequences, *, continuing=False, classes=None):
        if continuing:
            classes = self.classes_
        return classification_spec(
            y,
            sequences,
            type(self).__name__,
            self._head_params(),
            per_step=self._per_step,
            classes=classes,
        )

    def predict_proba(self, X):
        """Class probabilities of each sequence (or of each time step).

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; rows sum to 1. With
            ``readout='sequence'``: ``(n_samples, n_timesteps, n_classes)``, or
            a list of ``(n_timesteps_i, n_classes)`` arrays for ragged X.
        """
        logits, sequences = self._run_module(X)
        return self._to_input_layout(softmax(logits), sequences)

    def predict(self, X):
        """Predict the class of each sequence (or of each time step).

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, of the type seen in ``fit``. With
            ``readout='sequence'``: ``(n_samples, n_timesteps)``, or a list of
            ``(n_timesteps_i,)`` arrays for ragged X.
        """
        logits, sequences = self._run_module(X)
        return self._to_input_layout(self._decode(logits), sequences)

    def _decode(self, logits):
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
        if not self._per_step:
            return super().score(X, y, sample_weight=sample_weight)
        return self._step_score(X, y, sample_weight, metric=accuracy_score, numeric=False)

    fit = fill_doc(fit)
    partial_fit = fill_doc(partial_fit)
    predict_proba = fill_doc(predict_proba)
    predict = fill_doc(predict)
    score = fill_doc(score)
