"""The errors users see: raised by sklstm's own checks, in plain words."""

import re
from unittest import mock

import numpy as np
import pytest
import torch
from conftest import FAST, assert_rejected, make_ragged
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import EarlyStopping, PrintLog

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler

X3 = np.random.RandomState(0).normal(size=(12, 5, 3)).astype(np.float32)
Y = np.arange(12) % 2


@pytest.mark.parametrize(
    "X, exc_type, message",
    [
        (np.zeros(10), ValueError, "got shape (10,)."),
        (np.zeros((12, 2, 2, 2)), ValueError, "got shape (12, 2, 2, 2)."),
        (np.array([["a", "b"]] * 12), ValueError, "dtype='numeric' is not compatible"),
        (np.zeros((12, 0, 3)), ValueError, "every sequence needs at least one time step"),
        ([], ValueError, "X is empty; LSTMClassifier needs at least one sequence."),
        (
            [np.zeros((3, 2))] * 11 + [np.zeros((0, 2))],
            ValueError,
            "X[11] has 0 time steps; every sequence needs at least one.",
        ),
        (
            [np.zeros((3, 2))] * 11 + [np.zeros((4, 3))],
            ValueError,
            "X[11] has 3 features per time step, but X[0] has 2; all sequences must have "
            "the same number of features.",
        ),
        ([np.array(["a", "b"])] * 12, TypeError, "X[0] has dtype <U1, but LSTMClassifier needs"),
    ],
)
def test_bad_X_in_fit(X, exc_type, message):
    assert_rejected(exc_type, message, LSTMClassifier(**FAST).fit, X, Y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("ragged", [False, True])
def test_non_finite_X_is_rejected_in_fit_and_predict(bad, ragged):
    X = X3.copy()
    X[3, 2, 1] = bad
    X_bad = list(X) if ragged else X
    what = "NaN" if np.isnan(bad) else "infinity"
    message = f"Input X contains {what}"
    assert_rejected(ValueError, message, LSTMRegressor(**FAST).fit, X_bad, Y)
    fitted = LSTMEncoderTransformer(**FAST).fit(X3)
    assert_rejected(ValueError, message, fitted.transform, X_bad)


def test_non_finite_y_is_rejected_by_regressor():
    y = Y.astype(float)
    y[0] = np.nan
    assert_rejected(ValueError, "Input y contains NaN", LSTMRegressor(**FAST).fit, X3, y)


def test_y_with_wrong_number_of_samples():
    message = "X has 12 samples but y has 11; LSTMClassifier needs one target per sequence."
    assert_rejected(ValueError, message, LSTMClassifier(**FAST).fit, X3, Y[:11])


def test_single_class_is_rejected():
    message = "LSTMClassifier needs samples of at least 2 classes in y; got 1 class: 'a'."
    assert_rejected(ValueError, message, LSTMClassifier(**FAST).fit, X3, np.full(12, "a"))


@pytest.mark.parametrize("ragged", [False, True])
def test_wrong_number_of_features_at_predict(ragged):
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    X = X3[:, :, :2]
    X = list(X) if ragged else X
    message = "X has 2 features, but LSTMClassifier is expecting 3 features as input."
    assert_rejected(ValueError, message, clf.predict, X)


def test_2d_table_width_is_enforced_at_predict():
    clf = LSTMClassifier(**FAST).fit(X3[:, :, 0], Y)
    message = "X has 4 features, but LSTMClassifier is expecting 5 features as input."
    assert_rejected(ValueError, message, clf.predict, X3[:, :4, 0])
    # univariate sequences of any length are still accepted as 3-D or lists
    assert clf.predict(make_ragged(n_samples=3, n_features=1)).shape == (3,)


def test_2d_input_for_a_multivariate_model():
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    message = (
        "X is 2-D, which LSTMClassifier reads as univariate sequences (1 feature per "
        "time step), but it is expecting 3 features as input."
    )
    assert_rejected(ValueError, message, clf.predict, X3[:, :, 0])


@pytest.mark.parametrize(
    "param, value, message",
    [
        ("readout", "avg", "The 'readout' parameter of LSTMClassifier must be one of"),
        ("state", "h", "The 'state' parameter of LSTMClassifier must be a str among"),
        ("layers", "first", "The 'layers' parameter of LSTMClassifier must be a str among"),
        ("head", "deep", "The 'head' parameter of LSTMClassifier must be a str among"),
        ("optimizer", "lbfgs", "The 'optimizer' parameter of LSTMClassifier must be a str among"),
        (
            "hidden_size",
            0,
            "The 'hidden_size' parameter of LSTMClassifier must be an int in the range [1, inf)",
        ),
        (
            "dropout",
            1.5,
            "The 'dropout' parameter of LSTMClassifier must be a float in the range [0.0, 1.0)",
        ),
        ("lr", 0, "The 'lr' parameter of LSTMClassifier must be a float in the range (0.0, inf)"),
        (
            "batch_size",
            0,
            "The 'batch_size' parameter of LSTMClassifier must be an int in the range [1, inf)",
        ),
        (
            "head_hidden_sizes",
            (8, 0),
            "The 'head_hidden_sizes' parameter of LSTMClassifier must be a sequence of "
            "positive ints",
        ),
        (
            "device",
            "tpu",
            "The 'device' parameter of LSTMClassifier must be 'auto', 'cpu', 'cuda'",
        ),
        (
            "forget_bias",
            "one",
            "The 'forget_bias' parameter of LSTMClassifier must be a float in the range "
            "[-100.0, 100.0] or None",
        ),
    ],
)
def test_invalid_hyperparameters(param, value, message):
    clf = LSTMClassifier(**FAST).set_params(**{param: value})
    assert_rejected(ValueError, message, clf.fit, X3, Y)


def test_cuda_requested_without_cuda():
    with mock.patch("torch.cuda.is_available", return_value=False):
        message = "LSTMClassifier got device='cuda', but this machine has 0 CUDA devices"
        assert_rejected(ValueError, message, LSTMClassifier(device="cuda", **FAST).fit, X3, Y)


@pytest.mark.parametrize("device", ["mps", "xpu", "meta", "cuda:99"])
def test_unsupported_or_missing_device_is_a_clear_error(device):
    """Non-regression test for device='mps', 'xpu' or 'meta' reaching torch,
    at fit and through set_params after fit, which left a broken model."""
    with pytest.raises(ValueError, match=re.escape(f"device={device!r}") + "|" + "'device'"):
        LSTMClassifier(device=device, **FAST).fit(X3, Y)
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    expected = clf.predict_proba(X3)
    if device != "cuda:99":  # a CUDA device not present here: the net stays put
        with pytest.raises(ValueError, match="must be 'auto', 'cpu', 'cuda'"):
            clf.set_params(device=device).predict(X3)
    np.testing.assert_array_equal(clf.set_params(device="cpu").predict_proba(X3), expected)


def test_rejected_fit_leaves_fitted_estimator_unchanged():
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    before = clf.predict_proba(X3)
    net = clf.net_
    with pytest.raises(ValueError):
        clf.fit(X3[:, :, :2], Y[:5])
    assert clf.net_ is net and clf.n_features_in_ == 3
    np.testing.assert_array_equal(clf.predict_proba(X3), before)


def test_diverging_training_raises_clear_error_and_keeps_previous_fit():
    y = np.random.RandomState(0).normal(size=12)
    reg = LSTMRegressor(**FAST).fit(X3, y)
    before = reg.predict(X3)
    message = "Scale the features of X (and the targets), or lower lr (now 1000000000000.0)."
    with pytest.raises(FloatingPointError, match=re.escape(message)):
        reg.set_params(optimizer="sgd", lr=1e12, clip_grad_norm=None, max_epochs=5).fit(
            X3 * 1e3, y
        )
    np.testing.assert_array_equal(reg.predict(X3), before)


def test_model_fitted_on_gpu_loads_and_predicts_on_cpu_only_machine():
    """Simulate the device mapping: the net says it lives on CUDA, and the
    machine that unpickles it has no CUDA."""
    import pickle
    import warnings

    clf = LSTMClassifier(**FAST).fit(X3, Y)
    expected = clf.predict_proba(X3)
    clf.net_.device = "cuda"  # as after LSTMClassifier(device="cuda").fit(...)
    payload = pickle.dumps(clf)
    with mock.patch("torch.cuda.is_available", return_value=False), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skorch's DeviceWarning says it maps to CPU
        loaded = pickle.loads(payload)
        assert str(loaded.net_.device) == "cpu"
        np.testing.assert_array_equal(loaded.predict_proba(X3), expected)


def test_set_params_device_moves_a_fitted_model():
    """Fit on a GPU, predict on the CPU in the same process. The GPU is
    simulated: the net says it lives on CUDA while its tensors are on the CPU."""
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    expected = clf.predict_proba(X3)
    clf.net_.device = "cuda"
    clf.set_params(device="cpu")
    with mock.patch("torch.nn.Module.to", wraps=clf.net_.module_.to) as moved:
        np.testing.assert_array_equal(clf.predict_proba(X3), expected)
    assert moved.call_args.args == ("cpu",)
    assert str(clf.net_.device) == "cpu"
    clf.partial_fit(X3, Y)  # the optimiser's state moved along
    for state in clf.net_.optimizer_.state.values():
        assert all(t.device.type == "cpu" for t in state.values() if torch.is_tensor(t))
    # a device not available here leaves the net where skorch put it
    with mock.patch("torch.cuda.is_available", return_value=False):
        clf.set_params(device="cuda").predict(X3)
    assert str(clf.net_.device) == "cpu"


def test_predict_never_hands_torch_a_read_only_array():
    """torch warns (once) on read-only NumPy arrays, such as X from a read-only
    memmap; predict copies those batches instead of viewing them."""
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    expected = clf.predict_proba(X3)
    X_read_only = X3.copy()
    X_read_only.setflags(write=False)
    from_numpy = torch.from_numpy

    def writable_only(array):
        assert array.flags.writeable
        return from_numpy(array)

    with mock.patch("torch.from_numpy", side_effect=writable_only):
        np.testing.assert_array_equal(clf.predict_proba(X_read_only), expected)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "score"])
