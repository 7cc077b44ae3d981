"""The callbacks every estimator's skorch net gets, and the rule that lists them.

Guards (a non-finite loss, gradient clipping per network), the user's own
callbacks, a progress bar, the restoring of the best training epoch, the
learning-rate schedule and the stop: early stopping on a validation set, or,
without one, once the training loss has converged.
"""

import math

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping, LRScheduler
from skorch.utils import noop, to_tensor
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

from ._convergence import LEARNED_NOTHING_FRACTION
from ._ensemble import Ensemble, network_losses, parameter_groups


class ProgressBar(Callback):
    """``verbose=2``: one bar over the whole fit, batch by batch, with the
    epoch, the last losses and the time left (tqdm; a widget in a notebook).

    ``train`` opens it with the number of batches to run and closes it,
    also when training fails.
    """

    bar_ = None

    def open(self, n_epochs, n_batches, epochs_done):
        """Start a bar for ``n_epochs`` of ``n_batches`` after ``epochs_done``."""
        from tqdm.auto import tqdm

        self.n_epochs, self.epochs_done = n_epochs, epochs_done
        self.bar_ = tqdm(total=n_epochs * n_batches, unit="batch", dynamic_ncols=True)

    def on_epoch_begin(self, net, **kwargs):
        if self.bar_ is not None:
            # the net has added this epoch's row to its history already
            epoch = len(net.history) - self.epochs_done
            self.bar_.set_description(f"epoch {epoch}/{self.n_epochs}", refresh=False)

    def on_batch_end(self, net, training=False, **kwargs):
        if self.bar_ is not None and training:
            loss = net.history[-1, "batches", -1, "train_loss"]
            self.bar_.set_postfix(train_loss=f"{loss:.4g}", refresh=False)
            self.bar_.update()

    def on_epoch_end(self, net, **kwargs):
        if self.bar_ is not None and "valid_loss" in net.history[-1]:
            valid = net.history[-1, "valid_loss"]
            self.bar_.set_postfix(
                train_loss=f"{net.history[-1, 'train_loss']:.4g}", valid_loss=f"{valid:.4g}"
            )

    def close(self):
        if self.bar_ is not None:
            self.bar_.close()
            self.bar_ = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("bar_", None)  # a tqdm bar does not pickle
        return state


def progress_bar(net):
    for _, callback in net.callbacks_:
        if isinstance(callback, ProgressBar):
            return callback
    return None


class RestoreBestTrainingLoss(Callback):
    """Keep the weights of the epoch with the lowest training loss.

    Without a validation split, the last epoch's weights are one draw from a
    noisy end of training; the reference recipes for small data (Wang et al.
    2017; Ismail Fawaz et al. 2019) keep the best training loss instead.
    ``best_epoch_`` (1-based) is the epoch restored.

    In an ensemble each network keeps the weights of its own best epoch, as
    it would trained alone: the history records each network's mean
    training loss per epoch (``train_loss_networks``), and ``best_epoch_``
    is an array, one epoch per network.
    """

    def initialize(self):
        self.best_epoch_ = 0
        self._best = None  # per network: (lowest loss, its epoch, its weights)
        self._sums = None
        return self

    def on_epoch_begin(self, net, **kwargs):
        self._sums, self._count = None, 0

    def on_batch_end(self, net, batch=None, training=None, y_pred=None, **kwargs):
        if not training or not isinstance(net.module_, Ensemble):
            return
        y_true = to_tensor(batch[1], device=net.device)
        with torch.no_grad():
            losses = network_losses(net.criterion_, y_pred, y_true)
        size = net.history[-1, "batches", -1, "train_batch_size"]
        self._sums = losses * size if self._sums is None else self._sums + losses * size
        self._count += size

    def on_epoch_end(self, net, **kwargs):
        networks = ensemble_networks(net.module_)
        if self._sums is None:  # one network: skorch's training loss
            losses = [net.history[-1].get("train_loss", math.inf)]
        else:
            losses = (self._sums / self._count).tolist()
            net.history.record("train_loss_networks", losses)
        if self._best is None:
            self._best = [(math.inf, 0, None)] * len(networks)
        epoch = len(net.history)
        for i, (loss, network) in enumerate(zip(losses, networks)):
            if loss < self._best[i][0]:
                self._best[i] = (loss, epoch, state_copy(network))
        epochs = [best_epoch for _, best_epoch, _ in self._best]
        self.best_epoch_ = epochs[0] if len(epochs) == 1 else np.array(epochs)

    def on_train_end(self, net, **kwargs):
        for network, (_, epoch, state) in zip(ensemble_networks(net.module_), self._best or []):
            if state is not None and epoch < len(net.history):
                network.load_state_dict(state)
        self._best = None  # a fitted model does not carry a second copy


def ensemble_networks(module):
    """The networks whose weights are kept apart: an ensemble's, or ``module``."""
    return list(module.networks) if isinstance(module, Ensemble) else [module]


def state_copy(module):
    return {key: value.detach().clone() for key, value in module.state_dict().items()}


