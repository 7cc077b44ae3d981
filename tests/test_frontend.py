"""Front-ends, combined readouts and the training budget.

Every new part keeps the rule of the whole model: a sequence gives the same
output alone as inside a padded batch, and per-step outputs stay causal.
"""

import itertools
import re

import numpy as np
import pytest
import torch
from conftest import make_ragged
from torch.nn import functional as F

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor
from sklstm._base import (
    _AUTO_WEIGHT_DECAY,
    _AUTO_WEIGHT_DECAY_MIN_SAMPLES,
)
from sklstm._budget import CONTRASTIVE_BUDGET, SUPERVISED_BUDGET
from sklstm._frontend import (
    AUTO_PATCH_STEPS,
    INPUT_NORMS,
    ConvStack,
    InstanceNorm,
    MaskedBatchNorm,
    PatchEmbedding,
    auto_input_norm,
    scale_spread,
)

FRONTENDS = ["conv", "patch", "none"]
READOUTS = ["last", "mean", "max", "attention", "last+mean", "last+mean+max+attention"]
SMALL = {"hidden_size": 4, "frontend_width": 4, "random_state": 0}


def untrained_encoder(X, **params):
    # max_epochs=0 keeps the seeded random weights: all an invariance needs
    return LSTMEncoderTransformer(max_epochs=0, **{**SMALL, **params}).fit(X)


def trained_encoder(X, **params):
    # one epoch, so batch normalisation has running statistics of real steps
    return LSTMEncoderTransformer(max_epochs=1, **{**SMALL, **params}).fit(X)


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("readout", READOUTS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_padded_batch_equals_each_sequence_alone(frontend, readout, bidirectional):
    X = make_ragged(min_length=2, max_length=13)
    assert_padded_batch_equals_each_alone(
        X, frontend=frontend, readout=readout, bidirectional=bidirectional
    )


def assert_padded_batch_equals_each_alone(X, **params):
    enc = trained_encoder(X, patch_length=3, **params)
    batch = enc.transform(X)
    alone = np.vstack([enc.transform([x]) for x in X])
    np.testing.assert_allclose(batch, alone, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("input_norm", ["instance", "both"])
@pytest.mark.parametrize("readout", ["last", "last+mean+max+attention"])
def test_instance_norm_padded_batch_equals_each_sequence_alone(frontend, input_norm, readout):
    X = make_ragged(min_length=1, max_length=13)
    assert_padded_batch_equals_each_alone(
        X, frontend=frontend, readout=readout, input_norm=input_norm
    )


def test_instance_norm_matches_hand_computation():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(5, 2)) * [3.0, 0.01] + [100.0, -2.0]
    X = torch.zeros(2, 7, 2, dtype=torch.float64)
    X[0, :5] = torch.from_numpy(x)
    X[1, :3] = torch.from_numpy(x[:3])
    X[0, 5:] = torch.nan  # padding never reaches the statistics
    lengths = torch.tensor([5, 3])
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    out = InstanceNorm("both")(X, lengths).numpy()
    np.testing.assert_allclose(out[0, :5], np.hstack([x, z]), rtol=1e-6)
    assert np.all(out[0, 5:] == 0)
    # causal: step t standardised by steps <= t, beside the steps as given
    causal = InstanceNorm("both", causal=True)(X, lengths).numpy()
    for t in range(1, 5):
        past = x[: t + 1]
        expected = (x[t] - past.mean(axis=0)) / past.std(axis=0)
        np.testing.assert_allclose(causal[0, t], np.hstack([x[t], expected]), rtol=1e-6)
    assert np.all(causal[:, 0, 2:] == 0)


def test_instance_statistics_match_hand_computation():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(6, 2)) * [3.0, 0.01] + [100.0, -2.0]
    X = torch.full((2, 8, 2), torch.nan, dtype=torch.float64)
    X[0, :6] = torch.from_numpy(x)
    X[1, :4] = torch.from_numpy(x[:4])
    lengths = torch.tensor([6, 4])
    norm = InstanceNorm("instance+stats")
    expected = np.hstack([np.arcsinh(x.mean(axis=0)), np.log(x.std(axis=0))])
    np.testing.assert_allclose(norm.statistics(X, lengths)[0].numpy(), expected, rtol=1e-6)
    causal = InstanceNorm("instance+stats", causal=True).statistics(X, lengths).numpy()
    for t in range(1, 6):
        past = x[: t + 1]
        want = np.hstack([np.arcsinh(past.mean(axis=0)), np.log(past.std(axis=0))])
        np.testing.assert_allclose(causal[0, t], want, rtol=1e-5)
    assert np.all(causal[1, 4:] == 0)


