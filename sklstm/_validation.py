"""All input and parameter checks of sklstm, in one place.

This is the only module that imports scikit-learn's private helpers.

How ``X`` is read (the ``n_features_in_`` contract)
--------------------------------------------------
* 3-D array ``(n_samples, n_timesteps, n_features)``: ``n_features_in_`` is
  ``n_features``; any ``n_timesteps`` is accepted at predict time.
* list of arrays, each ``(n_timesteps_i, n_features)`` or 1-D (univariate):
  variable-length sequences, read like the 3-D case.
* 2-D array or DataFrame ``(n_samples, n_timesteps)``: a table of fixed-length
  univariate sequences whose columns are the time steps, as tslearn and aeon
  read it. scikit-learn's contract holds for tables: ``n_features_in_`` is the
  number of columns (and ``feature_names_in_`` the DataFrame's columns), and a
  table of another width at predict time is an error.
"""

import inspect
import sys
from numbers import Integral, Number

import numpy as np
import torch
from sklearn.base import _fit_context as _fit_context
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import HasMethods as HasMethods
from sklearn.utils._param_validation import Interval as _Interval
from sklearn.utils._param_validation import StrOptions as StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    _check_feature_names,
    _check_n_features,
    _check_sample_weight,
    _get_feature_names,
    check_array,
    check_consistent_length,
    column_or_1d,
)

from ._data import Sequences
from ._readout import POOLING_READOUTS, READOUTS, readout_parts

_EXPECTED = (
    "Expected X of shape (n_samples, n_timesteps, n_features), a 2-D array "
    "(n_samples, n_timesteps) of univariate sequences, or a list of 2-D arrays "
    "(n_timesteps_i, n_features)"
)


class Interval(_Interval):
    """scikit-learn's ``Interval``, except that an integer interval refuses
    ``True`` and ``False``: ``n_networks=True`` is a mistake, not 1."""

    def is_satisfied_by(self, val):
        if self.type is Integral and isinstance(val, (bool, np.bool_)):
            return False
        return super().is_satisfied_by(val)


def _is_ragged_list(X):
    """Whether ``X`` is a list of separate sequences rather than one array.

    A list or tuple whose items are arrays (anything with a ``shape``) is a
    list of sequences, even when they happen to share a length. Nested Python
    lists are read as one array unless their lengths differ.
    """
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    if all(hasattr(x, "shape") for x in X):
        return True
    try:
        np.asarray(X)
    except ValueError:  # inhomogeneous nested lists
        return True
    return False