def test_non_finite_X_is_rejected_at_predict(method):
    clf = LSTMClassifier(**FAST).fit(X3, Y)
    X = X3.copy()
    X[0, 0, 0] = np.nan
    args = (X, Y) if method == "score" else (X,)
    assert_rejected(ValueError, "Input X contains NaN", getattr(clf, method), *args)


def test_partial_fit_on_a_fitted_model_still_validates_parameters(dense_data):
    """scikit-learn's _fit_context skips validation in partial_fit once the
    model is fitted; a value set since then must still be rejected."""
    X, y = dense_data
    clf = LSTMClassifier(**FAST).partial_fit(X, y, classes=np.unique(y))
    clf.set_params(lr=-1.0)
    with pytest.raises(InvalidParameterError, match="'lr' parameter of LSTMClassifier"):
        clf.partial_fit(X, y)


@pytest.mark.parametrize(
    "callbacks, message",
    [
        ([1], "must be a list of skorch callbacks or (name, callback) tuples. Got 1"),
        (["print_log"], "Got 'print_log' in it"),
        ([("a", 1)], "Got ('a', 1) in it"),
        ([EarlyStopping()], "watches 'valid_loss', but without early stopping"),
    ],
)
def test_bad_callbacks_are_clear_errors(callbacks, message):
    """Non-regression test for raw skorch errors (AttributeError, KeyError)
    from bad callbacks."""
    clf = LSTMClassifier(**FAST, callbacks=callbacks)
    assert_rejected(ValueError, message, clf.fit, X3, Y)
    fitted = LSTMClassifier(**FAST).fit(X3, Y)
    expected = fitted.predict_proba(X3)
    with pytest.raises(ValueError, match=re.escape(message)):
        fitted.set_params(callbacks=callbacks).partial_fit(X3, Y)
    np.testing.assert_array_equal(fitted.predict_proba(X3), expected)


