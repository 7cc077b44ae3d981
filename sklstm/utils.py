"""Helpers to bring data into the layouts the estimators read."""

import numpy as np

__all__ = ["from_long"]


def _columns(df, names, what):
    """``names`` (one column or a list of them) as a list, each a column of ``df``."""
    if names is None:
        return []
    listed = list(names) if isinstance(names, (list, tuple)) else [names]
    missing = [name for name in listed if name not in df.columns]
    if missing:
        index = list(df.index.names)
        hint = (
            " It is an index level of df: move it to a column with df.reset_index() first."
            if set(missing) <= set(index)
            else ""
        )
        raise ValueError(
            f"The {what} column {missing[0]!r} is not a column of df; its columns are "
            f"{list(df.columns)}.{hint}"
        )
    return listed


def _codes(values, column):
    """Integer codes of ``values`` in sorted order, and the sorted unique values."""
    import pandas as pd

    if pd.isna(values).any():
        raise ValueError(
            f"The column {column!r} of df has missing values; every row needs one. Drop "
            "or fill those rows first."
        )
    return pd.factorize(values, sort=True)


def _plain(value):
    """A NumPy scalar as the Python value it holds, for messages."""
    return value.item() if isinstance(value, np.generic) else value


def _same_within(values, starts, lengths):
    """Whether ``values`` (rows grouped by sequence) equal each sequence's first row;
    missing values count as equal to each other."""
    import pandas as pd

    first = np.repeat(values[starts], lengths, axis=0)
    same = (values == first) | (pd.isna(values) & pd.isna(first))
    return same.reshape(len(values), -1).all(axis=1)


def _feature_columns(df, features, keys):
    """The feature columns: ``features``, or every column but the ``keys`` (id,
    time and targets); numeric, and none of them a key."""
    import pandas as pd

    if features is None:
        features = [column for column in df.columns if column not in keys]
    else:
        features = _columns(df, features, "feature")
        reused = [column for column in features if column in keys]
        if reused:
            raise ValueError(
                f"The column {reused[0]!r} is the id, time or target, so it cannot be a "
                "feature too."
            )
    if not features:
        raise ValueError(
            f"df has no feature columns: its columns {list(df.columns)} are all id, time "
            "or target."
        )
    not_numeric = [
        column
        for column in features
        if not (
            pd.api.types.is_numeric_dtype(df[column]) or pd.api.types.is_bool_dtype(df[column])
        )
    ]
    if not_numeric:
        raise TypeError(
            f"The feature columns {not_numeric} of df are not numeric "
            f"(dtype {df[not_numeric[0]].dtype}). Encode them as numbers first (e.g. "
            "one-hot), or choose the feature columns with features=[...]."
        )
    return features


def _row_order(df, codes, id_column, time_columns):
    """The rows of ``df`` grouped by id (``codes``), in time order within each
    sequence when ``time_columns`` (at most one name) has one, else in the
    order of ``df``; two rows of one sequence at the same time are refused."""
    if not time_columns:
        return np.argsort(codes, kind="stable")
    (time_column,) = time_columns
    steps, _ = _codes(df[time_column].to_numpy(), time_column)
    order = np.lexsort((steps, codes))  # by id, then by time
    repeated = (np.diff(codes[order]) == 0) & (np.diff(steps[order]) == 0)
    if repeated.any():
        row = order[np.argmax(repeated)]
        where = _plain(df[id_column].iloc[row]), _plain(df[time_column].iloc[row])
        raise ValueError(
            f"Two rows of df have the id {where[0]!r} and the time {where[1]!r}; a "
            "time step of a sequence needs exactly one row. Aggregate them first, e.g. "
            f"df.groupby([{id_column!r}, {time_column!r}], as_index=False).mean()."
        )
    return order


def _sequence_targets(y, starts, lengths, ids):
    """One target per sequence from ``y``'s rows (grouped by sequence), which
    must all hold it."""
    same = _same_within(y, starts, lengths)
    if not same.all():
        row = np.argmin(same)
        sequence = np.searchsorted(starts, row, side="right") - 1
        seen = y[starts[sequence] : starts[sequence] + lengths[sequence]]
        first, then = _plain(seen[0]), _plain(y[row])
        raise ValueError(
            f"The target of the sequence with id {_plain(ids[sequence])!r} varies over "
            f"its rows (first {first!r}, then {then!r}), but a sequence has one target. "
            "Fix those rows, or pass per_step=True for one target per time step "
            "(readout='sequence')."
        )
    return y[starts]


