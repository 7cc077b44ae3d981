"""What the network computes: hand computations and padding invariances.

Models with ``max_epochs=0`` keep their seeded random weights, which is all an
invariance needs, and makes these tests fast.
"""

import itertools

import numpy as np
import pytest
import torch
from conftest import make_ragged

from sklstm import LSTMClassifier, LSTMEncoderTransformer

READOUTS = ["last", "mean", "max", "attention"]


def untrained_encoder(X, **params):
    # the plain LSTM: what these tests compute by hand
    params = {"hidden_size": 5, "max_epochs": 0, "random_state": 0, "frontend": "none", **params}
    return LSTMEncoderTransformer(**params).fit(X)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_lstm_steps_match_hand_computation():
    """Two LSTM steps from the gate equations of the nn.LSTM docstring."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(3, 2, 2)).astype(np.float32)
    enc = untrained_encoder(X, hidden_size=3, state="both")
    lstm = enc.net_.module_.encoder.lstm
    W_ih, W_hh = lstm.weight_ih_l0.detach().numpy(), lstm.weight_hh_l0.detach().numpy()
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy()

    h = np.zeros((3, 3))
    c = np.zeros((3, 3))
    for t in range(2):
        gates = X[:, t] @ W_ih.T + h @ W_hh.T + b
        i, f, g, o = np.split(gates, 4, axis=1)  # PyTorch's gate order
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)

    np.testing.assert_allclose(enc.transform(X), np.hstack([h, c]), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("forget_bias", [1.0, 2.5, None])
def test_forget_gate_bias_starts_at_forget_bias(forget_bias):
    X = np.zeros((2, 3, 1), dtype=np.float32)
    params = {} if forget_bias == 1.0 else {"forget_bias": forget_bias}  # 1.0: the default
    lstm = untrained_encoder(X, hidden_size=4, num_layers=2, bidirectional=True, **params)
    lstm = lstm.net_.module_.encoder.lstm
    for suffix in ["l0", "l0_reverse", "l1", "l1_reverse"]:
        bias_ih = getattr(lstm, f"bias_ih_{suffix}").detach().numpy()
        bias_hh = getattr(lstm, f"bias_hh_{suffix}").detach().numpy()
        if forget_bias is None:
            # PyTorch's own initialisation: uniform in +-1/sqrt(hidden_size)
            assert np.all(np.abs(bias_ih) <= 0.5) and len(np.unique(bias_ih[4:8])) == 4
        else:
            np.testing.assert_allclose(bias_ih[4:8] + bias_hh[4:8], forget_bias)
        # the other gates keep PyTorch's initialisation
        assert len(np.unique(bias_ih[[0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15]])) == 12


@pytest.mark.parametrize(
    "readout, state, layers, bidirectional",
    [
        *itertools.product(["last"], ["hidden", "cell", "both"], ["last", "all"], [False, True]),
        *itertools.product(["mean", "max", "attention"], ["hidden"], ["last"], [False, True]),
    ],
)
def test_sequence_alone_equals_sequence_in_padded_batch(readout, state, layers, bidirectional):
    X = make_ragged(n_samples=12, min_length=2, max_length=15)
    enc = untrained_encoder(
        X, readout=readout, state=state, layers=layers, bidirectional=bidirectional, num_layers=2
    )
    in_batch = enc.transform(X)
    alone = np.vstack([enc.transform([x]) for x in X])
    np.testing.assert_allclose(in_batch, alone, atol=1e-5)


def test_ragged_list_equals_dense_array_of_same_sequences():
    X = np.random.RandomState(1).normal(size=(6, 5, 3)).astype(np.float32)
    enc = untrained_encoder(X, readout="attention")
    np.testing.assert_allclose(enc.transform(list(X)), enc.transform(X), atol=1e-6)


def test_permuting_samples_permutes_outputs():
    X = make_ragged(n_samples=10)
    enc = untrained_encoder(X, readout="mean")
    perm = np.random.RandomState(0).permutation(len(X))
    np.testing.assert_allclose(
        enc.transform([X[i] for i in perm]), enc.transform(X)[perm], atol=1e-6
    )


def lstm_outputs_alone(enc, x):
    """Per-step outputs of the LSTM on one unpadded sequence: (L, D*H_out)."""
    module = enc.net_.module_.encoder
    with torch.no_grad():
        X = torch.from_numpy(x[None])
        output, _ = module.run_lstm(X, torch.tensor([len(x)]))
    return output[0].numpy()


def test_bidirectional_last_reads_true_final_states_not_output_at_minus_one():
    X = make_ragged(n_samples=6, min_length=3, max_length=9)
    enc = untrained_encoder(X, bidirectional=True, hidden_size=4)
    H = 4
    encoded = enc.transform(X)
    for x, row in zip(X, encoded):
        output = lstm_outputs_alone(enc, x)
        # forward direction ends at the last real step, backward at step 0
        expected = np.concatenate([output[-1, :H], output[0, H:]])
        np.testing.assert_allclose(row, expected, atol=1e-6)
        # the blog-post trap: output[:, -1] of the bidirectional output
        assert not np.allclose(row, output[-1], atol=1e-3)


@pytest.mark.parametrize("readout, reduce", [("mean", np.mean), ("max", np.max)])
def test_pooling_ignores_padding(readout, reduce):
    X = make_ragged(n_samples=6, min_length=2, max_length=12)
    enc = untrained_encoder(X, readout=readout)
    expected = np.vstack([reduce(lstm_outputs_alone(enc, x), axis=0) for x in X])
    np.testing.assert_allclose(enc.transform(X), expected, atol=1e-6)


def test_attention_weights_are_a_distribution_over_real_steps():
    X = make_ragged(n_samples=5, min_length=2, max_length=8)
    enc = untrained_encoder(X, readout="attention")
    module = enc.net_.module_.encoder
    lengths = np.array([len(x) for x in X])
    X_pad = np.zeros((len(X), lengths.max(), X[0].shape[1]), dtype=np.float32)
    for i, x in enumerate(X):
        X_pad[i, : len(x)] = x
    mask = np.arange(lengths.max()) < lengths[:, None]
    with torch.no_grad():
        output, _ = module.run_lstm(torch.from_numpy(X_pad), torch.from_numpy(lengths))
        weights = module.readout.weights(output, torch.from_numpy(mask)).numpy()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    assert np.all(weights[~mask] == 0)
    assert np.all(weights[mask] > 0)


@pytest.mark.parametrize(
    "params, width",
    [
        ({}, 5),
        ({"state": "both"}, 10),
        ({"layers": "all", "num_layers": 3}, 15),
        ({"bidirectional": True}, 10),
        ({"bidirectional": True, "num_layers": 2, "layers": "all", "state": "both"}, 40),
        ({"readout": "mean", "bidirectional": True, "num_layers": 2, "state": "both"}, 10),
        ({"readout": "attention"}, 5),
        ({"n_components": 3, "state": "both"}, 3),
    ],
)
def test_readout_width(params, width):
    X = make_ragged(n_samples=4)
    enc = untrained_encoder(X, **params)
    assert enc.transform(X).shape == (4, width)
    assert enc.n_components_ == width


def test_classifier_gives_same_predictions_alone_and_in_batch():
    X = make_ragged(n_samples=16)
    y = np.arange(16) % 3
    clf = LSTMClassifier(hidden_size=4, max_epochs=3, readout="attention", random_state=0).fit(
        X, y
    )
    alone = np.vstack([clf.predict_proba([x]) for x in X])
    np.testing.assert_allclose(clf.predict_proba(X), alone, atol=1e-5)
