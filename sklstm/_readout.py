"""Readouts: from LSTM outputs to one vector per sequence (or per step).

``readout='sequence'`` keeps ``(N, L, features)``; the others give
``(N, features)``.

Every readout sees the same three things and nothing else:

* ``output``: ``(N, L, D*H_out)``, the last layer's output at each step,
  zero at padded steps;
* ``state``: ``(h_n, c_n)``, each ``(D*num_layers, N, H_out)``, the final
  states at each sequence's *own* last step (the backward direction's final
  state is the one after reading step 0);
* ``mask``: ``(N, L)`` bool, True at real (not padded) steps (None for
  ``'last'``, which reads the states only).

So pooling can never see padding, and ``"last"`` never reads ``output[:, -1]``
(which is padding for short sequences and only half the story when
bidirectional).
"""

import torch
from torch import nn

READOUTS = ("last", "mean", "max", "attention", "sequence")
# The readouts that give one vector per sequence, and so can be combined.
POOLING_READOUTS = ("last", "mean", "max", "attention")
STATES = ("hidden", "cell", "both")
LAYERS = ("last", "all")


def length_mask(lengths, max_length):
    """``(N, L)`` bool mask, True where ``t < lengths[n]``."""
    steps = torch.arange(max_length, device=lengths.device)
    return steps < lengths[:, None]


def masked_mean(x, mask):
    """Mean of ``x`` ``(N, L, C)`` over the real steps of ``mask`` ``(N, L)``."""
    weights = mask.unsqueeze(-1).to(x.dtype)  # (N, L, 1)
    return (x * weights).sum(dim=1) / weights.sum(dim=1)


def masked_max(x, mask):
    """Element-wise maximum of ``x`` ``(N, L, C)`` over the real steps of ``mask``."""
    return x.masked_fill(~mask.unsqueeze(-1), float("-inf")).amax(dim=1)


def final_states(h_n, c_n, *, state, layers, num_layers, num_directions):
    """Select and flatten final states: ``(N, n_parts * D * H_out)``.

    Feature order: state (hidden then cell), layer (first to last), direction
    (forward then backward), unit.
    """
    parts = {"hidden": (h_n,), "cell": (c_n,), "both": (h_n, c_n)}[state]
    n_samples = h_n.shape[1]
    flat = []
    for s in parts:
        # (D*num_layers, N, H_out) -> (num_layers, D, N, H_out), as nn.LSTM docs say
        s = s.view(num_layers, num_directions, n_samples, -1)
        if layers == "last":
            s = s[-1:]
        # (layers, D, N, H_out) -> (N, layers*D*H_out)
        flat.append(s.permute(2, 0, 1, 3).reshape(n_samples, -1))
    return torch.cat(flat, dim=1) if len(flat) > 1 else flat[0]


class LastState(nn.Module):
    """``readout='last'``: the final state(s) of each sequence."""

    def __init__(self, *, hidden_size, num_layers, num_directions, state, layers):
        super().__init__()
        self.state, self.layers = state, layers
        self.num_layers, self.num_directions = num_layers, num_directions
        n_parts = (2 if state == "both" else 1) * (num_layers if layers == "all" else 1)
        self.out_features = n_parts * num_directions * hidden_size

    def forward(self, output, state, mask):
        h_n, c_n = state
        return final_states(
            h_n,
            c_n,
            state=self.state,
            layers=self.layers,
            num_layers=self.num_layers,
            num_directions=self.num_directions,
        )


class MeanPool(nn.Module):
    """``readout='mean'``: average of the outputs over real steps."""

    def __init__(self, in_features):
        super().__init__()
        self.out_features = in_features

    def forward(self, output, state, mask):
        return masked_mean(output, mask)


class MaxPool(nn.Module):
    """``readout='max'``: element-wise maximum of the outputs over real steps."""

    def __init__(self, in_features):
        super().__init__()
        self.out_features = in_features

    def forward(self, output, state, mask):
        return masked_max(output, mask)


class AttentionPool(nn.Module):
    """``readout='attention'``: learned softmax weights over real steps.

    ``score_t = v' tanh(W output_t + b)`` (additive attention), softmax over
    the real steps of each sequence, then the weighted sum of the outputs.
    """

    def __init__(self, in_features):
        super().__init__()
        self.out_features = in_features
        self.score = nn.Sequential(
            nn.Linear(in_features, in_features), nn.Tanh(), nn.Linear(in_features, 1, bias=False)
        )

    def weights(self, output, mask):
        """Attention weights ``(N, L)``; zero at padded steps, rows sum to 1."""
        scores = self.score(output).squeeze(-1)  # (N, L)
        return torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)

    def forward(self, output, state, mask):
        weights = self.weights(output, mask)
        return torch.bmm(weights.unsqueeze(1), output).squeeze(1)  # (N, D*H_out)


class StepOutputs(nn.Module):
    """``readout='sequence'``: keep one output per time step, ``(N, L, D*H_out)``.

    Whatever follows (projection, head) acts on each step alone, so with a
    unidirectional LSTM the output at step t depends on steps <= t only.
    """

    def __init__(self, in_features):
        super().__init__()
        self.out_features = in_features

    def forward(self, output, state, mask):
        return output


def readout_parts(readout):
    """The readouts named by ``readout``: ``'last+mean'`` -> ``['last', 'mean']``."""
    return readout.split("+")


class ConcatReadout(nn.Module):
    """Several readouts, concatenated (fastai's concat pooling, generalised)."""

    def __init__(self, parts):
        super().__init__()
        self.parts = nn.ModuleList(parts)
        self.out_features = sum(part.out_features for part in parts)

    def forward(self, output, state, mask):
        return torch.cat([part(output, state, mask) for part in self.parts], dim=-1)


def _make_one_readout(readout, *, hidden_size, num_layers, num_directions, state, layers):
    if readout == "last":
        return LastState(
            hidden_size=hidden_size,
            num_layers=num_layers,
            num_directions=num_directions,
            state=state,
            layers=layers,
        )
    pools = {"mean": MeanPool, "max": MaxPool, "attention": AttentionPool, "sequence": StepOutputs}
    return pools[readout](num_directions * hidden_size)


def make_readout(readout, **params):
    """Build the readout module named by the ``readout`` hyperparameter.

    A combined readout (``'last+mean'``) concatenates its parts in order.
    """
    parts = [_make_one_readout(part, **params) for part in readout_parts(readout)]
    return parts[0] if len(parts) == 1 else ConcatReadout(parts)


def reads_outputs(readout_module):
    """Whether a readout needs the per-step outputs (all but ``'last'`` do)."""
    parts = getattr(readout_module, "parts", [readout_module])
    return not all(isinstance(part, LastState) for part in parts)


def attention_part(readout_module):
    """The attention readout inside ``readout_module``, or None."""
    parts = getattr(readout_module, "parts", [readout_module])
    return next((part for part in parts if isinstance(part, AttentionPool)), None)