def _pandas_dataframe(X):
    """Whether ``X`` is a pandas DataFrame (without importing pandas)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(X, pd.DataFrame)


def _is_datetime_dtype(dtype):
    """NumPy's and pandas' dates, times and durations (pandas' periods too)."""
    return getattr(dtype, "kind", None) in ("M", "m") or type(dtype).__name__ == "PeriodDtype"


_LONG_TABLE_HINT = (
    "If X is a long table (one row per time step of each sequence, with id and "
    "time columns), build the sequences with sklstm.utils.from_long(X, id=..., "
    "time=...) first."
)
# column names that say a table is long (an id, a time): never a time step of
# a wide table, whose columns are the time steps
_ID_NAMES = {"id", "t", "time", "timestamp", "date", "datetime", "step", "timestep", "time_step"}


def _check_table_columns(X, name):
    """A DataFrame ``X`` is read as a table of univariate sequences, one column
    per time step; a date, an id or a text column says it is a long table."""
    for column, dtype in X.dtypes.items():
        label = str(column).lower()
        if _is_datetime_dtype(dtype):
            raise TypeError(
                f"X has the column {column!r} of dtype {dtype}, but {name} reads a "
                "DataFrame as a table of univariate sequences: one row per sequence, "
                f"one numeric column per time step. {_LONG_TABLE_HINT}"
            )
        if label in _ID_NAMES or label.endswith("_id"):
            raise ValueError(
                f"X has a column named {column!r}, which looks like an id or a time, but "
                f"{name} reads a DataFrame as a table of univariate sequences: one row per "
                f"sequence, one column per time step. {_LONG_TABLE_HINT} If the column "
                "really is a time step, rename it."
            )
        if getattr(dtype, "kind", "O") in "OSU":  # objects, text, categories
            values = X[column].to_numpy()
            try:
                values.astype(np.float64)
            except (TypeError, ValueError):
                raise TypeError(
                    f"X has the column {column!r} of dtype {dtype}, whose values are "
                    f"not numbers (e.g. {values[0]!r}), but {name} reads a DataFrame as "
                    "a table of univariate sequences: one row per sequence, one numeric "
                    f"column per time step. {_LONG_TABLE_HINT}"
                ) from None


def _sequence_values(seq, i, name):
    """Sequence ``X[i]`` as a numeric array; numbers stored as objects (a
    DataFrame with missing values, say) are converted, missing values to NaN."""
    if hasattr(seq, "toarray"):  # a scipy.sparse matrix
        raise TypeError(
            f"X[{i}] is a sparse matrix, but {name} needs dense sequences. Convert "
            "each sequence with .toarray() first."
        )
    dtypes = getattr(seq, "dtypes", None)
    if _pandas_dataframe(seq) and any(_is_datetime_dtype(dtype) for dtype in dtypes):
        column = next(c for c, dtype in dtypes.items() if _is_datetime_dtype(dtype))
        raise TypeError(
            f"X[{i}] has the column {column!r} of dtype {dtypes[column]}, but {name} "
            "reads the rows of each sequence, in order, as its time steps, and its "
            f"columns as numeric features. Sort the rows by that column and drop it. "
            f"{_LONG_TABLE_HINT}"
        )
    values = np.asarray(seq)
    if values.dtype == object:
        try:
            if hasattr(seq, "to_numpy"):  # pandas: missing values (pd.NA) to NaN
                values = seq.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                values = values.astype(np.float64)
        except (TypeError, ValueError):
            pass  # not numbers: refused below
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"X[{i}] has dtype {values.dtype}, but {name} needs numeric sequences. "
            "Convert the data to floats (e.g. encode categories) first."
        )
    return values


def _check_ragged(X, name):
    arrays = []
    n_features = None
    for i, seq in enumerate(X):
        seq = _sequence_values(seq, i, name)
        if seq.ndim == 1:
            seq = seq[:, None]
        elif seq.ndim != 2:
            raise ValueError(
                f"X[{i}] has shape {seq.shape}. {_EXPECTED}; each sequence must be "
                "2-D (n_timesteps, n_features) or 1-D for a univariate sequence."
            )
        if seq.shape[0] == 0:
            raise ValueError(
                f"X[{i}] has 0 time steps; every sequence needs at least one. "
                f"Drop empty sequences before passing X to {name}."
            )
        if n_features is None:
            n_features = seq.shape[1]
        elif seq.shape[1] != n_features:
            raise ValueError(
                f"X[{i}] has {seq.shape[1]} features per time step, but X[0] has "
                f"{n_features}; all sequences must have the same number of features."
            )
        _check_float32_range(seq, name)
        arrays.append(seq.astype(np.float32, copy=False))
    if n_features == 0:
        raise ValueError(f"The sequences in X have 0 features; {name} needs at least one.")
    seqs = Sequences.from_list(arrays)
    _check_finite(seqs.values, name)
    return seqs


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _check_float32_range(values, name, what="X"):
    """Values beyond float32's range would become infinite in the network."""
    if values.dtype.kind == "f" and values.dtype.itemsize > 4 and values.size:
        if np.abs(values).max() > _FLOAT32_MAX:
            raise ValueError(
                f"{what} has values beyond the range of float32 (about ±3.4e38), the "
                f"precision {name} computes in. Divide {what} by a constant first."
            )


def _check_finite(values, name):
    finite = np.isfinite(values)
    if not finite.all():
        what = "NaN" if np.isnan(values).any() else "infinity"
        raise ValueError(
            f"Input X contains {what}. {name} does not accept missing or infinite "
            "values: impute them (e.g. with sklearn.impute.SimpleImputer) or drop "
            "those samples first."
        )


