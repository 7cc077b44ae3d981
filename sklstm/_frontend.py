"""Input front-ends: what turns the raw steps into the LSTM's input steps.

``frontend='none'`` feeds the raw steps to the LSTM. ``'patch'`` cuts each
sequence into patches of ``k`` consecutive steps and embeds each patch with one
linear layer, so the LSTM runs over ``ceil(L / k)`` steps (the segment
embedding of SegRNN, Lin et al. 2023). ``'conv'`` follows the patch embedding
(when ``k > 1``) with the convolutional stack of the fully convolutional
network of Wang et al. (2017), the convolutional branch of LSTM-FCN (Karim et
al. 2017): three convolutions with 8, 5 and 3 taps, each followed by batch
normalisation and a ReLU. The LSTM reads the stack's outputs, and their
average over the real steps (global average pooling) joins the readout.

Exactness on padded batches, the rule of every part of the model:

* a patch is built from its own sequence's steps, zeros after its last real
  step, so a sequence in a padded batch gives the same patches as alone;
* the convolutions are causal (padded on the left), so the output at step
  ``t`` reads steps ``<= t``: never padding, and per-step outputs stay causal;
* batch normalisation computes its statistics over real steps only;
* pooling reads real steps only.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from ._readout import length_mask

FRONTENDS = ("conv", "patch", "none")

# Taps of the three convolutions of the fully convolutional network.
CONV_KERNEL_SIZES = (8, 5, 3)

# patch_length='auto' gives the LSTM about this many steps of the median
# training sequence: long enough to read the shape of a series, short enough
# that fit time hardly grows with the length of the series.
AUTO_PATCH_STEPS = 64


def auto_patch_length(median_length):
    """``patch_length='auto'``: ``ceil(median_length / AUTO_PATCH_STEPS)``."""
    return max(1, math.ceil(median_length / AUTO_PATCH_STEPS))


class MaskedBatchNorm(nn.BatchNorm1d):
    """Batch normalisation of ``(N, C, L)`` over the real steps only.

    In training, the mean and variance of each channel come from the real
    steps of the batch, never from padding; in evaluation the running
    statistics are used, so each sequence is normalised alone.
    """

    def forward(self, x, mask):
        """``mask``: ``(N, L)``, or None when every step is real."""
        if not self.training or mask is None:
            return super().forward(x)
        real = x.transpose(1, 2)[mask]  # (n_real, C)
        if real.shape[0] < 2:
            # one real value per channel has no variance: use the running statistics
            self.eval()
            out = super().forward(x)
            self.train()
            return out
        normalised = super().forward(real)  # updates the running statistics
        out = x.new_zeros(x.shape[0], x.shape[2], x.shape[1])  # (N, L, C)
        out[mask] = normalised
        return out.transpose(1, 2)


class PatchEmbedding(nn.Module):
    """Cut sequences into patches of ``patch_length`` steps and embed each.

    ``(N, L, H_in)`` -> ``(N, ceil(L / k), out_features)``: patch ``p`` holds
    steps ``p*k`` to ``p*k + k - 1``, flattened step by step, with zeros after
    the sequence's last real step.
    """

    def __init__(self, patch_length, in_features, out_features):
        super().__init__()
        self.patch_length = patch_length
        self.linear = nn.Linear(patch_length * in_features, out_features)

    def forward(self, X, lengths):
        k = self.patch_length
        n_samples, n_timesteps, n_features = X.shape
        # padding must not leak into the last patch of a shorter sequence
        X = X.masked_fill(~length_mask(lengths, n_timesteps).unsqueeze(-1), 0.0)
        n_patches = -(-n_timesteps // k)
        X = F.pad(X, (0, 0, 0, n_patches * k - n_timesteps))  # (N, L'*k, H_in)
        patches = X.reshape(n_samples, n_patches, k * n_features)  # (N, L', k*H_in)
        return self.linear(patches), torch.div(lengths + k - 1, k, rounding_mode="floor")


class ConvStack(nn.Module):
    """Causal convolutions, each with masked batch normalisation and a ReLU."""

    def __init__(self, in_features, channels, kernel_sizes=CONV_KERNEL_SIZES):
        super().__init__()
        self.kernel_sizes = kernel_sizes
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        for kernel_size in kernel_sizes:
            # no bias: batch normalisation cancels it, leaving it a zero gradient
            # plus rounding noise, which Adam would turn into full-size steps
            self.convs.append(nn.Conv1d(in_features, channels, kernel_size, bias=False))
            self.norms.append(MaskedBatchNorm(channels))
            in_features = channels

    def forward(self, x, mask):
        """``x`` ``(N, L, C_in)``, ``mask`` ``(N, L)`` -> ``(N, L, C)``, zero at padding."""
        h = x.transpose(1, 2)  # (N, C_in, L)
        norm_mask = None if bool(mask.all()) else mask  # once per batch, not per layer
        for kernel_size, conv, norm in zip(self.kernel_sizes, self.convs, self.norms):
            # left padding only: the output at step t reads steps t-k+1..t
            h = torch.relu(norm(conv(F.pad(h, (kernel_size - 1, 0))), norm_mask))
        return h.transpose(1, 2).masked_fill(~mask.unsqueeze(-1), 0.0)


class FrontEnd(nn.Module):
    """The front-end named by ``frontend``; see the module docstring.

    ``forward(X, lengths)`` returns the LSTM's input ``(N, L', out_features)``,
    its lengths ``(N,)`` and mask ``(N, L')``. ``pooled_features`` is the
    width of what the front-end adds to the readout: its features averaged
    over the real steps (0 for none).
    """

    def __init__(self, kind, *, input_size, patch_length, width):
        super().__init__()
        self.kind = kind
        self.patch_length = patch_length
        self.patch = None
        self.conv = None
        self.out_features = input_size
        if kind == "patch" or (kind == "conv" and patch_length > 1):
            self.patch = PatchEmbedding(patch_length, input_size, width)
            self.out_features = width
        if kind == "conv":
            self.conv = ConvStack(self.out_features, width)
            self.out_features = width
        self.pooled_features = width if kind == "conv" else 0

    def forward(self, X, lengths):
        if self.patch is not None:
            X, lengths = self.patch(X, lengths)
        mask = length_mask(lengths, X.shape[1])
        if self.conv is not None:
            X = self.conv(X, mask)
        return X, lengths, mask

    def spread(self, weights, lengths, n_timesteps):
        """Per-patch values ``(N, L')`` -> per-step ``(N, L)``.

        Each real step gets its patch's value divided by the number of real
        steps in the patch, so weights that sum to 1 over patches sum to 1
        over steps; padded steps get 0.
        """
        if self.patch is None:
            return weights
        k = self.patch_length
        n_patches = weights.shape[1]
        start = torch.arange(n_patches, device=lengths.device) * k  # (L',)
        counts = (lengths[:, None] - start).clamp(0, k).to(weights.dtype)  # (N, L')
        per_step = (weights / counts.clamp(min=1)).repeat_interleave(k, dim=1)[:, :n_timesteps]
        return per_step * length_mask(lengths, n_timesteps).to(weights.dtype)
