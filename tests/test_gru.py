"""``cell='gru'``: exact on padded batches and ragged lists, like the LSTM."""

import re

import numpy as np
import pytest
from conftest import FAST, make_ragged
from sklearn.model_selection import GridSearchCV

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor

SMALL = {"hidden_size": 4, "frontend_width": 4, "random_state": 0, "cell": "gru"}


def encoder(X, **params):
    # one epoch, so batch normalisation has running statistics of real steps
    return LSTMEncoderTransformer(max_epochs=1, **{**SMALL, **params}).fit(X)


@pytest.mark.parametrize(
    "frontend, readout, bidirectional",
    [
        ("none", "last", False),
        ("none", "last", True),
        ("none", "mean", True),
        ("none", "attention", False),
        ("patch", "max", True),
        ("conv", "last+mean", True),
    ],
)
def test_padded_batch_equals_each_sequence_alone(frontend, readout, bidirectional):
    X = make_ragged(min_length=2, max_length=13)
    enc = encoder(
        X,
        frontend=frontend,
        readout=readout,
        bidirectional=bidirectional,
        num_layers=2,
        layers="all" if readout == "last" else "last",
        patch_length=3,
    )
    batch = enc.transform(X)
    alone = np.vstack([enc.transform([x]) for x in X])
    np.testing.assert_allclose(batch, alone, rtol=1e-5, atol=1e-6)


def test_per_step_outputs_are_exact_and_causal():
    X = make_ragged(n_samples=20, min_length=3, max_length=12, seed=2)
    y = [np.cumsum(x[:, 0]) for x in X]
    reg = LSTMRegressor(**{**FAST, "cell": "gru", "readout": "sequence"}).fit(X, y)
    batch = reg.predict(X)
    for x, pred in zip(X, batch):
        np.testing.assert_allclose(reg.predict([x])[0], pred, atol=1e-5)
        # the first steps do not see what follows them
        np.testing.assert_allclose(reg.predict([x[:2]])[0], pred[:2], atol=1e-5)


def test_a_gru_has_no_cell_state_to_read():
    X = make_ragged(n_samples=8)
    for state in ["cell", "both"]:
        with pytest.raises(ValueError, match=re.escape(f"no cell state for state='{state}'")):
            LSTMRegressor(cell="gru", state=state, max_epochs=1).fit(X, np.arange(8.0))


def test_a_gru_has_three_quarters_of_the_lstm_weights():
    X = make_ragged(n_samples=8)
    sizes = {}
    for cell in ["lstm", "gru"]:
        enc = LSTMEncoderTransformer(cell=cell, frontend="none", max_epochs=0).fit(X)
        sizes[cell] = sum(p.numel() for p in enc.net_.module_.encoder.lstm.parameters())
    assert sizes["gru"] * 4 == sizes["lstm"] * 3


def test_grid_search_over_the_cell():
    X = make_ragged(n_samples=30, seed=3)
    y = np.array([x[:, 0].mean() > 0 for x in X]).astype(int)
    search = GridSearchCV(LSTMClassifier(**FAST), {"cell": ["lstm", "gru"]}, cv=2).fit(X, y)
    best = search.best_estimator_
    assert type(best.net_.module_.lstm).__name__ == search.best_params_["cell"].upper()
    assert len(search.cv_results_["params"]) == 2


def test_training_goes_on_only_with_the_fitted_cell():
    X = make_ragged(n_samples=8)
    reg = LSTMRegressor(**{**FAST, "cell": "gru"}).fit(X, np.arange(8.0))
    reg.set_params(cell="lstm")
    with pytest.raises(ValueError, match="fitted with cell='gru'"):
        reg.partial_fit(X, np.arange(8.0))
    # a prediction reads the fitted network, whatever cell is set now
    assert reg.predict(X).shape == (8,)