def _check_array_input(X, name):
    X = check_array(
        X,
        dtype="numeric",
        allow_nd=True,
        ensure_2d=False,
        ensure_all_finite=True,
        estimator=name,
        input_name="X",
    )
    if X.ndim not in (2, 3):
        hint = ""
        if X.ndim == 1:
            hint = " Reshape your data with X.reshape(1, -1) if it is one univariate sequence."
        raise ValueError(f"{_EXPECTED}; got shape {X.shape}.{hint}")
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X has dtype {X.dtype}, but {name} needs numeric values.")
    if X.ndim == 3 and 0 in X.shape[1:]:
        raise ValueError(
            f"X has shape {X.shape}: every sequence needs at least one time step and one feature."
        )
    _check_float32_range(X, name)
    X = X.astype(np.float32, copy=False)
    if X.ndim == 2:
        # A table of univariate sequences: (N, L) -> (N, L, 1).
        return np.ascontiguousarray(X)[:, :, None], True
    return np.ascontiguousarray(X), False


def check_sequences(estimator, X, *, reset):
    """Validate ``X`` and return it as :class:`~sklstm._data.Sequences`.

    Parameters
    ----------
    estimator : estimator instance
        Used for messages and, when ``reset=False``, the fitted contract.
    X : array-like or list of array-like
        See the module docstring for the accepted layouts.
    reset : bool
        True in ``fit``: return the fitted attributes to set (the caller sets
        them only once fitting succeeded, so a rejected fit changes nothing).
        False at predict time: check ``X`` against them.

    Returns
    -------
    sequences : Sequences
    fitted : dict
        ``n_features_in_``, ``feature_names_in_`` (or None) and
        ``_table_input_``; empty when ``reset=False``.
    """
    name = type(estimator).__name__
    if isinstance(X, (list, tuple)) and len(X) == 0:
        raise ValueError(f"X is empty; {name} needs at least one sequence.")
    if inspect.isgenerator(X) or isinstance(X, (map, filter)):
        raise TypeError(
            f"X is a {type(X).__name__}, but {name} needs sequences it can index: a "
            "3-D array, a 2-D array or a list of arrays. Pass list(X) instead."
        )
    if _is_ragged_list(X):
        seqs, table = _check_ragged(X, name), False
    else:
        if _pandas_dataframe(X):
            _check_table_columns(X, name)
        values, table = _check_array_input(X, name)
        seqs = Sequences.from_dense(values, table=table)

    if reset:
        return seqs, {
            # a table's columns are its time steps (see the module docstring)
            "n_features_in_": seqs.values.shape[1] if table else seqs.n_features,
            "feature_names_in_": _get_feature_names(X),
            "_table_input_": table,
        }

    _check_fitted_features(estimator, X, seqs, table, name)
    return seqs, {}


def _check_fitted_features(estimator, X, seqs, table, name):
    """At predict time: check ``X`` (read as ``seqs``, a table or not) against
    the features the estimator was fitted on."""
    _check_feature_names(estimator, X, reset=False)
    expected = estimator.n_features_in_
    if estimator._table_input_:
        if table:
            # sklearn's own message: "X has 1 features, but ... is expecting 4
            # features as input."
            _check_n_features(estimator, X, reset=False)
        elif seqs.n_features != 1:
            raise ValueError(
                f"X has {seqs.n_features} features per time step, but {name} was "
                "fitted on a 2-D table of univariate sequences (1 feature per time "
                "step)."
            )
    elif seqs.n_features != expected:
        if table:
            raise ValueError(
                f"X is 2-D, which {name} reads as univariate sequences (1 feature "
                f"per time step), but it is expecting {expected} features as input. "
                f"Pass X of shape (n_samples, n_timesteps, {expected})."
            )
        raise ValueError(
            f"X has {seqs.n_features} features, but {name} is expecting "
            f"{expected} features as input."
        )


def check_readout(readout, name):
    """Check ``readout``: one name, or pooling readouts joined by ``'+'``."""
    parts = readout_parts(readout)
    valid = set(READOUTS) if len(parts) == 1 else set(POOLING_READOUTS)
    if len(set(parts)) != len(parts) or not set(parts) <= valid:
        raise ValueError(
            f"The 'readout' parameter of {name} must be one of {sorted(READOUTS)}, or "
            f"several of {list(POOLING_READOUTS)} joined by '+' (for example "
            f"'last+mean'). Got {readout!r} instead."
        )