def test_instance_norm_makes_the_class_invariant_to_each_sequences_gain():
    """A gain and an offset per sequence change no prediction."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 16, 1)).cumsum(axis=1).astype(np.float32)
    y = (np.diff(X[:, :, 0], axis=1).mean(axis=1) > 0).astype(int)
    clf = LSTMClassifier(input_norm="instance", max_epochs=3, **SMALL).fit(X, y)
    gain = 10.0 ** rng.uniform(-2, 2, size=(30, 1, 1))
    offset = rng.normal(scale=100.0, size=(30, 1, 1))
    moved = (X * gain + offset).astype(np.float32)
    np.testing.assert_allclose(
        clf.predict_proba(moved), clf.predict_proba(X), rtol=1e-3, atol=1e-4
    )


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("input_norm", INPUT_NORMS)
def test_padding_values_never_reach_the_output(frontend, input_norm):
    """Garbage in the padded steps of a dense batch changes nothing."""
    X = make_ragged(min_length=4, max_length=9)
    enc = trained_encoder(
        X, frontend=frontend, readout="last+mean+max", patch_length=2, input_norm=input_norm
    )
    reference = enc.transform(X)
    padded = np.full((len(X), 9, X[0].shape[1]), 1e6, dtype=np.float32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    module = enc.net_.module_
    module.eval()
    lengths = torch.tensor([len(x) for x in X])
    with torch.no_grad():
        out = module.encode(torch.from_numpy(padded), lengths).numpy()
    np.testing.assert_allclose(out, reference, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("frontend", ["conv", "patch"])
@pytest.mark.parametrize("input_norm", INPUT_NORMS)
def test_ragged_per_step_outputs_equal_each_sequence_alone(frontend, input_norm):
    X = make_ragged(min_length=2, max_length=10)
    enc = trained_encoder(X, frontend=frontend, readout="sequence", input_norm=input_norm)
    batch = enc.transform(X)
    for x, out in zip(X, batch):
        np.testing.assert_allclose(out, enc.transform([x])[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("input_norm", INPUT_NORMS)
def test_per_step_outputs_are_causal(frontend, input_norm):
    """With a unidirectional LSTM, the output at step t reads steps <= t only."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(6, 12, 2)).astype(np.float32)
    enc = trained_encoder(X, frontend=frontend, readout="sequence", input_norm=input_norm)
    changed = X.copy()
    changed[:, 7:] = rng.normal(size=(6, 5, 2))
    before, after = enc.transform(X), enc.transform(changed)
    np.testing.assert_allclose(before[:, :7], after[:, :7], rtol=1e-6, atol=1e-6)
    assert not np.allclose(before[:, 7:], after[:, 7:])


def test_patch_embedding_matches_hand_computation():
    """Patch p is steps p*k..p*k+k-1 flattened step by step, zeros after the end."""
    torch.manual_seed(0)
    patch = PatchEmbedding(3, 2, 5)
    X = torch.randn(2, 7, 2)
    lengths = torch.tensor([7, 4])
    out, patch_lengths = patch(X, lengths)
    W, b = patch.linear.weight.detach().numpy(), patch.linear.bias.detach().numpy()
    x = X.numpy().copy()
    x[1, 4:] = 0.0  # the second sequence ends after 4 steps
    x = np.concatenate([x, np.zeros((2, 2, 2), dtype=np.float32)], axis=1)  # 9 = 3 patches
    expected = x.reshape(2, 3, 6) @ W.T + b
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    assert patch_lengths.tolist() == [3, 2]


