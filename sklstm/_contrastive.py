"""A contrastive objective for training the encoder without labels.

Two random crops (contiguous subsequences) of the same sequence should encode
alike, and unlike the crops of the other sequences in the batch. The crops
follow T-Loss's subseries sampling (Franceschi et al., "Unsupervised Scalable
Representation Learning for Multivariate Time Series", NeurIPS 2019); the
loss is SimCLR's normalised temperature-scaled cross-entropy (NT-Xent) on a
small projection head that is dropped after training (Chen et al., "A Simple
Framework for Contrastive Learning of Visual Representations", ICML 2020).
"""

import torch
from torch import nn

from ._module import LSTMModule

# A crop keeps at least this share of its sequence's steps.
MIN_CROP_FRACTION = 0.5
# Temperature of NT-Xent.
TEMPERATURE = 0.2


def random_crops(X, lengths, min_fraction=MIN_CROP_FRACTION):
    """One random contiguous crop of each sequence, padded: ``(N, L', H_in)``
    and its lengths ``(N,)``. Crop lengths are uniform in
    ``[ceil(min_fraction * length), length]``, starts uniform where they fit."""
    shortest = torch.ceil(min_fraction * lengths).long().clamp(min=1)
    crop = shortest + (torch.rand(lengths.shape) * (lengths - shortest + 1)).long()
    crop = torch.minimum(crop, lengths)
    start = (torch.rand(lengths.shape) * (lengths - crop + 1)).long()
    steps = torch.arange(int(crop.max()))
    index = (start[:, None] + steps).clamp(max=X.shape[1] - 1)  # (N, L')
    cropped = X.gather(1, index.to(X.device)[..., None].expand(-1, -1, X.shape[2]))
    return cropped, crop


class ContrastiveEncoder(nn.Module):
    """Self-supervised objective ``objective='contrastive'`` of
    ``LSTMEncoderTransformer.fit(X)``.

    ``forward`` encodes two random crops of each sequence and returns their
    projections, ``(N, projection_width)`` each, for :class:`ContrastiveLoss`.
    ``encode`` is the encoder's, on whole sequences.
    """

    def __init__(self, **encoder_params):
        super().__init__()
        self.encoder = LSTMModule(**encoder_params)
        self.encode_width = self.encoder.encode_width
        self.per_step = self.encoder.per_step
        width = self.encode_width
        self.projection_head = nn.Sequential(
            nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width)
        )

    def encode(self, X, lengths):
        return self.encoder.encode(X, lengths)

    def attention_weights(self, X, lengths):
        return self.encoder.attention_weights(X, lengths)

    def forward(self, X, lengths):
        lengths = lengths.cpu()
        views = [self.encoder.encode(*random_crops(X, lengths)) for _ in range(2)]
        return tuple(self.projection_head(view) for view in views)


class ContrastiveLoss(nn.Module):
    """NT-Xent of two views ``(N, C)``: view i of one crop must pick the other
    crop of its own sequence among the 2N - 1 other crops of the batch."""

    def __init__(self, temperature=TEMPERATURE):
        super().__init__()
        self.temperature = temperature

    def forward(self, y_pred, y_true=None):
        first, second = y_pred
        n_samples = len(first)
        z = nn.functional.normalize(torch.cat([first, second]), dim=1)  # (2N, C)
        similarity = z @ z.T / self.temperature
        # a crop is not its own match
        similarity = similarity.masked_fill(
            torch.eye(2 * n_samples, dtype=torch.bool, device=z.device), float("-inf")
        )
        match = torch.arange(2 * n_samples, device=z.device).roll(n_samples)
        return nn.functional.cross_entropy(similarity, match)
