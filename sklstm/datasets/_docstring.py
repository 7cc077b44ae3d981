"""The loaders' docstrings and the numbers in ``DESCR``, built from the registry.

A loader's docstring writes ``%(loader_doc)s`` on its first line and its own
Examples below; :func:`fill_loader_doc` puts there the summary, the shape
table, Parameters, Returns, See Also and References of the loader's
registry entry.
"""

import inspect
import textwrap

from .._docstring import fill_doc
from ._registry import DATASETS, SeriesDataset

_RULE = "=================   =============="

_SERIES_RETURN_X_Y = """\
return_X_y : bool, default=False
    If True, returns ``(series, dates)`` instead of a Bunch object. See
    below for more information about the returned objects."""


def _consecutive_integers(labels):
    return all(a.isdigit() for a in labels) and [int(a) for a in labels] == list(
        range(int(labels[0]), int(labels[0]) + len(labels))
    )


def _labels(info, *, literal=True, names=True, conjunction="or"):
    """The class labels in words: ``'1'`` to ``'6'``, or each one listed."""
    quote = "``'{}'``" if literal else "'{}'"
    if len(info.classes) > 2 and _consecutive_integers(info.classes) and not info.label_names:
        return f"{quote.format(info.classes[0])} to {quote.format(info.classes[-1])}"
    words = []
    for label in info.classes:
        word = quote.format(label)
        if names and label in info.label_names:
            word += f" ({info.label_names[label]})"
        words.append(word)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def _feature_list(names):
    if len(names) > 6:
        return f"{names[0]} to {names[-1]}"
    return ", ".join(names)


def _lengths(info, separator):
    low, high = info.lengths
    return str(low) if low == high else f"{low}{separator}{high}"


def _field(name, value):
    """One ``:Name: value`` line of an rst field list, wrapped."""
    return textwrap.fill(f":{name}: {value}", width=76, subsequent_indent="  ") + "\n"


def _entry(text):
    """The description of a Returns entry, wrapped and indented."""
    return textwrap.fill(text, width=76, initial_indent="    ", subsequent_indent="    ")


def characteristics(info):
    """The ``:Field: value`` lines of ``DESCR`` that state counts and shapes."""
    if isinstance(info, SeriesDataset):
        low, high = info.value_range
        return (
            _field(
                "Number of Observations",
                f"{info.n_observations} ({info.frequency}, {info.start} to {info.end})",
            )
            + _field("Number of Features", 1)
            + _field("Values", f"{info.values}, {low} to {high}")
        )
    timesteps = _lengths(info, " to ") + (" (variable length)" if info.variable_length else "")
    features = str(info.n_features)
    if info.features_note:
        note = info.features_note.format(names=_feature_list(info.feature_names or ()))
        features += f" ({note})"
    if info.task == "regression":
        target = _field("Target", f"real, {info.target}")
    else:
        note = f" ({info.classes_note})" if info.classes_note else ""
        labels = _labels(info, literal=False, conjunction="and")
        target = _field("Classes", f"{len(info.classes)}, {labels}{note}")
    instances = f"{info.n_train + info.n_test} ({info.n_train} train, {info.n_test} test)"
    return (
        _field("Number of Instances", instances)
        + _field("Number of Timesteps", timesteps)
        + _field("Number of Features", features)
        + target
    )


def _table(rows):
    lines = [_RULE]
    lines += [f"{label:<17}   {value:>14}" for label, value in rows]
    return "\n".join(lines + [_RULE])


def _see_also(names):
    lines = []
    for name in names:
        info = DATASETS[name.removeprefix("load_")]
        kinds = [getattr(info, "task", "forecasting")]
        if getattr(info, "n_features", 1) > 1:
            kinds.append("multivariate")
        if getattr(info, "variable_length", False):
            kinds.append("variable length")
        entry = f"{name} : Load the {info.title} ({', '.join(kinds)})."
        lines.append(textwrap.fill(entry, width=75, subsequent_indent="    "))
    return "\n".join(lines)


def _sequence_arrays(info):
    """The Returns entries of ``X_train``, ``y_train``, ``X_test``, ``y_test``."""
    if info.variable_length:
        shape = f"list of {{n}} ndarrays of shape (n_timesteps_i, {info.n_features})"
        first = "The training sequences, float32, one array per sample."
    else:
        shape = f"ndarray of shape ({{n}}, {info.lengths[0]}, {info.n_features}), dtype=float32"
        first = "The training sequences, as (n_samples, n_timesteps, n_features)."
    if info.task == "regression":
        y_type, what = "float64", "targets"
        y_first = "The training targets."
    else:
        y_type, what = "str", "labels"
        note = f" ({info.classes_note})" if info.classes_note else ""
        y_first = f"The training labels, {_labels(info)}{note}."
    return f"""\
X_train : {shape.format(n=info.n_train)}
    {first}
y_train : ndarray of shape ({info.n_train},), dtype={y_type}
{_entry(y_first)}
X_test : {shape.format(n=info.n_test)}
    The test sequences.
y_test : ndarray of shape ({info.n_test},), dtype={y_type}
    The test {what}."""


