"""_BaseLSTM: hyperparameters, validation, training and inference.

The public estimators are thin: they choose the training target of their
task (built in ``_targets``: encoded ``y``, loss, module) and say how raw
outputs become predictions. The rest of what they share lives here:
parameters, the fit orchestration and batched inference; the skorch net and
its training call in ``_net``, its callbacks in ``_callbacks``.

Why wrap skorch instead of subclassing it: the estimators have explicit,
validated hyperparameters (so ``get_params``, ``clone`` and sklearn's checks
see exactly what a user sets), and ``fit`` builds a fresh
:class:`skorch.NeuralNet` in ``net_``. skorch supplies the training loop,
callbacks, history and device handling; advanced users reach it through
``net_`` and the ``callbacks`` parameter.
"""

import copy
import functools
import threading
import types
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._callbacks import training_callbacks
from ._convergence import warn_if_learned_nothing
from ._data import SequenceDataset
from ._ensemble import Ensemble, EnsembleLoss
from ._frontend import FRONTENDS, INPUT_NORMS, auto_input_norm, auto_patch_length
from ._module import ACTIVATIONS, LSTMModule
from ._net import (
    OPTIMIZERS,
    build_net,
    initialize,
    move_net,
    repair_unpickled_net,
    replace_prefixed,
    train,
    trained_state,
)
from ._readout import LAYERS, STATES, readout_parts
from ._validation import (
    HasMethods,
    Interval,
    StrOptions,
    check_callbacks,
    check_cell_state,
    check_readout,
    check_sample_weight,
    check_sequences,
    check_step_targets,
    resolve_device,
    set_fitted,
)

# Held while a fit seeds torch's global generator and trains: fits in
# threads run one at a time, each as it would alone (user guide, "Threads").
_SEEDED_TRAINING = threading.RLock()

# Inference has no gradients to keep, so it can afford larger batches.
_MIN_PREDICT_BATCH_SIZE = 256

# early_stopping="auto" holds out a validation set from this many sequences
# on, as HistGradientBoosting* does. Below it early stopping is opt-in: on
# small data a 10% hold-out is too small to choose an epoch well and costs a
# tenth of the training data (benchmarks/accuracy.py --ablation measures it),
# and a 200-sequence fit would no longer fit its training data as well as
# scikit-learn's check_regressors_train expects.
_AUTO_EARLY_STOPPING_MIN_SAMPLES = 10_000

# weight_decay='auto' (LSTMClassifier): this L2 penalty with a front-end,
# whose many weights overfit small training sets. None for the plain LSTM,
# which it made worse; none with an attention readout, whose scorer it
# shrinks until the attention weights are uniform; and none below this many
# training sequences (batches of 1 to 3), where it cost more than it bought,
# with or without a pretrained encoder. The evidence for each:
# docs/accuracy.md and docs/user_guide/training.md.
_AUTO_WEIGHT_DECAY_MIN_SAMPLES = 40
_AUTO_WEIGHT_DECAY = 0.003


def _is_frozen(estimator):
    """scikit-learn's ``FrozenEstimator`` (1.6+), by name: nothing to import."""
    return type(estimator).__name__ == "FrozenEstimator"


def _has_attention_readout(estimator):
    """Raise an ``AttributeError`` naming ``readout`` unless the model (as
    fitted, else as set) has an attention readout."""
    readout = estimator._fitted_param("readout")
    if "attention" in readout_parts(readout):
        return True
    name = type(estimator).__name__
    if readout != estimator.readout:
        raise AttributeError(
            f"attention_weights is only available for a network with an attention "
            f"readout; this {name} was fitted with readout={readout!r} (set_params "
            f"since made it {estimator.readout!r}, which takes effect at the next fit). "
            "Fit again to use the new readout."
        )
    raise AttributeError(
        f"attention_weights is only available with readout='attention'; this "
        f"{name} has readout={readout!r}. Set readout='attention' and fit again."
    )


class _AvailableIf:
    """A method that exists only where ``check(estimator)`` passes, as
    scikit-learn's ``available_if``; the ``AttributeError`` is ``check``'s
    own, so its message (which names the fix) reaches the user."""

    def __init__(self, fn, check):
        self.fn, self.check = fn, check
        functools.update_wrapper(self, fn)

    def __get__(self, obj, owner=None):
        if obj is None:  # the class: the plain function, for its docstring
            return self.fn
        self.check(obj)
        return types.MethodType(self.fn, obj)


