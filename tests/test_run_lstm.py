"""``run_lstm`` is exact: it equals ``pack_padded_sequence`` on the same LSTM (or GRU).

On the CPU a padded batch does not go through packing but through the padded
kernel over time segments, so these tests compare the two: outputs, final
states and the gradients of both with respect to the weights and the input.
"""

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from sklstm import LSTMEncoderTransformer

N_FEATURES = 3
HIDDEN_SIZE = 5

LENGTHS = {
    # mostly short, one ten times longer, and length 1
    "heavy_tailed": [3, 1, 4, 2, 40, 3, 5, 1, 6, 3, 2, 12],
    "all_equal": [6] * 5,
    "all_equal_shorter_than_X": [4] * 5,
    "one_sequence": [7],
}


def lstm_module(*, num_layers, bidirectional, dropout=0.0, dtype=torch.float32, cell="lstm"):
    """The ``LSTMModule`` of an estimator, with its seeded random weights."""
    X = np.zeros((2, 3, N_FEATURES), dtype=np.float32)
    enc = LSTMEncoderTransformer(
        hidden_size=HIDDEN_SIZE,
        num_layers=num_layers,
        bidirectional=bidirectional,
        dropout=dropout,
        cell=cell,
        frontend="none",  # the LSTM itself is under test
        max_epochs=0,
        random_state=0,
    ).fit(X)
    return enc.net_.module_.encoder.to(dtype)


def padded_batch(lengths, dtype=torch.float32, n_timesteps=None, seed=0):
    """Random ``X`` ``(N, L, H_in)`` with garbage (not zeros) at padded steps."""
    rng = np.random.RandomState(seed)
    n_timesteps = n_timesteps or max(lengths)
    X = torch.from_numpy(rng.normal(size=(len(lengths), n_timesteps, N_FEATURES))).to(dtype)
    return X, torch.tensor(lengths)


def packed_reference(lstm, X, lengths):
    """The textbook way: pack, run, unpack."""
    packed = pack_padded_sequence(X, lengths, batch_first=True, enforce_sorted=False)
    output, state = lstm(packed)
    output, _ = pad_packed_sequence(output, batch_first=True, total_length=X.shape[1])
    return output, state if isinstance(lstm, torch.nn.LSTM) else (state, None)


def results_and_gradients(run, module, X, lengths):
    """``output``, ``h_n``, ``c_n`` (an LSTM's) and the gradients of a random
    loss of all three with respect to ``X`` and every LSTM weight."""
    X = X.clone().requires_grad_()
    output, (h_n, c_n) = run(X, lengths)
    generator = torch.Generator().manual_seed(1)
    loss = sum(
        (t * torch.randn(t.shape, generator=generator, dtype=t.dtype).to(t.device)).sum()
        for t in (output, h_n, c_n)
        if t is not None
    )
    inputs = [X, *module.lstm.parameters()]
    gradients = torch.autograd.grad(loss, inputs)
    names = ["X", *(name for name, _ in module.lstm.named_parameters())]
    results = {"output": output, "h_n": h_n}
    if c_n is not None:
        results["c_n"] = c_n
    results.update({f"grad {name}": g for name, g in zip(names, gradients)})
    return results


def assert_same(actual, expected, tol):
    assert actual.keys() == expected.keys()
    for key in expected:
        assert actual[key].shape == expected[key].shape, key
        a, b = actual[key].detach().cpu().numpy(), expected[key].detach().cpu().numpy()
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=key)


@pytest.mark.parametrize("dtype, tol", [(torch.float32, 1e-5), (torch.float64, 1e-12)])
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("lengths", LENGTHS.values(), ids=LENGTHS.keys())
@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_run_lstm_equals_packed_lstm(
    cell, num_layers, bidirectional, lengths, training, dtype, tol
):
    module = lstm_module(
        num_layers=num_layers, bidirectional=bidirectional, dtype=dtype, cell=cell
    )
    module.train(training)
    n_timesteps = 6 if lengths == LENGTHS["all_equal_shorter_than_X"] else None
    X, lengths = padded_batch(lengths, dtype, n_timesteps)

    actual = results_and_gradients(module.run_lstm, module, X, lengths)
    packed = lambda X, lengths: packed_reference(module.lstm, X, lengths)  # noqa: E731
    expected = results_and_gradients(packed, module, X, lengths)

    # float64 shows the method is exact; float32 differs by summation order
    assert_same(actual, expected, tol)
    padded = torch.arange(X.shape[1]) >= lengths[:, None]
    assert torch.all(actual["output"][padded] == 0)
    assert torch.all(actual["grad X"][padded] == 0)


