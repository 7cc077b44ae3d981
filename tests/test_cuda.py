"""The estimators on a CUDA GPU. Run with ``make test-gpu``; skipped
in ``make test``, which hides any GPU (see conftest.py), and where there is none.

On the GPU ``run_lstm`` packs padded batches (cuDNN), on the CPU it runs the
padded kernel in time segments; these tests check that both give the
same model, and that fitted models move between the GPU and the CPU.
"""

import copy
import pickle
import warnings

import numpy as np
import pytest
import torch
from conftest import FAST, make_ragged
from test_run_lstm import (
    LENGTHS,
    assert_same,
    lstm_module,
    padded_batch,
    results_and_gradients,
)

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor

pytestmark = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA GPU and SKLSTM_TEST_DEVICE=cuda"
)

X = make_ragged(n_samples=20)
Y = np.array(["a", "b"] * 10)
Y_REG = np.array([x[:, 0].sum() for x in X])


@pytest.fixture(autouse=True)
def full_precision():
    """cuDNN and cuBLAS may use TF32 (10-bit mantissa) on Ampere and later;
    the comparisons with the CPU below need float32."""
    saved = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved


@pytest.mark.parametrize("num_layers, bidirectional", [(1, False), (2, True)])
def test_run_lstm_on_cuda_equals_the_cpu(num_layers, bidirectional):
    """cuDNN's packing on the GPU and the segmented kernel on the CPU give the
    same outputs, states and gradients; without output, the same states."""
    on_cpu = lstm_module(num_layers=num_layers, bidirectional=bidirectional).cpu()
    on_cuda = copy.deepcopy(on_cpu).cuda()
    X, lengths = padded_batch(LENGTHS["heavy_tailed"])
    expected = results_and_gradients(on_cpu.run_lstm, on_cpu, X, lengths)
    actual = results_and_gradients(on_cuda.run_lstm, on_cuda, X.cuda(), lengths.cuda())
    assert_same(actual, expected, 1e-4)
    with torch.no_grad():
        output, (h_n, c_n) = on_cuda.run_lstm(X.cuda(), lengths.cuda(), need_output=False)
    assert output is None
    np.testing.assert_allclose(h_n.cpu(), expected["h_n"].detach(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(c_n.cpu(), expected["c_n"].detach(), rtol=1e-4, atol=1e-4)


def test_auto_device_trains_on_cuda():
    clf = LSTMClassifier(**FAST).fit(X, Y)  # device="auto"
    assert torch.device(clf.net_.device).type == "cuda"
    assert all(p.is_cuda for p in clf.net_.module_.parameters())
    proba = clf.predict_proba(X)
    assert isinstance(proba, np.ndarray) and proba.shape == (20, 2)
    assert set(clf.predict(X)) <= {"a", "b"}


@pytest.mark.parametrize(
    "params",
    [
        {"readout": "last", "state": "both", "layers": "all"},
        {"readout": "last", "bidirectional": True, "num_layers": 2},
        {"readout": "mean", "bidirectional": True},
        {"readout": "max", "num_layers": 2},
        {"readout": "attention", "bidirectional": True},
        {"readout": "sequence", "bidirectional": True, "num_layers": 2},
    ],
)
def test_cuda_matches_the_cpu(params):
    """The same weights give the same outputs on the CPU and on the GPU, on
    ragged data."""
    # readout="sequence" trains without labels: per-step targets are not needed here
    y = None if params["readout"] == "sequence" else Y
    model = LSTMEncoderTransformer(**FAST, **params, device="cpu").fit(X, y)
    on_cpu = model.transform(X)
    on_cuda = model.set_params(device="cuda").transform(X)
    assert torch.device(model.net_.device).type == "cuda"
    if params["readout"] == "sequence":
        on_cpu, on_cuda = np.concatenate(on_cpu), np.concatenate(on_cuda)
    np.testing.assert_allclose(on_cuda, on_cpu, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("readout", ["last", "mean", "max", "attention"])
def test_padded_batch_equals_each_sequence_alone_on_cuda(readout):
    model = LSTMEncoderTransformer(**FAST, readout=readout, bidirectional=True, device="cuda").fit(
        X, Y
    )
    together = model.transform(X)
    alone = np.concatenate([model.transform([x]) for x in X])
    np.testing.assert_allclose(together, alone, rtol=1e-4, atol=1e-5)


def test_training_on_cuda_matches_the_cpu():
    """Two epochs from the same initial weights and batches end close."""
    params = {**FAST, "max_epochs": 2, "lr_schedule": "constant", "readout": "mean"}
    on_cpu = LSTMRegressor(**params, device="cpu").fit(X, Y_REG)
    on_cuda = LSTMRegressor(**params, device="cuda").fit(X, Y_REG)
    np.testing.assert_allclose(on_cuda.loss_curve_, on_cpu.loss_curve_, rtol=1e-3)
    np.testing.assert_allclose(on_cuda.predict(X), on_cpu.predict(X), rtol=1e-3, atol=1e-4)


def test_cuda_model_pickles_and_moves_to_the_cpu():
    clf = LSTMClassifier(**FAST, device="cuda").fit(X, Y)
    expected = clf.predict_proba(X)
    clone = pickle.loads(pickle.dumps(clf))
    with warnings.catch_warnings():
        # not "RNN module weights are not part of single contiguous chunk"
        warnings.simplefilter("error")
        np.testing.assert_allclose(clone.predict_proba(X), expected, rtol=1e-5)
    clone.set_params(device="cpu")
    np.testing.assert_allclose(clone.predict_proba(X), expected, rtol=1e-4, atol=1e-6)
    assert str(clone.net_.device) == "cpu"
    clone.partial_fit(X, Y)  # the optimiser's state moved along
    for state in clone.net_.optimizer_.state.values():
        devices = {key: t.device.type for key, t in state.items() if torch.is_tensor(t)}
        assert set(devices.values()) == {"cpu"}, devices


def test_a_saved_cuda_model_loads_on_the_cpu_and_trains_on(tmp_path):
    import sklstm

    clf = LSTMClassifier(**FAST, device="cuda").fit(X, Y)
    sklstm.save(clf, tmp_path / "model.sklstm")
    loaded = sklstm.load(tmp_path / "model.sklstm")
    assert str(loaded.net_.device) == "cpu"  # what a machine without CUDA gets
    loaded.set_params(device="cpu")
    np.testing.assert_allclose(loaded.predict_proba(X), clf.predict_proba(X), rtol=1e-4, atol=1e-6)
    loaded.set_params(device="cuda").partial_fit(X, Y)
    assert str(loaded.net_.device) == "cuda"


def test_unpickled_cuda_model_goes_on_training_on_cuda():
    """torch.load maps Adam's step counters to the GPU with everything else;
    a non-fused Adam wants them on the CPU."""
    clone = pickle.loads(pickle.dumps(LSTMClassifier(**FAST, device="cuda").fit(X, Y)))
    clone.partial_fit(X, Y)
    for state in clone.net_.optimizer_.state.values():
        assert state["step"].device.type == "cpu"
        assert state["exp_avg"].device.type == "cuda"


def test_partial_fit_and_autoencoder_on_cuda():
    clf = LSTMClassifier(**FAST, device="cuda")
    clf.partial_fit(X, Y, classes=["a", "b"]).partial_fit(X, Y)
    assert clf.n_iter_ == 2
    encoder = LSTMEncoderTransformer(**FAST, n_components=3, device="cuda").fit(X)
    assert encoder.transform(X).shape == (20, 3)
    weights = LSTMClassifier(**FAST, readout="attention", device="cuda").fit(X, Y)
    for w, x in zip(weights.attention_weights(X), X):
        assert w.shape == (len(x),)
        np.testing.assert_allclose(w.sum(), 1, rtol=1e-5)
