"""The contrastive objective of the unlabelled encoder."""

import numpy as np
import pytest
import torch
from conftest import make_ragged

from sklstm import LSTMEncoderTransformer
from sklstm._contrastive import ContrastiveLoss, random_crops

SMALL = {"hidden_size": 4, "frontend_width": 4, "random_state": 0}


def test_crops_are_contiguous_parts_of_each_sequence():
    torch.manual_seed(0)
    lengths = torch.tensor([9, 4, 1, 7, 2])
    # each value is its own step index, so a crop shows where it was cut
    X = torch.arange(9.0).repeat(5, 1)[..., None] + 100 * torch.arange(5.0)[:, None, None]
    for _ in range(20):
        crops, crop_lengths = random_crops(X, lengths)
        for i, (length, m) in enumerate(zip(lengths.tolist(), crop_lengths.tolist())):
            assert np.ceil(length / 2) <= m <= length
            values = crops[i, :m, 0] - 100 * i
            start = int(values[0])
            assert start + m <= length  # inside the sequence, never in its padding
            torch.testing.assert_close(values, torch.arange(start, start + m, dtype=X.dtype))


def test_nt_xent_matches_hand_computation():
    torch.manual_seed(0)
    first, second = torch.randn(3, 4), torch.randn(3, 4)
    loss = ContrastiveLoss(temperature=0.5)((first, second))
    z = torch.cat([first, second])
    z = z / z.norm(dim=1, keepdim=True)
    expected = 0.0
    for i in range(6):
        match = (i + 3) % 6
        logits = torch.tensor([z[i] @ z[j] / 0.5 for j in range(6) if j != i])
        position = match if match < i else match - 1
        expected += -(logits[position] - torch.logsumexp(logits, 0))
    assert float(loss) == pytest.approx(float(expected) / 6, rel=1e-5)


def test_contrastive_encoder_is_exact_on_padded_batches():
    X = make_ragged(min_length=2, max_length=13)
    enc = LSTMEncoderTransformer(objective="contrastive", max_epochs=2, **SMALL).fit(X)
    assert enc.objective_ == "contrastive"
    batch = enc.transform(X)
    alone = np.vstack([enc.transform([x]) for x in X])
    np.testing.assert_allclose(batch, alone, rtol=1e-5, atol=1e-6)
    again = LSTMEncoderTransformer(objective="contrastive", max_epochs=2, **SMALL).fit(X)
    np.testing.assert_array_equal(again.transform(X), batch)


def test_contrastive_training_lowers_its_loss():
    X = make_ragged(n_samples=32, min_length=6, max_length=12)
    enc = LSTMEncoderTransformer(
        objective="contrastive", max_epochs=30, batch_size=16, lr=0.01, **SMALL
    ).fit(X)
    assert np.mean(enc.loss_curve_[-5:]) < np.mean(enc.loss_curve_[:5])


def test_contrastive_per_step_readout_is_a_clear_error():
    X = make_ragged()
    enc = LSTMEncoderTransformer(objective="contrastive", readout="sequence", **SMALL)
    with pytest.raises(ValueError, match="objective='contrastive' with readout='sequence'"):
        enc.fit(X)
