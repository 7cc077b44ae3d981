"""sklstm.save / sklstm.load: a round trip changes nothing, loading runs no code."""

import copy
import hashlib
import io
import json
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
from conftest import FAST, make_ragged, outputs
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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


def test_the_file_holds_only_json_numpy_arrays_and_their_checksums(tmp_path):
    path = tmp_path / "model.sklstm"
    sklstm.save(LSTMClassifier(**FAST).fit(RAGGED, LABELS), path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["SHA256SUMS", "arrays.npz", "estimator.json"]
        content = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(content["estimator.json"])
    assert document["format"] == "sklstm-estimator" and document["format_version"] == 2
    assert document["estimator"] == "LSTMClassifier"
    with np.load(io.BytesIO(content["arrays.npz"]), allow_pickle=False) as arrays:
        np.testing.assert_array_equal(arrays["fitted/classes_"], ["cat", "dog", "emu"])
    # as sha256sum writes it, so that `sha256sum -c SHA256SUMS` checks an unzipped file
    assert content["SHA256SUMS"].decode() == "".join(
        f"{hashlib.sha256(content[name]).hexdigest()}  {name}\n"
        for name in ["arrays.npz", "estimator.json"]
    )


@pytest.fixture(scope="module")
def fitted():
    return LSTMClassifier(**FAST).fit(RAGGED, LABELS)


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "model.sklstm"
    sklstm.save(fitted, path)
    return path


def read_members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(path, members, update_checksums=True):
    """Write ``members``; with ``update_checksums``, as someone rewriting the file would."""
    if update_checksums and "SHA256SUMS" in members:
        members["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(members[name]).hexdigest()}  {name}\n"
            for name in sorted(members)
            if name != "SHA256SUMS"
        ).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def rewrite(path, change_document=None, change_arrays=None, update_checksums=True):
    members = read_members(path)
    document = json.loads(members["estimator.json"])
    if change_document:
        change_document(document)
    members["estimator.json"] = json.dumps(document).encode()
    if change_arrays:
        members["arrays.npz"] = change_arrays(members["arrays.npz"])
    write_members(path, members, update_checksums)


def set_fitted(name, value):
    def change(document):
        document["fitted"]["__dict__"].append([name, value])

    return change


def set_param(name, value):
    def change(document):
        pairs = document["params"]["__dict__"]
        document["params"]["__dict__"] = [[k, value if k == name else v] for k, v in pairs]

    return change


@pytest.mark.parametrize(
    "change_document",
    [set_param("hidden_size", 5), set_fitted("_multilabel_", True)],
    ids=["hidden_size", "_multilabel_"],
)
def test_a_damaged_json_is_detected(saved, change_document):
    # Non-regression test for #35.
    rewrite(saved, change_document, update_checksums=False)
    msg = "its content does not match the SHA-256 checksums in SHA256SUMS"
    with pytest.raises(ValueError, match=re.escape(msg)):
        sklstm.load(saved)


def test_damage_anywhere_in_the_file_is_detected(fitted, saved):
    data = saved.read_bytes()
    expected = fitted.predict_proba(RAGGED)
    damaged = saved.with_name("damaged.sklstm")
    rng = np.random.RandomState(0)
    for position in rng.choice(len(data), size=150, replace=False):
        flipped = bytearray(data)
        flipped[position] ^= 1 << rng.randint(8)
        damaged.write_bytes(bytes(flipped))
        try:
            loaded = sklstm.load(damaged)
        except ValueError:
            continue
        # a bit that no reader looks at (a timestamp): the model is the same
        np.testing.assert_array_equal(loaded.predict_proba(RAGGED), expected)
    for size in range(0, len(data), max(1, len(data) // 50)):
        damaged.write_bytes(data[:size])
        with pytest.raises(ValueError, match="cannot be loaded"):
            sklstm.load(damaged)


def test_save_returns_the_digest_that_load_checks(fitted, tmp_path):
    # Non-regression test for #35.
    path = tmp_path / "model.sklstm"
    digest = sklstm.save(fitted, path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    # the same model gives the same bytes, so the same digest
    assert sklstm.save(fitted, tmp_path / "again.sklstm") == digest
    sklstm.load(path, sha256=digest.upper())

    # Someone who can rewrite the file can rewrite its checksums: the file alone
    # cannot tell, a digest kept elsewhere can.
    def scale_the_weights(payload):
        arrays = dict(np.load(io.BytesIO(payload), allow_pickle=False))
        arrays["net/weights/head.weight"] = 10 * arrays["net/weights/head.weight"]
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    rewrite(path, change_arrays=scale_the_weights)
    changed = sklstm.load(path)
    assert not np.allclose(changed.predict_proba(RAGGED), fitted.predict_proba(RAGGED))
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    msg = (
        f"{path} does not have the SHA-256 digest you passed: it has {actual}, not "
        f"{digest}. It is not the file that digest was taken of"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        sklstm.load(path, sha256=digest)


@pytest.mark.parametrize(
    "digest, error, msg",
    [
        (b"00" * 32, TypeError, "sha256 must be a str of 64 hexadecimal digits"),
        ("abc", ValueError, "sha256 must be the 64 hexadecimal digits of a SHA-256 digest"),
    ],
)
def test_a_digest_that_is_not_one_gets_a_clear_error(saved, digest, error, msg):
    with pytest.raises(error, match=re.escape(msg)):
        sklstm.load(saved, sha256=digest)


def test_a_file_object_saves_and_loads(fitted):
    buffer = io.BytesIO()
    digest = sklstm.save(fitted, buffer)
    buffer.seek(0)
    loaded = sklstm.load(buffer, sha256=digest)
    np.testing.assert_array_equal(loaded.predict_proba(RAGGED), fitted.predict_proba(RAGGED))


@pytest.mark.parametrize(
    "name, value",
    [
        ("__class__", "LSTMRegressor"),
        ("__dict__", {"__dict__": []}),
        ("predict_proba", 0),
        ("hidden_size", 64),
    ],
)
def test_only_the_fitted_attributes_the_class_declares_are_set(saved, name, value):
    # Non-regression test for #35.
    rewrite(saved, set_fitted(name, value))
    msg = f"it sets ['{name}'], which are not fitted attributes of LSTMClassifier"
    with pytest.raises(ValueError, match=re.escape(msg)):
        sklstm.load(saved)


def point_to_another_class(document):
    document["net"]["module"] = {"__class__": "os.system"}


def drop_net_entry(document):
    del document["net"]["weights"]


def history_of_numbers(document):
    document["net"]["history"] = [1, 2]


def huge_network(document):
    arguments = document["net"]["arguments"]["__dict__"]
    document["net"]["arguments"]["__dict__"] = [
        [k, 10**6 if k == "module__hidden_size" else v] for k, v in arguments
    ]


def missing_array(document):
    document["fitted"]["__dict__"].append(["n_features_in_", {"__array__": "nowhere"}])


MALFORMED = {
    "newer version": (lambda d: d.update(format_version=3), "version 3 of sklstm's file format"),
    "not sklstm's": (lambda d: d.update(format="pickle"), "does not say it is in sklstm's format"),
    "module class": (
        point_to_another_class,
        "its module is 'os.system', which is not one of sklstm's",
    ),
    "estimator class": (
        lambda d: d.update(estimator="LSTMModule"),
        "it names the estimator 'LSTMModule', which is not one of",
    ),
    "fitted not a dict": (
        lambda d: d.update(fitted=[1]),
        "it does not hold its fitted attributes as a dict of names",
    ),
    "fitted of the wrong type": (
        set_fitted("n_features_in_", "3"),
        "its LSTMClassifier.n_features_in_ is a str, not an int",
    ),
    "fitted missing": (
        lambda d: d["fitted"].update({"__dict__": []}),
        "it lacks the fitted attributes ['_multilabel_', ",
    ),
    "array missing": (missing_array, "it refers to an array 'nowhere' that arrays.npz does"),
    "unknown parameter": (
        lambda d: d["params"]["__dict__"].append(["colour", "red"]),
        "it sets ['colour'], which are not parameters of LSTMClassifier",
    ),
    "pairs not pairs": (
        lambda d: d["params"]["__dict__"].append([1, 2, 3]),
        "a dict in its JSON is not a list of [key, value] pairs",
    ),
    "net entry missing": (
        drop_net_entry,
        "its network description lacks the entries ['weights'] and has [] besides",
    ),
    "net not a dict": (
        lambda d: d.update(net=[]),
        "its network description is not a JSON object",
    ),
    "history": (history_of_numbers, "its training history is not a list of epochs"),
    "huge network": (
        huge_network,
        "its weights do not have the shapes of the network it describes",
    ),
    "unknown entry": (
        lambda d: d.update(extra=1),
        "its estimator.json lacks the entries [] and has ['extra'] besides",
    ),
}


@pytest.mark.parametrize("change_document, message", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_file_gets_a_value_error_naming_the_problem(saved, change_document, message):
    # Non-regression test for #35.
    rewrite(saved, change_document)
    with pytest.raises(ValueError, match=re.escape(message)):
        sklstm.load(saved)


def test_deep_json_gets_a_value_error(saved):
    # Non-regression test for #35.
    members = read_members(saved)
    members["estimator.json"] = b"[" * 100_000 + b"]" * 100_000
    write_members(saved, members)
    with pytest.raises(ValueError, match=re.escape("its estimator.json is not valid JSON")):
        sklstm.load(saved)


def test_a_member_is_not_inflated_past_the_limits(saved):
    # Non-regression test for #35.
    members = read_members(saved)
    members["arrays.npz"] = bytes(64 * 2**20)  # deflates to 64 KiB
    write_members(saved, members)
    assert saved.stat().st_size < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="its member arrays.npz would inflate from"):
            sklstm.load(saved)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20


def test_an_array_header_is_checked_before_allocating(saved):
    # Non-regression test for #35.
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (2**40,)}
    )
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as archive:
        archive.writestr("fitted/classes_.npy", header.getvalue() + bytes(16))
    rewrite(saved, change_arrays=lambda _: npz.getvalue())
    msg = "the array fitted/classes_.npy in arrays.npz claims shape (1099511627776,) of float32"
    with pytest.raises(ValueError, match=re.escape(msg)):
        sklstm.load(saved)


def as_version_1(path):
    """The file as sklstm's format version 1 wrote it: no SHA256SUMS, a SHA-256
    of the arrays alone in the JSON, what the constructor sets among the fitted
    attributes."""
    members = read_members(path)
    del members["SHA256SUMS"]
    document = json.loads(members["estimator.json"])
    document["format_version"] = 1
    document["arrays_sha256"] = hashlib.sha256(members["arrays.npz"]).hexdigest()
    if document["estimator"] == "LSTMEncoderTransformer":
        document["fitted"]["__dict__"].append(["head", "linear"])
    members["estimator.json"] = json.dumps(document).encode()
    write_members(path, members)


@pytest.mark.parametrize(
    "estimator, y",
    [CASES["classifier, string labels"], CASES["transformer, contrastive"]],
    ids=["classifier", "transformer"],
)
def test_a_version_1_file_still_loads(estimator, y, tmp_path):
    estimator = copy.deepcopy(estimator).fit(RAGGED, y)
    path = tmp_path / "model.sklstm"
    sklstm.save(estimator, path)
    as_version_1(path)
    assert same(outputs(sklstm.load(path), RAGGED), outputs(estimator, RAGGED))
    # version 1 has no checksum of its JSON, and its other checks hold
    rewrite(path, huge_network)
    with pytest.raises(ValueError, match="its weights do not have the shapes"):
        sklstm.load(path)


def test_the_readme_pipeline_saves_and_loads(tmp_path):
    # Non-regression test for #35.
    model = make_pipeline(SequenceScaler(), "passthrough", LSTMClassifier(**FAST))
    model.fit(RAGGED, LABELS)
    path = tmp_path / "model.sklstm"
    sklstm.save(model, path)
    loaded = sklstm.load(path)
    assert [name for name, _ in loaded.steps] == [name for name, _ in model.steps]
    assert loaded.get_params(deep=False).keys() == model.get_params(deep=False).keys()
    assert loaded[-1].get_params() == model[-1].get_params()
    np.testing.assert_array_equal(loaded.predict_proba(RAGGED), model.predict_proba(RAGGED))
    np.testing.assert_array_equal(loaded.predict(RAGGED), model.predict(RAGGED))


def test_what_cannot_be_saved_gets_a_clear_error(tmp_path):
    from skorch.callbacks import EpochTimer

    path = tmp_path / "model.sklstm"
    with pytest.raises(ValueError, match="This LSTMClassifier is not fitted yet"):
        sklstm.save(LSTMClassifier(), path)
    with pytest.raises(ValueError, match=re.escape("Pipeline is not fitted yet (its step")):
        sklstm.save(make_pipeline(SequenceScaler(), LSTMClassifier()), path)
    with pytest.raises(TypeError, match="not a LogisticRegression"):
        sklstm.save(LogisticRegression(), path)
    with pytest.raises(TypeError, match="the step 'standardscaler' is a StandardScaler"):
        sklstm.save(make_pipeline(StandardScaler(), LSTMClassifier()), path)
    with_callbacks = LSTMClassifier(**FAST, callbacks=[("timer2", EpochTimer())])
    with pytest.raises(ValueError, match=re.escape("set_params(callbacks=None)")):
        sklstm.save(with_callbacks.fit(RAGGED, LABELS), path)
    with_state = LSTMClassifier(**{**FAST, "random_state": np.random.RandomState(0)})
    with pytest.raises(ValueError, match="random_state must be an int or None"):
        sklstm.save(with_state.fit(RAGGED, LABELS), path)
    with_note = SequenceScaler().fit(RAGGED)
    with_note.note = "mine"
    with pytest.raises(ValueError, match=re.escape("Delete it (del estimator.note)")):
        sklstm.save(with_note, path)
    assert not path.exists()


def test_a_refused_save_leaves_an_existing_file_as_it_was(fitted, saved):
    before = saved.read_bytes()
    with pytest.raises(ValueError, match="not fitted yet"):
        sklstm.save(LSTMClassifier(), saved)
    assert saved.read_bytes() == before


def test_not_a_zip_file_is_rejected(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(ValueError, match="not a file written by sklstm.save"):
        sklstm.load(path)
