"""readout='sequence': one output per time step."""

import numpy as np
import pytest
from conftest import FAST, assert_rejected, make_ragged
from sklearn.model_selection import GridSearchCV, train_test_split

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor

SEQ = {**FAST, "readout": "sequence"}


def running_sum_problem(n_samples=64, n_timesteps=20, seed=0):
    """The per-step problem: y_t = x_1 + ... + x_t."""
    X = np.random.RandomState(seed).normal(size=(n_samples, n_timesteps, 1)).astype(np.float32)
    return X, np.cumsum(X[:, :, 0], axis=1)


def ragged_running_sum(n_samples=20, seed=0):
    X = make_ragged(n_samples=n_samples, min_length=2, max_length=12, seed=seed)
    return X, [np.cumsum(x[:, 0]) for x in X]


# -- shapes and layouts -------------------------------------------------------


def test_regressor_per_step_shapes_dense():
    X, y = running_sum_problem(n_samples=12, n_timesteps=6)
    assert LSTMRegressor(**SEQ).fit(X, y).predict(X).shape == (12, 6)
    Y = np.stack([y, -y], axis=-1)
    assert LSTMRegressor(**SEQ).fit(X, Y).predict(X).shape == (12, 6, 2)


def test_classifier_per_step_shapes_and_labels_dense():
    X, y = running_sum_problem(n_samples=12, n_timesteps=6)
    labels = np.where(y > 0, "pos", "neg")
    clf = LSTMClassifier(**SEQ).fit(X, labels)
    pred = clf.predict(X)
    assert pred.shape == (12, 6) and set(np.unique(pred)) <= {"pos", "neg"}
    proba = clf.predict_proba(X)
    assert proba.shape == (12, 6, 2)
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0, rtol=1e-12)


def test_transformer_per_step_shape():
    X, _ = running_sum_problem(n_samples=8, n_timesteps=5)
    enc = LSTMEncoderTransformer(n_components=3, **SEQ).fit(X)
    assert enc.transform(X).shape == (8, 5, 3)


def test_ragged_predictions_keep_each_sequence_length():
    X, y = ragged_running_sum()
    lengths = [len(x) for x in X]
    for est, target in [
        (LSTMRegressor(**SEQ), y),
        (LSTMClassifier(**SEQ), [t > 0 for t in y]),
        (LSTMEncoderTransformer(**SEQ), None),
    ]:
        est.fit(X, target)
        out = est.transform(X) if hasattr(est, "transform") else est.predict(X)
        assert isinstance(out, list)
        assert [len(o) for o in out] == lengths
    proba = LSTMClassifier(**SEQ).fit(X, [t > 0 for t in y]).predict_proba(X)
    assert [p.shape for p in proba] == [(n, 2) for n in lengths]


# -- exactness ----------------------------------------------------------------


@pytest.mark.parametrize("bidirectional", [False, True])
def test_sequence_alone_equals_sequence_in_padded_batch(bidirectional):
    X, y = ragged_running_sum()
    reg = LSTMRegressor(**{**SEQ, "bidirectional": bidirectional}).fit(X, y)
    in_batch = reg.predict(X)
    for x, pred in zip(X, in_batch):
        np.testing.assert_allclose(reg.predict([x])[0], pred, atol=1e-5)


def test_unidirectional_model_is_causal():
    X, y = running_sum_problem(n_samples=16, n_timesteps=12)
    reg = LSTMRegressor(**SEQ).fit(X, y)
    changed = X.copy()
    changed[:, 7:] = np.random.RandomState(1).normal(size=changed[:, 7:].shape)
    before, after = reg.predict(X), reg.predict(changed)
    np.testing.assert_array_equal(after[:, :7], before[:, :7])  # the past does not move
    assert not np.allclose(after[:, 7:], before[:, 7:])


def test_bidirectional_model_sees_the_future():
    X, y = running_sum_problem(n_samples=16, n_timesteps=12)
    reg = LSTMRegressor(**{**SEQ, "bidirectional": True}).fit(X, y)
    changed = X.copy()
    changed[:, 7:] += 1.0
    assert not np.allclose(reg.predict(changed)[:, :7], reg.predict(X)[:, :7])