def check_cell_state(cell, state, name):
    """A GRU has no cell state for ``state='cell'`` or ``'both'`` to read."""
    if cell == "gru" and state != "hidden":
        raise ValueError(
            f"{name}(cell='gru') has no cell state for state={state!r} to read: a GRU "
            "keeps only a hidden state. Use state='hidden', or cell='lstm'."
        )


def set_fitted(estimator, fitted):
    """Set the fitted attributes that ``check_sequences(reset=True)`` returned
    (with any others), once fitting succeeded.

    A ``feature_names_in_`` of None removes the attribute, as sklearn does
    when a refit sees data without names.
    """
    for key, value in fitted.items():
        if value is None and key == "feature_names_in_":
            if hasattr(estimator, key):
                delattr(estimator, key)
            continue
        setattr(estimator, key, value)


def check_n_samples(y, n_samples, name):
    """Check that ``y`` has one entry per sequence of ``X``."""
    try:
        check_consistent_length(np.empty(n_samples), y)
    except ValueError as exc:
        raise ValueError(
            f"X has {n_samples} samples but y has {len(y)}; {name} needs one target per sequence."
        ) from exc


def _check_y_given(y, name):
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")


_LABEL_FORMATS = (
    "one label per sample, a 1-D array of shape (n_samples,), or for multilabel "
    "classification a 2-D 0/1 indicator of shape (n_samples, n_labels), which "
    "sklearn.preprocessing.MultiLabelBinarizer().fit_transform(y) builds from lists "
    "of labels"
)


def _label_kind(label):
    if isinstance(label, (str, bytes)):
        return "str"
    if isinstance(label, (Number, np.number, np.bool_)):
        return "number"
    return type(label).__name__


def check_label_values(y, name, what="y"):
    """Refuse labels that NumPy would turn into an error that does not name
    ``y``, or silently into strings: lists of different lengths, sequences
    (tuples, sets) as labels, and labels that mix strings with numbers.

    Returns ``y`` unchanged.
    """
    if isinstance(y, (list, tuple)):
        _check_rectangular(
            y,
            f"{what} is a list of lists (or tuples) of different lengths, or of lists "
            f"next to single labels, which {name} cannot read as labels: it expects "
            f"{_LABEL_FORMATS}.",
        )
        # the Python objects, before NumPy casts them (to str, say)
        labels = np.asarray(y, dtype=object).ravel()
    elif getattr(getattr(y, "dtype", None), "kind", None) == "O":
        labels = np.asarray(y).ravel()
    else:
        return y
    kinds = {}
    for label in labels:
        if isinstance(label, (list, tuple, set, frozenset, dict, np.ndarray)):
            raise ValueError(
                f"{what} holds sequences as labels (e.g. {label!r}), which {name} cannot "
                f"read: it expects {_LABEL_FORMATS}."
            )
        kinds.setdefault(_label_kind(label), label)
    if "str" in kinds and len(kinds) > 1:
        examples = " and ".join(repr(label) for label in kinds.values())
        raise TypeError(
            f"{what} mixes labels of types {' and '.join(kinds)} (e.g. {examples}), which "
            f"{name} cannot sort or compare. Convert them to one type first, e.g. "
            f"{what} = np.asarray({what}, dtype=str)."
        )
    return y


def check_classification_y(y, n_samples, name, classes=None):
    """Encode one class label per sequence; return ``(y_encoded, classes)``."""
    _check_y_given(y, name)
    check_label_values(y, name)
    y = check_array(y, ensure_2d=False, dtype=None, input_name="y", estimator=name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)  # DataConversionWarning, as in sklearn
    if y.ndim != 1:
        raise ValueError(
            f"y has shape {y.shape}, but {name} expects one label per sample, "
            "a 1-D array of shape (n_samples,). For one label per time step, use "
            "readout='sequence'."
        )
    check_n_samples(y, n_samples, name)
    return encode_labels(y, name, classes)