def _feature_names(info):
    if info.feature_names is None:
        names = [f"channel_{i}" for i in range(info.n_features)]
    else:
        names = list(info.feature_names)
    if len(names) > 6:
        return f"The feature names, ``['{names[0]}', ..., '{names[-1]}']``."
    if len(names) == 1:
        return f"The name of the single feature, ``{names}``."
    return f"The feature names, ``{names}``."


def _sequence_bunch(info):
    entries = [_sequence_arrays(info)]
    if info.extra_returns:
        entries.append(info.extra_returns)
    if info.task == "classification":
        entries.append(
            f"target_names : ndarray of shape ({len(info.classes)},)\n"
            + _entry(f"The class labels, {_labels(info, names=False, conjunction='and')}.")
        )
    entries.append(f"feature_names : list of str\n    {_feature_names(info)}")
    return "\n".join(entries)


_COMMON_BUNCH = """\
DESCR : str
    The full description of the dataset: its source, licence, the
    series, the split and the citations.
meta : dict
    The metadata stored with the data file: its source package and
    files, split, shapes and description (the keys vary by dataset)."""


def _sequence_doc(info):
    rows = [] if info.task == "regression" else [("Classes", len(info.classes))]
    rows += [
        ("Samples total", info.n_train + info.n_test),
        ("Samples train", info.n_train),
        ("Samples test", info.n_test),
        ("Timesteps", _lengths(info, " - ")),
        ("Features", info.n_features),
    ]
    if info.task == "regression":
        rows.append(("Targets", "real"))
    bunch = textwrap.indent(_sequence_bunch(info) + "\n" + _COMMON_BUNCH, "    ")
    parameters = "%(return_X_y)s"
    returns = f"""\
data : :class:`~sklearn.utils.Bunch`
    Dictionary-like object, with the following attributes.

{bunch}

(X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
    The four objects, in the order that
    :func:`~sklearn.model_selection.train_test_split` returns them."""
    return info.task, rows, parameters, returns


def _series_doc(info):
    low, high = info.value_range
    rows = [
        ("Observations", info.n_observations),
        ("Frequency", info.frequency),
        ("Values", f"{low} - {high}"),
    ]
    common = textwrap.indent(_COMMON_BUNCH, "    ")
    returns = f"""\
data : :class:`~sklearn.utils.Bunch`
    Dictionary-like object, with the following attributes.

    series : ndarray of shape ({info.n_observations},), dtype=float64
        The {info.values}, one per {info.dates}.
    dates : ndarray of shape ({info.n_observations},), dtype=str
        The {info.dates} of each value, ``'{info.start}'`` to ``'{info.end}'``.
{common}

(series, dates) : tuple if ``return_X_y`` is True
    The two arrays."""
    return "forecasting", rows, _SERIES_RETURN_X_Y, returns


_NO_SPLIT = """\
This is a single series with no train/test split: cut it into windows of
past values (``X``) and predict the next value (``y``), holding out the
end of the series for testing."""


_RAGGED = """\
The sequences have different lengths, so ``X_train`` and ``X_test`` are
lists of 2-D arrays."""


def loader_doc(info):
    """The numpydoc text of a loader, all but its Examples."""
    if isinstance(info, SeriesDataset):
        task, rows, parameters, returns = _series_doc(info)
        summary = f"{info.summary}\n\n{_NO_SPLIT}"
    else:
        task, rows, parameters, returns = _sequence_doc(info)
        summary = info.summary
        if info.variable_length:
            summary += f"\n\n{_RAGGED}"
    sections = [
        f"Load and return the {info.title} ({task}).",
        summary,
        _table(rows),
        "``DESCR`` holds the full description, with the source, the licence\nand the citations.",
        f"Parameters\n----------\n{parameters}",
        f"Returns\n-------\n{returns}",
        f"See Also\n--------\n{_see_also(info.see_also)}",
    ]
    if info.references:
        sections.append(f"References\n----------\n{info.references}")
    return "\n\n".join(sections)


def fill_loader_doc(func):
    """Put the registry entry of ``load_<name>`` into its docstring."""
    if not func.__doc__:  # python -OO strips docstrings
        return func
    info = DATASETS[func.__name__.removeprefix("load_")]
    doc = inspect.cleandoc(func.__doc__)
    func.__doc__ = doc.replace("%(loader_doc)s", loader_doc(info)) + "\n"
    return fill_doc(func)