def _available_if(check):
    return lambda fn: _AvailableIf(fn, check)


# The hyperparameters that shape the network (those an estimator has):
# warm_start and partial_fit go on training the fitted network, so they
# cannot change them. ``forget_bias`` only initialises it.
_NETWORK_PARAMS = (
    "cell",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "dropout",
    "readout",
    "state",
    "layers",
    "frontend",
    "patch_length",
    "frontend_width",
    "input_norm",
    "head",
    "head_hidden_sizes",
    "head_activation",
    "head_dropout",
    "n_networks",
    "n_components",
    "objective",
)


def _python_scalars(params):
    """NumPy scalars (``np.int64(3)``, ``np.bool_(True)``, from a grid such as
    ``np.arange``) as Python ones, which torch's constructors require."""
    return {
        key: value.item() if isinstance(value, np.generic) else value
        for key, value in params.items()
    }


def _same_value(a, b):
    """``a == b``, for hyperparameters that may be tuples, lists or arrays."""
    if isinstance(a, (list, tuple, np.ndarray)) or isinstance(b, (list, tuple, np.ndarray)):
        return np.ravel(a).tolist() == np.ravel(b).tolist()
    return a == b


# n_networks: the supervised estimators only (averaging the encodings of
# independent networks would mix unrelated features).
_ENSEMBLE_CONSTRAINTS = {"n_networks": [Interval(Integral, 1, None, closed="left")]}

# encoder, freeze_encoder: the supervised estimators only, started from a
# fitted estimator's encoder (see _pretrained_encoder)
_PRETRAINED_CONSTRAINTS = {"encoder": [HasMethods(["fit"]), None], "freeze_encoder": ["boolean"]}

# what a pretrained encoder and the network it starts must share
_ENCODER_PARAMS = (
    "cell",
    "hidden_size",
    "num_layers",
    "bidirectional",
    "frontend",
    "frontend_width",
)


