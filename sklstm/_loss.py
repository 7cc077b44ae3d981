"""The supervised losses: for labels, label sets and values, all weighted.

Targets come one per sequence, ``(N, ...)``, or one per step,
``(N, L, ...)`` for ``readout='sequence'``, where padded steps carry a fill
value (``IGNORE_LABEL`` or NaN) and do not count. A batch's targets are a
dict ``{"target"[, "weight"]}``: ``weight`` ``(N,)`` is the sample weight of
each sequence (times its class weight, for labels), given to each of its
steps. The loss is ``sum(w * loss) / sum(w)`` over the real targets; without
weights, the plain mean.
"""

import torch
from torch import nn

IGNORE_LABEL = -100


def _per_target(weight, like):
    """Weights of the sequences ``(N,)`` broadcast against ``like`` ``(N, [L])``."""
    return weight.view(-1, *([1] * (like.dim() - 1)))


def _weighted_mean(losses, valid, weight):
    """``losses``, ``valid``: ``(N,)`` or ``(N, L)``; ``weight``: ``(N,)``,
    the shape of ``losses``, or None (all ones)."""
    if weight is None:
        weight = valid.to(losses.dtype)
    else:
        if weight.dim() < losses.dim():
            weight = _per_target(weight, losses)
        weight = weight.expand_as(losses) * valid
    return (losses * weight).sum() / weight.sum().clamp(min=torch.finfo(losses.dtype).tiny)


class LabelLoss(nn.Module):
    """Cross-entropy of logits ``(N, [L,] C)`` and labels ``(N, [L])``.

    ``class_weight`` ``(C,)`` multiplies the weight of each target by the
    weight of its class.
    """

    def __init__(self, class_weight=None):
        super().__init__()
        self.register_buffer(
            "class_weight", None if class_weight is None else torch.as_tensor(class_weight)
        )

    def forward(self, y_pred, y_true):
        labels, weight = y_true["target"], y_true.get("weight")
        n_classes = y_pred.shape[-1]
        if weight is None:
            # the same weighted mean, with class weights, in one fused call
            return nn.functional.cross_entropy(
                y_pred.reshape(-1, n_classes),
                labels.reshape(-1),
                weight=self.class_weight,
                ignore_index=IGNORE_LABEL,
            )
        losses = nn.functional.cross_entropy(
            y_pred.reshape(-1, n_classes),
            labels.reshape(-1),
            reduction="none",
            ignore_index=IGNORE_LABEL,
        ).view(labels.shape)
        valid = labels != IGNORE_LABEL
        if self.class_weight is not None:
            # per-target weights: (N, [L]); padded labels read class 0, masked anyway
            weight = _per_target(weight, labels) * self.class_weight[labels.clamp(min=0)]
        return _weighted_mean(losses, valid, weight)


class LabelSetLoss(nn.Module):
    """Multilabel: binary cross-entropy of logits ``(N, C)`` against a 0/1
    indicator ``(N, C)``, averaged over the labels, one sigmoid per label."""

    def forward(self, y_pred, y_true):
        target, weight = y_true["target"], y_true.get("weight")
        losses = nn.functional.binary_cross_entropy_with_logits(
            y_pred, target.to(y_pred.dtype), reduction="none"
        ).mean(dim=-1)  # (N,)
        return _weighted_mean(losses, torch.ones_like(losses, dtype=torch.bool), weight)


def _pinball(diff, quantile):
    """Quantile loss of ``diff = y_pred - y_true``: under-prediction costs
    ``quantile``, over-prediction ``1 - quantile``."""
    return torch.maximum(-quantile * diff, (1 - quantile) * diff)


# elementwise losses of y_pred - y_true, in the units of the standardised targets
VALUE_LOSSES = {
    "squared_error": lambda diff, quantile: diff.pow(2),
    "absolute_error": lambda diff, quantile: diff.abs(),
    "huber": lambda diff, quantile: nn.functional.huber_loss(
        diff, torch.zeros_like(diff), reduction="none", delta=1.0
    ),
    "quantile": _pinball,
}


class ValueLoss(nn.Module):
    """A regression loss of ``(N, [L,] T)`` outputs; NaN targets are padding.

    ``loss``: a key of ``VALUE_LOSSES`` (squared error by default; ``huber``
    is quadratic within one unit, one standard deviation of the target, and
    linear beyond); ``quantile``: the quantile of ``loss='quantile'``.
    """

    def __init__(self, loss="squared_error", quantile=None):
        super().__init__()
        self.loss = loss
        self.quantile = quantile

    def forward(self, y_pred, y_true):
        target, weight = y_true["target"], y_true.get("weight")
        valid_steps = ~torch.isnan(target)
        # where(), not masking after the fact: NaN must not reach the gradient
        diff = torch.where(valid_steps, y_pred - target, torch.zeros_like(y_pred))
        losses = VALUE_LOSSES[self.loss](diff, self.quantile)
        losses = losses.mean(dim=-1)  # mean over targets: (N,) or (N, L)
        return _weighted_mean(losses, valid_steps.all(dim=-1), weight)
