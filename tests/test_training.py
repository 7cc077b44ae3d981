"""Training features: early stopping, lr schedule, progress output."""

import pickle
import re
import warnings

import numpy as np
import pytest
from conftest import FAST, WeightsPerEpoch, make_order_problem, make_ragged
from sklearn.exceptions import ConvergenceWarning
from skorch.callbacks import Callback

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor
from sklstm._convergence import label_null_loss, label_set_null_loss, value_null_loss


def test_early_stopping_restores_the_best_epoch():
    X, y = make_order_problem(n_samples=120, n_timesteps=8)
    recorder = WeightsPerEpoch()
    clf = LSTMClassifier(
        early_stopping=True,
        n_iter_no_change=3,
        max_epochs=60,
        lr=0.05,
        lr_schedule="constant",
        callbacks=[recorder],
        random_state=0,
    ).fit(X, y)
    curve = clf.validation_loss_curve_
    assert len(curve) == clf.n_iter_ == len(recorder.weights)
    assert clf.best_epoch_ == int(np.argmin(curve)) + 1
    assert clf.n_iter_ == clf.best_epoch_ + 3  # stopped after 3 epochs without improvement
    # the weights; batch normalisation's statistics are then computed anew
    # for them over the training data (test_frontend.py checks those)
    kept = {name: p.detach() for name, p in clf.net_.module_.named_parameters()}
    best = recorder.weights[clf.best_epoch_ - 1]
    for name in kept:
        np.testing.assert_array_equal(kept[name].numpy(), best[name].numpy())


def test_without_early_stopping_all_epochs_run_on_all_data():
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    clf = LSTMClassifier(**{**FAST, "max_epochs": 4}).fit(X, y)
    assert clf.n_iter_ == clf.best_epoch_ == 4
    assert clf.validation_loss_curve_ is None
    assert clf.net_.history[-1, "train_batch_count"] == 2  # 40 sequences, batches of 32


def _converged_at(curve, patience, tol):
    """The epoch (1-based) at which scikit-learn's MLP rule stops: the loss
    has not fallen ``tol`` below its best for ``patience`` epochs."""
    best, misses = np.inf, 0
    for epoch, loss in enumerate(curve, start=1):
        if loss < best - tol:
            best, misses = loss, 0
        else:
            misses += 1
        if misses == patience:
            return epoch
    return None


def test_training_stops_once_the_training_loss_has_converged():
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    params = {**FAST, "max_epochs": 300, "lr": 0.05, "n_iter_no_change": 5, "tol": 1e-3}
    clf = LSTMClassifier(**params).fit(X, y)
    curve = clf.loss_curve_
    assert clf.n_iter_ == len(curve) < 300
    assert _converged_at(curve, 5, 1e-3) == clf.n_iter_
    assert clf.best_epoch_ == int(np.argmin(curve)) + 1

    # a patience beyond max_epochs trains every epoch
    full = LSTMClassifier(**{**params, "n_iter_no_change": 301}).fit(X, y)
    assert full.n_iter_ == 300
    np.testing.assert_allclose(full.loss_curve_[: clf.n_iter_], curve)


def test_a_loss_still_at_chance_level_is_no_convergence():
    """Epochs without improvement count only once the model has learned
    something: a loss on the plateau of a constant model goes on training
    for the whole budget (and the fit warns that it learned nothing)."""
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    params = {**FAST, "max_epochs": 15, "lr": 1e-6, "n_iter_no_change": 2, "tol": 1e-3}
    with pytest.warns(ConvergenceWarning, match="learned next to nothing"):
        clf = LSTMClassifier(**params).fit(X, y)
    assert _converged_at(clf.loss_curve_, 2, 1e-3) < 15  # the plain rule would stop
    assert clf.n_iter_ == 15


class ValidationSet(Callback):
    """A user callback: the labels of the validation set skorch is given."""

    def on_epoch_begin(self, net, dataset_valid=None, **kwargs):
        self.labels = dataset_valid.y.numpy()


