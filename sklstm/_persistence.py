"""``save`` and ``load``: a file format for fitted estimators that runs no code.

A pickle (or ``torch.load`` without ``weights_only``) can run arbitrary code
while it loads, so it must only come from a trusted source. sklstm's format
holds data only: a zip archive of

- ``estimator.json``: the format and its version, the estimator's class,
  its hyperparameters, its fitted attributes and the description of its
  network (module, loss and optimizer by name, their arguments, the
  training history), all as JSON;
- ``arrays.npz``: every array, the network's weights and the optimizer's
  state as NumPy arrays, read with ``allow_pickle=False``; its SHA-256 is
  in ``estimator.json``.

Loading parses JSON and NumPy arrays and looks classes up by name in fixed
tables of sklstm's own (estimators, modules, losses, optimizers): nothing in
the file names code to run. We chose this over skops, which would have to
trust each torch type the network holds, and over safetensors, which would
be one more dependency for what NumPy's own format does.
"""

import hashlib
import io
import json
import zipfile

import numpy as np
import torch
from skorch.history import History

from ._base import OPTIMIZERS, build_net
from ._classifier import LSTMClassifier
from ._contrastive import ContrastiveEncoder, ContrastiveLoss
from ._ensemble import Ensemble, EnsembleLoss
from ._loss import LabelLoss, LabelSetLoss, ValueLoss
from ._module import LSTMModule, ReconstructionLoss, SequenceAutoencoder
from ._preprocessing import SequenceScaler
from ._regressor import LSTMRegressor
from ._transformer import LSTMEncoderTransformer

__all__ = ["load", "save"]

FORMAT = "sklstm-estimator"
FORMAT_VERSION = 1

# The only classes a file can name.
_CLASSES = {
    cls.__name__: cls
    for cls in (
        LSTMClassifier,
        LSTMRegressor,
        LSTMEncoderTransformer,
        SequenceScaler,
        LSTMModule,
        Ensemble,
        SequenceAutoencoder,
        ContrastiveEncoder,
        LabelLoss,
        LabelSetLoss,
        ValueLoss,
        EnsembleLoss,
        ReconstructionLoss,
        ContrastiveLoss,
        *(optimizer for optimizer, _ in OPTIMIZERS.values()),
    )
}
_ESTIMATORS = (LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer, SequenceScaler)

# the arguments of skorch's net that sklstm sets and a file keeps
_NET_ARGUMENTS = ("lr", "batch_size", "max_epochs", "verbose")
_NET_PREFIXES = ("module__", "criterion__", "optimizer__")


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


def _decode(value, arrays):
    """JSON back to Python values; the inverse of ``_Encoder.value``."""
    if isinstance(value, list):
        return [_decode(item, arrays) for item in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        array = arrays[value["__array__"]]
        return array.astype(object) if value.get("object") else array
    if "__tuple__" in value:
        return tuple(_decode(item, arrays) for item in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k, arrays): _decode(v, arrays) for k, v in value["__dict__"]}
    if "__class__" in value:
        return _CLASSES[value["__class__"]]
    raise ValueError(f"unknown entry {sorted(value)}")


def _net_description(net, encoder):
    """The module, loss and optimizer of a fitted skorch net, and its state."""
    params = net.get_params(deep=False)
    arguments = {
        name: value
        for name, value in params.items()
        if name in _NET_ARGUMENTS or name.startswith(_NET_PREFIXES)
    }
    optimizer_state = net.optimizer_.state_dict()
    return {
        "module": encoder.value("net/module", params["module"]),
        "criterion": encoder.value("net/criterion", params["criterion"]),
        "optimizer": encoder.value("net/optimizer", params["optimizer"]),
        "arguments": encoder.value("net/arguments", arguments),
        "weights": encoder.value("net/weights", dict(net.module_.state_dict())),
        "optimizer_state": encoder.value("net/optimizer_state", optimizer_state),
        "history": encoder.value("net/history", net.history.to_list()),
    }


def _rebuild_net(description, arrays):
    """A skorch net on the CPU with the saved weights, optimizer state and history."""
    arguments = _decode(description["arguments"], arrays)
    lr = arguments.pop("lr")
    net = build_net(
        _decode(description["module"], arrays),
        _decode(description["criterion"], arrays),
        _decode(description["optimizer"], arrays),
        lr=lr,
        callbacks=None,
        device="cpu",
        **arguments,
    )
    net.initialize()
    weights = _decode(description["weights"], arrays)
    net.module_.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
    state = _decode(description["optimizer_state"], arrays)
    for values in state["state"].values():
        for key, value in values.items():
            if isinstance(value, np.ndarray):
                values[key] = torch.from_numpy(np.array(value))
    net.optimizer_.load_state_dict(state)
    net.history = History(_decode(description["history"], arrays))
    return net