def from_long(df, *, id, time=None, target=None, features=None, per_step=False, dtype=np.float64):
    """Build sequences, and their targets, from a long table.

    A long table has one row per time step of each sequence: a column of
    sequence ids, a column that orders the steps of a sequence (a time, a
    date, a step number) and one column per feature, as in
    ``pandas.DataFrame.groupby`` data. The estimators read sequences as a
    list of ``(n_timesteps_i, n_features)`` arrays; this function builds that
    list, one array per id with its rows in time order, the targets aligned
    with it and the ids in the same order.

    Parameters
    ----------
    df : pandas.DataFrame
        The long table, one row per (id, time step).

    id : str
        The column of sequence ids. Sequences come in the sorted order of
        their ids.

    time : str, default=None
        The column that orders the steps of a sequence (numbers, dates or
        any sortable values): each sequence's rows are sorted by it, and two
        rows of one sequence cannot share a time. Its values only order the
        steps; gaps between them are not filled. None keeps the rows of each
        sequence in the order of ``df``.

    target : str or list of str, default=None
        The column (or columns) of targets. Without ``per_step``, a sequence
        has one target, so its rows must all hold the same value.

    features : list of str, default=None
        The feature columns, in order. None uses every column that is not
        ``id``, ``time`` or ``target``, in the order of ``df``. They must be
        numeric; missing values become NaN.

    per_step : bool, default=False
        Return one target per time step (for ``readout='sequence'``) instead
        of one per sequence.

    dtype : data-type, default=np.float64
        The dtype of the feature arrays.

    Returns
    -------
    X : list of ndarray of shape (n_timesteps_i, n_features)
        One array per id, its rows sorted by ``time``.

    y : ndarray of shape (n_sequences,) or (n_sequences, n_targets), list of \
ndarray, or None
        The target of each sequence, in the order of ``X`` and with the
        dtype of its column (2-D when ``target`` is a list). With
        ``per_step``, a list of ``(n_timesteps_i,)`` (or ``(n_timesteps_i,
        n_targets)``) arrays. None when ``target`` is None.

    ids : ndarray of shape (n_sequences,)
        The id of each sequence of ``X``, sorted.

    See Also
    --------
    sklstm.LSTMClassifier : Reads the list ``X`` as sequences of different lengths.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.utils import from_long
    >>> df = pd.DataFrame(
    ...     {
    ...         "patient": ["b", "a", "a", "b", "a"],
    ...         "hour": [1, 2, 1, 0, 0],
    ...         "heart_rate": [91.0, 71.0, 72.0, 88.0, 70.0],
    ...         "spo2": [94.0, 98.0, 97.0, 95.0, 98.0],
    ...         "outcome": ["sick", "well", "well", "sick", "well"],
    ...     }
    ... )
    >>> X, y, ids = from_long(df, id="patient", time="hour", target="outcome")
    >>> X[0]
    array([[70., 98.],
           [72., 97.],
           [71., 98.]])
    >>> [x.shape for x in X]
    [(3, 2), (2, 2)]
    >>> y
    array(['well', 'sick'], dtype=object)
    >>> ids
    array(['a', 'b'], dtype=object)
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"from_long expects a pandas DataFrame in long format; got {type(df).__name__}."
        )
    id_column = _columns(df, id, "id")
    time_column = _columns(df, time, "time")
    targets = _columns(df, target, "target")
    if len(id_column) != 1 or len(time_column) > 1:
        raise TypeError(
            f"id and time each name one column of df; got id={id!r} and time={time!r}."
        )
    keys = id_column + time_column + targets
    if len(set(keys)) != len(keys):
        raise ValueError(
            f"id={id!r}, time={time!r} and target={target!r} must name different columns."
        )
    features = _feature_columns(df, features, keys)
    if len(df) == 0:
        raise ValueError("df has no rows; from_long needs at least one.")

    codes, ids = _codes(df[id_column[0]].to_numpy(), id_column[0])
    order = _row_order(df, codes, id_column[0], time_column)
    lengths = np.bincount(codes, minlength=len(ids))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])

    values = df[features].to_numpy(dtype=dtype, na_value=np.nan)[order]
    X = np.split(values, starts[1:])
    ids = np.asarray(ids)
    if not targets:
        return X, None, ids

    y = df[targets].to_numpy()[order]
    if len(targets) == 1:
        y = y[:, 0]
    if per_step:
        return X, np.split(y, starts[1:]), ids
    return X, _sequence_targets(y, starts, lengths, ids), ids