def test_skorch_callback_classes_and_named_callbacks_are_accepted():
    callbacks = [PrintLog, ("early", EarlyStopping(monitor="train_loss", patience=100))]
    clf = LSTMClassifier(**FAST, callbacks=callbacks).fit(X3, Y)
    assert "early" in dict(clf.net_.callbacks_)


@pytest.mark.parametrize("layout", ["array", "list"])
def test_values_beyond_float32_are_a_clear_error(layout):
    """Non-regression test for float64 X beyond float32's range giving NaN
    probabilities, and for SequenceScaler returning NaN silently."""
    X = X3.astype(np.float64)
    X[0, 0, 0] = 1e39
    X = list(X) if layout == "list" else X
    message = "X has values beyond the range of float32"
    assert_rejected(ValueError, message, LSTMClassifier(**FAST).fit, X, Y)
    fitted = LSTMClassifier(**FAST).fit(X3, Y)
    with pytest.raises(ValueError, match=message):
        fitted.predict(X)
    with pytest.raises(ValueError, match=message):
        SequenceScaler().fit(X)


def test_regression_targets_beyond_float32_are_a_clear_error():
    y = np.ones(len(X3)) * 1e39
    message = "y has values beyond the range of float32"
    assert_rejected(ValueError, message, LSTMRegressor(**FAST).fit, X3, y)


