"""A fitted model answers from its fitted state, and training that goes on
(warm_start, partial_fit) follows scikit-learn's semantics."""

from numbers import Real

import numpy as np
import pytest
import torch
from conftest import FAST, make_order_problem
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor


@pytest.fixture
def fitted(dense_data):
    X, y = dense_data
    return LSTMClassifier(**FAST).fit(X, y), X, y


def test_predictions_ignore_set_params_after_fit(fitted):
    """Non-regression test for set_params(readout=...) after fit breaking
    predict with an IndexError."""
    clf, X, _ = fitted
    proba = clf.predict_proba(X)
    clf.set_params(readout="sequence")
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.predict(X).shape == (len(X),)
    assert 0 <= clf.score(X, clf.predict(X)) <= 1


@pytest.mark.parametrize("n_networks", [1, 2])
def test_predict_leaves_the_fitted_model_unchanged(dense_data, n_networks):
    """Non-regression test for the first predict switching the fitted network
    from training to inference mode, a change of the fitted model that
    aeon's check_non_state_changing_method found (its hash changed)."""
    X, y = dense_data
    clf = LSTMClassifier(n_networks=n_networks, **FAST).fit(X, y)
    training = [module.training for module in clf.net_.module_.modules()]
    assert not any(training)
    clf.predict_proba(X)
    clf.partial_fit(X, y)
    assert not any(module.training for module in clf.net_.module_.modules())


@pytest.mark.parametrize(
    "param, value",
    [("hidden_size", 6), ("readout", "mean"), ("num_layers", 2), ("n_networks", 2)],
)
@pytest.mark.parametrize("call", ["partial_fit", "warm_start"])
def test_a_new_network_shape_is_a_clear_error(fitted, param, value, call):
    """Non-regression test for warm_start and partial_fit ignoring a changed
    hidden_size, num_layers or readout."""
    clf, X, y = fitted
    proba = clf.predict_proba(X)
    clf.set_params(**{param: value})
    with pytest.raises(ValueError, match=f"fitted with {param}=.*cannot use {param}={value!r}"):
        if call == "partial_fit":
            clf.partial_fit(X, y)
        else:
            clf.set_params(warm_start=True).fit(X, y)
    # the fitted model is untouched
    clf.set_params(**{param: clf._network_params_[param]})
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.net_.module_.lstm.hidden_size == FAST["hidden_size"]


def test_partial_fit_uses_the_current_training_parameters(fitted):
    """Non-regression test for partial_fit ignoring set_params(lr=...,
    optimizer=..., weight_decay=..., class_weight=...)."""
    clf, X, y = fitted
    steps = float(clf.net_.optimizer_.state_dict()["state"][0]["step"])
    clf.set_params(lr=0.05, weight_decay=0.01, class_weight={"neg": 1.0, "pos": 3.0})
    clf.partial_fit(X, y)
    optimizer = clf.net_.optimizer_
    assert isinstance(optimizer, torch.optim.Adam)
    assert optimizer.param_groups[0]["lr"] == 0.05
    assert optimizer.param_groups[0]["weight_decay"] == 0.01
    # the same optimizer went on: its step counts grew
    assert float(optimizer.state_dict()["state"][0]["step"]) > steps
    np.testing.assert_array_equal(clf.net_.criterion_.class_weight.numpy(), [1.0, 3.0])
    clf.set_params(optimizer="sgd", lr=0.1).partial_fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.SGD)
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 0.1


def test_warm_start_fit_starts_a_new_optimizer_with_current_settings(dense_data):
    X, y = dense_data
    y = X[:, :, 0].sum(axis=1)
    reg = LSTMRegressor(**FAST, warm_start=True).fit(X, y)
    reg.set_params(optimizer="rmsprop", lr=0.003, lr_schedule="constant").fit(X, y)
    assert isinstance(reg.net_.optimizer_, torch.optim.RMSprop)
    assert reg.net_.optimizer_.param_groups[0]["lr"] == 0.003
    assert reg.n_iter_ == 2 * FAST["max_epochs"]