def test_training_loss_is_computed_over_real_steps_only():
    # With one batch, the first recorded loss is the loss of the initial
    # weights, which an untrained twin (same random_state) has too.
    X, y = ragged_running_sum(n_samples=8)
    # no batch normalisation, whose training loss uses batch statistics
    params = {**SEQ, "batch_size": 8, "frontend": "patch"}
    reg = LSTMRegressor(**{**params, "max_epochs": 1}).fit(X, y)
    untrained = LSTMRegressor(**{**params, "max_epochs": 0}).fit(X, y)
    residuals = np.concatenate(untrained.predict(X)) - np.concatenate(y)
    scaled_mse = np.mean((residuals / untrained._y_scale_) ** 2)
    assert reg.loss_curve_[0] == pytest.approx(scaled_mse, rel=1e-5)

    labels = [t > 0 for t in y]
    clf = LSTMClassifier(**{**params, "max_epochs": 1}).fit(X, labels)
    proba = np.concatenate(
        LSTMClassifier(**{**params, "max_epochs": 0}).fit(X, labels).predict_proba(X)
    )
    cross_entropy = -np.mean(
        np.log(proba[np.arange(len(proba)), np.concatenate(labels).astype(int)])
    )
    assert clf.loss_curve_[0] == pytest.approx(cross_entropy, rel=1e-5)


# -- scores and search --------------------------------------------------------


def test_score_is_over_real_steps():
    X, y = ragged_running_sum()
    reg = LSTMRegressor(**SEQ).fit(X, y)
    pred = np.concatenate(reg.predict(X))
    true = np.concatenate(y)
    expected = 1 - ((true - pred) ** 2).sum() / ((true - true.mean()) ** 2).sum()
    assert reg.score(X, y) == pytest.approx(expected, rel=1e-5)
    labels = [t > 0 for t in y]
    clf = LSTMClassifier(**SEQ).fit(X, labels)
    accuracy = np.mean(np.concatenate(clf.predict(X)) == np.concatenate(labels))
    assert clf.score(X, labels) == pytest.approx(accuracy)


def test_grid_search_over_a_sequence_model():
    X, y = ragged_running_sum(n_samples=24)
    search = GridSearchCV(
        LSTMRegressor(**SEQ), {"hidden_size": [3, 5], "bidirectional": [False, True]}, cv=2
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_default_per_step_models_learn_running_sum():
    X, y = running_sum_problem()
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    reg = LSTMRegressor(readout="sequence", random_state=0).fit(X_train, y_train)
    assert reg.score(X_test, y_test) > 0.8
    clf = LSTMClassifier(readout="sequence", random_state=0).fit(X_train, y_train > 0)
    assert clf.score(X_test, y_test > 0) > 0.8


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_y, message",
    [
        (
            lambda X: [np.zeros(len(x) + (i == 3)) for i, x in enumerate(X)],
            "y[3] has {n} time steps, but X[3] has {m}; readout='sequence' needs one "
            "target per time step of each sequence.",
        ),
        (
            lambda X: np.zeros((len(X), 5)),
            "X holds sequences of different lengths, so per-step y must be a list",
        ),
    ],
)
def test_per_step_y_must_match_X(make_y, message):
    X, _ = ragged_running_sum()
    y = make_y(X)
    if "{n}" in message:
        message = message.format(n=len(X[3]) + 1, m=len(X[3]))
    assert_rejected(ValueError, message, LSTMRegressor(**SEQ).fit, X, y)


def test_dense_per_step_y_of_wrong_length():
    X, y = running_sum_problem(n_samples=6, n_timesteps=5)
    message = (
        "y has shape (6, 4), but readout='sequence' needs one target per time step: "
        "y of shape (6, 5) or (6, 5, n_targets)."
    )
    assert_rejected(ValueError, message, LSTMClassifier(**SEQ).fit, X, y[:, :4] > 0)
