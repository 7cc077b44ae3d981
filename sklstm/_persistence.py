"""``save`` and ``load``: a file format for fitted estimators that runs no code.

A pickle (or ``torch.load`` without ``weights_only``) can run arbitrary code
while it loads, so it must only come from a trusted source. sklstm's format
holds data only: a zip archive of

- ``estimator.json``: the format and its version, the estimator's class,
  its hyperparameters, its fitted attributes and the description of its
  network (module, loss and optimizer by name, their arguments, the
  training history), all as JSON; for a ``Pipeline``, its parameters and
  one such description per step;
- ``arrays.npz``: every array, the network's weights and the optimizer's
  state as NumPy arrays, read with ``allow_pickle=False``;
- ``SHA256SUMS``: the SHA-256 of the two others, as ``sha256sum`` writes it.

What ``load`` guarantees:

- No code named by the file runs. JSON and NumPy arrays are parsed, classes
  are looked up by name in fixed tables of sklstm's own (estimators,
  modules, losses, optimizers), and only the parameters and the fitted
  attributes that each estimator class declares (``_FITTED``) are set.
  Sizes are checked before anything is decompressed or allocated
  (``_archive.py``), so a small file cannot claim GiB of memory.
- Accidental damage is detected: the checksums cover every byte of content.
- Deliberate changes are not: whoever can rewrite the file can rewrite its
  checksums. The SHA-256 of the whole file, which ``save`` returns, closes
  that gap when ``load(sha256=...)`` gets it by a channel the user trusts.

Every file that is not what ``save`` writes raises a ``ValueError`` saying why.
Version 1 (no ``SHA256SUMS``; a SHA-256 of ``arrays.npz`` alone in the JSON)
still loads, with the same checks; its JSON is covered by the zip's CRC-32.

We chose this over skops, which would have to trust each torch type the
network holds, and over safetensors, which would be one more dependency for
what NumPy's own format does.
"""

import json
import numbers
import os
import re
import zipfile

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from skorch.history import History

from ._archive import (
    CHECKSUMS,
    Malformed,
    checksums,
    read_npz,
    read_zip,
    sha256_hex,
    write_npz,
    write_zip,
)
from ._classifier import LSTMClassifier
from ._contrastive import ContrastiveEncoder, ContrastiveLoss
from ._ensemble import Ensemble, EnsembleLoss
from ._loss import LabelLoss, LabelSetLoss, ValueLoss
from ._module import LSTMModule, ReconstructionLoss, SequenceAutoencoder
from ._net import OPTIMIZERS, build_net
from ._preprocessing import SequenceScaler
from ._regressor import LSTMRegressor
from ._transformer import LSTMEncoderTransformer

__all__ = ["load", "save"]

FORMAT = "sklstm-estimator"
FORMAT_VERSION = 2

_JSON, _ARRAYS = "estimator.json", "arrays.npz"
# the members of the archive in each version
_MEMBERS = {1: {_JSON, _ARRAYS}, 2: {_JSON, _ARRAYS, CHECKSUMS}}


def _by_name(*classes):
    return {cls.__name__: cls for cls in classes}


# The only classes a file can name, each table in its own role.
_ESTIMATORS = _by_name(LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer, SequenceScaler)
_MODULES = _by_name(LSTMModule, Ensemble, SequenceAutoencoder, ContrastiveEncoder)
_LOSSES = _by_name(
    LabelLoss, LabelSetLoss, ValueLoss, EnsembleLoss, ReconstructionLoss, ContrastiveLoss
)
_OPTIMIZERS = _by_name(*(optimizer for optimizer, _ in OPTIMIZERS.values()))
# the classes a value can name (an ensemble's module and loss arguments)
_CLASSES = {**_MODULES, **_LOSSES, **_OPTIMIZERS}


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_reals(value):
    return isinstance(value, list) and all(_is_real(item) for item in value)