def test_partial_fit_rejects_a_new_class_set(dense_data):
    """Non-regression test for partial_fit(classes=[...]) with another class
    set keeping the old classes silently."""
    X, y = dense_data
    clf = LSTMClassifier(**FAST).partial_fit(X, y, classes=["neg", "pos"])
    with pytest.raises(ValueError, match=r"classes=\['neg', 'new', 'pos'\].*cannot change"):
        clf.partial_fit(X, y, classes=["neg", "pos", "new"])
    clf.partial_fit(X, y, classes=["pos", "neg"])  # the same set, in any order
    np.testing.assert_array_equal(clf.classes_, ["neg", "pos"])


def test_transformer_objective_cannot_change_when_training_goes_on(dense_data):
    X, _ = dense_data
    enc = LSTMEncoderTransformer(**FAST, objective="autoencoder").fit(X)
    enc.set_params(objective="contrastive")
    with pytest.raises(ValueError, match="fitted with objective='autoencoder'"):
        enc.partial_fit(X)


@pytest.mark.parametrize(
    "params",
    [
        {"hidden_size": np.int64(3)},
        {"bidirectional": np.bool_(True)},
        {"forget_bias": np.float32(1.0)},
        {"n_networks": np.int64(2)},
        {"head": "mlp", "head_hidden_sizes": np.array([3])},
    ],
)
def test_numpy_scalar_hyperparameters(dense_data, params):
    """Non-regression test for NumPy scalars (as from a grid of np.arange)
    crashing inside torch."""
    X, y = dense_data
    clf = LSTMClassifier(**{**FAST, **params}).fit(X, y)
    assert clf.predict(X).shape == (len(X),)


def test_numpy_scalar_n_components(dense_data):
    X, _ = dense_data
    enc = LSTMEncoderTransformer(**FAST, n_components=np.int64(2)).fit(X)
    assert enc.transform(X).shape == (len(X), 2)


class _Interrupt(Callback):
    """Raise ``error`` at the end of epoch ``at`` (of the net's history)."""

    def __init__(self, at=1, error=KeyboardInterrupt):
        self.at = at
        self.error = error

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.at:
            raise self.error


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
@pytest.mark.parametrize("call", ["partial_fit", "warm_start"])
def test_an_interrupted_call_leaves_the_fitted_model_as_it_was(fitted, error, call):
    """Non-regression test for Ctrl-C being swallowed (fit returning as if
    complete) and for a raising callback leaving changed weights with the
    old n_iter_ and loss_curve_."""
    clf, X, y = fitted
    proba, n_iter, losses = clf.predict_proba(X), clf.n_iter_, list(clf.loss_curve_)
    clf.set_params(callbacks=[_Interrupt(at=n_iter + 1, error=error)])
    with pytest.raises(error):
        if call == "partial_fit":
            clf.partial_fit(X, y)
        else:
            clf.set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_ == n_iter and clf.loss_curve_ == losses
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_a_diverging_partial_fit_leaves_the_fitted_model_as_it_was(dense_data):
    """Non-regression test for a diverging partial_fit leaving NaN weights."""
    X, _ = dense_data
    y = X[:, :, 0].sum(axis=1)
    reg = LSTMRegressor(**FAST).fit(X, y)
    before, n_iter = reg.predict(X), reg.n_iter_
    reg.set_params(optimizer="sgd", lr=1e12, clip_grad_norm=None, batch_size=2)
    with pytest.raises(FloatingPointError, match=r"lower lr \(now 1000000000000.0\)"):
        reg.partial_fit(X * 1e3, y)
    assert reg.n_iter_ == n_iter
    np.testing.assert_array_equal(reg.predict(X), before)


def test_ctrl_c_stops_a_fresh_fit_and_a_search(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(**{**FAST, "max_epochs": 3}, callbacks=[_Interrupt(at=1)])
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")
    search = GridSearchCV(clf, {"hidden_size": [3, 4]}, cv=2)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)


