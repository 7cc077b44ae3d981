"""LSTMClassifier."""

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from torch import nn

from ._base import _BaseLSTM
from ._docstring import fill_doc
from ._module import LSTMModule
from ._validation import check_classification_y


def classification_spec(y, n_samples, name, head_params):
    """How to train on class labels: encoded ``y``, loss and output width."""
    y_encoded, classes = check_classification_y(y, n_samples, name)
    return {
        "y": torch.as_tensor(y_encoded, dtype=torch.long),
        "criterion": nn.CrossEntropyLoss,
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

    def _prepare_fit(self, y, sequences):
        return classification_spec(y, len(sequences), type(self).__name__, self._head_params())

    def predict_proba(self, X):
        """Class probabilities of each sequence.

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; rows sum to 1.
        """
        return softmax(self._run_module(X))

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        %(X_predict)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, of the type seen in ``fit``.
        """
        scores = self._run_module(X)  # checks fitted before classes_ is read
        return self.classes_[np.argmax(scores, axis=1)]

    fit = fill_doc(fit)
    predict_proba = fill_doc(predict_proba)
    predict = fill_doc(predict)
