"""Whether a fit learned anything from ``X``.

The reference is the loss of the best model that ignores ``X``: a constant
output (the class frequencies, each label's frequency, the target's mean,
median or quantile), on the training targets as the network's loss reads
them (standardised, for regression). A network whose best training loss
stays near it has learned next to nothing, as scikit-learn's MLP says of a
fit that did not converge; the warning names what to try.
"""

import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning

from ._loss import VALUE_LOSSES

# A best training loss above this fraction of the constant model's loss is
# "next to nothing": a tenth of the way from chance to a perfect fit.
LEARNED_NOTHING_FRACTION = 0.9


def _entropy(weights):
    p = np.asarray(weights, dtype=np.float64)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log(p)).sum())


def label_null_loss(encoded, n_classes, class_weight=None):
    """Cross-entropy of the best constant output for labels ``0..n_classes-1``
    (``encoded``, padding removed): the entropy of the (class-weighted)
    class frequencies."""
    counts = np.bincount(np.ravel(encoded), minlength=n_classes).astype(np.float64)
    if class_weight is not None:
        counts = counts * np.asarray(class_weight, dtype=np.float64)
    return _entropy(counts)


def label_set_null_loss(indicator):
    """Binary cross-entropy of each label's frequency, averaged over labels."""
    freq = np.asarray(indicator, dtype=np.float64).mean(axis=0)
    return float(np.mean([_entropy([f, 1 - f]) for f in freq]))


def value_null_loss(scaled, loss="squared_error", quantile=None):
    """The loss of the best constant for each target column of ``scaled``
    ``(n, T)``: its mean for squared error, else its median (its quantile
    for ``loss='quantile'``), averaged over columns."""
    scaled = np.asarray(scaled, dtype=np.float64)
    if loss == "squared_error":
        constant = scaled.mean(axis=0)
    else:
        constant = np.quantile(scaled, 0.5 if quantile is None else quantile, axis=0)
    diff = torch.from_numpy(constant - scaled)
    return float(VALUE_LOSSES[loss](diff, quantile).mean())


def warn_if_learned_nothing(name, loss_curve, null_loss):
    """A ``ConvergenceWarning`` when the best training loss of ``loss_curve``
    is above ``LEARNED_NOTHING_FRACTION`` of ``null_loss``."""
    if null_loss is None or null_loss <= 0 or not loss_curve:
        return
    best = min(loss_curve)
    if best > LEARNED_NOTHING_FRACTION * null_loss:
        warnings.warn(
            f"{name} learned next to nothing: its best training loss, {best:.4g}, is "
            f"{best / null_loss:.0%} of the {null_loss:.4g} of a model that ignores X "
            "(a constant output). Check that X carries the signal; scale X "
            "(SequenceScaler), or set input_norm='both' when sequences differ in "
            "level or scale; train longer or faster (max_epochs, lr, and a larger "
            "n_iter_no_change if training stopped on a plateau); or try "
            "frontend='patch' for long sequences.",
            ConvergenceWarning,
            stacklevel=3,
        )