def test_early_stopping_still_ends_training(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(
        **{**FAST, "max_epochs": 200}, early_stopping=True, n_iter_no_change=2, lr=0.5
    ).fit(X, y)
    assert clf.n_iter_ < 200
    assert clf.n_iter_ == len(clf.loss_curve_)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_no_tensor_is_pickled_outside_the_torch_parts_of_the_net(early_stopping):
    """Non-regression test: the lr schedule's torch scheduler held the optimizer,
    so pickle wrote its tensors a second time in the main stream, where a
    model fitted on a GPU could not load without CUDA (skorch issue #1096).
    skorch writes module_, optimizer_ and criterion_ with torch.save, which
    maps devices; nothing else may hold a tensor."""
    import io
    import pickle

    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    clf = LSTMClassifier(**FAST, early_stopping=early_stopping, validation_fraction=0.25)
    clf.fit(X, y).partial_fit(X, y)
    found = []

    class RecordingPickler(pickle.Pickler):
        def reducer_override(self, obj):
            if isinstance(obj, (torch.Tensor, torch.nn.Module, torch.optim.Optimizer)):
                found.append(type(obj).__name__)
            return NotImplemented

    RecordingPickler(io.BytesIO()).dump(clf)
    assert found == []


# Values no constraint can derive: another value of the same kind.
_OTHER_VALUES = {
    "readout": lambda value: "mean" if value != "mean" else "last",
    "head_hidden_sizes": lambda value: (5, 3),
    "device": lambda value: "cpu" if value != "cpu" else "auto",
    "callbacks": lambda value: [("other", Callback())],
    "random_state": lambda value: 12345,
    "verbose": lambda value: 0 if value else 1,
    "encoder": lambda value: LSTMEncoderTransformer(**FAST),
    "class_weight": lambda value: "balanced" if value is None else None,
}


def _other_value(Est, name, value):
    """A valid value of hyperparameter ``name`` other than ``value``, derived
    from the estimator's parameter constraints."""
    if name in _OTHER_VALUES:
        return _OTHER_VALUES[name](value)
    for constraint in Est._parameter_constraints[name]:
        if constraint == "boolean":
            return not value
        options = sorted(getattr(constraint, "options", set()) - {value})
        if options:
            return options[0]
        if hasattr(constraint, "left"):
            number = value if isinstance(value, (int, float)) else 1
            candidates = [number + 1, number * 2, number / 2, 0.5, 0.25]
            if constraint.type is not Real:  # integers only
                candidates = [int(c) for c in candidates if c == int(c)]
            for candidate in candidates:
                if candidate != value and constraint.is_satisfied_by(candidate):
                    return candidate
    raise AssertionError(f"no other value for {Est.__name__}.{name}={value!r}")


def _answers(est, X, y):
    """Everything a fitted estimator answers: its outputs and, where ONNX is
    installed, what its exported model computes."""
    answers = [
        getattr(est, method)(X)
        for method in ("predict", "predict_proba", "transform")
        if hasattr(est, method)
    ]
    if y is not None:
        answers.append(est.score(X, y))
    try:
        from sklstm.onnx import run, to_onnx

        answers += list(run(to_onnx(est), X).values())
    except ImportError:  # onnx or onnxruntime is not installed
        pass
    return answers


_FITTED = {
    "classifier": (LSTMClassifier, "labels"),
    "regressor": (LSTMRegressor, "values"),
    "encoder": (LSTMEncoderTransformer, None),
}


@pytest.mark.parametrize("kind", list(_FITTED))
def test_set_params_of_any_hyperparameter_changes_no_answer_until_the_next_fit(kind, dense_data):
    """Every hyperparameter, set to another valid value after fit, changes no
    prediction, transform, score or export: they read the fitted state."""
    Est, target = _FITTED[kind]
    X, labels = dense_data
    y = {"labels": labels, "values": X[:, :, 0].sum(axis=1), None: None}[target]
    est = Est(**FAST).fit(X, y)
    before = _answers(est, X, y)
    for name, value in Est(**FAST).get_params().items():
        est.set_params(**{name: _other_value(Est, name, value)})
        for got, expected in zip(_answers(est, X, y), before):
            np.testing.assert_array_equal(got, expected, err_msg=name)
        est.set_params(**{name: value})
