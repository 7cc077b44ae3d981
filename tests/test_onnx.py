"""sklstm.onnx.to_onnx: onnxruntime gives what predict, predict_proba and
transform give, on ragged data, whatever the padding holds."""

import copy
import re
import sys

import numpy as np
import pytest
from conftest import FAST, N_FEATURES, make_ragged
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler
from sklstm.onnx import run as onnx_run
from sklstm.onnx import to_onnx

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

X = make_ragged(n_samples=24, min_length=2, max_length=11, seed=7)
LENGTHS = np.array([len(x) for x in X], dtype=np.int64)
WORDS = np.array(["cat", "dog", "emu"])[np.arange(24) % 3]
INTS = np.array([3, 7, 11, 3])[np.arange(24) % 4]
MULTILABEL = np.column_stack([np.arange(24) % 2, np.arange(24) % 3 == 0]).astype(int)
VALUES = np.array([x[:, 0].sum() for x in X]) * 50 + 300  # units far from 1
STEP_LABELS = [(x[:, 0] > 0).astype(int) for x in X]
STEP_VALUES = [np.cumsum(x[:, 1]) for x in X]

# Each option at least once; several per case to keep the fits few.
CASES = {
    "classifier, default (conv front-end, last+mean)": (LSTMClassifier(**FAST), WORDS),
    "classifier, 2 layers, bidirectional, both states of all layers": (
        LSTMClassifier(
            **FAST, num_layers=2, bidirectional=True, state="both", layers="all", frontend="none"
        ),
        INTS,
    ),
    "classifier, gru, attention, patches, mlp gelu head": (
        LSTMClassifier(
            **FAST,
            cell="gru",
            bidirectional=True,
            readout="attention",
            frontend="patch",
            patch_length=3,
            head="mlp",
            head_hidden_sizes=(5, 3),
            head_activation="gelu",
        ),
        WORDS,
    ),
    "classifier, ensemble, conv over patches, last+max+attention, cell state": (
        LSTMClassifier(
            **FAST,
            n_networks=3,
            frontend="conv",
            patch_length=2,
            readout="last+max+attention",
            state="cell",
            head="mlp",
        ),
        INTS,
    ),
    "classifier, multilabel": (LSTMClassifier(**FAST, readout="max"), MULTILABEL),
    "classifier, multilabel ensemble": (
        LSTMClassifier(**FAST, n_networks=2, frontend="patch", patch_length=2),
        MULTILABEL,
    ),
    "classifier, per step, bidirectional, causal conv": (
        LSTMClassifier(**FAST, readout="sequence", bidirectional=True),
        STEP_LABELS,
    ),
    "regressor, default (patches, last)": (LSTMRegressor(**FAST), VALUES),
    "regressor, quantile, 2 targets, ensemble, gru, 2 layers, mlp tanh": (
        LSTMRegressor(
            **FAST,
            loss="quantile",
            quantile=0.8,
            n_networks=2,
            cell="gru",
            num_layers=2,
            layers="all",
            head="mlp",
            head_activation="tanh",
        ),
        np.column_stack([VALUES, -VALUES]),
    ),
    "regressor, huber, per step, no front-end": (
        LSTMRegressor(**FAST, loss="huber", readout="sequence", frontend="none"),
        STEP_VALUES,
    ),
    "regressor, absolute error, last+mean, bidirectional conv": (
        LSTMRegressor(
            **FAST, loss="absolute_error", readout="last+mean", frontend="conv", bidirectional=True
        ),
        VALUES,
    ),
    "classifier, both views of each sequence, conv": (
        LSTMClassifier(**FAST, input_norm="both", readout="last+mean"),
        INTS,
    ),
    "regressor, per step, causal instance norm, no front-end": (
        LSTMRegressor(**FAST, input_norm="instance", readout="sequence", frontend="none"),
        STEP_VALUES,
    ),
    "classifier, per step, causal instance norm and statistics, conv": (
        LSTMClassifier(**FAST, input_norm="instance+stats", readout="sequence"),
        STEP_LABELS,
    ),
    "regressor, instance norm and statistics, last+max": (
        LSTMRegressor(**FAST, input_norm="instance+stats", readout="last+max"),
        VALUES,
    ),
    "transformer, both views, patches": (
        LSTMEncoderTransformer(**FAST, input_norm="both", frontend="patch", patch_length=2),
        None,
    ),
    "transformer, contrastive, projected": (LSTMEncoderTransformer(**FAST, n_components=3), None),
    "transformer, autoencoder, per step, gru": (
        LSTMEncoderTransformer(**FAST, readout="sequence", cell="gru"),
        None,
    ),
    "transformer, supervised, mean, patches": (
        LSTMEncoderTransformer(**FAST, readout="mean", frontend="patch", patch_length=2),
        WORDS,
    ),
}

