"""How each task trains: its targets as the network reads them, its loss,
its module and what fitting it sets on the estimator.

One builder per task (classification, multilabel, regression, contrastive,
autoencoder) checks and encodes ``y`` and returns a :class:`TrainingTarget`;
``_BaseLSTM._fit`` trains on whatever target it is given. The estimators
choose the builder and adjust what it returns with
:func:`dataclasses.replace`, never in place.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import torch

from ._budget import CONTRASTIVE_BUDGET, SUPERVISED_BUDGET, TrainingBudget
from ._contrastive import ContrastiveEncoder, ContrastiveLoss
from ._convergence import label_null_loss, label_set_null_loss, value_null_loss
from ._loss import IGNORE_LABEL, LabelLoss, LabelSetLoss, ValueLoss
from ._module import LSTMModule, ReconstructionLoss, SequenceAutoencoder
from ._preprocessing import mean_and_scale
from ._validation import (
    check_class_weight,
    check_classification_y,
    check_multilabel_y,
    check_not_step_targets,
    check_regression_y,
    check_step_targets,
    encode_labels,
    is_multilabel,
)

# read-only as well, so that nothing changes a target once it is built
_MAPPINGS = ("module_params", "criterion_params", "fitted")


# compared by identity: tensors and arrays have no single truth value
@dataclass(frozen=True, eq=False)
class TrainingTarget:
    """What one fit trains on, and how.

    Parameters
    ----------
    y : torch.Tensor, Sequences or None
        The encoded targets: one row per sequence, per-step ``Sequences`` for
        ``readout='sequence'``, or None for the objectives without labels.
    criterion : type
        The loss class.
    module : type
        The network class; several networks of it are an ``Ensemble``.
    module_params : mapping, default={}
        Constructor arguments of ``module`` beside the encoder's, e.g.
        ``n_outputs`` and the head.
    fitted : mapping, default={}
        The attributes the fit sets on the estimator, e.g. ``classes_`` or the
        target scaling that ``predict`` undoes.
    y_fill_value : float, default=0
        The value of padded steps in per-step targets, which the loss ignores
        (``IGNORE_LABEL`` for labels, NaN for values).
    stratify : ndarray or None, default=None
        The label of each sequence, for a stratified early-stopping split;
        None splits at random.
    criterion_params : mapping, default={}
        Constructor arguments of ``criterion``, e.g. class weights.
    null_loss : float or None, default=None
        The loss of a model that ignores ``X``: a fit whose best training
        loss stays near it has learned next to nothing. None where there is no
        such reference (no labels).
    budget : TrainingBudget, default=SUPERVISED_BUDGET
        What ``batch_size='auto'`` and ``max_epochs='auto'`` resolve to.
    n_networks : int, default=1
        The number of independent networks trained side by side.
    combine : str or None, default=None
        How an ensemble of networks combines their outputs (see
        ``Ensemble``); read only when ``n_networks > 1``.
    """

    y: object
    criterion: type
    module: type
    module_params: Mapping = field(default_factory=dict)
    fitted: Mapping = field(default_factory=dict)
    y_fill_value: float = 0
    stratify: np.ndarray | None = None
    criterion_params: Mapping = field(default_factory=dict)
    null_loss: float | None = None
    budget: TrainingBudget = SUPERVISED_BUDGET
    n_networks: int = 1
    combine: str | None = None

    def __post_init__(self):
        for name in _MAPPINGS:
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


def multilabel_target(
    y, sequences, name, head_params, *, classes=None, class_weight=None, n_networks=1
):
    """A 0/1 indicator of labels: one sigmoid output per label, as
    ``MLPClassifier`` does; ``classes_`` is ``0..n_labels-1``."""
    if class_weight is not None:
        raise ValueError(
            f"{name} does not support class_weight with multilabel y (a 2-D 0/1 "
            "indicator); weigh the sequences with sample_weight instead."
        )
    n_labels = None if classes is None else len(classes)
    indicator = check_multilabel_y(y, len(sequences), name, n_labels)
    return TrainingTarget(
        y=torch.from_numpy(indicator),
        criterion=LabelSetLoss,
        module=LSTMModule,
        module_params={"n_outputs": indicator.shape[1], **head_params},
        fitted={"classes_": np.arange(indicator.shape[1]), "_multilabel_": True},
        null_loss=label_set_null_loss(indicator),
        n_networks=n_networks,
        combine="label_probabilities",
    )


def classification_target(
    y,
    sequences,
    name,
    head_params,
    *,
    per_step=False,
    classes=None,
    class_weight=None,
    n_networks=1,
):
    """Class labels (or a multilabel indicator): encoded ``y``, loss and
    output width.

    ``classes``: all labels, known beforehand (partial_fit, warm starts).
    """
    if not per_step:
        check_not_step_targets(y, sequences, name)
    if not per_step and is_multilabel(y):
        return multilabel_target(
            y,
            sequences,
            name,
            head_params,
            classes=classes,
            class_weight=class_weight,
            n_networks=n_networks,
        )
    if per_step:
        labels = check_step_targets(y, sequences, name, numeric=False)
        encoded, classes = encode_labels(labels, name, classes)
        y_train = sequences.with_values(encoded.astype(np.int64))
        fill_value = IGNORE_LABEL
        stratify = None  # labels per step: no class per sequence to stratify on
    else:
        encoded, classes = check_classification_y(y, len(sequences), name, classes)
        y_train = torch.as_tensor(encoded, dtype=torch.long)
        fill_value = 0
        stratify = encoded
    weights = check_class_weight(class_weight, classes, encoded, name)
    return TrainingTarget(
        y=y_train,
        criterion=LabelLoss,
        module=LSTMModule,
        module_params={"n_outputs": len(classes), **head_params},
        fitted={"classes_": classes, "_multilabel_": False},
        y_fill_value=fill_value,
        stratify=stratify,
        criterion_params={"class_weight": weights},
        null_loss=label_null_loss(encoded, len(classes), weights),
        n_networks=n_networks,
        combine="probabilities",
    )


def regression_target(
    y, sequences, name, head_params, *, per_step=False, scaling=None, loss=None, n_networks=1
):
    """Continuous targets.

    Targets are standardised per column for training (a recurrent net trains
    poorly on targets of arbitrary scale) and mapped back in ``predict``: an
    affine map with a positive scale, so a quantile of the standardised
    target maps to the same quantile of the target. ``scaling``: the fitted
    ``(mean, scale)``, kept when training goes on. ``loss``: the arguments
    of ``ValueLoss`` (squared error when None).
    """
    if per_step:
        y = check_step_targets(y, sequences, name, numeric=True)  # (sum(lengths), ...)
    else:
        check_not_step_targets(y, sequences, name)
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
    return TrainingTarget(
        y=y_train,
        criterion=ValueLoss,
        module=LSTMModule,
        module_params={"n_outputs": y2d.shape[1], **head_params},
        fitted={"_y_mean_": mean, "_y_scale_": scale, "_y_ndim_": y.ndim},
        y_fill_value=fill_value,
        criterion_params=loss or {},
        null_loss=value_null_loss(scaled, **(loss or {})),
        n_networks=n_networks,
        combine="mean",
    )


def contrastive_target():
    """No labels: random crops of a sequence must encode alike and unlike
    the other sequences' crops, on the contrastive objective's budget."""
    return TrainingTarget(
        y=None,
        criterion=ContrastiveLoss,
        module=ContrastiveEncoder,
        budget=CONTRASTIVE_BUDGET,
    )


def autoencoder_target(sequences):
    """No labels: a decoder reconstructs each sequence, standardised by the
    statistics of ``sequences`` over all real steps, from its encoding."""
    mean, scale = mean_and_scale(sequences.flat_values())
    return TrainingTarget(
        y=None,
        criterion=ReconstructionLoss,
        module=SequenceAutoencoder,
        module_params={
            "feature_mean": mean.astype(np.float32),
            "feature_scale": scale.astype(np.float32),
        },
    )