@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_run_lstm_equals_packed_lstm_on_a_large_batch(cell, num_layers, bidirectional):
    """More distinct lengths than run_lstm tries as ends of its segments.

    In float64: in float32, weight gradients summed over 10,000 steps in
    another order differ by more than 1e-5.
    """
    module = lstm_module(
        num_layers=num_layers, bidirectional=bidirectional, dtype=torch.float64, cell=cell
    )
    lengths = np.random.RandomState(0).randint(1, 150, size=130).tolist()
    X, lengths = padded_batch(lengths, torch.float64)
    actual = results_and_gradients(module.run_lstm, module, X, lengths)
    packed = lambda X, lengths: packed_reference(module.lstm, X, lengths)  # noqa: E731
    assert_same(actual, results_and_gradients(packed, module, X, lengths), 1e-12)


@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_run_lstm_without_output_gives_the_same_states(cell, num_layers, bidirectional):
    """The 'last' readout asks for final states only (need_output=False)."""
    module = lstm_module(num_layers=num_layers, bidirectional=bidirectional, cell=cell)
    X, lengths = padded_batch(LENGTHS["heavy_tailed"])
    with torch.no_grad():
        _, (h_n, c_n) = module.run_lstm(X, lengths)
        output, (h_alone, c_alone) = module.run_lstm(X, lengths, need_output=False)
    assert output is None
    np.testing.assert_array_equal(h_alone, h_n)
    if cell == "lstm":
        np.testing.assert_array_equal(c_alone, c_n)
    else:
        assert c_n is None and c_alone is None


def test_run_lstm_applies_dropout_between_layers_as_nn_lstm_does(monkeypatch):
    """Dropout acts on each layer's output but the last's, only in training.

    Which units drop depends on the random stream, so dropout is replaced by
    a fixed rescaling, and the reference is two packed one-layer LSTMs.
    """
    module = lstm_module(num_layers=2, bidirectional=True, dropout=0.5)
    lstm = module.lstm
    layers = []
    for layer in range(2):
        one = torch.nn.LSTM(
            lstm.input_size if layer == 0 else 2 * HIDDEN_SIZE,
            HIDDEN_SIZE,
            bidirectional=True,
            batch_first=True,
        )
        for name, _ in one.named_parameters():
            getattr(one, name).data = getattr(lstm, name.replace("l0", f"l{layer}")).data
        layers.append(one)

    def fake_dropout(x, p=0.5, training=True, inplace=False):
        return x * 3.0 if training else x

    monkeypatch.setattr(torch.nn.functional, "dropout", fake_dropout)
    X, lengths = padded_batch(LENGTHS["heavy_tailed"])
    for training in (True, False):
        module.train(training)
        first, (h_0, c_0) = packed_reference(layers[0], X, lengths)
        second_input = fake_dropout(first, 0.5, training)
        output, (h_1, c_1) = packed_reference(layers[1], second_input, lengths)
        with torch.no_grad():
            actual, (h_n, c_n) = module.run_lstm(X, lengths)
        np.testing.assert_allclose(actual, output.detach(), atol=1e-5)
        np.testing.assert_allclose(h_n, torch.cat([h_0, h_1]).detach(), atol=1e-5)
        np.testing.assert_allclose(c_n, torch.cat([c_0, c_1]).detach(), atol=1e-5)


def test_run_lstm_with_real_dropout_keeps_padding_out():
    """With dropout on, padded steps still give zeros and change nothing,
    even when they hold NaN (tslearn pads with NaN)."""
    module = lstm_module(num_layers=2, bidirectional=True, dropout=0.5).train()
    X, lengths = padded_batch(LENGTHS["heavy_tailed"])
    garbage = X.clone()
    padded = torch.arange(X.shape[1]) >= lengths[:, None]
    garbage[padded] = float("nan")
    with torch.no_grad():
        torch.manual_seed(0)
        output, (h_n, c_n) = module.run_lstm(X, lengths)
        torch.manual_seed(0)
        output_garbage, (h_garbage, c_garbage) = module.run_lstm(garbage, lengths)
    assert torch.all(output[padded] == 0)
    np.testing.assert_array_equal(output, output_garbage)
    np.testing.assert_array_equal(h_n, h_garbage)
    np.testing.assert_array_equal(c_n, c_garbage)