def test_masked_batch_norm_reads_real_steps_only():
    torch.manual_seed(0)
    x = torch.randn(3, 4, 6)  # (N, C, L)
    mask = torch.tensor([[True] * 6, [True] * 2 + [False] * 4, [True] * 5 + [False]])
    x_garbage = x.masked_fill(~mask.unsqueeze(1), 1e6)
    norm, reference = MaskedBatchNorm(4), torch.nn.BatchNorm1d(4)
    out = norm(x_garbage, mask)
    real = x.transpose(1, 2)[mask]  # (n_real, C): what the statistics must see
    expected = reference(real)
    torch.testing.assert_close(out.transpose(1, 2)[mask], expected)
    torch.testing.assert_close(norm.running_mean, reference.running_mean)
    torch.testing.assert_close(norm.running_var, reference.running_var)
    assert out.transpose(1, 2)[~mask].abs().max() == 0


@pytest.mark.parametrize("mask", [None, torch.tensor([[True, False], [False, False]])])
def test_masked_batch_norm_trains_on_one_real_step(mask):
    # Non-regression test for #35: one real value per channel has no variance,
    # and torch's batch norm refuses it in training.
    norm = MaskedBatchNorm(3)
    norm.running_mean.fill_(1.0)
    norm.running_var.fill_(4.0)
    x = torch.full((1 if mask is None else 2, 3, 1 if mask is None else 2), 5.0)
    out = norm(x, mask)
    # (5 - 1) / sqrt(4): the running statistics normalise, and are not updated
    assert torch.allclose(out[0, :, 0], torch.full((3,), 2.0), atol=1e-4)
    assert norm.training and norm.running_mean.tolist() == [1.0] * 3
    out.sum().backward()
    assert norm.weight.grad is not None


def _inputs_of_batch_norms(network, X):
    """The input ``(N, C, L)`` and mask of each batch normalisation of
    ``network``'s front-end, for all of ``X`` in one padded batch."""
    inputs = {}
    hooks = [
        norm.register_forward_pre_hook(lambda norm, args: inputs.__setitem__(norm, args))
        for norm in network.frontend.conv.norms
    ]
    lengths = np.array([len(x) for x in X])
    padded = np.zeros((len(X), lengths.max(), X[0].shape[1]), dtype=np.float32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    with torch.no_grad():
        network.frontend(torch.from_numpy(padded), torch.from_numpy(lengths))
    for hook in hooks:
        hook.remove()
    return [inputs[norm] for norm in network.frontend.conv.norms]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("n_networks", [1, 2])
def test_batch_norm_infers_with_the_statistics_of_the_training_data(n_networks):
    # Non-regression test for #35: running averages kept in training trail
    # the weights (weight decay shrinks them at every step), and a default
    # fit could score 0.5 on its own training data. In inference each layer
    # must normalise by the mean and variance of its input over every real
    # step of the training data, as inference computes that input.
    X = make_ragged(n_samples=20, min_length=2, max_length=12)
    y = np.arange(20) % 2
    clf = LSTMClassifier(
        **{**SMALL, "max_epochs": 3, "batch_size": 3, "weight_decay": 0.5},
        patch_length=2,
        n_networks=n_networks,
    ).fit(X, y)
    networks = getattr(clf.net_.module_, "networks", [clf.net_.module_])
    for network in networks:
        assert not network.training
        inputs = _inputs_of_batch_norms(network, X)
        for norm, (x, mask) in zip(network.frontend.conv.norms, inputs):
            real = x.transpose(1, 2)[mask].double()  # (n_real, C)
            torch.testing.assert_close(norm.running_mean.double(), real.mean(0))
            torch.testing.assert_close(norm.running_var.double(), real.var(0))


def _batch_compositions():
    """Every multiset of 1 to 3 sequence lengths from 1 to 3 steps."""
    return [
        lengths
        for size in (1, 2, 3)
        for lengths in itertools.combinations_with_replacement((1, 2, 3), size)
    ]


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("lengths", _batch_compositions(), ids=str)
def test_every_small_batch_composition_trains(frontend, lengths):
    # Non-regression test for #35: a batch with one real step crashed the
    # default conv front-end's batch normalisation in training.
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)).astype(np.float32) for n in lengths]
    y = np.arange(len(X)) % 2
    params = {**SMALL, "frontend": frontend, "max_epochs": 1}
    for batch_size in range(1, len(X) + 1):
        clf = LSTMClassifier(batch_size=batch_size, **params)
        if len(X) > 1:  # one sequence is one class: partial_fit names both
            clf.fit(X, y)
        clf.partial_fit(X[:1], y[:1], classes=[0, 1])
        assert np.isfinite(clf.predict_proba(X)).all()
        reg = LSTMRegressor(batch_size=batch_size, **params).fit(X, y.astype(float))
        assert np.isfinite(reg.predict(X)).all()
        encoder = LSTMEncoderTransformer(batch_size=batch_size, **params).fit(X)
        assert np.isfinite(encoder.transform(X)).all()
    if frontend != "patch":  # per-step outputs need one LSTM step per time step
        step = LSTMRegressor(readout="sequence", batch_size=1, **params)
        step.fit(X, [np.arange(n, dtype=float) for n in lengths])
        assert np.isfinite(np.concatenate(step.predict(X))).all()