def test_validation_split_is_stratified_and_not_kept_in_the_model():
    X, _ = make_order_problem(n_samples=100, n_timesteps=6)
    y = np.repeat(["a", "b", "c"], [70, 20, 10])
    for seed in range(5):
        validation = ValidationSet()
        params = {**FAST, "random_state": seed, "early_stopping": True}
        clf = LSTMClassifier(**params, callbacks=[validation]).fit(X, y)
        # 10% held out in the class proportions, whatever the seed
        np.testing.assert_array_equal(np.bincount(validation.labels), [7, 2, 1])
    # the other 90 sequences train, in 3 batches
    assert sum(clf.net_.history[-1, "batches"][i]["train_batch_size"] for i in range(3)) == 90
    assert clf.net_.train_split is None


def test_early_stopping_on_ragged_sequences_and_per_step_targets():
    X = make_ragged(n_samples=30)
    y = [np.cumsum(x[:, 0]) for x in X]
    reg = LSTMRegressor(**{**FAST, "early_stopping": True, "readout": "sequence"}).fit(X, y)
    assert len(reg.validation_loss_curve_) == reg.n_iter_


def test_early_stopping_needs_two_sequences():
    message = "LSTMRegressor cannot hold out validation_fraction=0.5 of 1 sequences"
    with pytest.raises(ValueError, match=re.escape(message)):
        LSTMRegressor(**{**FAST, "early_stopping": True, "validation_fraction": 0.5}).fit(
            np.zeros((1, 3, 1)), [1.0]
        )


def test_plateau_schedule_lowers_the_learning_rate():
    # constant inputs: only the class prior can be learned, so the loss plateaus
    X, y = np.zeros((32, 6, 2)), np.arange(32) % 3 == 0
    params = {**FAST, "max_epochs": 40, "lr": 0.05}
    plateau = LSTMClassifier(lr_schedule="plateau", **params).fit(X, y)
    constant = LSTMClassifier(lr_schedule="constant", **params).fit(X, y)
    assert plateau.net_.optimizer_.param_groups[0]["lr"] < 0.05
    assert constant.net_.optimizer_.param_groups[0]["lr"] == 0.05


def test_verbose_prints_progress_and_silent_by_default(capsys):
    X, y = make_order_problem(n_samples=20, n_timesteps=5)
    LSTMClassifier(**FAST).fit(X, y)
    assert capsys.readouterr().out == ""
    LSTMClassifier(**{**FAST, "verbose": 1}).fit(X, y)
    out = capsys.readouterr().out
    assert "epoch" in out and "train_loss" in out
    assert len([line for line in out.splitlines() if re.match(r"\s+\d+\s", line)]) == 2


# -- partial_fit and warm_start ----------------------------------------------

FULL_BATCH = {**FAST, "batch_size": 64, "lr_schedule": "constant"}


@pytest.mark.parametrize(
    "Est, target",
    [
        (LSTMClassifier, "labels"),
        (LSTMRegressor, "values"),
        (LSTMEncoderTransformer, "labels"),
        (LSTMEncoderTransformer, None),
    ],
)
def test_two_partial_fits_equal_fit_for_two_epochs(Est, target):
    # one full batch per epoch, so the batch order cannot matter
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    if target == "values":
        y = X[:, :, 0].sum(axis=1)
    elif target is None:
        # the autoencoder: the contrastive objective's random crops come from
        # a new seed in each call, as the batch order does
        y = None
    params = {"objective": "autoencoder"} if target is None else {}
    fitted = Est(**{**FULL_BATCH, **params, "max_epochs": 2}).fit(X, y)
    partial = Est(**FULL_BATCH, **params)
    kwargs = {"classes": np.unique(y)} if target == "labels" else {}
    partial.partial_fit(X, y, **kwargs).partial_fit(X, y)
    assert partial.n_iter_ == 2
    np.testing.assert_allclose(partial.loss_curve_, fitted.loss_curve_, rtol=1e-5)
    out = {LSTMClassifier: "predict_proba", LSTMEncoderTransformer: "transform"}
    out = out.get(Est, "predict")
    np.testing.assert_allclose(getattr(partial, out)(X), getattr(fitted, out)(X), atol=1e-5)


