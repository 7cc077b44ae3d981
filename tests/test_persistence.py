"""sklstm.save / sklstm.load: a round trip changes nothing, loading runs no code."""

import copy
import io
import json
import re
import zipfile

import numpy as np
import pytest
from conftest import FAST, make_ragged, outputs

import sklstm
from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler


def same(a, b):
    if isinstance(a, list):
        return len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))
    return np.array_equal(a, b)


RAGGED = make_ragged(n_samples=24, min_length=3, max_length=10, seed=5)
LABELS = np.array(["cat", "dog", "emu"])[np.arange(24) % 3]
CASES = {
    "classifier, string labels": (LSTMClassifier(**FAST), LABELS),
    "classifier, ensemble, bidirectional": (
        LSTMClassifier(**FAST, n_networks=2, bidirectional=True, readout="attention"),
        LABELS,
    ),
    "classifier, per step": (
        LSTMClassifier(**FAST, readout="sequence"),
        [(x[:, 0] > 0).astype(int) for x in RAGGED],
    ),
    "classifier, multilabel": (
        LSTMClassifier(**FAST),
        np.column_stack([np.arange(24) % 2, np.arange(24) % 3 == 0]).astype(int),
    ),
    "regressor, quantile, gru": (
        LSTMRegressor(**FAST, cell="gru", loss="quantile", quantile=0.8, num_layers=2),
        np.arange(24.0).reshape(12, 2).repeat(2, axis=0),
    ),
    "regressor, state both, mlp head": (
        LSTMRegressor(**FAST, state="both", layers="all", head="mlp", frontend="conv"),
        np.arange(24.0),
    ),
    "transformer, contrastive": (LSTMEncoderTransformer(**FAST, n_components=3), None),
    "transformer, per step autoencoder": (
        LSTMEncoderTransformer(**FAST, readout="sequence"),
        None,
    ),
    "sequence scaler": (SequenceScaler(), None),
}


@pytest.mark.parametrize("estimator, y", CASES.values(), ids=CASES.keys())
def test_a_round_trip_gives_the_same_model(estimator, y, tmp_path):
    estimator = copy.deepcopy(estimator).fit(RAGGED, y)
    path = tmp_path / "model.sklstm"
    sklstm.save(estimator, path)
    loaded = sklstm.load(path)
    assert type(loaded) is type(estimator)
    assert loaded.get_params() == estimator.get_params()
    assert same(outputs(loaded, RAGGED), outputs(estimator, RAGGED))
    if hasattr(estimator, "net_"):
        assert loaded.n_iter_ == estimator.n_iter_
        assert loaded.loss_curve_ == estimator.loss_curve_
        # training goes on from the saved optimizer state, exactly as it would have
        args = (RAGGED,) if y is None else (RAGGED, y)
        estimator.partial_fit(*args)
        loaded.partial_fit(*args)
        assert same(outputs(loaded, RAGGED), outputs(estimator, RAGGED))


def test_the_file_holds_only_json_and_numpy_arrays(tmp_path):
    path = tmp_path / "model.sklstm"
    sklstm.save(LSTMClassifier(**FAST).fit(RAGGED, LABELS), path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["arrays.npz", "estimator.json"]
        document = json.loads(archive.read("estimator.json"))
        payload = archive.read("arrays.npz")
    assert document["format"] == "sklstm-estimator" and document["format_version"] == 1
    assert document["estimator"] == "LSTMClassifier"
    with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
        np.testing.assert_array_equal(arrays["fitted/classes_"], ["cat", "dog", "emu"])


def rewrite(path, change_document=None, change_arrays=None):
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("estimator.json"))
        payload = archive.read("arrays.npz")
    if change_document:
        change_document(document)
    if change_arrays:
        payload = change_arrays(payload)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("estimator.json", json.dumps(document))
        archive.writestr("arrays.npz", payload)


def point_to_another_class(document):
    document["net"]["module"] = {"__class__": "os.system"}


@pytest.mark.parametrize(
    "change_document, change_arrays, message",
    [
        (lambda d: d.update(format_version=2), None, "version 2 of sklstm's file format"),
        (lambda d: d.update(format="pickle"), None, "does not say it is in sklstm's format"),
        (None, lambda p: p[:-10] + b"0" * 10, "do not match the checksum"),
        (point_to_another_class, None, "KeyError: 'os.system'"),
        (lambda d: d.update(estimator="LSTMModule"), None, "KeyError: 'LSTMModule'"),
    ],
)
def test_a_newer_or_modified_file_is_rejected(tmp_path, change_document, change_arrays, message):
    path = tmp_path / "model.sklstm"
    sklstm.save(LSTMClassifier(**FAST).fit(RAGGED, LABELS), path)
    rewrite(path, change_document, change_arrays)
    with pytest.raises(ValueError, match=re.escape(message)):
        sklstm.load(path)


def test_not_a_zip_file_is_rejected(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(ValueError, match="not a file written by sklstm.save"):
        sklstm.load(path)


def test_what_cannot_be_saved_gets_a_clear_error(tmp_path):
    from skorch.callbacks import EpochTimer

    path = tmp_path / "model.sklstm"
    with pytest.raises(ValueError, match="not fitted yet"):
        sklstm.save(LSTMClassifier(), path)
    with pytest.raises(TypeError, match="not a Pipeline"):
        from sklearn.pipeline import make_pipeline

        sklstm.save(make_pipeline(SequenceScaler()), path)
    with_callbacks = LSTMClassifier(**FAST, callbacks=[("timer2", EpochTimer())])
    with pytest.raises(ValueError, match=re.escape("set_params(callbacks=None)")):
        sklstm.save(with_callbacks.fit(RAGGED, LABELS), path)
    with_state = LSTMClassifier(**{**FAST, "random_state": np.random.RandomState(0)})
    with pytest.raises(ValueError, match="random_state must be an int or None"):
        sklstm.save(with_state.fit(RAGGED, LABELS), path)
    assert not path.exists()
