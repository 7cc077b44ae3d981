"""sklstm.utils: from a long table to the sequences the estimators read."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import FAST

from sklstm import LSTMClassifier
from sklstm.utils import from_long

# Three patients, rows shuffled: "a" has 3 hours, "b" 2, "c" 1.
LONG = pd.DataFrame(
    {
        "patient": ["b", "a", "c", "a", "b", "a"],
        "hour": [1, 2, 0, 0, 0, 1],
        "heart_rate": [91.0, 72.0, 60.0, 70.0, 88.0, 71.0],
        "spo2": [94.0, 97.0, 99.0, 98.0, 95.0, 98.0],
        "outcome": ["sick", "well", "well", "well", "sick", "well"],
    }
)
NUMERIC = LONG.drop(columns="outcome")


def test_from_long_sorts_by_time_within_each_id():
    X, y, ids = from_long(LONG, id="patient", time="hour", target="outcome")
    np.testing.assert_array_equal(ids, ["a", "b", "c"])
    np.testing.assert_array_equal(y, ["well", "sick", "well"])
    expected = [
        [[70.0, 98.0], [71.0, 98.0], [72.0, 97.0]],
        [[88.0, 95.0], [91.0, 94.0]],
        [[60.0, 99.0]],
    ]
    assert len(X) == 3
    for x, want in zip(X, expected):
        assert x.dtype == np.float64
        np.testing.assert_array_equal(x, want)


def test_from_long_output_fits_an_estimator():
    X, y, _ = from_long(LONG, id="patient", time="hour", target="outcome", dtype=np.float32)
    assert all(x.dtype == np.float32 for x in X)
    clf = LSTMClassifier(**FAST).fit(X, y)
    assert clf.n_features_in_ == 2
    assert clf.predict(X).shape == (3,)


def test_from_long_options():
    # without time, the rows of an id keep the order of the table
    X, y, ids = from_long(LONG, id="patient", features=["spo2"])
    assert X[0].shape == (3, 1)
    assert y is None
    np.testing.assert_array_equal(X[0][:, 0], [97.0, 98.0, 98.0])
    # several targets: one row each
    df = LONG.assign(score=LONG["patient"].map({"a": 1.0, "b": 2.0, "c": 3.0}))
    _, y, _ = from_long(df, id="patient", time="hour", target=["score", "outcome"])
    assert y.shape == (3, 2)
    np.testing.assert_array_equal(y[:, 1], ["well", "sick", "well"])
    # per step: one target per row, in time order
    X, y, ids = from_long(
        LONG.drop(columns="outcome"), id="patient", time="hour", target="spo2", per_step=True
    )
    np.testing.assert_array_equal(y[0], [98.0, 98.0, 97.0])
    assert [len(x) for x in X] == [len(t) for t in y] == [3, 2, 1]
    # dates as times, integer ids
    df = pd.DataFrame(
        {
            "id": [2, 1, 1, 2],
            "when": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-01", "2024-01-01"]),
            "x": [4.0, 2.0, 1.0, 3.0],
        }
    )
    X, _, ids = from_long(df, id="id", time="when")
    np.testing.assert_array_equal(ids, [1, 2])
    np.testing.assert_array_equal(np.concatenate(X)[:, 0], [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize(
    "kwargs, df, exc_type, message",
    [
        (
            {"id": "patient", "time": "hour", "target": "spo2"},
            NUMERIC,
            ValueError,
            "The target of the sequence with id 'a' varies over its rows (first 98.0, then "
            "97.0), but a sequence has one target. Fix those rows, or pass per_step=True",
        ),
        (
            {"id": "patient", "time": "hour"},
            pd.concat([NUMERIC, NUMERIC.iloc[:1]]),
            ValueError,
            "Two rows of df have the id 'b' and the time 1; a time step of a sequence "
            "needs exactly one row.",
        ),
        (
            {"id": "subject"},
            LONG,
            ValueError,
            "The id column 'subject' is not a column of df; its columns are",
        ),
        (
            {"id": "patient", "time": "hour"},
            LONG.set_index("hour"),
            ValueError,
            "It is an index level of df: move it to a column with df.reset_index() first.",
        ),
        (
            {"id": "patient", "time": "hour"},
            NUMERIC.assign(hour=[1.0, np.nan, 0, 0, 0, 1]),
            ValueError,
            "The column 'hour' of df has missing values; every row needs one.",
        ),
        (
            {"id": "patient", "time": "hour", "target": "spo2"},
            LONG,
            TypeError,
            "The feature columns ['outcome'] of df are not numeric",
        ),
        (
            {"id": "patient", "time": "patient"},
            LONG,
            ValueError,
            "must name different columns",
        ),
        (
            {"id": "patient", "time": "hour", "features": ["hour"]},
            LONG,
            ValueError,
            "The column 'hour' is the id, time or target, so it cannot be a feature too.",
        ),
        (
            {"id": "patient", "time": "hour", "target": "outcome"},
            LONG.iloc[:0],
            ValueError,
            "df has no rows; from_long needs at least one.",
        ),
    ],
)
def test_from_long_errors(kwargs, df, exc_type, message):
    with pytest.raises(exc_type, match=re.escape(message)):
        from_long(df, **kwargs)


def test_from_long_needs_a_dataframe():
    with pytest.raises(TypeError, match=re.escape("from_long expects a pandas DataFrame")):
        from_long(LONG.to_numpy(), id=0)