def test_default_classifier_trains_on_a_last_batch_of_one_step():
    # Non-regression test for #35 (the reproducer of the issue)
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(30, 1)) for _ in range(20)] + [rng.normal(size=(1, 1))]
    y = [0, 1] * 10 + [0]
    clf = LSTMClassifier(random_state=0, max_epochs=2, batch_size=4).fit(X, y)
    assert clf.predict(X).shape == (21,)
    clf = LSTMClassifier(max_epochs=1).partial_fit([np.zeros((1, 2))], [0], classes=[0, 1])
    assert clf.predict([np.zeros((1, 2))]).shape == (1,)


def test_plain_lstm_is_one_parameter_away(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(frontend="none", max_epochs=1, **SMALL).fit(X, y)
    module = clf.net_.module_
    assert module.lstm.input_size == X.shape[2]
    assert module.frontend.patch is None and module.frontend.conv is None
    assert clf.patch_length_ == 1
    # the readout alone feeds the head: last state and mean output, 4 units each
    assert module.head.in_features == 8
    # weight_decay='auto' puts no penalty on the plain LSTM
    assert clf.weight_decay_ == 0.0
    assert clf.net_.optimizer_.param_groups[0]["weight_decay"] == 0.0


def enough_for_a_penalty():
    """The fewest sequences weight_decay='auto' puts its penalty on."""
    n = _AUTO_WEIGHT_DECAY_MIN_SAMPLES
    X = np.random.RandomState(0).normal(size=(n, 5, 1)).astype(np.float32)
    return X, np.arange(n) % 2


@pytest.mark.parametrize(
    "Est, params, expected",
    [
        (LSTMClassifier, {}, _AUTO_WEIGHT_DECAY),
        (LSTMClassifier, {"frontend": "patch"}, _AUTO_WEIGHT_DECAY),
        (LSTMClassifier, {"frontend": "none"}, 0.0),
        (LSTMClassifier, {"readout": "last+attention"}, 0.0),
        (LSTMClassifier, {"weight_decay": 0.01}, 0.01),
        (LSTMClassifier, {"weight_decay": 0}, 0.0),
        (LSTMRegressor, {}, 0.0),
        (LSTMEncoderTransformer, {}, 0.0),
    ],
)
def test_weight_decay_rule(Est, params, expected):
    X, y = enough_for_a_penalty()
    est = Est(max_epochs=1, **{**SMALL, **params})
    est.fit(X) if Est is LSTMEncoderTransformer else est.fit(X, y)
    assert est.weight_decay_ == expected
    assert all(g["weight_decay"] == expected for g in est.net_.optimizer_.param_groups)


def test_weight_decay_auto_is_0_on_a_few_sequences():
    """Below 40 training sequences (batches of 1 to 3) the penalty cost more
    than it bought (benchmarks/pretraining.py)."""
    X, y = enough_for_a_penalty()
    assert LSTMClassifier(max_epochs=1, **SMALL).fit(X[:-1], y[:-1]).weight_decay_ == 0.0
    # the early-stopping hold-out does not count
    clf = LSTMClassifier(max_epochs=1, early_stopping=True, **SMALL).fit(X, y)
    assert clf.weight_decay_ == 0.0
    clf = LSTMClassifier(max_epochs=1, early_stopping=True, **SMALL).fit(
        np.tile(X, (2, 1, 1)), np.tile(y, 2)
    )
    assert clf.weight_decay_ == _AUTO_WEIGHT_DECAY


def test_weight_decay_auto_is_decided_by_the_first_fit():
    """A refit resolves 'auto' again; training that goes on keeps the penalty
    the network was trained with, whatever the size of the chunk it gets.
    Non-regression test for #35 (a chunk of 10 sequences turned 0.003 into 0)."""
    X, y = enough_for_a_penalty()
    clf = LSTMClassifier(max_epochs=1, **SMALL).fit(X, y)
    assert clf.weight_decay_ == _AUTO_WEIGHT_DECAY
    clf.partial_fit(X[:10], y[:10])  # a small chunk of data
    assert clf.net_.optimizer_.param_groups[0]["weight_decay"] == clf.weight_decay_
    assert clf.weight_decay_ == _AUTO_WEIGHT_DECAY
    clf.set_params(frontend="none").fit(X, y)
    assert clf.weight_decay_ == 0.0
    clf.set_params(weight_decay=0.01).partial_fit(X, y)
    assert clf.net_.optimizer_.param_groups[0]["weight_decay"] == clf.weight_decay_ == 0.01
    clf.set_params(weight_decay="auto").partial_fit(X[:10], y[:10])
    assert clf.net_.optimizer_.param_groups[0]["weight_decay"] == clf.weight_decay_ == 0.01


def test_weight_decay_auto_is_for_the_classifier_only(dense_data):
    X, _ = dense_data
    msg = "The 'weight_decay' parameter of LSTMRegressor must be a float"
    with pytest.raises(ValueError, match=re.escape(msg)):
        LSTMRegressor(weight_decay="auto", **SMALL).fit(X, X[:, :, 0].sum(axis=1))


@pytest.mark.parametrize(
    "lengths, params, expected",
    [
        ([100] * 5, {}, int(np.ceil(100 / AUTO_PATCH_STEPS))),
        ([10, 300, 300, 300, 20], {}, int(np.ceil(300 / AUTO_PATCH_STEPS))),  # the median
        ([5] * 5, {}, 1),
        ([100] * 5, {"patch_length": 7}, 7),
        ([100] * 5, {"frontend": "none"}, 1),
        ([100] * 5, {"readout": "sequence"}, 1),
    ],
)
def test_patch_length_rule(lengths, params, expected):
    X = [np.zeros((n, 1), dtype=np.float32) for n in lengths]
    enc = untrained_encoder(X, **params)
    assert enc.patch_length_ == expected


def test_patch_longer_than_a_sequence_is_one_zero_filled_patch():
    X = make_ragged(min_length=2, max_length=5)
    enc = trained_encoder(X, frontend="patch", patch_length=8)
    np.testing.assert_allclose(
        enc.transform(X), np.vstack([enc.transform([x]) for x in X]), rtol=1e-5, atol=1e-6
    )


def test_per_step_readout_with_patches_is_a_clear_error(dense_data):
    X, _ = dense_data
    msg = (
        "LSTMEncoderTransformer cannot combine readout='sequence' with patch_length=2: "
        "per-step outputs need one LSTM step per time step."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        untrained_encoder(X, readout="sequence", patch_length=2)


@pytest.mark.parametrize("readout", ["avg", "last+sequence", "last+last", "mean+"])
def test_bad_readout_is_a_clear_error(dense_data, readout):
    X, y = dense_data
    msg = "The 'readout' parameter of LSTMClassifier must be one of"
    with pytest.raises(ValueError, match=re.escape(msg)) as info:
        LSTMClassifier(readout=readout, **SMALL).fit(X, y)
    assert f"Got {readout!r} instead." in str(info.value)


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_combined_readout_concatenates_its_parts(dense_data, frontend):
    X, _ = dense_data
    widths = {
        readout: untrained_encoder(X, frontend=frontend, readout=readout).n_components_
        for readout in ["last", "mean", "max", "attention", "last+mean+max+attention"]
    }
    pooled = 4 if frontend == "conv" else 0  # the conv front-end's own pooled features
    parts = [widths[r] - pooled for r in ["last", "mean", "max", "attention"]]
    assert widths["last+mean+max+attention"] == sum(parts) + pooled


def test_attention_weights_with_patches_sum_to_one_over_real_steps():
    X = make_ragged(min_length=2, max_length=13)
    enc = trained_encoder(X, readout="last+attention", patch_length=3)
    weights = enc.attention_weights(X)
    for x, w in zip(X, weights):
        assert w.shape == (len(x),)
        assert np.all(w >= 0)
        np.testing.assert_allclose(w.sum(), 1.0, rtol=1e-5)
        # the steps of one patch share its weight equally
        np.testing.assert_allclose(w[:3], w[0], rtol=1e-6)


@pytest.mark.parametrize(
    "budget, n_samples, batch_size, epochs",
    [
        # a tenth of the data up to 16 sequences; about 1500 updates
        (SUPERVISED_BUDGET, 20, 2, 150),
        (SUPERVISED_BUDGET, 200, 16, 116),
        (SUPERVISED_BUDGET, 5, 1, 300),
        (SUPERVISED_BUDGET, 2400, 16, 10),
        # then batches that keep 10 epochs at about 1500 updates, up to 128
        (SUPERVISED_BUDGET, 3000, 20, 10),
        (SUPERVISED_BUDGET, 20_000, 128, 10),
        (SUPERVISED_BUDGET, 10**5, 128, 10),
        # the whole set as one batch up to 64 sequences; about 500 updates
        (CONTRASTIVE_BUDGET, 20, 20, 100),
        (CONTRASTIVE_BUDGET, 100, 64, 100),
        (CONTRASTIVE_BUDGET, 898, 64, 34),
        (CONTRASTIVE_BUDGET, 10**5, 64, 10),
    ],
)
def test_auto_training_budget(budget, n_samples, batch_size, epochs):
    assert budget.batch_size(n_samples) == batch_size
    assert budget.max_epochs(n_samples, batch_size) == epochs


def test_auto_budget_is_used_by_fit():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5, 1)).astype(np.float32)
    y = X[:, :, 0].sum(axis=1)
    # (a patience beyond the budget: every epoch of it runs)
    reg = LSTMRegressor(frontend="none", n_iter_no_change=1000, **SMALL).fit(X, y)
    assert reg.net_.batch_size == SUPERVISED_BUDGET.batch_size(30) == 3
    assert reg.n_iter_ == SUPERVISED_BUDGET.max_epochs(30, 3)