def test_partial_fit_keeps_classes_seen_in_the_first_call():
    X, y = make_order_problem(n_samples=30, n_timesteps=5)
    clf = LSTMClassifier(**FAST).partial_fit(X, y, classes=["early", "late", "never"])
    clf.partial_fit(X[y == "early"], y[y == "early"])  # a batch with one class
    np.testing.assert_array_equal(clf.classes_, ["early", "late", "never"])
    assert clf.predict_proba(X).shape == (30, 3)
    message = r"y contains labels \['soon'\] that \w+ does not know"
    with pytest.raises(ValueError, match=message):
        clf.partial_fit(X[:2], ["soon", "late"])
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        LSTMClassifier(**FAST).partial_fit(X, y)
    # the transformer, like scikit-learn's, needs no classes: the first y's
    encoder = LSTMEncoderTransformer(**FAST).partial_fit(X, y)
    np.testing.assert_array_equal(encoder.classes_, ["early", "late"])
    with pytest.raises(ValueError, match=message):
        encoder.partial_fit(X[:2], ["soon", "late"])


def test_partial_fit_rejects_other_feature_counts():
    X, y = make_order_problem(n_samples=20, n_timesteps=5)
    clf = LSTMClassifier(**FAST).partial_fit(X, y, classes=np.unique(y))
    message = "X has 1 features, but LSTMClassifier is expecting 2 features as input."
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.partial_fit(X[:, :, :1], y)


def test_partial_fit_after_fit_with_early_stopping_goes_on_training():
    X, y = make_order_problem(n_samples=40, n_timesteps=5)
    clf = LSTMClassifier(**{**FAST, "early_stopping": True}).fit(X, y)
    n_iter = clf.n_iter_
    clf.partial_fit(X, y)
    assert clf.n_iter_ == n_iter + 1
    assert clf.validation_loss_curve_ is None and clf.best_epoch_ == clf.n_iter_


def test_warm_start_continues_from_the_fitted_weights():
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    clf = LSTMClassifier(**{**FULL_BATCH, "warm_start": True}).fit(X, y)
    first = clf.loss_curve_
    clf.fit(X, y)
    assert clf.n_iter_ == 4 and clf.loss_curve_[:2] == first
    cold = LSTMClassifier(**FULL_BATCH).fit(X, y).fit(X, y)
    assert cold.n_iter_ == 2


# -- class_weight and sample_weight ---------------------------------------------