_FITTED = {}


def fitted(case):
    """The estimator of ``case``, fitted once for the whole module."""
    if case not in _FITTED:
        estimator, y = CASES[case]
        _FITTED[case] = copy.deepcopy(estimator).fit(X, y)
    return _FITTED[case]


def padded(sequences, extra_steps=3, fill=np.nan):
    """``(N, max length + extra_steps, n_features)``, ``fill`` after each sequence."""
    longest = max(len(x) for x in sequences) + extra_steps
    batch = np.full((len(sequences), longest, N_FEATURES), fill, dtype=np.float32)
    for i, x in enumerate(sequences):
        batch[i, : len(x)] = x
    return batch


def run(model, batch, lengths):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(None, {"X": batch, "lengths": lengths})))


def expected(estimator):
    """What the estimator itself returns for X, by output name."""
    if isinstance(estimator, LSTMClassifier):
        return {"label": estimator.predict(X), "probabilities": estimator.predict_proba(X)}
    if isinstance(estimator, LSTMRegressor):
        return {"variable": estimator.predict(X)}
    return {"variable": estimator.transform(X)}


def assert_same(onnx_output, expected_output, per_step):
    if not per_step:
        expected_output = [expected_output]
        onnx_output = [onnx_output]
    else:
        # only the real steps of each sequence mean something
        onnx_output = [row[:length] for row, length in zip(onnx_output, LENGTHS)]
    for got, want in zip(onnx_output, expected_output):
        assert got.shape == np.shape(want)
        if np.asarray(want).dtype.kind in "fc":
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        else:
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("case", CASES)
def test_onnxruntime_gives_the_estimators_outputs(case):
    estimator = fitted(case)
    per_step = estimator.readout == "sequence"
    result = run(to_onnx(estimator), padded(X), LENGTHS)
    want = expected(estimator)
    assert sorted(result) == sorted(want)
    for name, value in want.items():
        assert_same(result[name], value, per_step)


@pytest.mark.parametrize(
    "case",
    [
        "classifier, 2 layers, bidirectional, both states of all layers",
        "classifier, gru, attention, patches, mlp gelu head",
        "classifier, ensemble, conv over patches, last+max+attention, cell state",
        "classifier, per step, bidirectional, causal conv",
        "classifier, both views of each sequence, conv",
        "regressor, per step, causal instance norm, no front-end",
    ],
)
def test_a_sequence_alone_gives_what_it_gives_in_a_padded_batch(case):
    model = to_onnx(fitted(case))
    # padding of huge values: any that leaked would show
    in_batch = run(model, padded(X, fill=1e6), LENGTHS)
    for i, x in enumerate(X[:6]):
        alone = run(model, x[None], LENGTHS[i : i + 1])
        for name, value in alone.items():
            batch_value = in_batch[name][i]
            if value.ndim > 1 and "per step" in case:
                batch_value = batch_value[: len(x)]
            if value.dtype.kind == "f":
                np.testing.assert_allclose(value[0], batch_value, rtol=1e-6, atol=1e-6)
            else:
                np.testing.assert_array_equal(value[0], batch_value)


def test_the_graph_has_dynamic_inputs_and_skl2onnx_output_names():
    model = to_onnx(fitted("classifier, default (conv front-end, last+mean)"))
    graph = model.graph
    (X_input, lengths_input) = graph.input
    dims = [d.dim_param or d.dim_value for d in X_input.type.tensor_type.shape.dim]
    assert (X_input.name, dims) == ("X", ["N", "L", N_FEATURES])
    assert X_input.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert lengths_input.name == "lengths"
    assert lengths_input.type.tensor_type.elem_type == onnx.TensorProto.INT64
    assert [output.name for output in graph.output] == ["label", "probabilities"]
    assert graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.STRING


@pytest.mark.parametrize(
    "y, label_type",
    [
        (np.arange(24) % 2 == 0, np.int64),
        ((np.arange(24) % 2).astype(float), np.float64),
        (np.where(np.arange(24) % 2 == 0, -5, 2**40), np.int64),
    ],
    ids=["bool", "float", "large ints"],
)
def test_labels_keep_their_values(y, label_type):
    clf = LSTMClassifier(**FAST, frontend="none").fit(X, y)
    label = run(to_onnx(clf), padded(X), LENGTHS)["label"]
    assert label.dtype == label_type
    np.testing.assert_array_equal(label, clf.predict(X))