@pytest.mark.parametrize(
    "objective, budget", [("contrastive", CONTRASTIVE_BUDGET), ("autoencoder", SUPERVISED_BUDGET)]
)
def test_unlabelled_fit_uses_its_objectives_budget(objective, budget):
    X = np.random.RandomState(0).normal(size=(30, 6, 1)).astype(np.float32)
    enc = LSTMEncoderTransformer(objective=objective, n_iter_no_change=1000, **SMALL).fit(X)
    assert enc.net_.batch_size == budget.batch_size(30)
    assert enc.n_iter_ == budget.max_epochs(30, enc.net_.batch_size)
    # an int replaces the rule, for either objective
    enc = LSTMEncoderTransformer(objective=objective, batch_size=7, max_epochs=2, **SMALL).fit(X)
    assert (enc.net_.batch_size, enc.n_iter_) == (7, 2)


def test_weights_of_the_best_training_loss_are_restored(dense_data):
    X, y = dense_data
    # a large lr makes the training loss jump around
    params = {"lr": 1.0, "lr_schedule": "constant", **SMALL}
    clf = LSTMClassifier(max_epochs=12, **params).fit(X, y)
    best = int(np.argmin(clf.loss_curve_)) + 1
    assert clf.best_epoch_ == best
    assert best < clf.n_iter_, "pick a setting whose last epoch is not its best"
    # the same training, stopped at the best epoch: the same weights
    clf_last = LSTMClassifier(max_epochs=best, **params).fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), clf_last.predict_proba(X), rtol=1e-5)