# What a fitted attribute holds: a description for messages, and its test.
_INT = ("an int", _is_int)
_BOOL = ("a bool", lambda value: isinstance(value, bool))
_REAL = ("a number", _is_real)
_STR = ("a str", lambda value: isinstance(value, str))
_DICT = ("a dict", lambda value: isinstance(value, dict))
_ARRAY = ("an array", lambda value: isinstance(value, np.ndarray))
_ARRAY_OR_NONE = ("an array or None", lambda value: value is None or _ARRAY[1](value))
_REALS = ("a list of numbers", _is_reals)
_REALS_OR_NONE = ("a list of numbers or None", lambda value: value is None or _is_reals(value))
_EPOCHS = (
    "an int or an array of ints",
    lambda value: _is_int(value) or (_ARRAY[1](value) and value.dtype.kind in "iu"),
)

_SEQUENCE_FITTED = {
    "n_features_in_": _INT,
    "_table_input_": _BOOL,
    "feature_names_in_": _ARRAY,
    "_sklearn_output_config": _DICT,  # set_output
}
_NETWORK_FITTED = {
    **_SEQUENCE_FITTED,
    "patch_length_": _INT,
    "input_norm_": _STR,
    "_network_params_": _DICT,
    "weight_decay_": _REAL,
    "n_iter_": _INT,
    "loss_curve_": _REALS,
    "validation_loss_curve_": _REALS_OR_NONE,
    "best_epoch_": _EPOCHS,
}
# The fitted attributes each estimator class declares, ``net_`` aside (the
# network is described apart): the only names ``load`` sets, so a file cannot
# shadow a method, swap the class or replace the instance's ``__dict__``.
_FITTED = {
    LSTMClassifier: {**_NETWORK_FITTED, "classes_": _ARRAY, "_multilabel_": _BOOL},
    LSTMRegressor: {**_NETWORK_FITTED, "_y_mean_": _ARRAY, "_y_scale_": _ARRAY, "_y_ndim_": _INT},
    LSTMEncoderTransformer: {**_NETWORK_FITTED, "objective_": _STR, "n_components_": _INT},
    SequenceScaler: {**_SEQUENCE_FITTED, "mean_": _ARRAY_OR_NONE, "scale_": _ARRAY_OR_NONE},
}
# set by some fits only: on a DataFrame, after set_output
# (input_norm_: not in the files of versions before input_norm)
_OPTIONAL_FITTED = {"feature_names_in_", "_sklearn_output_config", "input_norm_"}

# the arguments of skorch's net that sklstm sets and a file keeps
_NET_ARGUMENTS = ("lr", "batch_size", "max_epochs", "verbose")
_NET_PREFIXES = ("module__", "criterion__", "optimizer__")
_NET_ENTRIES = {"module", "criterion", "optimizer", "arguments", "weights"}
_NET_ENTRIES |= {"optimizer_state", "history"}
_ESTIMATOR_ENTRIES = {"estimator", "params", "fitted", "net"}
_PIPELINE_ENTRIES = {"estimator", "params", "steps"}
_HEADER_ENTRIES = {"format", "format_version"}
# JSON that sklstm writes is a few levels deep; deeper is not sklstm's
_MAX_DEPTH = 32


class _Encoder:
    """Python values to JSON, arrays set aside under keys of ``arrays``."""

    def __init__(self):
        self.arrays = {}

    def array(self, key, value):
        value = np.asarray(value)
        entry = {"__array__": key}
        if value.dtype == object:
            if not all(isinstance(item, str) for item in value.ravel()):
                raise TypeError(f"{key} holds Python objects that are not strings")
            value, entry["object"] = value.astype(str), True
        self.arrays[key] = value
        return entry

    def value(self, key, value):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, float, np.generic)) and np.ndim(value) == 0:
            return value.item() if isinstance(value, np.generic) else value
        if isinstance(value, (np.ndarray, torch.Tensor)):
            if isinstance(value, torch.Tensor):
                value = value.detach().cpu().numpy()
            return self.array(key, value)
        if isinstance(value, (list, tuple)):
            items = [self.value(f"{key}/{i}", item) for i, item in enumerate(value)]
            return {"__tuple__": items} if isinstance(value, tuple) else items
        if isinstance(value, dict):
            # arrays under readable keys: "fitted/classes_", "net/weights/lstm.weight_ih_l0"
            return {
                "__dict__": [
                    [
                        self.value(f"{key}/key{i}", k),
                        self.value(f"{key}/{k if isinstance(k, str) else i}", v),
                    ]
                    for i, (k, v) in enumerate(value.items())
                ]
            }
        if isinstance(value, type) and _CLASSES.get(value.__name__) is value:
            return {"__class__": value.__name__}
        raise TypeError(f"{key} is a {type(value).__name__}")