@pytest.mark.parametrize("value", [-1e30, float("nan"), 1e3])
def test_forget_bias_must_be_moderate(value):
    """Non-regression test for forget_bias=-1e30 (outputs then depend on
    padding) and nan being accepted."""
    clf = LSTMClassifier(**FAST, forget_bias=value)
    assert_rejected(ValueError, "'forget_bias' parameter of LSTMClassifier", clf.fit, X3, Y)


@pytest.mark.parametrize(
    "class_weight", [{0: float("nan"), 1: 1.0}, {0: -1.0, 1: 1.0}, {0: 0, 1: 0}]
)
def test_bad_class_weights_are_a_clear_error(class_weight):
    """Non-regression test for NaN, negative or all-zero class weights ending
    in a 'training loss became nan' message."""
    clf = LSTMClassifier(**FAST, class_weight=class_weight)
    message = "The class_weight of LSTMClassifier must map classes to finite weights"
    assert_rejected(ValueError, message, clf.fit, X3, Y)


def test_per_step_score_with_sample_weight_of_the_wrong_length():
    """Non-regression test for a raw NumPy error from np.repeat."""
    X = make_ragged(n_samples=10)
    steps = [(x[:, 0] > 0).astype(int) for x in X]
    clf = LSTMClassifier(**FAST, readout="sequence").fit(X, steps)
    with pytest.raises(ValueError, match="sample_weight.shape == \\(3,\\), expected \\(10,\\)"):
        clf.score(X, steps, sample_weight=np.ones(3))
    assert 0 <= clf.score(X, steps, sample_weight=np.arange(10)) <= 1


def test_per_step_targets_with_different_widths_are_a_clear_error():
    """Non-regression test for a raw NumPy concatenate error."""
    X = make_ragged(n_samples=3)
    y = [np.zeros(len(X[0]))] + [np.zeros((len(x), 2)) for x in X[1:]]
    message = "every sequence needs the same number of targets per time step"
    assert_rejected(ValueError, message, LSTMRegressor(**FAST, readout="sequence").fit, X, y)


def test_per_step_outputs_keep_the_list_layout_of_equal_length_sequences():
    """Non-regression test for a list of equal-length sequences getting its
    per-step outputs back as one array, where the docs promise a list."""
    X = [x for x in X3]  # a list of 12 arrays of 5 steps
    steps = [(x[:, 0] > 0).astype(int) for x in X]
    clf = LSTMClassifier(**FAST, readout="sequence").fit(X, steps)
    out = clf.predict(X)
    assert isinstance(out, list) and [o.shape for o in out] == [(5,)] * 12
    np.testing.assert_array_equal(np.stack(out), clf.predict(X3))
    assert isinstance(SequenceScaler().fit_transform(X), list)
    assert isinstance(SequenceScaler().fit_transform(X3), np.ndarray)