@pytest.mark.parametrize("opset", [13, 18])
def test_other_opsets_give_the_same_outputs(opset):
    # 18 moved the axes of ReduceMax into an input; the max readout uses it
    clf = fitted("classifier, multilabel")
    result = run(to_onnx(clf, opset=opset), padded(X), LENGTHS)
    assert to_onnx(clf, opset=np.int64(opset)).opset_import[0].version == opset
    np.testing.assert_allclose(result["probabilities"], clf.predict_proba(X), atol=1e-5)


def test_the_fitted_network_is_exported_whatever_set_params_changed_since():
    reg = copy.deepcopy(fitted("regressor, default (patches, last)"))
    reg.set_params(readout="sequence", hidden_size=9, frontend="conv", n_networks=3)
    result = run(to_onnx(reg), padded(X), LENGTHS)
    np.testing.assert_allclose(result["variable"], reg.predict(X), rtol=1e-5, atol=1e-5)


def test_an_unfitted_estimator_is_rejected():
    with pytest.raises(NotFittedError):
        to_onnx(LSTMClassifier())


def test_a_pipeline_scales_as_sequence_scaler_does():
    # features far from zero mean and unit scale
    X_raw = [x * np.array([100.0, 0.01, 1.0], dtype=np.float32) + 1000 for x in X]
    pipe = make_pipeline(SequenceScaler(), "passthrough", LSTMRegressor(**FAST)).fit(X_raw, VALUES)
    result = run(to_onnx(pipe), padded(X_raw), LENGTHS)
    np.testing.assert_allclose(result["variable"], pipe.predict(X_raw), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "estimator, got",
    [
        (SequenceScaler(), "SequenceScaler"),
        (make_pipeline(FunctionTransformer(), LSTMClassifier()), "FunctionTransformer"),
    ],
    ids=["scaler alone", "pipeline with another step"],
)
def test_other_estimators_are_rejected(estimator, got):
    msg = (
        "to_onnx exports an LSTMClassifier, LSTMRegressor or LSTMEncoderTransformer, or "
        f"a Pipeline of SequenceScaler steps that ends in one; got a {got}. Export the "
        "sklstm estimator alone, and the other steps with their own converter (skl2onnx "
        "for scikit-learn's)."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        to_onnx(estimator)


def test_an_unfitted_pipeline_is_rejected():
    with pytest.raises(NotFittedError):
        to_onnx(make_pipeline(SequenceScaler(), LSTMRegressor()))


def test_labels_onnx_cannot_hold_are_rejected():
    days = np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]")[np.arange(24) % 2]
    clf = LSTMClassifier(**FAST, frontend="none").fit(X, days)
    msg = "to_onnx cannot export class labels of type datetime64[D]"
    with pytest.raises(ValueError, match=re.escape(msg)):
        to_onnx(clf)