def _decode(value, arrays, depth=0):
    """JSON back to Python values; the inverse of ``_Encoder.value``."""
    if depth > _MAX_DEPTH:
        raise Malformed(f"its JSON is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(value, list):
        return [_decode(item, arrays, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value and set(value) <= {"__array__", "object"}:
        return _decode_array(value, arrays)
    if set(value) == {"__tuple__"} and isinstance(value["__tuple__"], list):
        return tuple(_decode(value["__tuple__"], arrays, depth + 1))
    if set(value) == {"__dict__"} and isinstance(value["__dict__"], list):
        return _dict_of_pairs(_decode(value["__dict__"], arrays, depth + 1))
    if set(value) == {"__class__"} and value["__class__"] in _CLASSES:
        return _CLASSES[value["__class__"]]
    raise Malformed(f"its JSON has an entry {_shorten(value)} that sklstm does not write")


def _decode_array(entry, arrays):
    """The array an ``{"__array__": key}`` entry refers to; strings as objects
    again where ``_Encoder.array`` stored an object array as strings."""
    key = entry["__array__"]
    if not isinstance(key, str) or key not in arrays:
        raise Malformed(f"it refers to an array {key!r} that arrays.npz does not hold")
    array = arrays[key]
    if entry.get("object"):
        if array.dtype.kind != "U":
            raise Malformed(f"its array {key!r} should hold strings, not {array.dtype}")
        return array.astype(object)
    return array


def _dict_of_pairs(pairs):
    """A dict from its decoded ``[key, value]`` pairs (JSON keys can only be
    strings, so ``_Encoder.value`` writes a dict as a list of pairs)."""
    if not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        raise Malformed("a dict in its JSON is not a list of [key, value] pairs")
    try:
        return dict(pairs)
    except TypeError:
        raise Malformed("a dict in its JSON has a key that cannot be a key") from None


def _shorten(value, size=80):
    text = json.dumps(value)
    return text if len(text) <= size else text[: size - 3] + "..."


def _str_dict(value, what):
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise Malformed(f"it does not hold its {what} as a dict of names")
    return value


def _entries(document, expected, what):
    """Check that a JSON object holds exactly the entries sklstm writes."""
    if not isinstance(document, dict):
        raise Malformed(f"its {what} is not a JSON object")
    if set(document) != expected:
        missing, unknown = sorted(expected - set(document)), sorted(set(document) - expected)
        raise Malformed(f"its {what} lacks the entries {missing} and has {unknown} besides")


def _named_class(value, table, role):
    if not (isinstance(value, dict) and set(value) == {"__class__"}):
        raise Malformed(f"its {role} is not named as a class")
    name = value["__class__"]
    if not isinstance(name, str) or name not in table:
        raise Malformed(f"its {role} is {name!r}, which is not one of sklstm's {sorted(table)}")
    return table[name]


def _net_description(net, encoder, prefix):
    """The module, loss and optimizer of a fitted skorch net, and its state."""
    params = net.get_params(deep=False)
    arguments = {
        name: value
        for name, value in params.items()
        if name in _NET_ARGUMENTS or name.startswith(_NET_PREFIXES)
    }
    optimizer_state = net.optimizer_.state_dict()
    return {
        "module": encoder.value(f"{prefix}net/module", params["module"]),
        "criterion": encoder.value(f"{prefix}net/criterion", params["criterion"]),
        "optimizer": encoder.value(f"{prefix}net/optimizer", params["optimizer"]),
        "arguments": encoder.value(f"{prefix}net/arguments", arguments),
        "weights": encoder.value(f"{prefix}net/weights", dict(net.module_.state_dict())),
        "optimizer_state": encoder.value(f"{prefix}net/optimizer_state", optimizer_state),
        "history": encoder.value(f"{prefix}net/history", net.history.to_list()),
    }


def _rebuild_net(description, arrays):
    """A skorch net on the CPU with the saved weights, optimizer state and history."""
    _entries(description, _NET_ENTRIES, "network description")
    module = _named_class(description["module"], _MODULES, "module")
    criterion = _named_class(description["criterion"], _LOSSES, "loss")
    optimizer = _named_class(description["optimizer"], _OPTIMIZERS, "optimizer")
    arguments = _net_arguments(description["arguments"], arrays)
    weights = _str_dict(_decode(description["weights"], arrays), "weights")
    _check_weight_shapes(weights, module, arguments)

    net = build_net(
        module,
        criterion,
        optimizer,
        lr=arguments.pop("lr"),
        callbacks=None,
        device="cpu",
        **arguments,
    )
    # the weights are overwritten: their random start must not draw from the
    # caller's global torch generator
    with torch.random.fork_rng(devices=[]):
        net.initialize()
    net.module_.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
    state = _str_dict(_decode(description["optimizer_state"], arrays), "optimizer state")
    _load_optimizer_state(net.optimizer_, state)

    history = _decode(description["history"], arrays)
    if not isinstance(history, list) or not all(isinstance(row, dict) for row in history):
        raise Malformed("its training history is not a list of epochs")
    net.history = History(history)
    return net


def _net_arguments(encoded, arrays):
    """The net's arguments (a new dict): only those ``_net_description`` keeps,
    and ``lr`` among them."""
    arguments = _str_dict(_decode(encoded, arrays), "network arguments")
    unknown = [
        name
        for name in arguments
        if name not in _NET_ARGUMENTS and not name.startswith(_NET_PREFIXES)
    ]
    if unknown or "lr" not in arguments:
        raise Malformed(f"its network arguments {sorted(arguments)} are not those sklstm writes")
    return dict(arguments)


def _check_weight_shapes(weights, module, arguments):
    """Check that ``weights`` have the shapes of ``module`` built with the
    ``module__`` arguments, before anything of that size is allocated."""
    module_arguments = {
        name[len("module__") :]: value
        for name, value in arguments.items()
        if name.startswith("module__")
    }
    # The shapes the arguments give, on the meta device (no memory): sizes in
    # the JSON must not make the network larger than the weights in the file.
    with torch.device("meta"):
        expected = module(**module_arguments).state_dict()
    shapes = {name: tuple(np.shape(value)) for name, value in weights.items()}
    if shapes != {name: tuple(value.shape) for name, value in expected.items()}:
        raise Malformed("its weights do not have the shapes of the network it describes")


def _load_optimizer_state(optimizer, state):
    """Load a decoded ``state_dict`` into ``optimizer``, arrays as tensors;
    per-parameter tensors must have their parameter's shape."""
    if not isinstance(state.get("state"), dict) or not all(
        isinstance(values, dict) for values in state["state"].values()
    ):
        raise Malformed("its optimizer state is not a dict of each parameter's state")
    for values in state["state"].values():
        for key, value in values.items():
            if isinstance(value, np.ndarray):
                values[key] = torch.from_numpy(np.array(value))
    optimizer.load_state_dict(state)
    for parameter, values in optimizer.state.items():
        for value in values.values():
            if torch.is_tensor(value) and value.ndim and value.shape != parameter.shape:
                raise Malformed("its optimizer state does not have the shapes of the weights")


def _is_fitted(estimator):
    required = _FITTED[type(estimator)].keys() - _OPTIONAL_FITTED
    return required <= vars(estimator).keys()


def _estimator_document(estimator, encoder, prefix=""):
    """The JSON of one fitted sklstm estimator; its arrays go to ``encoder``."""
    name = type(estimator).__name__
    params = estimator.get_params(deep=False)
    if params.get("callbacks"):
        raise ValueError(
            f"{name}(callbacks=...) cannot be saved: callbacks are arbitrary Python "
            "objects, which a file that loads without running code cannot hold. Call "
            "set_params(callbacks=None) first, and pass them again after loading."
        )
    if params.get("encoder") is not None:
        raise ValueError(
            f"{name}(encoder=...) cannot be saved: the encoder is a whole estimator. Its "
            "weights are already in the fitted network, so call "
            "set_params(encoder=None) first."
        )
    declared = _FITTED[type(estimator)]
    # what the constructor sets besides the parameters is not fitted state
    constructed = vars(type(estimator)(**params)).keys()
    unknown = vars(estimator).keys() - constructed - declared.keys() - {"net_"}
    if unknown:
        attribute = sorted(unknown)[0]
        raise ValueError(
            f"This {name} has an attribute {attribute!r}, which is neither one of its "
            f"parameters nor one of its fitted attributes: sklstm.save stores only "
            f"those. Delete it (del estimator.{attribute}) before saving."
        )
    fitted = {key: value for key, value in vars(estimator).items() if key in declared}
    net = getattr(estimator, "net_", None)
    try:
        return {
            "estimator": name,
            "params": encoder.value(f"{prefix}params", params),
            "fitted": encoder.value(f"{prefix}fitted", fitted),
            "net": None if net is None else _net_description(net, encoder, prefix),
        }
    except TypeError as exc:
        raise ValueError(
            f"{name} cannot be saved: {exc}, which this format does not store (a "
            "random_state must be an int or None)."
        ) from None


def _pipeline_document(pipeline, encoder):
    params = pipeline.get_params(deep=False)
    steps = params.pop("steps")
    unknown = vars(pipeline).keys() - params.keys() - {"steps"}
    if unknown:
        raise ValueError(
            f"This Pipeline has an attribute {sorted(unknown)[0]!r}, which is not one "
            "of its parameters: sklstm.save stores only those."
        )
    described = []
    for i, (step_name, step) in enumerate(steps):
        if step is None or isinstance(step, str) and step == "passthrough":
            described.append([step_name, step])
            continue
        if type(step) not in _FITTED:
            raise TypeError(
                "sklstm.save saves Pipelines of sklstm's estimators, but the step "
                f"{step_name!r} is a {type(step).__name__}. Pickle the pipeline instead "
                "(and load it from trusted sources only)."
            )
        if not _is_fitted(step):
            raise ValueError(
                f"This Pipeline is not fitted yet (its step {step_name!r} is not): fit "
                "it before saving it."
            )
        described.append([step_name, _estimator_document(step, encoder, f"steps/{i}/")])
    try:
        encoded = encoder.value("params", params)
    except TypeError as exc:
        raise ValueError(
            f"Pipeline cannot be saved: {exc}, which this format does not store (memory "
            "must be None or a path)."
        ) from None
    return {"estimator": "Pipeline", "params": encoded, "steps": described}


def save(estimator, path):
    """Save a fitted sklstm estimator to a file that loads without running code.

    The file holds the hyperparameters, the fitted attributes, the network's
    weights, the optimizer's state and the training history, as JSON and
    NumPy arrays, and SHA-256 checksums of both. Unlike a pickle, loading it
    runs no code from the file, and it loads on a machine without a GPU (see
    :func:`load` for what loading guarantees). The same fitted estimator
    always gives the same bytes.

    Parameters
    ----------
    estimator : LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer, \
SequenceScaler or Pipeline
        A fitted estimator, or a fitted :class:`~sklearn.pipeline.Pipeline`
        whose steps are these estimators (or ``'passthrough'``). Its
        ``callbacks`` (arbitrary Python objects) cannot be saved;
        ``random_state`` must be an int or None.

    path : str, path-like or file object
        The file to write (conventionally ``*.sklstm``), or a binary file
        object open for writing. It is written only once the whole content
        is ready, so a refused estimator leaves an existing file as it was.

    Returns
    -------
    sha256 : str
        The SHA-256 digest of the file, as 64 hexadecimal digits (what
        ``sha256sum`` prints). Keep it where the file's readers can trust it
        and pass it to :func:`load`, which then refuses any other file: the
        checksums inside the file detect damage, not a deliberate change.

    Raises
    ------
    TypeError
        If ``estimator`` is not one of the estimators above.

    ValueError
        If it is not fitted, or holds what a file that runs no code cannot
        (callbacks, a pretrained ``encoder``, a ``RandomState``).

    See Also
    --------
    load : Load the estimator back.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> import sklstm
    >>> X = np.random.RandomState(0).normal(size=(20, 5, 2)).astype("float32")
    >>> reg = sklstm.LSTMRegressor(hidden_size=4, max_epochs=2).fit(X, X[:, -1, 0])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.sklstm")
    >>> digest = sklstm.save(reg, path)
    >>> len(digest)
    64
    >>> np.allclose(sklstm.load(path, sha256=digest).predict(X), reg.predict(X))
    True
    """
    encoder = _Encoder()
    if type(estimator) is Pipeline:
        document = _pipeline_document(estimator, encoder)
    elif type(estimator) in _FITTED:
        if not _is_fitted(estimator):
            raise ValueError(
                f"This {type(estimator).__name__} is not fitted yet: fit it before saving it."
            )
        document = _estimator_document(estimator, encoder)
    else:
        raise TypeError(
            "sklstm.save saves sklstm's estimators (LSTMClassifier, LSTMRegressor, "
            "LSTMEncoderTransformer, SequenceScaler) and Pipelines of them, not a "
            f"{type(estimator).__name__}. Pickle it instead (and load it from trusted "
            "sources only)."
        )
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, **document}
    content = {_JSON: json.dumps(document).encode(), _ARRAYS: write_npz(encoder.arrays)}
    data = write_zip(
        {
            _JSON: (content[_JSON], zipfile.ZIP_DEFLATED),
            # weights hardly compress; stored, their size is what the file shows
            _ARRAYS: (content[_ARRAYS], zipfile.ZIP_STORED),
            CHECKSUMS: (checksums(content), zipfile.ZIP_STORED),
        }
    )
    if hasattr(path, "write"):
        path.write(data)
    else:
        with open(path, "wb") as file:
            file.write(data)
    return sha256_hex(data)


def _build_estimator(document, arrays, version):
    name = document["estimator"]
    cls = _ESTIMATORS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise Malformed(
            f"it names the estimator {name!r}, which is not one of {sorted(_ESTIMATORS)}"
        )
    params = _str_dict(_decode(document["params"], arrays), "parameters")
    unknown = params.keys() - set(cls._get_param_names())
    if unknown:
        raise Malformed(f"it sets {sorted(unknown)}, which are not parameters of {name}")
    estimator = cls(**params)
    estimator._validate_params()

    fitted = _str_dict(_decode(document["fitted"], arrays), "fitted attributes")
    if version == 1:
        # version 1 kept what the constructor sets besides the parameters
        constructed = vars(estimator).keys() - params.keys()
        fitted = {key: value for key, value in fitted.items() if key not in constructed}
    _check_fitted(fitted, _FITTED[cls], name)
    for key, value in fitted.items():
        setattr(estimator, key, value)

    if cls is SequenceScaler:
        if document["net"] is not None:
            raise Malformed(f"it describes a network for a {name}, which has none")
    else:
        estimator.net_ = _rebuild_net(document["net"], arrays)
    return estimator


def _check_fitted(fitted, declared, name):
    """Check that ``fitted`` holds each attribute of ``declared`` (the optional
    ones aside) and no other, each of the kind declared."""
    unknown = fitted.keys() - declared.keys()
    if unknown:
        raise Malformed(f"it sets {sorted(unknown)}, which are not fitted attributes of {name}")
    missing = declared.keys() - _OPTIONAL_FITTED - fitted.keys()
    if missing:
        raise Malformed(f"it lacks the fitted attributes {sorted(missing)} of {name}")
    for key, value in fitted.items():
        kind, test = declared[key]
        if not test(value):
            raise Malformed(f"its {name}.{key} is a {type(value).__name__}, not {kind}")


def _build_pipeline(document, arrays):
    params = _str_dict(_decode(document["params"], arrays), "Pipeline parameters")
    unknown = params.keys() - set(Pipeline._get_param_names()) | ({"steps"} & params.keys())
    if unknown:
        raise Malformed(f"it sets {sorted(unknown)}, which are not parameters of a Pipeline")
    steps = document["steps"]
    if not isinstance(steps, list) or not steps:
        raise Malformed("its Pipeline has no list of steps")
    built = []
    for step in steps:
        if not (isinstance(step, list) and len(step) == 2 and isinstance(step[0], str)):
            raise Malformed("a step of its Pipeline is not a [name, estimator] pair")
        step_name, description = step
        if "__" in step_name or step_name in {name for name, _ in built}:
            raise Malformed(f"its Pipeline has a step named {step_name!r} twice or with '__'")
        if description is not None and description != "passthrough":
            _entries(description, _ESTIMATOR_ENTRIES, f"step {step_name!r}")
            description = _build_estimator(description, arrays, FORMAT_VERSION)
        built.append((step_name, description))
    pipeline = Pipeline(built, **params)
    pipeline._validate_params()
    return pipeline


def _check_digest(digest):
    if digest is None:
        return None
    if not isinstance(digest, str):
        raise TypeError(
            "sha256 must be a str of 64 hexadecimal digits, as sklstm.save returns it; "
            f"got a {type(digest).__name__}."
        )
    if not re.fullmatch(r"[0-9a-fA-F]{64}", digest.strip()):
        raise ValueError(
            "sha256 must be the 64 hexadecimal digits of a SHA-256 digest, as sklstm.save "
            f"returns it; got {digest!r}."
        )
    return digest.strip().lower()


def _read_document(data):
    """The JSON document and the arrays of a file's bytes, checked; ``(document, arrays)``."""
    members = read_zip(data)
    if CHECKSUMS in members:
        content = {name: value for name, value in members.items() if name != CHECKSUMS}
        if members[CHECKSUMS] != checksums(content):
            raise Malformed(f"its content does not match the SHA-256 checksums in {CHECKSUMS}")
    if _JSON not in members:
        raise Malformed(f"it holds no {_JSON}")
    try:
        document = json.loads(members[_JSON])
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise Malformed(f"its {_JSON} is not valid JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Malformed("it does not say it is in sklstm's format")
    version = document.get("format_version")
    if not _is_int(version) or not 1 <= version <= FORMAT_VERSION:
        raise _NewerVersion(
            f"is in version {version!r} of sklstm's file format; this sklstm reads "
            f"versions 1 to {FORMAT_VERSION}. Load it with the sklstm that wrote it (or "
            "a newer one)."
        )
    if set(members) != _MEMBERS[version]:
        raise Malformed(
            f"a file of version {version} holds {sorted(_MEMBERS[version])}, this one "
            f"{sorted(members)}"
        )
    header = _HEADER_ENTRIES | ({"arrays_sha256"} if version == 1 else set())
    if version == 1 and sha256_hex(members[_ARRAYS]) != document.get("arrays_sha256"):
        raise Malformed("its arrays do not match the checksum it records")
    if document.get("estimator") == "Pipeline":
        _entries(document, header | _PIPELINE_ENTRIES, _JSON)
    else:
        _entries(document, header | _ESTIMATOR_ENTRIES, _JSON)
    return document, read_npz(members[_ARRAYS])


class _NewerVersion(ValueError):
    """A file in a format version this sklstm does not read."""


def load(path, *, sha256=None):
    """Load an estimator saved by :func:`save`, without running code from the file.

    What this guarantees, and what it does not:

    - **No code runs from the file.** It is read as JSON and NumPy arrays
      (``allow_pickle=False``); the classes it names are looked up in fixed
      tables of sklstm's own; only the parameters and fitted attributes that
      each estimator class declares are set; and sizes are checked before
      anything is decompressed or allocated.
    - **Accidental damage is detected.** The file records SHA-256 checksums
      of its whole content, and a file that does not match them, is not in
      sklstm's format or is malformed in any way raises a ``ValueError``
      saying what is wrong.
    - **Tampering is not, by the file alone.** Whoever can rewrite the file
      can rewrite its checksums, and the model then predicts what they
      chose. Pass ``sha256``, the digest :func:`save` returned, kept where
      they cannot change it, and any other file is refused before it is read.

    The network is loaded on the CPU; ``device`` then says where inference
    runs, as after unpickling. Training can go on with ``partial_fit`` or a
    warm start, from the saved optimizer state.

    Parameters
    ----------
    path : str, path-like or file object
        A file written by :func:`save`, or a binary file object open for
        reading.

    sha256 : str, default=None
        The SHA-256 digest of the file that :func:`save` returned (or that
        ``sha256sum`` prints), from a source you trust. If given, the file is
        loaded only if its digest is this one. If None, the file is trusted
        to be the one you mean.

    Returns
    -------
    estimator : LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer, \
SequenceScaler or Pipeline
        The fitted estimator.

    Raises
    ------
    ValueError
        If the file does not have the digest ``sha256``, was written by a
        newer sklstm (a format version this one does not read), is not an
        sklstm file, or was damaged or modified.

    See Also
    --------
    save : Write the file, and get its digest.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> import sklstm
    >>> X = np.random.RandomState(0).normal(size=(20, 5, 2)).astype("float32")
    >>> clf = sklstm.LSTMClassifier(hidden_size=4, max_epochs=2).fit(X, X[:, 0, 0] > 0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.sklstm")
    >>> digest = sklstm.save(clf, path)
    >>> loaded = sklstm.load(path, sha256=digest)
    >>> loaded.classes_
    array([False,  True])
    """
    expected = _check_digest(sha256)
    if hasattr(path, "read"):
        where, data = "The file", path.read()
        if not isinstance(data, bytes):
            raise TypeError("sklstm.load reads a file opened in binary mode ('rb').")
    else:
        where = os.fspath(path)
        with open(path, "rb") as file:
            data = file.read()
    if expected is not None:
        digest = sha256_hex(data)
        if digest != expected:
            raise ValueError(
                f"{where} does not have the SHA-256 digest you passed: it has {digest}, not "
                f"{expected}. It is not the file that digest was taken of (it was changed "
                "or replaced since, or the digest is another file's), and was not loaded."
            )
    try:
        document, arrays = _read_document(data)
        if document["estimator"] == "Pipeline":
            return _build_pipeline(document, arrays)
        return _build_estimator(document, arrays, document["format_version"])
    except _NewerVersion as exc:
        raise ValueError(f"{where} {exc}") from None
    except Malformed as exc:
        reason = str(exc)
    except (TypeError, ValueError, RuntimeError, KeyError, IndexError, AttributeError) as exc:
        # what sklearn, skorch or torch say of values no sklstm file holds
        reason = f"{type(exc).__name__}: {exc}"
    raise ValueError(
        f"{where} cannot be loaded: {reason}. It is not a file written by sklstm.save, "
        "or it was damaged or modified since."
    )
