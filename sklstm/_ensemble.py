"""``n_networks``: several networks trained side by side, averaged.

Averaging networks that differ only in their random initial weights is the
cheapest reliable gain of deep time-series models on small data:
InceptionTime's five-network ensemble beats a single network on 97 of 128
UCR datasets (Ismail Fawaz et al., "InceptionTime: Finding AlexNet for time
series classification", 2020).

The networks train in one loop, on the same batches, and stay independent:
the loss is the sum of their losses, so each network's gradient is the one it
would get alone; gradient clipping is per network (``_callbacks.ClipGradientNorm``);
Adam keeps per-parameter state; without a validation split each network
keeps the weights of its own epoch of lowest training loss. They share the
data pipeline and the learning rate schedule.
"""

import torch
from torch import nn


def mean_probabilities(outputs):
    """Classifier logits ``(n_networks, ...)`` -> the log of the mean class
    probabilities, whose softmax is the mean of the networks' probabilities."""
    n_networks = torch.tensor(float(len(outputs)), dtype=outputs.dtype)
    return torch.logsumexp(outputs.log_softmax(dim=-1), dim=0) - torch.log(n_networks)


def mean_label_probabilities(outputs):
    """Multilabel logits ``(n_networks, ...)`` -> the logit of each label's mean
    probability, whose sigmoid is the mean of the networks' probabilities."""
    return torch.logit(torch.sigmoid(outputs).mean(dim=0))


def mean_outputs(outputs):
    """Regression outputs ``(n_networks, ...)`` -> their mean."""
    return outputs.mean(dim=0)


# How the outputs of the networks become one prediction.
COMBINE = {
    "probabilities": mean_probabilities,
    "label_probabilities": mean_label_probabilities,
    "mean": mean_outputs,
}


class Ensemble(nn.Module):
    """``n_networks`` modules of class ``module``, built from the same ``params``.

    ``forward`` returns every network's output, stacked on a new first
    dimension ``(n_networks, ...)``, for :class:`EnsembleLoss`; ``predict``
    combines them into the shape one network gives (``combine``: a key of
    ``COMBINE``). The networks are built one after the other from torch's
    random state, so the first has the weights a single network would have.
    """

    def __init__(self, *, module, n_networks, combine, **params):
        super().__init__()
        self.networks = nn.ModuleList(module(**params) for _ in range(n_networks))
        self.combine = combine

    def forward(self, X, lengths):
        return torch.stack([network(X, lengths) for network in self.networks])

    def predict(self, X, lengths):
        return COMBINE[self.combine](self(X, lengths))

    def attention_weights(self, X, lengths):
        """The mean of the networks' attention weights (each sums to 1)."""
        weights = [network.attention_weights(X, lengths) for network in self.networks]
        return torch.stack(weights).mean(dim=0)


class EnsembleLoss(nn.Module):
    """The sum over the networks of ``criterion`` (a class, built with ``params``)."""

    def __init__(self, *, criterion, **params):
        super().__init__()
        self.criterion = criterion(**params)

    def forward(self, y_pred, y_true):
        return network_losses(self, y_pred, y_true).sum()


def network_losses(loss, y_pred, y_true):
    """Each network's loss, ``(n_networks,)``, under an :class:`EnsembleLoss`."""
    return torch.stack([loss.criterion(output, y_true) for output in y_pred.unbind(0)])


def parameter_groups(module):
    """The parameters of each network: one group, unless ``module`` is an Ensemble."""
    if isinstance(module, Ensemble):
        return [list(network.parameters()) for network in module.networks]
    return [list(module.parameters())]