@pytest.mark.parametrize(
    "Est, params",
    [(LSTMClassifier, {}), (LSTMClassifier, {"class_weight": "balanced"}), (LSTMRegressor, {})],
)
@pytest.mark.parametrize("per_step", [False, True])
def test_sample_weight_of_ones_is_no_weight(Est, params, per_step):
    # without sample_weight the losses take a faster path: the same mean
    X = make_ragged(n_samples=30)
    if per_step:
        params = {**params, "readout": "sequence"}
        y = [x[:, 0] > 0 for x in X] if Est is LSTMClassifier else [x[:, 0] for x in X]
    else:
        y = np.array([x[:, 0].mean() for x in X])
        y = np.where(y > 0.3, "a", "b") if Est is LSTMClassifier else y
    plain = Est(**FAST, **params).fit(X, y)
    ones = Est(**FAST, **params).fit(X, y, sample_weight=np.ones(30))
    np.testing.assert_allclose(ones.loss_curve_, plain.loss_curve_, rtol=1e-6)
    predict = "predict_proba" if Est is LSTMClassifier else "predict"
    for a, b in zip(getattr(ones, predict)(X), getattr(plain, predict)(X)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("per_step", [False, True])
def test_first_loss_is_the_weighted_mean_of_the_initial_losses(per_step):
    # One batch: the first recorded loss is the weighted loss of the initial
    # weights; zero-weight sequences do not count. No batch normalisation,
    # whose training loss uses batch statistics.
    X = make_ragged(n_samples=8, min_length=2, max_length=6)
    weights = np.array([0, 1, 2, 0, 1, 3, 1, 0.5])
    if per_step:
        y = [np.cumsum(x[:, 0]) for x in X]
        params = {**FAST, "readout": "sequence", "batch_size": 8, "frontend": "patch"}
    else:
        y = np.array([x[:, 0].sum() for x in X])
        params = {**FAST, "batch_size": 8, "frontend": "patch"}
    reg = LSTMRegressor(**{**params, "max_epochs": 1}).fit(X, y, sample_weight=weights)
    init = LSTMRegressor(**{**params, "max_epochs": 0}).fit(X, y, sample_weight=weights)
    pred = init.predict(X)
    if per_step:
        squared = [((p - t) / init._y_scale_) ** 2 for p, t in zip(pred, y)]
        w = np.concatenate([np.full(len(s), wi) for s, wi in zip(squared, weights)])
        expected = np.sum(w * np.concatenate(squared)) / w.sum()
    else:
        squared = ((pred - y) / init._y_scale_) ** 2
        expected = np.sum(weights * squared) / weights.sum()
    assert reg.loss_curve_[0] == pytest.approx(expected, rel=1e-5)


def test_balanced_class_weight_favours_the_rare_class():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 1)).astype(np.float32)
    y = np.where(np.arange(60) < 50, "common", "rare")  # labels unrelated to X
    params = {**FAST, "max_epochs": 20, "lr": 0.01}  # enough steps to fit the class prior
    plain = LSTMClassifier(**params).fit(X, y)
    balanced = LSTMClassifier(class_weight="balanced", **params).fit(X, y)
    rare = list(plain.classes_).index("rare")
    assert balanced.predict_proba(X)[:, rare].mean() > plain.predict_proba(X)[:, rare].mean() + 0.1
    weighted = LSTMClassifier(class_weight={"common": 1, "rare": 5}, **params).fit(X, y)
    assert weighted.predict_proba(X)[:, rare].mean() > plain.predict_proba(X)[:, rare].mean() + 0.1


def test_bad_sample_weight():
    X, y = make_order_problem(n_samples=10, n_timesteps=4)
    with pytest.raises(
        ValueError, match=re.escape("sample_weight.shape == (9,), expected (10,)!")
    ):
        LSTMClassifier(**FAST).fit(X, y, sample_weight=np.ones(9))
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero"):
        LSTMClassifier(**FAST).fit(X, y, sample_weight=np.zeros(10))


def test_verbose_2_shows_a_progress_bar_over_the_whole_fit(capsys):
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    LSTMClassifier(**{**FAST, "max_epochs": 3, "batch_size": 10}, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == ""  # no per-epoch table with the bar
    assert "epoch 3/3" in captured.err and "12/12" in captured.err
    assert "train_loss=" in captured.err


def test_verbose_1_prints_one_line_per_epoch_and_0_nothing(capsys):
    X, y = make_order_problem(n_samples=40, n_timesteps=6)
    LSTMClassifier(**{**FAST, "max_epochs": 3}, verbose=1).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 + 3  # header, rule, one line per epoch
    LSTMClassifier(**FAST).fit(X, y)
    assert capsys.readouterr() == ("", "")


def test_a_fitted_model_with_a_progress_bar_pickles():
    X, y = make_order_problem(n_samples=20, n_timesteps=6)
    clf = LSTMClassifier(**FAST, verbose=2).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_fits_in_threads_equal_a_fit_alone():
    """Non-regression test: fits in threads seeded torch's global generator
    under each other, so their results depended on the timing."""
    from concurrent.futures import ThreadPoolExecutor

    X, y = make_order_problem(n_samples=40, n_timesteps=8)

    def fit(_):
        return LSTMClassifier(**{**FAST, "max_epochs": 4}).fit(X, y).predict_proba(X)

    alone = fit(None)
    with ThreadPoolExecutor(max_workers=3) as pool:
        for proba in pool.map(fit, range(6)):
            np.testing.assert_array_equal(proba, alone)


def test_a_user_callback_cannot_take_an_internal_name(dense_data):
    # Non-regression test for #35: skorch's duplicate-name error escaped.
    X, y = dense_data
    clf = LSTMClassifier(callbacks=[("nonfinite_loss", WeightsPerEpoch())], **FAST)
    msg = "The callback name 'nonfinite_loss' is taken by a callback LSTMClassifier adds"
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)