def save(estimator, path):
    """Save a fitted sklstm estimator to a file that loads without running code.

    The file holds the hyperparameters, the fitted attributes, the network's
    weights, the optimizer's state and the training history, as JSON and
    NumPy arrays (see :func:`load`). Unlike a pickle, it is safe to load from
    an untrusted source; it also loads on a machine without a GPU.

    Parameters
    ----------
    estimator : LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer or SequenceScaler
        A fitted estimator. Its ``callbacks`` (arbitrary Python objects) cannot
        be saved; ``random_state`` must be an int or None.

    path : str or path-like
        The file to write (conventionally ``*.sklstm``).

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
    >>> sklstm.save(reg, path)
    >>> np.allclose(sklstm.load(path).predict(X), reg.predict(X))
    True
    """
    name = type(estimator).__name__
    if type(estimator) not in _ESTIMATORS:
        raise TypeError(
            f"sklstm.save saves sklstm's estimators, not a {name}. Save the steps of a "
            "pipeline one by one, or pickle it (and load it from trusted sources only)."
        )
    if not any(key.endswith("_") and not key.startswith("__") for key in vars(estimator)):
        raise ValueError(f"This {name} is not fitted yet: fit it before saving it.")
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
    encoder = _Encoder()
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "estimator": name}
    try:
        document["params"] = encoder.value("params", params)
        fitted = {key: value for key, value in vars(estimator).items() if key not in params}
        net = fitted.pop("net_", None)
        document["fitted"] = encoder.value("fitted", fitted)
        document["net"] = None if net is None else _net_description(net, encoder)
    except TypeError as exc:
        raise ValueError(
            f"{name} cannot be saved: {exc}, which this format does not store (a "
            "random_state must be an int or None)."
        ) from None
    buffer = io.BytesIO()
    np.savez(buffer, **encoder.arrays)
    payload = buffer.getvalue()
    document["arrays_sha256"] = hashlib.sha256(payload).hexdigest()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("estimator.json", json.dumps(document))
        archive.writestr("arrays.npz", payload)


def _damaged(path, reason):
    return ValueError(
        f"{path} cannot be loaded: {reason}. It is not a file written by sklstm.save, "
        "or it was damaged or modified since."
    )


def load(path):
    """Load an estimator saved by :func:`save`, without running code from the file.

    The file is read as JSON and NumPy arrays (``allow_pickle=False``); the
    classes it names are looked up in fixed tables of sklstm's own, and its
    arrays are checked against the SHA-256 the file records. The network is
    loaded on the CPU; ``device`` then says where inference runs, as after
    unpickling. Training can go on with ``partial_fit`` or a warm start, from
    the saved optimizer state.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save`.

    Returns
    -------
    estimator : LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer or SequenceScaler
        The fitted estimator.

    Raises
    ------
    ValueError
        If the file is not an sklstm file, was written by a newer sklstm
        (a format this version does not know), or was modified.

    See Also
    --------
    save : Write the file.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> import sklstm
    >>> X = np.random.RandomState(0).normal(size=(20, 5, 2)).astype("float32")
    >>> clf = sklstm.LSTMClassifier(hidden_size=4, max_epochs=2).fit(X, X[:, 0, 0] > 0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.sklstm")
    >>> sklstm.save(clf, path)
    >>> loaded = sklstm.load(path)
    >>> loaded.classes_
    array([False,  True])
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if sorted(archive.namelist()) != ["arrays.npz", "estimator.json"]:
                raise _damaged(path, "it does not hold estimator.json and arrays.npz")
            document = json.loads(archive.read("estimator.json"))
            payload = archive.read("arrays.npz")
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _damaged(path, f"{exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _damaged(path, "it does not say it is in sklstm's format")
    version = document.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ValueError(
            f"{path} is in version {version!r} of sklstm's file format; this sklstm "
            f"reads versions 1 to {FORMAT_VERSION}. Load it with the sklstm that wrote it "
            "(or a newer one)."
        )
    if hashlib.sha256(payload).hexdigest() != document.get("arrays_sha256"):
        raise _damaged(path, "its arrays do not match the checksum it records")
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        cls = _CLASSES[document["estimator"]]
        if cls not in _ESTIMATORS:
            raise KeyError(document["estimator"])
        estimator = cls(**_decode(document["params"], arrays))
        estimator._validate_params()
        for key, value in _decode(document["fitted"], arrays).items():
            setattr(estimator, key, value)
        if document["net"] is not None:
            estimator.net_ = _rebuild_net(document["net"], arrays)
    except (KeyError, TypeError, ValueError, RuntimeError, IndexError) as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from None
    return estimator