def test_pandas_output_of_sequences_is_a_clear_error():
    """Non-regression test for pandas' raw 'Must pass 2-d input' error."""
    pd = pytest.importorskip("pandas")
    scaler = SequenceScaler().set_output(transform="pandas").fit(X3)
    with pytest.raises(ValueError, match="returns a 3-D array here, which set_output"):
        scaler.transform(X3)
    # a 2-D table of univariate sequences does become a DataFrame
    assert isinstance(scaler.fit_transform(X3[:, :, 0]), pd.DataFrame)
    np.testing.assert_allclose(
        scaler.set_output(transform="default").inverse_transform(scaler.transform(X3[:, :, 0])),
        X3[:, :, 0],
        atol=1e-5,
    )
    enc = LSTMEncoderTransformer(**FAST, readout="sequence").fit(X3)
    enc.set_output(transform="pandas")
    with pytest.raises(ValueError, match="LSTMEncoderTransformer.transform returns a 3-D"):
        enc.transform(X3)


def test_weak_input_messages_are_precise():
    """Non-regression tests for a list of sparse matrices rejected as 'dtype
    object', a generator as a 'scalar array', and a new label in a warm-start
    fit blamed on 'the first call of partial_fit'."""
    sparse = pytest.importorskip("scipy.sparse")
    X = [sparse.csr_matrix(x) for x in X3]
    assert_rejected(TypeError, "X[0] is a sparse matrix", LSTMClassifier(**FAST).fit, X, Y)
    generator = (x for x in X3)
    message = "X is a generator, but LSTMClassifier needs sequences it can index"
    assert_rejected(TypeError, message, LSTMClassifier(**FAST).fit, generator, Y)
    clf = LSTMClassifier(**FAST, warm_start=True).fit(X3, Y)
    with pytest.raises(ValueError, match=r"labels \[2\] that LSTMClassifier does not know"):
        clf.fit(X3, np.where(Y == 1, 2, Y))


# -- input a user really passes (#35) ----------------------------------------

LONG_HINT = "build the sequences with sklstm.utils.from_long(X, id=..., time=...) first."


@pytest.mark.parametrize("column", ["id", "patient_id", "time", "Timestamp"])
def test_a_long_table_is_refused_with_the_conversion(column):
    # Non-regression test for #35.
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    long = pd.DataFrame(
        {
            column: np.repeat(np.arange(6), 4),
            "heart_rate": rng.normal(size=24),
            "spo2": rng.normal(size=24),
        }
    )
    message = f"X has a column named {column!r}, which looks like an id or a time"
    clf = LSTMClassifier(**FAST)
    assert_rejected(ValueError, message, clf.fit, long, np.arange(24) % 2)
    assert_rejected(ValueError, LONG_HINT, clf.fit, long, np.arange(24) % 2)


def test_a_table_with_a_date_or_text_column_is_a_clear_error():
    # Non-regression test for #35: numpy's DTypePromotionError escaped.
    pd = pytest.importorskip("pandas")
    values = np.random.RandomState(0).normal(size=12)
    dated = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=12), "x": values})
    message = "X has the column 'when' of dtype datetime64"
    assert_rejected(TypeError, message, LSTMClassifier(**FAST).fit, dated, Y)
    assert_rejected(TypeError, LONG_HINT, LSTMClassifier(**FAST).fit, dated, Y)
    text = pd.DataFrame({"subject": ["a", "b"] * 6, "x": values})
    message = "X has the column 'subject' of dtype"
    assert_rejected(TypeError, message, LSTMClassifier(**FAST).fit, text, Y)
    # a wide table of univariate sequences is read as before
    wide = pd.DataFrame(X3[:, :, 0], columns=[f"t{i}" for i in range(5)])
    assert LSTMClassifier(**FAST).fit(wide, Y).n_features_in_ == 5