def is_multilabel(y):
    """A 2-D 0/1 indicator ``y`` with several columns: scikit-learn's
    ``'multilabel-indicator'`` target (as ``MLPClassifier`` takes it)."""
    try:
        return type_of_target(y) == "multilabel-indicator"
    except (ValueError, TypeError):  # ragged or odd input: checked as labels
        return False


def check_multilabel_y(y, n_samples, name, n_labels=None):
    """A 0/1 indicator ``(n_samples, n_labels)`` as float32."""
    y = check_array(y, dtype=None, input_name="y", estimator=name, accept_sparse=False)
    check_n_samples(y, n_samples, name)
    values = np.unique(y)
    if not np.isin(values, [0, 1]).all():
        raise ValueError(
            f"y has shape {y.shape}, which {name} reads as a multilabel indicator (one "
            f"column per label, 1 where a sample has it, 0 elsewhere, as "
            f"sklearn.preprocessing.MultiLabelBinarizer makes it), but it holds the values "
            f"{values.tolist()}. Convert it first, e.g. y = (y == {values.max().item()!r})"
            ".astype(int)."
        )
    if n_labels is not None and y.shape[1] != n_labels:
        raise ValueError(
            f"y has {y.shape[1]} labels, but {name} was fitted with {n_labels}: training "
            "that goes on (partial_fit, warm_start) cannot change the label set."
        )
    return y.astype(np.float32)


def encode_labels(labels, name, classes=None):
    """Labels (1-D) to ints ``0..n_classes-1``; return ``(encoded, classes)``.

    ``classes``: all the labels, when known beforehand (``partial_fit``).
    """
    if classes is not None:
        check_label_values(classes, name, what="classes")
        classes = np.asarray(classes)
        if _has_missing(classes):
            raise ValueError(
                "classes contains a missing value (NaN or None), which cannot be a class "
                "label. Pass all the labels y can take, without missing values, e.g. "
                "classes=np.unique(y_all)."
            )
    check_classification_targets(labels)
    encoder = LabelEncoder().fit(labels if classes is None else classes)
    if classes is not None:
        unseen = np.setdiff1d(labels, encoder.classes_)
        if len(unseen):
            raise ValueError(
                f"y contains labels {unseen.tolist()} that {name} does not know: it "
                f"was fitted with the classes {encoder.classes_.tolist()} (from the "
                "classes of the first partial_fit, or the y of the first fit). Training "
                "that goes on (partial_fit, warm_start) cannot add classes; fit a new "
                "network on all of them."
            )
    if len(encoder.classes_) < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes in y; got 1 class: "
            f"{encoder.classes_[0].item()!r}."
        )
    return encoder.transform(labels), encoder.classes_


def _has_missing(values):
    """Whether an array holds NaN, or None among objects."""
    if values.dtype.kind == "f":
        return bool(np.isnan(values).any())
    if values.dtype == object:
        return any(v is None or (isinstance(v, float) and v != v) for v in values.ravel())
    return False


def _check_rectangular(y, message):
    """``ValueError(message)`` for nested lists NumPy cannot make one array
    of (of different lengths), instead of NumPy's inhomogeneous-shape error."""
    try:
        np.asarray(y)
    except ValueError as exc:
        raise ValueError(message) from exc


def _check_not_dates(y, name):
    """Dates and durations are not numbers to regress on (NumPy would cast
    them to nanoseconds)."""
    dtypes = getattr(y, "dtypes", None)
    if hasattr(dtypes, "tolist"):  # a DataFrame: one per column
        dtypes = dtypes.tolist()
    else:  # a Series (whose dtypes is its one dtype), an array, or a list
        dtypes = [getattr(y, "dtype", None)]
    if dtypes == [None]:
        dtypes = [np.asarray(y).dtype]
    dtype = next((dtype for dtype in dtypes if _is_datetime_dtype(dtype)), None)
    if dtype is not None:
        raise TypeError(
            f"y has dtype {dtype}, but {name} regresses on numbers, not dates or times. "
            "Convert y first, e.g. to seconds since a reference time: "
            "(y - y.min()) / np.timedelta64(1, 's')."
        )