# ReduceLROnPlateau halves the learning rate after this many epochs without
# improvement; shorter than the default n_iter_no_change, so a lower rate is
# tried before training stops.
PLATEAU_PATIENCE = 5


# The names of the callbacks an estimator adds to its net itself.
INTERNAL_CALLBACKS = (
    "nonfinite_loss",
    "gradient_clipping",
    "progress_bar",
    "restore_best",
    "lr_schedule",
    "early_stopping",
    "convergence",
)


def check_callback_names(callbacks, name):
    """A user callback must not take the name of one of the estimator's own."""
    for item in callbacks or []:
        if isinstance(item, tuple) and item[0] in INTERNAL_CALLBACKS:
            raise ValueError(
                f"The callback name {item[0]!r} is taken by a callback {name} adds "
                f"itself (its own are named {', '.join(INTERNAL_CALLBACKS)}). Give "
                f"your callback another name, e.g. ('my_{item[0]}', callback)."
            )


class NonFiniteLossGuard(Callback):
    """Stop training with a plain-words error when the loss is not finite.

    A diverged model would otherwise return NaN predictions silently.
    """

    def __init__(self, estimator_name, lr):
        self.estimator_name = estimator_name
        self.lr = lr

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        # the float skorch just recorded: reading the loss tensor again would
        # cost a device sync per batch on a GPU
        key = "train_loss" if training else "valid_loss"
        value = net.history[-1]["batches"][-1].get(key)
        if value is not None and not math.isfinite(value):
            epoch = len(net.history)
            raise FloatingPointError(
                f"The training loss of {self.estimator_name} became {value} "
                f"in epoch {epoch}, so training stopped. Scale the features of X "
                f"(and the targets), or lower lr (now {self.lr})."
            )


class ClipGradientNorm(Callback):
    """Clip the gradient norm of each network to ``max_norm`` before each step.

    skorch's ``GradientNormClipping`` clips all parameters together, which
    would tie the networks of an Ensemble together; alone, a network is
    clipped the same way by both.
    """

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_grad_computed(self, net, named_parameters, **kwargs):
        for params in parameter_groups(net.module_):
            nn.utils.clip_grad_norm_(params, self.max_norm)


class ConvergenceStop(Callback):
    """Stop once the training loss has not fallen ``tol`` below its best for
    ``patience`` epochs (scikit-learn MLP's rule without a validation set).

    Epochs count only once the model has learned something, its best loss
    below ``floor`` (a share of the loss of a model that ignores X): a loss
    still at that level is a plateau before learning, which more epochs may
    leave, not a converged fit. Stops by raising ``KeyboardInterrupt``, as
    skorch's ``EarlyStopping`` does.
    """

    def __init__(self, patience, tol, floor=None):
        self.patience = patience
        self.tol = tol
        self.floor = floor

    def initialize(self):
        self.best_, self.misses_ = math.inf, 0
        return self

    def on_epoch_end(self, net, **kwargs):
        loss = net.history[-1, "train_loss"]
        if loss < self.best_ - self.tol:
            self.best_, self.misses_ = loss, 0
        elif self.floor is None or self.best_ <= self.floor:
            self.misses_ += 1
        if self.misses_ >= self.patience:
            raise KeyboardInterrupt


def training_callbacks(
    name,
    *,
    user_callbacks,
    lr,
    clip_grad_norm,
    verbose,
    lr_schedule,
    early_stopping,
    n_iter_no_change,
    tol,
    null_loss=None,
):
    """The net's callbacks: guards, the user's, then schedules.

    Early stopping comes last: it ends training by raising in
    ``on_epoch_end``, so callbacks after it would miss the final epoch.
    """
    check_callback_names(user_callbacks, name)
    monitor = "valid_loss" if early_stopping else "train_loss"
    callbacks = [("nonfinite_loss", NonFiniteLossGuard(name, lr))]
    if clip_grad_norm is not None:
        callbacks.append(("gradient_clipping", ClipGradientNorm(clip_grad_norm)))
    callbacks += list(user_callbacks or [])
    if verbose >= 2:
        callbacks.append(("progress_bar", ProgressBar()))
    if not early_stopping:
        callbacks.append(("restore_best", RestoreBestTrainingLoss()))
    if lr_schedule == "plateau":
        schedule = LRScheduler(
            policy=ReduceLROnPlateau, monitor=monitor, factor=0.5, patience=PLATEAU_PATIENCE
        )
        callbacks.append(("lr_schedule", schedule))
    if early_stopping:
        stopping = EarlyStopping(
            monitor=monitor,
            patience=n_iter_no_change,
            threshold=tol,
            threshold_mode="abs",
            load_best=True,
            sink=noop,
        )
        callbacks.append(("early_stopping", stopping))
    else:
        # training stops once its loss has converged; restore_best then
        # restores the best epoch's weights
        floor = None if null_loss is None else LEARNED_NOTHING_FRACTION * null_loss
        callbacks.append(("convergence", ConvergenceStop(n_iter_no_change, tol, floor)))
    return callbacks