def test_a_list_of_dataframes_with_missing_values_says_missing_values():
    # Non-regression test for #35: "dtype object" instead of "missing values".
    pd = pytest.importorskip("pandas")
    frames = [pd.DataFrame(x, columns=["a", "b", "c"]) for x in X3]
    frames[3] = frames[3].astype({"a": "Float64"})
    frames[3].iloc[1, 0] = pd.NA
    message = "Input X contains NaN. LSTMClassifier does not accept missing or infinite values"
    assert_rejected(ValueError, message, LSTMClassifier(**FAST).fit, frames, Y)
    dated = [frame.assign(when=pd.Timestamp("2024-01-01")) for frame in frames]
    message = "X[0] has the column 'when' of dtype datetime64"
    assert_rejected(TypeError, message, LSTMClassifier(**FAST).fit, dated, Y)


def test_numeric_object_arrays_are_converted():
    # Non-regression test for #35: a list of object arrays of numbers was refused.
    X = [x.astype(object) for x in X3]
    clf = LSTMClassifier(**FAST).fit(X, Y)
    np.testing.assert_array_equal(
        clf.predict_proba(X), LSTMClassifier(**FAST).fit(list(X3), Y).predict_proba(X3)
    )
    X[2][0, 0] = "a"
    message = "X[2] has dtype object, but LSTMClassifier needs numeric sequences"
    assert_rejected(TypeError, message, LSTMClassifier(**FAST).fit, X, Y)


def _object_array(items):
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


@pytest.mark.parametrize(
    "y, exc_type, message",
    [
        (
            ["a", 1] * 6,
            TypeError,
            "y mixes labels of types str and number (e.g. 'a' and 1), which LSTMClassifier "
            "cannot sort or compare. Convert them to one type first, e.g. y = np.asarray(y, "
            "dtype=str).",
        ),
        (_object_array(["a", 1] * 6), TypeError, "y mixes labels of types str and number"),
        (
            _object_array([(1, 2), (3,)] * 6),
            ValueError,
            "y holds sequences as labels (e.g. (1, 2)), which LSTMClassifier cannot read",
        ),
        (
            [[0, 1], [1]] * 6,
            ValueError,
            "y is a list of lists (or tuples) of different lengths, or of lists next to "
            "single labels, which LSTMClassifier cannot read as labels",
        ),
        ([[0, 1], [1]] * 6, ValueError, "sklearn.preprocessing.MultiLabelBinarizer()"),
    ],
)
def test_labels_numpy_cannot_read_are_errors_that_name_y(y, exc_type, message):
    # Non-regression test for #35: numpy's messages did not name y.
    assert_rejected(exc_type, message, LSTMClassifier(**FAST).fit, X3, y)


def test_partial_fit_refuses_nan_among_the_classes():
    # Non-regression test for #35.
    message = "classes contains a missing value (NaN or None), which cannot be a class label."
    clf = LSTMClassifier(**FAST)
    assert_rejected(ValueError, message, clf.partial_fit, X3, Y.astype(float), [0.0, 1.0, np.nan])
    assert_rejected(ValueError, message, clf.partial_fit, X3, Y, _object_array([0, 1, None]))
    message = "classes mixes labels of types str and number"
    assert_rejected(TypeError, message, clf.partial_fit, X3, Y, ["a", 0, 1])


def test_a_datetime_regression_target_is_refused():
    # Non-regression test for #35: dates were regressed on as nanoseconds.
    y = np.datetime64("2024-01-01") + np.arange(12).astype("timedelta64[D]")
    message = "y has dtype datetime64[D], but LSTMRegressor regresses on numbers"
    assert_rejected(TypeError, message, LSTMRegressor(**FAST).fit, X3, y)
    steps = LSTMRegressor(**FAST, readout="sequence")
    assert_rejected(TypeError, message, steps.fit, X3, np.repeat(y[:, None], 5, axis=1))
    pd = pytest.importorskip("pandas")
    message = "y has dtype datetime64"
    assert_rejected(TypeError, message, LSTMRegressor(**FAST).fit, X3, pd.Series(y))
    assert_rejected(TypeError, message, LSTMRegressor(**FAST).fit, X3, pd.DataFrame({"t": y}))
    # a Series of numbers (whose dtypes is one dtype, not a list) is a target
    LSTMRegressor(**FAST).fit(X3, pd.Series(np.arange(12)))