def check_not_step_targets(y, sequences, name):
    """Refuse per-step targets (one array per sequence, one value per time
    step) given to a model that predicts one target per sequence."""
    if not isinstance(y, (list, tuple)) or len(y) != len(sequences) or len(y) == 0:
        return
    if not all(hasattr(yi, "__len__") and not isinstance(yi, (str, bytes)) for yi in y):
        return
    lengths = np.array([len(yi) for yi in y])
    arrays = all(hasattr(yi, "shape") for yi in y)
    varying = lengths.min() != lengths.max()
    if np.array_equal(lengths, sequences.lengths) and (arrays or varying):
        raise ValueError(
            f"y holds one array per sequence with one value per time step (y[0] has "
            f"{lengths[0]} values and X[0] {lengths[0]} time steps): per-step targets, "
            f"which {name} trains on only with readout='sequence'. Pass "
            "readout='sequence', or one target per sequence: y of shape (n_samples,)."
        )


def check_regression_y(y, n_samples, name):
    """Return float ``y`` of shape (n_samples,) or (n_samples, n_targets)."""
    _check_y_given(y, name)
    _check_not_dates(y, name)
    if isinstance(y, (list, tuple)):
        _check_rectangular(
            y,
            f"y is a list of lists (or arrays) of different lengths, but {name} "
            "expects one target per sample: y of shape (n_samples,) or (n_samples, "
            "n_targets).",
        )
    y = check_array(
        y,
        ensure_2d=False,
        dtype="numeric",
        ensure_all_finite=True,
        input_name="y",
        estimator=name,
    )
    if y.ndim not in (1, 2):
        raise ValueError(
            f"y has shape {y.shape}, but {name} expects (n_samples,) or (n_samples, n_targets)."
        )
    check_n_samples(y, n_samples, name)
    y = y.astype(np.float64, copy=False)
    _check_float32_range(y, name, what="y")
    return y


def check_step_targets(y, sequences, name, *, numeric):
    """Per-step targets of ``readout='sequence'``, one per time step of X.

    ``y`` is ``(n_samples, n_timesteps)`` or ``(n_samples, n_timesteps,
    n_targets)`` for equal-length X, or a list of per-sequence arrays
    ``(n_timesteps_i,)`` / ``(n_timesteps_i, n_targets)``.

    Returns
    -------
    steps : ndarray of shape (sum(lengths),) or (sum(lengths), n_targets)
        The targets of all real steps, in sequence order; float64 when
        ``numeric``, else labels as given (1-D).
    """
    _check_y_given(y, name)
    if isinstance(y, (list, tuple)):
        steps = _listed_step_targets(y, sequences, name, numeric=numeric)
    else:
        steps = _array_step_targets(y, sequences, name, numeric=numeric)
    if numeric:
        steps = check_array(
            steps, ensure_2d=False, dtype="numeric", input_name="y", estimator=name
        ).astype(np.float64, copy=False)
        _check_float32_range(steps, name, what="y")
    return steps


def _check_step_values(y, name, *, numeric, what="y"):
    """Refuse dates as numeric targets, or labels NumPy would mangle."""
    if numeric:
        _check_not_dates(y, name)
    else:
        check_label_values(y, name, what=what)


def _listed_step_targets(y, sequences, name, *, numeric):
    """The steps of ``check_step_targets`` from a list of per-sequence arrays."""
    check_n_samples(y, len(sequences), name)
    for i, yi in enumerate(y):
        _check_step_values(yi, name, numeric=numeric, what=f"y[{i}]")
    parts = [np.asarray(yi) for yi in y]
    for i, (yi, n_steps) in enumerate(zip(parts, sequences.lengths)):
        got = len(yi) if yi.ndim else 0
        if got != n_steps:
            raise ValueError(
                f"y[{i}] has {got} time steps, but X[{i}] has {n_steps}; "
                "readout='sequence' needs one target per time step of each "
                "sequence."
            )
    shapes = [yi.shape[1:] for yi in parts]
    if len(set(shapes)) > 1:
        i = next(i for i, shape in enumerate(shapes) if shape != shapes[0])
        raise ValueError(
            f"y[0] has shape {parts[0].shape} and y[{i}] has shape {parts[i].shape}: "
            "every sequence needs the same number of targets per time step."
        )
    axes = parts[0].ndim - 1
    if axes > (1 if numeric else 0):
        layout = "(n_timesteps_i, n_targets)" if numeric else "(n_timesteps_i,)"
        raise ValueError(
            f"y[0] has shape {parts[0].shape}, but {name} with readout='sequence' "
            f"takes one array per sequence of shape {layout}"
            + (" or (n_timesteps_i,)." if numeric else ": one label per time step.")
        )
    return np.concatenate(parts)


