"""Loaders for the small real sequence datasets bundled with sklstm.

The files live in ``sklstm/datasets/data``; their provenance, licences and
citations are listed in ``sklstm/datasets/data/SOURCES.md``, and each one's
description is ``descr/<name>.rst``. The loaders only read those files:
nothing is ever downloaded. What each docstring states comes from
``_registry.py``.
"""

import json
from importlib.resources import files

import numpy as np
from sklearn.utils import Bunch

from ._docstring import characteristics, fill_loader_doc
from ._registry import DATASETS, SeriesDataset

_DATA_PACKAGE = "sklstm.datasets"
# The counts and shapes in DESCR come from the registry; they go under this
# heading of the description file.
_CHARACTERISTICS = "**Data Set Characteristics:**\n\n"


def _read_npz(name):
    """Read a bundled ``.npz`` file.

    Returns a dict of its arrays, without ``meta``, and the parsed ``meta``.
    """
    resource = files(_DATA_PACKAGE) / "data" / f"{name}.npz"
    # NpzFile reads members lazily, so every array is read before the file
    # closes. allow_pickle=False: the files hold plain arrays only.
    with resource.open("rb") as f, np.load(f, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    meta = json.loads(str(arrays.pop("meta")))
    return arrays, meta


def _read_descr(name):
    """The full description of a dataset: its file, with the registry's numbers."""
    text = (files(_DATA_PACKAGE) / "descr" / f"{name}.rst").read_text(encoding="utf-8")
    head, heading, tail = text.partition(_CHARACTERISTICS)
    return head + heading + characteristics(DATASETS[name]) + tail


def _check_return_X_y(return_X_y, name):
    # a string such as "no" would otherwise count as True
    if not isinstance(return_X_y, (bool, np.bool_)):
        raise TypeError(f"return_X_y of load_{name} must be True or False. Got {return_X_y!r}.")


def _sequences(arrays, split):
    """Pop the sequences of one split, a list when their lengths differ."""
    if f"X_{split}_values" in arrays:
        # Cases are stored concatenated along the time axis.
        values = arrays.pop(f"X_{split}_values")
        lengths = arrays.pop(f"X_{split}_lengths")
        return np.split(values, np.cumsum(lengths)[:-1])
    return arrays.pop(f"X_{split}")


def _sequence_bunch(name, arrays, meta, *, return_X_y):
    X_train, X_test = _sequences(arrays, "train"), _sequences(arrays, "test")
    y_train, y_test = arrays.pop("y_train"), arrays.pop("y_test")
    if return_X_y:
        return X_train, X_test, y_train, y_test
    feature_names = meta.get("channel_names") or [
        f"channel_{i}" for i in range(meta["n_channels"])
    ]
    bunch = Bunch(
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        feature_names=list(feature_names),
        DESCR=_read_descr(name),
        meta=meta,
        # Dataset-specific arrays, e.g. subject_train and subject_test.
        **arrays,
    )
    if meta["classes"] is not None:
        bunch.target_names = np.asarray(meta["classes"])
    return bunch


def _series_bunch(name, arrays, meta, *, return_X_y):
    series, dates = arrays["series"], arrays["dates"]
    if return_X_y:
        return series, dates
    return Bunch(series=series, dates=dates, DESCR=_read_descr(name), meta=meta)


def _load(name, *, return_X_y):
    """Load a bundled dataset; shared by the public loaders."""
    _check_return_X_y(return_X_y, name)
    arrays, meta = _read_npz(name)
    if isinstance(DATASETS[name], SeriesDataset):
        return _series_bunch(name, arrays, meta, return_X_y=return_X_y)
    return _sequence_bunch(name, arrays, meta, return_X_y=return_X_y)


@fill_loader_doc
def load_osuleaf(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_osuleaf
    >>> X_train, X_test, y_train, y_test = load_osuleaf(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((200, 427, 1), (242, 427, 1))
    >>> load_osuleaf().target_names
    array(['1', '2', '3', '4', '5', '6'], dtype='<U1')
    """
    return _load("osuleaf", return_X_y=return_X_y)


@fill_loader_doc
def load_chinatown(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_chinatown
    >>> X_train, X_test, y_train, y_test = load_chinatown(return_X_y=True)
    >>> X_train.shape
    (20, 24, 1)
    >>> y_train[:4]
    array(['1', '1', '1', '1'], dtype='<U1')
    >>> data = load_chinatown()
    >>> data.meta["class_names"]
    {'1': 'weekend', '2': 'weekday'}
    """
    return _load("chinatown", return_X_y=return_X_y)


@fill_loader_doc
def load_eeg_hand_raise(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_eeg_hand_raise
    >>> data = load_eeg_hand_raise()
    >>> data.X_train.shape
    (40, 100, 4)
    >>> data.feature_names
    ['ch14', 'ch21', 'ch15', 'ch10']
    >>> data.target_names
    array(['rest', 'task'], dtype='<U4')
    """
    return _load("eeg_hand_raise", return_X_y=return_X_y)


@fill_loader_doc
def load_cardano_sentiment(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_cardano_sentiment
    >>> X_train, X_test, y_train, y_test = load_cardano_sentiment(
    ...     return_X_y=True
    ... )
    >>> X_train.shape, y_train.dtype
    ((74, 24, 2), dtype('float64'))
    >>> load_cardano_sentiment().feature_names
    ['close_price_usd', 'volume']
    """
    return _load("cardano_sentiment", return_X_y=return_X_y)


@fill_loader_doc
def load_shoulder_exercises(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_shoulder_exercises
    >>> X_train, X_test, y_train, y_test = load_shoulder_exercises(
    ...     return_X_y=True
    ... )
    >>> len(X_train), len(X_test)
    (98, 42)
    >>> X_train[0].shape
    (159, 6)
    >>> lengths = [len(x) for x in X_train + X_test]
    >>> min(lengths), max(lengths)
    (94, 261)
    """
    return _load("shoulder_exercises", return_X_y=return_X_y)


@fill_loader_doc
def load_coffee(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_coffee
    >>> X_train, X_test, y_train, y_test = load_coffee(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((28, 286, 1), (28, 286, 1))
    >>> load_coffee().target_names
    array(['0', '1'], dtype='<U1')
    """
    return _load("coffee", return_X_y=return_X_y)


@fill_loader_doc
def load_trace(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_trace
    >>> X_train, X_test, y_train, y_test = load_trace(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((100, 275, 1), (100, 275, 1))
    >>> load_trace().target_names
    array(['1', '2', '3', '4'], dtype='<U1')
    """
    return _load("trace", return_X_y=return_X_y)


@fill_loader_doc
def load_acsf1(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_acsf1
    >>> X_train, X_test, y_train, y_test = load_acsf1(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((100, 1460, 1), (100, 1460, 1))
    >>> len(load_acsf1().target_names)
    10
    """
    return _load("acsf1", return_X_y=return_X_y)


@fill_loader_doc
def load_fsdd(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_fsdd
    >>> X_train, X_test, y_train, y_test = load_fsdd(return_X_y=True)
    >>> len(X_train), len(X_test)
    (1500, 1500)
    >>> X_train[0].shape
    (26, 13)
    >>> lengths = [len(x) for x in X_train + X_test]
    >>> min(lengths), max(lengths)
    (6, 92)
    """
    return _load("fsdd", return_X_y=return_X_y)


@fill_loader_doc
def load_sunspots(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_sunspots
    >>> series, dates = load_sunspots(return_X_y=True)
    >>> series.shape
    (309,)
    >>> print(dates[0], dates[-1])
    1700 2008

    Windows of the 10 past years to predict the next one, with
    :func:`sklstm.forecasting.make_windows`:

    >>> from sklstm.forecasting import make_windows
    >>> X, y = make_windows(series, window=10)
    >>> X.shape, y.shape  # (n_samples, n_timesteps, n_features), (n_samples, horizon)
    ((299, 10, 1), (299, 1))
    """
    return _load("sunspots", return_X_y=return_X_y)


@fill_loader_doc
def load_co2(*, return_X_y=False):
    """%(loader_doc)s

    Examples
    --------
    >>> from sklstm.datasets import load_co2
    >>> series, dates = load_co2(return_X_y=True)
    >>> series.shape
    (526,)
    >>> print(dates[0], dates[-1])
    1958-03 2001-12

    Windows of the 24 past months to predict the next one, with
    :func:`sklstm.forecasting.make_windows`:

    >>> from sklstm.forecasting import make_windows
    >>> X, y = make_windows(series, window=24)
    >>> X.shape, y.shape  # (n_samples, n_timesteps, n_features), (n_samples, horizon)
    ((502, 24, 1), (502, 1))
    """
    return _load("co2", return_X_y=return_X_y)