@pytest.mark.parametrize("Estimator", [LSTMClassifier, LSTMRegressor])
@pytest.mark.parametrize("ragged", [False, True])
def test_per_step_targets_need_the_sequence_readout(Estimator, ragged):
    # Non-regression test for #35: equal-length per-step y trained as many targets.
    X = make_ragged(n_samples=12) if ragged else list(X3)
    y = [(x[:, 0] > 0).astype(int) for x in X]
    message = (
        f"y holds one array per sequence with one value per time step (y[0] has "
        f"{len(X[0])} values and X[0] {len(X[0])} time steps): per-step targets, which "
        f"{Estimator.__name__} trains on only with readout='sequence'."
    )
    assert_rejected(ValueError, message, Estimator(**FAST).fit, X, y)
    assert Estimator(**FAST, readout="sequence").fit(X, y).predict(X)[0].shape == y[0].shape


def test_per_step_shape_errors_print_the_shape_of_y():
    # Non-regression test for #35: the error printed the flattened shape.
    clf = LSTMClassifier(**FAST, readout="sequence")
    message = (
        "y has shape (12, 5, 2), but LSTMClassifier with readout='sequence' takes y of "
        "shape (12, 5), one label per time step."
    )
    assert_rejected(ValueError, message, clf.fit, X3, np.zeros((12, 5, 2)))
    reg = LSTMRegressor(**FAST, readout="sequence")
    message = "y has shape (12, 5, 2, 2), but LSTMRegressor with readout='sequence' takes"
    assert_rejected(ValueError, message, reg.fit, X3, np.zeros((12, 5, 2, 2)))
    message = "y[0] has shape (5, 2, 2), but LSTMRegressor with readout='sequence' takes"
    assert_rejected(ValueError, message, reg.fit, list(X3), list(np.zeros((12, 5, 2, 2))))


@pytest.mark.parametrize("Estimator", [LSTMClassifier, LSTMRegressor])
def test_non_finite_predictions_are_an_error_naming_the_scale_of_X(Estimator):
    # Non-regression test for #35: X near float32's limit gave NaN silently.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(24, 8, 3)).astype(np.float32)
    est = Estimator(**FAST, frontend="conv").fit(X, np.arange(24) % 2)
    expected = est.predict(X)
    huge = np.sign(X) * 3e38  # sums of +-3e38 in the convolutions overflow float32
    message = (
        f"{Estimator.__name__} computed outputs that are not finite for X, whose values "
        "reach 3e+38 in absolute value: the network overflows float32 on values that "
        "large. Scale X as the training data were scaled"
    )
    methods = ["predict", "predict_proba"] if Estimator is LSTMClassifier else ["predict"]
    for method in methods:
        with pytest.raises(ValueError, match=re.escape(message)):
            getattr(est, method)(huge)
    np.testing.assert_array_equal(est.predict(X), expected)


def test_sample_weight_of_any_scale_trains_as_its_ratios():
    # Non-regression test for #35: weights of 1e300 overflowed float32 and
    # the loss error advised scaling X.
    y = Y.astype(float)
    weight = np.arange(1, 13, dtype=float)
    expected = LSTMRegressor(**FAST).fit(X3, y, sample_weight=weight).predict(X3)
    for scale in [1e300, 2.0**-1000]:
        got = LSTMRegressor(**FAST).fit(X3, y, sample_weight=weight * scale).predict(X3)
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_assert_rejected_fails_when_a_network_ran_first():
    """The helper the rejection tests rely on can fail: any module called
    before the error counts, not only the LSTM."""

    def runs_a_layer_then_raises():
        torch.nn.Linear(1, 1)(torch.zeros(1, 1))
        raise ValueError("too late")

    with pytest.raises(AssertionError, match="torch was called"):
        assert_rejected(ValueError, "too late", runs_a_layer_then_raises)
