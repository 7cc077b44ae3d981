"""SequenceScaler."""

import numpy as np
import pytest
from conftest import FAST, make_ragged
from sklearn.pipeline import make_pipeline

from sklstm import LSTMClassifier, SequenceScaler


def test_statistics_are_over_real_steps_of_ragged_sequences():
    X = make_ragged(n_samples=10, min_length=2, max_length=9)
    steps = np.vstack(X).astype(np.float64)
    scaler = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, steps.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(scaler.scale_, steps.std(axis=0), rtol=1e-6)
    scaled = np.vstack(scaler.transform(X))
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(scaled.std(axis=0), 1, rtol=1e-4)


@pytest.mark.parametrize("layout", ["dense", "table", "ragged"])
def test_output_keeps_the_input_layout_and_inverts(layout):
    rng = np.random.RandomState(0)
    X = {
        "dense": rng.normal(3, 5, size=(6, 4, 2)),
        "table": rng.normal(3, 5, size=(6, 4)),
        "ragged": make_ragged(n_samples=6, n_features=2),
    }[layout]
    scaler = SequenceScaler().fit(X)
    scaled = scaler.transform(X)
    if layout == "ragged":
        assert [s.shape for s in scaled] == [x.shape for x in X]
        back = np.vstack(scaler.inverse_transform(scaled))
        np.testing.assert_allclose(back, np.vstack(X), rtol=1e-5, atol=1e-5)
    else:
        assert scaled.shape == np.shape(X)
        np.testing.assert_allclose(scaler.inverse_transform(scaled), X, rtol=1e-5, atol=1e-5)


def test_table_uses_one_statistic_for_all_time_steps():
    # unlike StandardScaler, which would standardise each column (time step)
    X = np.array([[0.0, 10.0], [2.0, 12.0]])
    scaler = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, [6.0])
    np.testing.assert_allclose(scaler.transform(X), (X - 6.0) / X.std())


def test_constant_feature_is_left_unscaled():
    X = np.ones((4, 3, 2))
    X[..., 1] = np.arange(3)
    scaler = SequenceScaler().fit(X)
    assert scaler.scale_[0] == 1.0
    np.testing.assert_allclose(scaler.transform(X)[..., 0], 0.0)


def test_in_a_pipeline_with_an_lstm_on_unscaled_ragged_data():
    X = [1000 + 500 * x for x in make_ragged(n_samples=24)]
    y = np.array([x[-1, 0] > x[0, 0] for x in X])
    pipe = make_pipeline(SequenceScaler(), LSTMClassifier(**FAST)).fit(X, y)
    assert pipe.predict(X).shape == (24,)