def _array_step_targets(y, sequences, name, *, numeric):
    """The steps of ``check_step_targets`` from one array ``(n_samples,
    n_timesteps, ...)`` for equal-length sequences."""
    _check_step_values(y, name, numeric=numeric)
    y = np.asarray(y)
    n_samples = len(sequences)
    check_n_samples(y, n_samples, name)
    if not sequences.is_dense:
        raise ValueError(
            "X holds sequences of different lengths, so per-step y must be a "
            "list with one array of targets per sequence."
        )
    n_timesteps = sequences.values.shape[1]
    if y.ndim < 2 or y.shape[1] != n_timesteps:
        raise ValueError(
            f"y has shape {y.shape}, but readout='sequence' needs one target per "
            f"time step: y of shape ({n_samples}, {n_timesteps}) or "
            f"({n_samples}, {n_timesteps}, n_targets)."
        )
    if y.ndim > (3 if numeric else 2):
        layout = (
            f"({n_samples}, {n_timesteps}) or ({n_samples}, {n_timesteps}, n_targets)"
            if numeric
            else f"({n_samples}, {n_timesteps}), one label per time step"
        )
        raise ValueError(
            f"y has shape {y.shape}, but {name} with readout='sequence' takes y of shape {layout}."
        )
    return y.reshape((-1,) + y.shape[2:])


def check_sample_weight(sample_weight, n_samples):
    """Sample weights ``(n_samples,)`` float32: ones when None.

    sklearn's checks reject a wrong shape, negative or all-zero weights.
    The weights are divided by the largest: the losses are weighted means,
    ``sum(w * loss) / sum(w)``, which only the ratios of the weights change,
    and weights of any scale (1e300, 1e-300) then fit in float32.
    """
    weight = _check_sample_weight(
        sample_weight, np.empty((n_samples, 0)), dtype=np.float64, ensure_non_negative=True
    )
    return (weight / weight.max()).astype(np.float32)


def check_finite_outputs(outputs, sequences, name):
    """The network's outputs for ``X``, unless some are not finite: values of
    ``X`` far beyond those it was trained on overflow float32 inside it."""
    if not np.isfinite(outputs).all():
        scale = float(np.abs(sequences.values).max())
        raise ValueError(
            f"{name} computed outputs that are not finite for X, whose values reach "
            f"{scale:.3g} in absolute value: the network overflows float32 on values "
            "that large. Scale X as the training data were scaled (e.g. with "
            "sklstm.SequenceScaler in a Pipeline), or divide it by a constant."
        )
    return outputs


def check_class_weight(class_weight, classes, encoded, name="The estimator"):
    """Weight of each class ``(n_classes,)``, from ``class_weight`` as sklearn reads it."""
    if class_weight is None:
        return None
    if isinstance(class_weight, dict):
        values = np.asarray(list(class_weight.values()), dtype=np.float64)
        if not np.all(np.isfinite(values)) or np.any(values < 0) or not np.any(values > 0):
            raise ValueError(
                f"The class_weight of {name} must map classes to finite weights of 0 "
                f"or more, not all 0. Got {class_weight!r}."
            )
    present = np.unique(encoded)
    weights = np.ones(len(classes))
    # compute_class_weight wants labels as given and the classes present in y
    weights[present] = compute_class_weight(
        class_weight, classes=classes[present], y=classes[encoded]
    )
    return weights.astype(np.float32)


