"""Behaviour of the three estimators as scikit-learn users meet them."""

import pickle
import re

import joblib
import numpy as np
import pytest
import torch
from conftest import FAST, make_order_problem, make_ragged, outputs
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor
from sklstm.datasets import load_chinatown

ESTIMATORS = [LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer]


def targets_for(Est, y):
    """Labels for the classifier, numbers for the others."""
    y = np.asarray(y)
    if Est is LSTMClassifier:
        return y if y.dtype.kind in "OUSb" else y > np.median(y)
    return y if y.dtype.kind in "fi" else (y == y[0]).astype(float)


# -- classifier ---------------------------------------------------------------


@pytest.mark.parametrize("labels", [["neg", "pos"], [3, 7], [True, False], ["a", "b", "c"]])
def test_classifier_labels_of_any_type(dense_data, labels):
    X, _ = dense_data
    y = np.array(labels)[np.arange(len(X)) % len(labels)]
    clf = LSTMClassifier(**FAST).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    pred = clf.predict(X)
    assert pred.dtype == y.dtype
    assert set(pred) <= set(y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(labels))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(pred, clf.classes_[proba.argmax(axis=1)])


def test_classifier_learns_string_labels_on_ragged_sequences():
    X = make_ragged(n_samples=60, min_length=4, max_length=12, seed=3)
    y = np.array(["up" if x[-1, 0] > x[0, 0] else "down" for x in X])
    clf = LSTMClassifier(max_epochs=60, random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.9


# -- regressor ----------------------------------------------------------------


def test_regressor_1d_and_2d_targets(ragged_data):
    X, y = ragged_data
    reg = LSTMRegressor(**FAST).fit(X, y)
    assert reg.predict(X).shape == (len(X),)
    Y = np.column_stack([y, -2 * y, np.ones_like(y)])
    reg = LSTMRegressor(**FAST).fit(X, Y)
    assert reg.predict(X).shape == (len(X), 3)


def test_regressor_predicts_in_original_units():
    # constant target far from zero: the internal scaling must be undone
    X = make_ragged(n_samples=16)
    reg = LSTMRegressor(**FAST).fit(X, np.full(16, 1000.0))
    np.testing.assert_allclose(reg.predict(X), 1000.0, atol=1.0)


# -- transformer --------------------------------------------------------------


@pytest.mark.parametrize(
    "y, objective", [(None, "contrastive"), ("labels", "classification"), ("values", "regression")]
)
def test_transformer_objectives(ragged_data, y, objective):
    X, values = ragged_data
    y = {None: None, "labels": values > 0, "values": values}[y]
    enc = LSTMEncoderTransformer(n_components=6, **FAST).fit(X, y)
    assert enc.objective_ == objective
    assert enc.transform(X).shape == (len(X), 6)


def test_unlabelled_per_step_encoder_is_an_autoencoder(ragged_data):
    X, _ = ragged_data
    enc = LSTMEncoderTransformer(readout="sequence", **FAST).fit(X)
    assert enc.objective_ == "autoencoder"
    assert [len(e) for e in enc.transform(X)] == [len(x) for x in X]


def test_transformer_feature_names_and_pandas_output(dense_data):
    pd = pytest.importorskip("pandas")
    X, _ = dense_data
    enc = LSTMEncoderTransformer(n_components=3, **FAST).fit(X)
    names = enc.get_feature_names_out()
    np.testing.assert_array_equal(names, [f"lstmencodertransformer{i}" for i in range(3)])
    frame = enc.set_output(transform="pandas").transform(X)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(names)


def test_trained_encoding_beats_untrained_on_real_data():
    X_train, X_test, y_train, y_test = load_chinatown(return_X_y=True)
    # hourly pedestrian counts: log-scale, then standardise with train statistics
    X_train, X_test = np.log1p(X_train), np.log1p(X_test)
    mean, std = X_train.mean(), X_train.std()
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std

    def accuracy(max_epochs, seed):
        enc = LSTMEncoderTransformer(
            readout="max",
            frontend="none",  # the LSTM's own features
            max_epochs=max_epochs,
            lr=0.01,
            batch_size=32,
            random_state=seed,
        )
        model = make_pipeline(enc, StandardScaler(), LogisticRegression()).fit(X_train, y_train)
        return model.score(X_test, y_test)

    # Random LSTM features are already decent here (about 0.9); training must
    # add to them for every seed, not on average only.
    for seed in range(3):
        untrained, trained = accuracy(0, seed), accuracy(30, seed)
        assert trained > untrained, (seed, trained, untrained)


# -- scikit-learn plumbing ----------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_before_fit_raises_not_fitted(Est, dense_data):
    method = "transform" if Est is LSTMEncoderTransformer else "predict"
    with pytest.raises(NotFittedError):
        getattr(Est(), method)(dense_data[0])


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_clone_keeps_params_and_drops_fitted_state(Est, dense_data):
    X, y = dense_data[0], targets_for(Est, dense_data[1])
    est = Est(
        hidden_size=6, readout="max", **{k: v for k, v in FAST.items() if k != "hidden_size"}
    )
    est.fit(X, y)
    cloned = clone(est)
    assert cloned.get_params() == est.get_params()
    assert not hasattr(cloned, "net_") and not hasattr(cloned, "n_features_in_")


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_pickle_and_joblib_round_trips_give_identical_outputs(Est, dense_data, tmp_path):
    X, y = dense_data[0], targets_for(Est, dense_data[1])
    est = Est(**FAST).fit(X, y)
    expected = outputs(est, X)
    np.testing.assert_array_equal(outputs(pickle.loads(pickle.dumps(est)), X), expected)
    joblib.dump(est, tmp_path / "est.joblib")
    np.testing.assert_array_equal(outputs(joblib.load(tmp_path / "est.joblib"), X), expected)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_same_random_state_gives_identical_outputs(Est, ragged_data):
    X, y = ragged_data[0], targets_for(Est, ragged_data[1])
    params = {**FAST, "dropout": 0.3, "num_layers": 2}
    a = outputs(Est(**params).fit(X, y), X)
    b = outputs(Est(**params).fit(X, y), X)
    c = outputs(Est(**{**params, "random_state": 1}).fit(X, y), X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_random_state_leaves_global_torch_rng_alone(dense_data):
    import torch

    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    LSTMClassifier(**FAST).fit(*dense_data)
    np.testing.assert_array_equal(torch.rand(3), expected)


def test_fitted_attributes(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(**FAST).fit(X, y)
    assert clf.n_features_in_ == X.shape[2]
    assert clf.n_iter_ == 2
    assert len(clf.loss_curve_) == 2
    assert clf.net_.module_ is not None


def test_2d_input_is_a_table_of_univariate_sequences(dense_data):
    X, y = dense_data
    X2 = X[:, :, 0]
    clf = LSTMClassifier(**FAST).fit(X2, y)
    assert clf.n_features_in_ == X2.shape[1]
    # the same data as 3-D univariate sequences gives the same model
    clf3 = LSTMClassifier(**FAST).fit(X2[:, :, None], y)
    np.testing.assert_allclose(clf.predict_proba(X2), clf3.predict_proba(X2[:, :, None]))


def test_pandas_columns_become_feature_names(dense_data):
    pd = pytest.importorskip("pandas")
    X, y = dense_data
    frame = pd.DataFrame(X[:, :, 0], columns=[f"t{i}" for i in range(X.shape[1])])
    clf = LSTMClassifier(**FAST).fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    clf.fit(X, y)  # refit on data without names drops them, as in sklearn
    assert not hasattr(clf, "feature_names_in_")


def test_grid_search_over_readout_state_and_head(dense_data):
    X, y = dense_data
    grid = {
        "readout": ["last", "mean", "max", "attention"],
        "state": ["hidden", "cell", "both"],
        "head": ["linear", "mlp"],
    }
    search = GridSearchCV(LSTMClassifier(hidden_size=3, max_epochs=1, random_state=0), grid, cv=2)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 24
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.predict(X).shape == (len(X),)


def test_randomized_search_and_cross_val_score_on_ragged_lists(ragged_data):
    X, y = ragged_data
    scores = cross_val_score(LSTMRegressor(**FAST), X, y, cv=3)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
    search = RandomizedSearchCV(
        LSTMRegressor(**FAST),
        {"readout": ["last", "attention"], "bidirectional": [False, True], "lr": [0.01, 0.02]},
        n_iter=3,
        cv=2,
        random_state=0,
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_pipeline_with_encoder_then_logistic_regression(dense_data):
    X, y = dense_data
    pipe = Pipeline(
        [("enc", LSTMEncoderTransformer(n_components=4, **FAST)), ("clf", LogisticRegression())]
    ).fit(X, y)
    assert pipe.predict(X).shape == (len(X),)
    assert pipe.named_steps["enc"].transform(X).shape == (len(X), 4)


def test_sequences_of_any_length_at_predict_time(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(**FAST).fit(X, y)
    assert clf.predict(X[:, :3]).shape == (len(X),)
    assert clf.predict(make_ragged(n_samples=5)).shape == (5,)


# -- defaults train well --------------------------------------------------


def test_grid_over_readout_and_state_learns_order_problem():
    """The label says whether feature 0 is larger in the first or the second
    half: the final state learns it on a short budget, while readouts that
    pool over time, where the position of a step is blurred, stay near
    chance, so the search must find readout='last'."""
    X, y = make_order_problem()
    search = GridSearchCV(
        # the defaults, on a shorter budget: 37 fits; the steps as given
        # (input_norm), so that only the readout differs between candidates
        LSTMClassifier(max_epochs=10, input_norm="none", random_state=0),
        {"readout": ["last", "mean", "max", "attention"], "state": ["hidden", "cell", "both"]},
        cv=3,
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert search.best_score_ > 0.7, scores  # chance: 0.5
    last = np.array([params["readout"] == "last" for params in search.cv_results_["params"]])
    assert scores[last].min() > scores[~last].max() + 0.05, scores


def test_default_regressor_learns_running_sum():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(160, 24, 1)).astype(np.float32)
    y = X[:, :, 0].sum(axis=1)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    assert LSTMRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test) > 0.3


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer])
def test_attention_weights_are_the_readout_weights(Est, ragged_data):
    X, y = ragged_data
    if Est is LSTMClassifier:
        y = y > 0
    est = Est(readout="attention", **FAST).fit(X, y)
    weights = est.attention_weights(X)
    assert [w.shape for w in weights] == [(len(x),) for x in X]
    for w in weights:
        assert np.all(w >= 0)
        np.testing.assert_allclose(w.sum(), 1, rtol=1e-5)
    # each sequence alone gives the same weights as inside the padded batch
    np.testing.assert_allclose(est.attention_weights(X[:1])[0], weights[0], rtol=1e-5)
    # dense X gives a dense (n_samples, n_timesteps) array
    X_dense = np.stack([x[:3] for x in X])
    assert est.attention_weights(X_dense).shape == (len(X), 3)


def test_attention_weights_recombine_to_the_encoding(ragged_data):
    # by hand: the attention encoding is sum_t w_t * output_t
    X, y = ragged_data
    est = LSTMEncoderTransformer(readout="attention", frontend="none", **FAST).fit(X, y)
    encoding = est.transform(X[:2])
    for x, w, code in zip(X[:2], est.attention_weights(X[:2]), encoding):
        with torch.no_grad():
            output, _ = est.net_.module_.lstm(torch.from_numpy(x)[None])
        np.testing.assert_allclose(w @ output[0].numpy(), code, rtol=1e-4, atol=1e-6)


def test_attention_weights_only_with_the_attention_readout(dense_data):
    X, y = dense_data
    est = LSTMClassifier(**FAST).fit(X, y)
    assert not hasattr(est, "attention_weights")
    msg = "attention_weights is only available with readout='attention'"
    with pytest.raises(AttributeError, match=re.escape(msg)):
        est.attention_weights(X)


def test_attention_weights_follow_the_fitted_readout(dense_data):
    # Non-regression test for #35: the error named neither readout nor the fix.
    X, y = dense_data
    est = LSTMClassifier(readout="last", **FAST).fit(X, y)
    est.set_params(readout="attention")
    msg = "was fitted with readout='last' (set_params since made it 'attention'"
    with pytest.raises(AttributeError, match=re.escape(msg)):
        est.attention_weights(X)
    fitted = LSTMClassifier(readout="attention", **FAST).fit(X, y)
    expected = fitted.attention_weights(X)
    fitted.set_params(readout="last")  # takes effect at the next fit
    np.testing.assert_array_equal(fitted.attention_weights(X), expected)


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor])
def test_predictions_do_not_depend_on_the_batch(Est):
    """A sequence predicted alone, in a small batch or in a large one gives the
    same output (scikit-learn's check_methods_subset_invariance, whose
    tolerance is 1e-7). Non-regression test for #35: with the default
    front-end's width, the convolutions and the head differed in the last
    bits between batch sizes."""
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(40, 20, 1)).astype(np.float32)
    y = rng.randint(0, 2, 40) if Est is LSTMClassifier else rng.normal(size=40) * 10
    est = Est(max_epochs=1, random_state=0).fit(X, y)
    full = outputs(est, X)
    for size in (1, 3, 7):
        parts = np.concatenate([outputs(est, X[i : i + size]) for i in range(0, 40, size)])
        np.testing.assert_allclose(parts, full, rtol=1e-7, atol=1e-7)