def test_n_networks_and_sizes_refuse_booleans(dense_data):
    # Non-regression test for #35: n_networks=True trained one network.
    X, y = dense_data
    for param in ("n_networks", "hidden_size", "num_layers"):
        msg = f"The '{param}' parameter of LSTMClassifier must be an int"
        with pytest.raises(ValueError, match=re.escape(msg)):
            LSTMClassifier(**{**FAST, param: True}).fit(X, y)


def test_partial_fit_uses_the_batch_size_set_since(dense_data):
    X, y = dense_data
    clf = LSTMClassifier(**{**FAST, "batch_size": 8}).fit(X, y)
    clf.set_params(batch_size=2).partial_fit(X, y)
    assert len(clf.net_.history[-1, "batches"]) == len(X) // 2


def test_unlabelled_encoder_refuses_labels_when_training_goes_on(dense_data):
    # Non-regression test for #35: partial_fit(X, y) ignored y silently.
    X, y = dense_data
    encoder = LSTMEncoderTransformer(**FAST).fit(X)
    before = encoder.transform(X)
    msg = "was fitted without labels (objective_='contrastive')"
    with pytest.raises(ValueError, match=re.escape(msg)):
        encoder.partial_fit(X, y)
    np.testing.assert_array_equal(encoder.transform(X), before)


@pytest.mark.parametrize("objective", ["contrastive", "autoencoder"])
def test_unlabelled_objective_refuses_labels_in_a_first_partial_fit(dense_data, objective):
    # Non-regression test for #35: the first partial_fit(X, y) of an encoder
    # set to train without labels ignored y silently.
    X, y = dense_data
    encoder = LSTMEncoderTransformer(**FAST, objective=objective)
    msg = f"LSTMEncoderTransformer(objective={objective!r}) trains without labels"
    with pytest.raises(ValueError, match=re.escape(msg)):
        encoder.partial_fit(X, y)
    assert not hasattr(encoder, "net_")
    encoder.partial_fit(X)  # without y, as the message says
    LSTMEncoderTransformer(**FAST, objective=objective).fit(X, y)  # fit ignores y


def test_a_fit_that_learned_nothing_warns():
    """Labels that X cannot predict: the loss stays at the class frequencies'."""
    rng = np.random.RandomState(0)
    X = np.zeros((30, 6, 2), dtype=np.float32)
    msg = "LSTMClassifier learned next to nothing: its best training loss"
    with pytest.warns(ConvergenceWarning, match=re.escape(msg)):
        LSTMClassifier(**{**FAST, "max_epochs": 3}).fit(X, rng.randint(0, 3, 30))
    msg = "LSTMRegressor learned next to nothing"
    with pytest.warns(ConvergenceWarning, match=re.escape(msg)):
        LSTMRegressor(**{**FAST, "max_epochs": 3}).fit(X, rng.normal(size=30))


def test_a_fit_that_learned_does_not_warn():
    X, y = make_order_problem(n_samples=60, n_timesteps=8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        LSTMClassifier(max_epochs=30, random_state=0).fit(X, y)
        LSTMRegressor(max_epochs=30, random_state=0).fit(X, X[:, :, 0].sum(axis=1))
        # an unlabelled objective has no constant model to compare with
        LSTMEncoderTransformer(**FAST).fit(X)


def test_constant_model_losses_match_hand_computation():
    # three classes at frequencies 1/2, 1/4, 1/4: entropy 1.5 log 2
    assert np.isclose(label_null_loss([0, 0, 1, 2], 3), 1.5 * np.log(2))
    # class weights make the weighted frequencies 1/3 each
    assert np.isclose(label_null_loss([0, 0, 1, 2], 3, [1.0, 2.0, 2.0]), np.log(3))
    # two labels, each present half the time: log 2 each
    assert np.isclose(label_set_null_loss([[1, 0], [0, 1]]), np.log(2))
    values = np.array([[-1.0], [0.0], [4.0]])
    assert np.isclose(value_null_loss(values), values.var())
    assert np.isclose(value_null_loss(values, "absolute_error"), 5 / 3)