class _BaseLSTM(BaseEstimator, metaclass=ABCMeta):
    """Base class of the LSTM estimators. Do not use it directly."""

    _parameter_constraints = {
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "cell": [StrOptions({"lstm", "gru"})],
        "readout": [str],
        "state": [StrOptions(set(STATES))],
        "layers": [StrOptions(set(LAYERS))],
        "head": [StrOptions({"linear", "mlp"})],
        "head_hidden_sizes": ["array-like"],
        "head_activation": [StrOptions(set(ACTIVATIONS))],
        "head_dropout": [Interval(Real, 0, 1, closed="left")],
        "frontend": [StrOptions(set(FRONTENDS))],
        "patch_length": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "frontend_width": [Interval(Integral, 1, None, closed="left")],
        "input_norm": [StrOptions({*INPUT_NORMS, "auto"})],
        "max_epochs": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="neither"), None],
        # finite and moderate: padded steps are frozen by a gate input of 1e30
        "forget_bias": [Interval(Real, -100, 100, closed="both"), None],
        "lr_schedule": [StrOptions({"constant", "plateau"})],
        "early_stopping": [StrOptions({"auto"}), "boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "device": [str],
        "callbacks": [list, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        hidden_size=32,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        cell="lstm",
        readout="last",
        state="hidden",
        layers="last",
        frontend="conv",
        patch_length="auto",
        frontend_width=64,
        input_norm="none",
        head="linear",
        head_hidden_sizes=(32,),
        head_activation="relu",
        head_dropout=0.0,
        max_epochs="auto",
        lr=0.001,
        batch_size="auto",
        optimizer="adam",
        weight_decay=0.0,
        clip_grad_norm=1.0,
        forget_bias=1.0,
        lr_schedule="plateau",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=20,
        tol=1e-3,
        warm_start=False,
        random_state=None,
        device="auto",
        callbacks=None,
        verbose=0,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.cell = cell
        self.readout = readout
        self.state = state
        self.layers = layers
        self.frontend = frontend
        self.patch_length = patch_length
        self.frontend_width = frontend_width
        self.input_norm = input_norm
        self.head = head
        self.head_hidden_sizes = head_hidden_sizes
        self.head_activation = head_activation
        self.head_dropout = head_dropout
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.clip_grad_norm = clip_grad_norm
        self.forget_bias = forget_bias
        self.lr_schedule = lr_schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.device = device
        self.callbacks = callbacks
        self.verbose = verbose

    # -- hooks of the public classes ------------------------------------

    @abstractmethod
    def _prepare_fit(self, y, sequences, *, continuing=False, classes=None):
        """Check and encode ``y``; say how to train on it.

        ``continuing``: training goes on from the fitted state (partial_fit,
        warm_start), so the fitted encoding of ``y`` (``classes_``, target
        scaling) must be reused. ``classes``: all labels, from the first call
        of ``partial_fit``.

        Returns a ``TrainingTarget`` (``_targets``): the encoded ``y``, the
        loss, the module and what the fit sets on the estimator.
        """

    # -- fitting --------------------------------------------------------

    def _encoder_params(self, n_features, patch_length, input_norm):
        freeze = getattr(self, "encoder", None) is not None and self.freeze_encoder
        return {
            "freeze_encoder": freeze,
            "input_size": n_features,
            "frontend": self.frontend,
            "patch_length": patch_length,
            "frontend_width": self.frontend_width,
            "input_norm": input_norm,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
            "dropout": self.dropout,
            "cell": self.cell,
            "readout": self.readout,
            "state": self.state,
            "layers": self.layers,
            "forget_bias": self.forget_bias,
        }

    def _head_params(self):
        return {
            "head": self.head,
            "head_hidden_sizes": self._check_head_hidden_sizes(),
            "head_activation": self.head_activation,
            "head_dropout": self.head_dropout,
        }

    def _check_head_hidden_sizes(self):
        sizes = tuple(np.atleast_1d(self.head_hidden_sizes).tolist())
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                f"The 'head_hidden_sizes' parameter of {type(self).__name__} must be "
                f"a sequence of positive ints, one per hidden layer of the mlp head. "
                f"Got {self.head_hidden_sizes!r} instead."
            )
        return sizes

    def _fit(self, X, y, *, incremental=False, classes=None, sample_weight=None):
        """Validate everything, train, then (only then) set state.

        A fit rejected by validation or stopped by a diverging loss leaves a
        previously fitted estimator exactly as it was. ``incremental``
        (partial_fit) runs one epoch; with it or ``warm_start``, training goes
        on from the fitted net, in place and without early stopping.
        """
        # The public fit methods validate through scikit-learn's _fit_context,
        # except partial_fit on a fitted model, which it skips for speed: a
        # value set since then must not reach torch unchecked.
        if incremental:
            self._validate_params()
        name = type(self).__name__
        check_readout(self.readout, name)
        check_cell_state(self.cell, self.state, name)
        device = resolve_device(self.device, name)
        continuing = (incremental or self.warm_start) and hasattr(self, "net_")
        if continuing:
            self._check_same_network("partial_fit" if incremental else "a warm-start fit")
        sequences, fitted = check_sequences(self, X, reset=not continuing)
        target = self._prepare_fit(y, sequences, continuing=continuing, classes=classes)
        fitted.update(target.fitted)
        pretrained = None
        if not continuing:
            pretrained, network = self._resolve_network(sequences)
            fitted.update(network)
        weight = None  # unweighted: the losses take their faster plain mean
        if target.y is not None and sample_weight is not None:
            weight = torch.from_numpy(check_sample_weight(sample_weight, len(sequences)))
        dataset = SequenceDataset(sequences, target.y, target.y_fill_value, weight)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)

        if continuing:
            net, weight_decay = self._continued_net(target, len(dataset), device, incremental)
            early_stopping = False
            # a different, still reproducible, batch order in each call
            seed += len(net.history)
        else:
            early_stopping = not incremental and self._early_stopping_on(len(sequences))
            valid = None
            if early_stopping:
                dataset, valid = self._hold_out(dataset, target, seed)
            weight_decay = self._resolve_weight_decay(len(dataset))
            net = self._new_net(
                target,
                sequences.n_features,
                fitted["patch_length_"],
                fitted["input_norm_"],
                device,
                valid,
                early_stopping,
                weight_decay=weight_decay,
            )
        # training hyperparameters as they are now, also when training goes on;
        # 'auto' follows the objective's budget
        budget = target.budget
        net.batch_size = batch_size = self._resolve_batch_size(len(dataset), budget)
        fitted["weight_decay_"] = weight_decay
        epochs = 1 if incremental else self._resolve_max_epochs(len(dataset), batch_size, budget)

        # Seed weights, dropout and shuffling from random_state without
        # touching the caller's global torch RNG. torch draws all three from
        # its one global generator, which fork_rng saves, seeds and restores:
        # the lock keeps two fits in threads from seeding it under each other.
        cuda = [torch.device(device).index or 0] if device.startswith("cuda") else []
        with _SEEDED_TRAINING, torch.random.fork_rng(devices=cuda):
            torch.manual_seed(seed)
            if not continuing:
                initialize(net, pretrained)
            if epochs > 0:
                train(net, dataset, epochs)
        fitted.update(trained_state(net, early_stopping))
        if not incremental:
            warn_if_learned_nothing(name, fitted["loss_curve_"], target.null_loss)
        set_fitted(self, fitted)
        return self

    def _resolve_network(self, sequences):
        """What a fit that builds a network decides: the pretrained encoder
        (or None) and the fitted ``patch_length_``, ``input_norm_`` and
        ``_network_params_``."""
        network = {
            "patch_length_": self._resolve_patch_length(sequences),
            "input_norm_": self._resolve_input_norm(sequences),
        }
        pretrained = None
        found = self._pretrained_encoder(sequences.n_features)
        if found is not None:
            pretrained, network["patch_length_"], network["input_norm_"] = found
        params = self.get_params(deep=False)
        network["_network_params_"] = {
            name: params[name] for name in _NETWORK_PARAMS if name in params
        }
        return pretrained, network

    def _hold_out(self, dataset, target, seed):
        """The training and early-stopping validation parts of ``dataset``."""
        train_idx, valid_idx = self._validation_split(len(dataset), target.stratify, seed)
        return dataset.take(train_idx), dataset.take(valid_idx)

    def _continued_net(self, target, n_samples, device, incremental):
        """A copy of the fitted net, with the current training
        hyperparameters, and its weight decay: training that goes on works
        on it, so a call that fails, diverges or is interrupted leaves the
        fitted model as it was."""
        net = copy.deepcopy(self.net_)
        move_net(net, device)
        # 'auto' was decided on the data of the first fit, not on a chunk
        weight_decay = (
            self.weight_decay_
            if self.weight_decay == "auto"
            else self._resolve_weight_decay(n_samples)
        )
        # a warm-start fit starts a new optimizer, as MLPClassifier does;
        # partial_fit keeps its state unless the optimizer changed
        self._set_training_params(
            net, target, weight_decay=weight_decay, new_optimizer=not incremental
        )
        # without early stopping: its callbacks would watch a validation loss
        net.callbacks = self._callbacks(
            type(self).__name__, early_stopping=False, null_loss=target.null_loss
        )
        net.initialize_callbacks()
        return net, weight_decay

    def _pretrained_encoder(self, n_features):
        """The fitted ``LSTMModule`` whose encoder starts the network, or None.

        ``encoder`` is a fitted sklstm estimator (typically an
        ``LSTMEncoderTransformer``, with or without labels), or scikit-learn's
        ``FrozenEstimator`` around one, which ``clone`` keeps fitted.
        """
        encoder = getattr(self, "encoder", None)
        if encoder is None:
            return None
        name = type(self).__name__
        source = getattr(encoder, "estimator", encoder) if _is_frozen(encoder) else encoder
        if not isinstance(source, _BaseLSTM) or not hasattr(source, "net_"):
            raise ValueError(
                f"{name}(encoder=...) must be a fitted sklstm estimator (such as "
                f"LSTMEncoderTransformer().fit(X)); got an unfitted {type(source).__name__}. "
                "If it was fitted, it was cloned since (as GridSearchCV and "
                "cross_val_score do): pass encoder=sklearn.frozen.FrozenEstimator(encoder), "
                "which clone keeps fitted."
            )
        module = source.net_.module_
        module = getattr(module, "encoder", module)  # inside an unlabelled objective
        if not isinstance(module, LSTMModule):
            raise ValueError(
                f"{name}(encoder=...) needs an encoder of one network; this "
                f"{type(source).__name__} has n_networks={source.n_networks}."
            )
        fitted = {param: source._fitted_param(param) for param in _ENCODER_PARAMS}
        mismatched = [
            f"{param}={fitted[param]!r} (here {getattr(self, param)!r})"
            for param in _ENCODER_PARAMS
            if not _same_value(getattr(self, param), fitted[param])
        ]
        if self.patch_length not in ("auto", source.patch_length_):
            mismatched.append(f"patch_length={source.patch_length_} (here {self.patch_length!r})")
        norm = module.frontend.instance_norm
        input_norm = "none" if norm is None else norm.kind
        if self.input_norm not in ("auto", input_norm):
            mismatched.append(f"input_norm={input_norm!r} (here {self.input_norm!r})")
        if source.n_features_in_ != n_features:
            mismatched.append(f"{source.n_features_in_} features (here {n_features})")
        if mismatched:
            raise ValueError(
                f"{name} can only start from an encoder of the same architecture; the "
                f"encoder has {', '.join(mismatched)}. Set the same values, e.g. "
                f"{name}(**{{p: encoder.get_params()[p] for p in {list(_ENCODER_PARAMS)}}})."
            )
        return module, source.patch_length_, input_norm

    def _resolve_patch_length(self, sequences):
        """``patch_length_``: the steps of X that make one step of the LSTM."""
        if self.frontend == "none":
            return 1
        if self.patch_length == "auto":
            # per-step outputs need one LSTM step per time step
            return 1 if self._per_step else auto_patch_length(np.median(sequences.lengths))
        if self._per_step and self.patch_length > 1:
            raise ValueError(
                f"{type(self).__name__} cannot combine readout='sequence' with "
                f"patch_length={self.patch_length}: per-step outputs need one LSTM step "
                "per time step. Set patch_length=1 (or 'auto'), or frontend='none'."
            )
        return self.patch_length

    def _resolve_input_norm(self, sequences):
        """``input_norm_``: how the network reads each sequence's scale."""
        if self.input_norm != "auto":
            return self.input_norm
        if self.frontend == "none":  # the plain LSTM stays one parameter away
            return "none"
        return auto_input_norm(sequences.flat_values(), sequences.lengths)

    def _resolve_weight_decay(self, n_samples):
        """``weight_decay_``: the L2 penalty of the optimizer, for training on
        ``n_samples`` sequences."""
        # training that goes on has checked that the network is the fitted one
        if self.weight_decay == "auto":
            plain = self.frontend == "none"
            # the penalty pulls the attention scores to 0, the weights to uniform
            attention = "attention" in readout_parts(self.readout)
            few = n_samples < _AUTO_WEIGHT_DECAY_MIN_SAMPLES
            return 0.0 if plain or attention or few else _AUTO_WEIGHT_DECAY
        return float(self.weight_decay)

    def _resolve_batch_size(self, n_samples, budget):
        if self.batch_size == "auto":
            return budget.batch_size(n_samples)
        return self.batch_size

    def _resolve_max_epochs(self, n_samples, batch_size, budget):
        if self.max_epochs == "auto":
            return budget.max_epochs(n_samples, batch_size)
        return self.max_epochs

    def _new_net(
        self,
        target,
        n_features,
        patch_length,
        input_norm,
        device,
        valid,
        early_stopping,
        *,
        weight_decay,
    ):
        """A skorch net for the module and loss of ``target``, not initialised."""
        module_params = self._encoder_params(n_features, patch_length, input_norm)
        module_params.update(target.module_params)
        module_params = _python_scalars(module_params)
        module = target.module
        if target.n_networks > 1:
            module_params.update(
                module=module, n_networks=target.n_networks, combine=target.combine
            )
            module = Ensemble
        criterion, criterion_params = self._criterion(target)
        optimizer, optimizer_params = OPTIMIZERS[self.optimizer]
        return build_net(
            module,
            criterion,
            optimizer,
            lr=self.lr,
            callbacks=self._callbacks(
                type(self).__name__, early_stopping, null_loss=target.null_loss
            ),
            device=device,
            valid=valid,
            verbose=int(self.verbose == 1),  # 2 and more: the progress bar instead
            **{f"module__{k}": v for k, v in module_params.items()},
            **{f"optimizer__{k}": v for k, v in optimizer_params.items()},
            **{f"criterion__{k}": v for k, v in criterion_params.items()},
            optimizer__weight_decay=weight_decay,
        )

    @staticmethod
    def _criterion(target):
        """The loss class of ``target`` and its constructor arguments."""
        params = dict(target.criterion_params)
        if target.n_networks > 1:
            return EnsembleLoss, {"criterion": target.criterion, **params}
        return target.criterion, params

    def _fitted_param(self, name):
        """A hyperparameter that shapes the network: as fitted, else as set."""
        fitted = getattr(self, "_network_params_", {})
        return fitted[name] if name in fitted else getattr(self, name)

    def _check_same_network(self, call):
        """Reject a change of the network's shape before ``call`` trains on."""
        name = type(self).__name__
        for param, fitted in self._network_params_.items():
            value = getattr(self, param)
            if not _same_value(value, fitted):
                raise ValueError(
                    f"{name} was fitted with {param}={fitted!r}, and {call} goes on "
                    f"training that network, so it cannot use {param}={value!r}. Set "
                    f"{param}={fitted!r} again, or fit a new network (warm_start=False)."
                )

    def _set_training_params(self, net, target, *, weight_decay, new_optimizer):
        """Give a fitted net the current optimizer, lr, weight decay and loss."""
        optimizer, optimizer_params = OPTIMIZERS[self.optimizer]
        net.lr = self.lr
        if new_optimizer or not isinstance(net.optimizer_, optimizer):
            replace_prefixed(net, "optimizer", {**optimizer_params, "weight_decay": weight_decay})
            net.optimizer = optimizer
            net.initialize_optimizer()
        else:
            for group in net.optimizer_.param_groups:
                group["lr"] = self.lr
                group["weight_decay"] = weight_decay
        criterion, criterion_params = self._criterion(target)
        replace_prefixed(net, "criterion", criterion_params)
        net.criterion = criterion
        net.initialize_criterion()
        net.criterion_.to(net.device)

    def _early_stopping_on(self, n_samples):
        if self.early_stopping == "auto":
            return n_samples >= _AUTO_EARLY_STOPPING_MIN_SAMPLES
        return bool(self.early_stopping)

    def _validation_split(self, n_samples, stratify, seed):
        """Indices of the training and validation sequences.

        Stratified by class for classifiers (one label per sequence), as in
        scikit-learn's MLP, unless a class is too rare to be split.
        """
        name = type(self).__name__
        n_valid = int(np.ceil(self.validation_fraction * n_samples))
        if n_samples < 2 or n_valid >= n_samples:
            raise ValueError(
                f"{name} cannot hold out validation_fraction={self.validation_fraction} "
                f"of {n_samples} sequences for early stopping. Pass more sequences, a "
                "smaller validation_fraction, or early_stopping=False."
            )
        if stratify is not None:
            counts = np.bincount(stratify)
            if counts.min() < 2 or n_valid < len(counts):
                warnings.warn(
                    f"{name} could not stratify its early-stopping validation split "
                    "(a class has too few sequences); the split is random instead.",
                    UserWarning,
                    stacklevel=2,
                )
                stratify = None
        return train_test_split(
            np.arange(n_samples), test_size=n_valid, stratify=stratify, random_state=seed
        )

    def _callbacks(self, name, early_stopping, *, null_loss=None):
        """The net's callbacks, for this estimator's settings."""
        check_callbacks(self.callbacks, name, early_stopping=early_stopping)
        return training_callbacks(
            name,
            user_callbacks=self.callbacks,
            lr=self.lr,
            clip_grad_norm=self.clip_grad_norm,
            verbose=self.verbose,
            lr_schedule=self.lr_schedule,
            early_stopping=early_stopping,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            null_loss=null_loss,
        )

    def __setstate__(self, state):
        super().__setstate__(state)
        if "net_" in self.__dict__:
            repair_unpickled_net(self.net_)

    # -- inference ------------------------------------------------------

    @property
    def _per_step(self):
        """Per-step outputs, as set: what ``fit`` trains."""
        return self.readout == "sequence"

    @property
    def _fitted_per_step(self):
        """Per-step outputs, as fitted: what inference returns."""
        return self._fitted_param("readout") == "sequence"

    def _run_module(self, X, method="predict", per_step=None):
        """Validate ``X`` and run ``module_.<method>`` over it in batches.

        Batches are formed from sequences of similar length (sorted), so a
        ragged set is never padded to its longest sequence as a whole.

        Returns
        -------
        outputs : ndarray of shape (n_samples, n_outputs), float32
            In the order of ``X``; for ``readout='sequence'`` the outputs of
            all real steps, ``(sum(lengths), n_outputs)``, in sequence order.
        sequences : Sequences
            The validated ``X``.

        ``per_step`` (default: ``readout='sequence'``) says that ``method``
        returns one row per step, ``(B, L, n_outputs)``.
        """
        check_is_fitted(self)
        if per_step is None:
            per_step = self._fitted_per_step
        sequences, _ = check_sequences(self, X, reset=False)
        device = self._inference_device()
        module = self.net_.module_
        module.eval()
        run = getattr(module, method)
        batch_size = max(self.net_.batch_size, _MIN_PREDICT_BATCH_SIZE)
        if sequences.is_dense:
            order = np.arange(len(sequences))
        else:
            order = np.argsort(sequences.lengths, kind="stable")
        n_rows = sequences.n_steps if per_step else len(sequences)
        view_batches = sequences.is_dense and sequences.values.flags.writeable
        result = None
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                # equal lengths come in order: a slice is a view, not a copy
                # (unless X is read-only, as from a memmap: torch warns on those)
                X_batch, lengths = sequences.pad(
                    slice(start, start + batch_size) if view_batches else idx
                )
                out = run(
                    torch.from_numpy(X_batch).to(device),
                    torch.from_numpy(lengths).to(device),
                )
                out = out.float().cpu().numpy()
                if result is None:
                    result = np.empty((n_rows, out.shape[-1]), dtype=np.float32)
                if per_step:
                    sequences.scatter(idx, out, result)
                else:
                    result[idx] = out
        return result, sequences

    @_available_if(_has_attention_readout)
    def attention_weights(self, X):
        """Attention weight of each time step, for ``readout='attention'``.

        The attention readout encodes a sequence as the weighted mean of its
        LSTM outputs; these are the weights, so they show which steps the
        fitted model reads. Available only when ``readout='attention'``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features), \
                (n_samples, n_timesteps) or list of arrays
            Sequences, in any layout ``fit`` accepts.

        Returns
        -------
        weights : ndarray of shape (n_samples, n_timesteps), or list of arrays
            Non-negative, summing to 1 over each sequence's steps. When X is
            a list, a list with one ``(n_timesteps_i,)`` array per sequence.
        """
        weights, sequences = self._run_module(X, method="attention_weights", per_step=True)
        return sequences.with_values(weights[:, 0]).to_layout()

    def _inference_device(self):
        """Where inference runs: the ``device`` parameter as it is now.

        So ``set_params(device="cpu")`` after a fit on a GPU moves the fitted
        net to the CPU; like ``n_jobs``, ``device`` says where to
        compute, not what the model is. A device that is not available here
        (``device="cuda"`` unpickled on a machine without CUDA, which skorch
        already mapped to the CPU) leaves the net where it is.
        """
        device = resolve_device(self.device, type(self).__name__, require_available=False)
        if device is None:
            return self.net_.device
        move_net(self.net_, device)
        return device

    def _to_input_layout(self, outputs, sequences):
        """Per-step results back to ``(n_samples, n_timesteps, ...)`` or a list
        of per-sequence arrays, like ``X``; other results as they are."""
        if not self._fitted_per_step:
            return outputs
        return sequences.with_values(outputs).to_layout()

    def _step_score(self, X, y, sample_weight, *, metric, numeric):
        """``metric`` over all real steps of ``readout='sequence'`` outputs."""
        outputs, sequences = self._run_module(X)
        y_true = check_step_targets(y, sequences, type(self).__name__, numeric=numeric)
        if sample_weight is not None:
            weight = check_sample_weight(sample_weight, len(sequences)).astype(np.float64)
            sample_weight = np.repeat(weight, sequences.lengths)
        return metric(y_true, self._decode(outputs), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