def check_callbacks(callbacks, name, *, early_stopping):
    """Each item a skorch callback (instance or class) or a (name, callback)
    tuple; none that watches a validation loss when there is none."""
    from skorch.callbacks import Callback

    for item in callbacks or []:
        named = isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
        callback = item[1] if named else item
        is_class = isinstance(callback, type) and issubclass(callback, Callback)
        if not (is_class or isinstance(callback, Callback)):
            raise ValueError(
                f"The 'callbacks' parameter of {name} must be a list of skorch "
                f"callbacks or (name, callback) tuples. Got {item!r} in it."
            )
        monitor = getattr(callback, "monitor", None)
        if not early_stopping and isinstance(monitor, str) and monitor.startswith("valid"):
            raise ValueError(
                f"{name} got a callback that watches {monitor!r}, but without early "
                "stopping there is no validation split, so no validation loss. Set "
                "early_stopping=True (sklstm's early stopping, configured by "
                "n_iter_no_change and tol), or watch 'train_loss'."
            )


def check_table_output(output, estimator):
    """``output`` of ``transform``, unless ``set_output`` asked for a DataFrame
    and ``output`` is not a 2-D table (pandas and polars cannot hold it)."""
    container = _get_output_config("transform", estimator)["dense"]
    if container != "default" and not (isinstance(output, np.ndarray) and output.ndim == 2):
        layout = "a list of sequences" if isinstance(output, list) else "a 3-D array"
        raise ValueError(
            f"{type(estimator).__name__}.transform returns {layout} here, which "
            f"set_output(transform={container!r}) cannot turn into a DataFrame. Use "
            "set_output(transform='default') for sequences (a 2-D table of univariate "
            "sequences, or one vector per sequence, becomes a DataFrame)."
        )
    return output


def resolve_device(device, name, *, require_available=True):
    """Turn the ``device`` parameter into a torch device string.

    sklstm runs on the CPU and on CUDA GPUs; any other device is an error.
    A CUDA device that this machine lacks is an error too, or None with
    ``require_available=False``.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        resolved = exc
    if isinstance(resolved, Exception) or resolved.type not in ("cpu", "cuda"):
        raise ValueError(
            f"The 'device' parameter of {name} must be 'auto', 'cpu', 'cuda' or "
            f"'cuda:<index>'. Got {device!r} instead."
        )
    if resolved.type == "cuda":
        index = resolved.index or 0
        if not torch.cuda.is_available() or index >= torch.cuda.device_count():
            if not require_available:
                return None
            raise ValueError(
                f"{name} got device={device!r}, but this machine has "
                f"{torch.cuda.device_count()} CUDA devices available. Use "
                "device='auto' (CUDA when present) or device='cpu'."
            )
    return str(resolved)


__all__ = [
    "Interval",
    "StrOptions",
    "check_callbacks",
    "check_classification_y",
    "check_table_output",
    "check_n_samples",
    "check_regression_y",
    "check_class_weight",
    "check_sample_weight",
    "check_sequences",
    "check_step_targets",
    "encode_labels",
    "resolve_device",
    "set_fitted",
]


def check_windows(estimator, X, *, reset):
    """Validate windows of one length and return them as float64.

    ``X`` is read as :func:`check_sequences` reads it (a 2-D table holds
    univariate windows, ``n_features_in_`` its columns), and kept in float64,
    the precision a model on windows maps its predictions back in.

    Returns
    -------
    windows : ndarray of shape (N, L, H_in), float64
    fitted : dict
        As :func:`check_sequences` returns it; empty when ``reset=False``.
    """
    name = type(estimator).__name__
    sequences, fitted = check_sequences(estimator, X, reset=reset)
    lengths = sequences.lengths
    if lengths.min() != lengths.max():
        raise ValueError(
            f"{name} needs windows of one length; got lengths from {lengths.min()} to "
            f"{lengths.max()}. Cut them with sklstm.forecasting.make_windows."
        )
    windows = [np.asarray(x) for x in X] if _is_ragged_list(X) else X
    windows = np.asarray(windows, dtype=np.float64)
    return windows.reshape(len(sequences), lengths[0], sequences.n_features), fitted
