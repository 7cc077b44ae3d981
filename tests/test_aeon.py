"""The aeon adapters: aeon's own estimator checks, then what they are for:
aeon's containers reach sklstm as the same sequences, channels as features
and each series at its own length."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FAST

pytest.importorskip("aeon")

from aeon.pipeline import make_pipeline  # noqa: E402
from aeon.testing.estimator_checking import parametrize_with_checks  # noqa: E402
from aeon.transformations.collection import Normalizer  # noqa: E402
from aeon.utils.conversion import convert_collection  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline as make_sklearn_pipeline  # noqa: E402

from sklstm import (  # noqa: E402
    LSTMClassifier,
    LSTMEncoderTransformer,
    LSTMRegressor,
    SequenceScaler,
)
from sklstm.aeon import AeonLSTMClassifier, AeonLSTMRegressor  # noqa: E402

ROOT = Path(__file__).parents[1]
N_CHANNELS = 2


@parametrize_with_checks([AeonLSTMClassifier, AeonLSTMRegressor])
def test_aeon_estimator_checks(check):
    # aeon's checks against stored results return a reason instead of
    # skipping when aeon stores none for the class, as for any class outside
    # aeon: report them as skipped, with aeon's reason, not as passed.
    reason = check()
    if isinstance(reason, str):
        pytest.skip(reason)


def make_collection(n_cases=24, min_length=4, max_length=14, seed=0):
    """aeon's unequal-length container: a list of (n_channels, n_timepoints_i)."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(min_length, max_length + 1, size=n_cases)
    X = [rng.normal(size=(N_CHANNELS, n)) for n in lengths]
    y = np.where([x[0].mean() > x[1].mean() for x in X], "first", "second")
    return X, y


@pytest.fixture(scope="module")
def ragged():
    return make_collection()


@pytest.mark.parametrize(
    "Adapter, Est", [(AeonLSTMClassifier, LSTMClassifier), (AeonLSTMRegressor, LSTMRegressor)]
)
@pytest.mark.parametrize("container", ["np-list", "pd-multiindex", "df-list"])
def test_unequal_lengths_reach_sklstm_as_the_ragged_list(ragged, Adapter, Est, container):
    """The adapter fits and predicts exactly as sklstm on the ragged list of
    the same series, time first: no padding on the way (a padded batch
    without its lengths would read the padding as steps)."""
    X, y = ragged
    if Adapter is AeonLSTMRegressor:
        y = np.array([x.sum() for x in X])
    sequences = [x.T for x in X]  # (n_timesteps_i, n_features)
    direct = Est(**FAST).fit(sequences, y)
    X_aeon = convert_collection(X, container)
    adapted = Adapter(Est(**FAST)).fit(X_aeon, y)
    method = "predict_proba" if Adapter is AeonLSTMClassifier else "predict"
    expected = getattr(direct, method)(sequences)
    np.testing.assert_array_equal(getattr(adapted, method)(X_aeon), expected)
    if Adapter is AeonLSTMClassifier:
        np.testing.assert_array_equal(adapted.classes_, direct.classes_)
        np.testing.assert_array_equal(adapted.predict(X_aeon), direct.predict(sequences))


def test_numpy3d_channels_become_features():
    """aeon's (n_cases, n_channels, n_timepoints) is sklstm's (n_samples,
    n_timesteps, n_features) transposed: the class depends on which channel
    is larger, so a model that read channels as time steps would see 12
    features of 2 steps and could not match sklstm on the transposed array."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, N_CHANNELS, 12))
    y = (X[:, 0].mean(axis=1) > X[:, 1].mean(axis=1)).astype(int)
    clf = AeonLSTMClassifier(LSTMClassifier(**FAST)).fit(X, y)
    assert clf.estimator_.n_features_in_ == N_CHANNELS
    direct = LSTMClassifier(**FAST).fit(X.transpose(0, 2, 1), y)
    np.testing.assert_array_equal(clf.predict_proba(X), direct.predict_proba(X.transpose(0, 2, 1)))
    # predict takes series of another length, as the unequal-length tag says
    proba = clf.predict_proba(X[:, :, :7])
    np.testing.assert_array_equal(proba, direct.predict_proba(X[:, :, :7].transpose(0, 2, 1)))


def test_univariate_2d_and_default_estimator():
    """aeon's 2-D univariate container, and estimator=None: sklstm's defaults."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(12, 9))
    y = X[:, :4].sum(axis=1)
    reg = AeonLSTMRegressor().fit(X, y)
    assert isinstance(reg.estimator_, LSTMRegressor)
    assert reg.estimator_.n_features_in_ == 1
    assert reg.predict(X).shape == (12,)