@pytest.mark.parametrize("frontend", ["conv", "patch"])
def test_same_random_state_same_model(dense_data, frontend):
    X, y = dense_data
    a = LSTMClassifier(frontend=frontend, max_epochs=2, **SMALL).fit(X, y).predict_proba(X)
    b = LSTMClassifier(frontend=frontend, max_epochs=2, **SMALL).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_conv_stack_pools_the_first_convolution_over_patches():
    """Conv 8 on the raw steps, max over each patch of its real steps, then
    conv 5 and conv 3 over the patches (evaluation mode: running statistics)."""
    torch.manual_seed(0)
    stack = ConvStack(2, 3, pool=3).eval()
    for norm in stack.norms:  # statistics other than the identity
        norm.running_mean.uniform_(-0.5, 0.5)
        norm.running_var.uniform_(0.5, 2.0)
    X = torch.randn(2, 8, 2)
    lengths = torch.tensor([8, 4])
    with torch.no_grad():
        out, patch_lengths = stack(X, lengths)

        def layer(h, i):  # h (C, T) -> (C', T), causal
            k = stack.kernel_sizes[i]
            h = F.conv1d(F.pad(h, (k - 1, 0)).unsqueeze(0), stack.convs[i].weight)[0]
            norm = stack.norms[i]
            h = (h - norm.running_mean[:, None]) / torch.sqrt(norm.running_var[:, None] + norm.eps)
            return torch.relu(h * norm.weight[:, None] + norm.bias[:, None])

        for x, n, got in zip(X, lengths.tolist(), out):
            h = layer(x[:n].T, 0)  # the sequence alone
            n_patches = -(-n // 3)
            pooled = torch.stack(
                [h[:, 3 * p : 3 * p + 3].amax(dim=1) for p in range(n_patches)], 1
            )
            expected = layer(layer(pooled, 1), 2).T  # (patches, C)
            torch.testing.assert_close(got[:n_patches], expected, rtol=1e-5, atol=1e-6)
            assert torch.all(got[n_patches:] == 0)
    assert patch_lengths.tolist() == [3, 2]


def test_scale_spread_matches_hand_computation():
    scales = 10.0 ** np.linspace(-2, 2, 11)  # percentiles 10 and 90: 10**-1.6, 10**1.6
    X = [np.resize([-1.0, 1.0], (50, 1)) * s for s in scales]  # std exactly s
    values, lengths = np.concatenate(X), np.array([len(x) for x in X])
    assert np.isclose(scale_spread(values, lengths), 10**3.2)
    assert auto_input_norm(values, lengths) == "instance"
    assert auto_input_norm(values / scales.repeat(50)[:, None], lengths) == "both"


def test_input_norm_auto_reads_sequences_at_their_own_gains_by_shape():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 10, 2)).astype(np.float32)
    y = np.arange(30) % 2
    clf = LSTMClassifier(max_epochs=1, **SMALL)
    assert clf.fit(X, y).input_norm_ == "both"
    gains = 10.0 ** rng.uniform(-2, 2, size=(30, 1, 1))
    assert clf.fit(X * gains, y).input_norm_ == "instance"
    assert clf.net_.module_.frontend.instance_norm.kind == "instance"
    # a network started from a pretrained encoder reads inputs as the encoder does
    encoder = LSTMEncoderTransformer(max_epochs=1, input_norm="auto", **SMALL).fit(X * gains)
    clf = LSTMClassifier(max_epochs=1, encoder=encoder, **SMALL).fit(X, y)
    assert clf.input_norm_ == "instance"