def test_uint64_labels_above_int64_are_rejected():
    # Non-regression test for #35.
    big = np.array([2**63 + 5, 7], dtype=np.uint64)[np.arange(24) % 2]
    clf = LSTMClassifier(**FAST, frontend="none").fit(X, big)
    msg = (
        "to_onnx cannot export class labels of type uint64 at or above 2**63 (got "
        "9223372036854775813). The model's label output is int64, which cannot hold them"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        to_onnx(clf)


@pytest.mark.parametrize("opset", [12, 10_000, "17", 17.0])
def test_an_opset_out_of_range_is_rejected(opset):
    clf = fitted("classifier, multilabel")
    with pytest.raises(ValueError, match=re.escape(f"to_onnx cannot export to opset={opset!r}")):
        to_onnx(clf, opset=opset)


def test_without_onnx_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx then fails
    msg = "pip install onnx onnxruntime"
    with pytest.raises(ImportError, match=re.escape(msg)):
        to_onnx(fitted("classifier, multilabel"))


@pytest.mark.parametrize(
    "case",
    [
        "classifier, default (conv front-end, last+mean)",
        "classifier, multilabel",
        "classifier, per step, bidirectional, causal conv",
        "regressor, quantile, 2 targets, ensemble, gru, 2 layers, mlp tanh",
        "transformer, autoencoder, per step, gru",
    ],
)
def test_run_gives_an_empty_result_for_an_empty_batch(case):
    # Non-regression test for #35.
    # onnxruntime's LSTM and GRU kernels end the process on N=0, so only
    # run's guard may see the empty batch; one sequence shows what to expect.
    model = to_onnx(fitted(case))
    one = onnx_run(model, padded(X[:1], extra_steps=0), LENGTHS[:1])
    n_steps = len(X[0])
    empty = onnx_run(model, np.zeros((0, n_steps, N_FEATURES), np.float32), [])
    assert sorted(empty) == sorted(one)
    for name, value in one.items():
        assert empty[name].shape == (0, *value.shape[1:])
        assert empty[name].dtype == value.dtype


def test_run_gives_what_onnxruntime_gives():
    clf = fitted("classifier, default (conv front-end, last+mean)")
    model = to_onnx(clf)
    want = run(model, padded(X), LENGTHS)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for source in [model, model.SerializeToString(), session]:
        got = onnx_run(source, padded(X), LENGTHS)
        np.testing.assert_array_equal(got["label"], want["label"])
        np.testing.assert_array_equal(got["probabilities"], want["probabilities"])
    # no lengths: every sequence as long as X
    dense = padded(X[:4], extra_steps=0, fill=0.5)
    full = np.full(4, dense.shape[1], dtype=np.int64)
    np.testing.assert_array_equal(
        onnx_run(model, dense)["probabilities"], run(model, dense, full)["probabilities"]
    )


def test_run_reads_a_model_file(tmp_path):
    path = tmp_path / "model.onnx"
    model = to_onnx(fitted("classifier, multilabel"))
    path.write_bytes(model.SerializeToString())
    got = onnx_run(path, padded(X), LENGTHS)["probabilities"]
    np.testing.assert_array_equal(got, run(model, padded(X), LENGTHS)["probabilities"])
    with pytest.raises(FileNotFoundError, match=re.escape("run found no model file at")):
        onnx_run(str(tmp_path / "missing.onnx"), padded(X), LENGTHS)


BATCH = padded(X[:3], extra_steps=0)  # (3, L, N_FEATURES)
N_STEPS = BATCH.shape[1]


@pytest.mark.parametrize(
    "batch, lengths, error, msg",
    [
        (
            BATCH[0],
            None,
            ValueError,
            "Expected X of shape (n_samples, n_timesteps, n_features), padded after the "
            f"last step of each sequence; got shape {BATCH[0].shape}.",
        ),
        (
            X[:3],
            LENGTHS[:3],
            ValueError,
            "run takes X as one padded array of shape (n_samples, n_timesteps, n_features)",
        ),
        (BATCH[:, :, :2], None, ValueError, f"X has 2 features but the model takes {N_FEATURES}."),
        (BATCH.astype(str), None, TypeError, "X must hold numbers; got an array of dtype <U"),
        (
            BATCH,
            [2, 3],
            ValueError,
            "lengths must have one entry per sequence of X, shape (3,); got shape (2,).",
        ),
        (
            BATCH,
            [2.0, 3.0, 1.0],
            TypeError,
            "lengths must hold integers, the number of real steps of each sequence; got an "
            "array of dtype float64.",
        ),
        (
            BATCH,
            [0, 2, N_STEPS + 1],
            ValueError,
            f"Each of lengths must be from 1 to {N_STEPS}, the number of time steps of X; "
            f"got values from 0 to {N_STEPS + 1}.",
        ),
        (
            np.where(np.arange(N_STEPS)[None, :, None] == 1, np.nan, BATCH),
            [1, 2, 2],
            ValueError,
            "X has NaN or infinite values at the real steps of sequence 1, which would make "
            "its outputs NaN.",
        ),
    ],
    ids=[
        "2-D X",
        "ragged X",
        "features",
        "strings",
        "lengths shape",
        "float lengths",
        "lengths out of range",
        "NaN at a real step",
    ],
)
def test_run_checks_its_inputs(batch, lengths, error, msg):
    model = to_onnx(fitted("classifier, multilabel"))
    with pytest.raises(error, match=re.escape(msg)):
        onnx_run(model, batch, lengths)


def test_run_takes_models_from_to_onnx_only():
    msg = (
        "run takes a model from sklstm.onnx.to_onnx: the onnx.ModelProto, its bytes, the "
        "path of its file or an onnxruntime.InferenceSession over it; got LSTMClassifier."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        onnx_run(fitted("classifier, multilabel"), padded(X), LENGTHS)
    helper = onnx.helper
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "other",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["N"])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, ["N"])],
    )
    other = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    other.ir_version = 8
    msg = (
        "run takes a model from sklstm.onnx.to_onnx, whose inputs are X and lengths; got "
        "a model with inputs ['x']."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        onnx_run(other, padded(X), LENGTHS)