def test_aeon_pipeline_and_sklearn_search(ragged):
    """aeon's make_pipeline with one of its unequal-length transformers, and
    scikit-learn's cross-validation and search through ``estimator__``."""
    X, y = ragged
    pipe = make_pipeline(Normalizer(), AeonLSTMClassifier(LSTMClassifier(**FAST)))
    assert pipe.get_tag("capability:unequal_length")
    assert pipe.fit(X, y).predict(X).shape == (len(X),)
    scores = cross_val_score(AeonLSTMClassifier(LSTMClassifier(**FAST)), X, y, cv=2)
    assert scores.shape == (2,)
    search = GridSearchCV(
        AeonLSTMClassifier(LSTMClassifier(**FAST)),
        {"estimator__cell": ["lstm", "gru"]},
        cv=2,
    ).fit(X, y)
    assert search.best_estimator_.estimator_.cell in ("lstm", "gru")
    # aeon's train estimate: cross-validated predictions on the training set
    y_train = AeonLSTMClassifier(LSTMClassifier(**FAST)).fit_predict(X, y, cv_size=2)
    assert set(y_train) <= set(y)
    # the estimator may be a scikit-learn pipeline of sklstm steps
    steps = make_sklearn_pipeline(SequenceScaler(), LSTMClassifier(**FAST))
    assert AeonLSTMClassifier(steps).fit(X, y).predict_proba(X).shape == (len(X), 2)


def test_aeon_rejects_missing_values_before_sklstm(ragged):
    X, y = ragged
    X = [x.copy() for x in X]
    X[0][1, 2] = np.nan
    with pytest.raises(ValueError, match="has missing values"):
        AeonLSTMClassifier(LSTMClassifier(**FAST)).fit(X, y)


@pytest.mark.parametrize(
    "Adapter, estimator, message",
    [
        (
            AeonLSTMClassifier,
            LSTMRegressor(),
            "The 'estimator' parameter of AeonLSTMClassifier must be a classifier that "
            "takes sklstm's layout, such as LSTMClassifier(); got LSTMRegressor instead.",
        ),
        (
            AeonLSTMRegressor,
            LSTMEncoderTransformer(),
            "The 'estimator' parameter of AeonLSTMRegressor must be a regressor that "
            "takes sklstm's layout, such as LSTMRegressor(); got LSTMEncoderTransformer "
            "instead.",
        ),
    ],
)
def test_wrong_kind_of_estimator(ragged, Adapter, estimator, message):
    X, y = ragged
    with pytest.raises(TypeError, match=re.escape(message)):
        Adapter(estimator).fit(X, np.arange(len(X), dtype=float))


def test_per_step_readout_is_a_clear_error(ragged):
    X, y = ragged
    message = (
        "AeonLSTMClassifier predicts one value per series, as aeon's classifiers do, "
        "but LSTMClassifier(readout='sequence') predicts one per time step."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        AeonLSTMClassifier(LSTMClassifier(readout="sequence")).fit(X, y)


@pytest.mark.parametrize(
    "Adapter, estimator, got",
    [(AeonLSTMClassifier, "lstm", "str 'lstm'"), (AeonLSTMRegressor, 32, "int 32")],
)
def test_an_estimator_that_is_not_one_is_a_clear_error(ragged, Adapter, estimator, got):
    # Non-regression test for #35.
    X, y = ragged
    kind, default = ("classifier", "LSTMClassifier")
    if Adapter is AeonLSTMRegressor:
        kind, default = ("regressor", "LSTMRegressor")
        y = np.linspace(0.0, 1.0, len(X))
    name = Adapter.__name__
    message = (
        f"The 'estimator' parameter of {name} must be a {kind} that takes sklstm's "
        f"layout, such as {default}(); got {got} instead. Its hyperparameters go to "
        f"that estimator: {name}({default}(cell='gru'))."
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        Adapter(estimator).fit(X, y)


def test_per_step_readout_at_the_end_of_a_pipeline_is_a_clear_error(ragged):
    # Non-regression test for #35.
    X, y = ragged
    steps = make_sklearn_pipeline(SequenceScaler(), LSTMClassifier(readout="sequence"))
    message = (
        "AeonLSTMClassifier predicts one value per series, as aeon's classifiers do, "
        "but LSTMClassifier(readout='sequence'), the final step of its pipeline, "
        "predicts one per time step."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        AeonLSTMClassifier(steps).fit(X, y)


def test_import_without_aeon_says_how_to_install(monkeypatch):
    # Key by key, never mock.patch.dict(sys.modules): see test_dask.py.
    for name in ["aeon", "aeon.classification", "aeon.regression"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "sklstm.aeon")
    with pytest.raises(ImportError, match=re.escape("pip install 'aeon>=1.6'")):
        importlib.import_module("sklstm.aeon")


def test_interop_page_snippets_run():
    page = (ROOT / "docs/interop.md").read_text()
    code = "\n".join(re.findall(r"^```python\n(.*?)^```", page, flags=re.S | re.M))
    assert code.strip()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SKLSTM_EXAMPLE_QUICK": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
