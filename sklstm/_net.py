"""The skorch glue: the optimizers, the net every estimator trains, its
training call, its fitted state, and moving it between devices."""

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping, LRScheduler
from skorch.helper import predefined_split

from ._callbacks import ConvergenceStop, progress_bar
from ._data import SequenceLoader
from ._frontend import set_population_statistics

OPTIMIZERS = {
    # fused: one kernel per step for all parameters instead of a dozen small
    # operations per parameter tensor, which dominate on small models
    "adam": (torch.optim.Adam, {"fused": True}),
    "adamw": (torch.optim.AdamW, {"fused": True}),
    "rmsprop": (torch.optim.RMSprop, {}),
    "sgd": (torch.optim.SGD, {"momentum": 0.9}),
}


def build_net(module, criterion, optimizer, *, lr, callbacks, device, valid=None, **params):
    """The skorch net of every estimator: sequence loaders, and a validation
    set only when ``valid`` is given (early stopping). ``params``: skorch's
    other arguments (``verbose``, ``batch_size``) and the prefixed arguments
    of the module, criterion and optimizer."""
    return NeuralNet(
        module=module,
        criterion=criterion,
        optimizer=optimizer,
        lr=lr,
        iterator_train=SequenceLoader,
        iterator_train__shuffle=True,
        iterator_valid=SequenceLoader,
        train_split=None if valid is None else predefined_split(valid),
        callbacks=callbacks,
        device=device,
        **params,
    )


def move_net(net, device):
    """Move a fitted skorch net, optimiser state included, to ``device``."""
    if torch.device(net.device) == torch.device(device):
        return
    net.module_.to(device)
    net.criterion_.to(device)
    # load_state_dict casts the optimiser's state to the device of the
    # parameters it belongs to, which were just moved in place (all but the
    # step counters of a non-fused optimiser, which stay on the CPU).
    net.optimizer_.load_state_dict(net.optimizer_.state_dict())
    net.device = device


def repair_unpickled_net(net):
    """Undo what torch.load does to a net fitted on a GPU and unpickled there.

    torch.load maps every tensor to the GPU, Adam's step counters too, which
    a non-fused optimiser keeps on the CPU; and it gives each LSTM weight its
    own memory, which cuDNN would copy into one block at every call (and
    warn). Elsewhere both repairs change nothing.
    """
    optimizer = net.optimizer_
    for group in optimizer.param_groups:
        if not (group.get("fused") or group.get("capturable")):
            for param in group["params"]:
                state = optimizer.state.get(param, {})
                if torch.is_tensor(state.get("step")):
                    state["step"] = state["step"].cpu()
    for module in net.module_.modules():
        if isinstance(module, torch.nn.LSTM):
            module.flatten_parameters()


def train(net, dataset, epochs):
    """``net.partial_fit``, except that Ctrl-C propagates, and the batch
    normalisation statistics are those of the trained weights over
    ``dataset`` (see ``set_population_statistics``).

    skorch's ``partial_fit`` swallows a ``KeyboardInterrupt``, which its
    ``EarlyStopping`` raises to end training; a ``KeyboardInterrupt`` from the
    user must stop ``fit`` (and a search around it) at once instead.
    """
    progress = progress_bar(net)
    if progress is not None:
        progress.open(epochs, -(-len(dataset) // net.batch_size), len(net.history))
    net.notify("on_train_begin", X=dataset, y=None)
    try:
        net.fit_loop(dataset, None, epochs=epochs)
    except KeyboardInterrupt:
        stopped_early = any(
            isinstance(callback, (EarlyStopping, ConvergenceStop))
            and callback.misses_ >= callback.patience
            for _, callback in net.callbacks_
        )
        if not stopped_early:
            raise
    finally:
        if progress is not None:
            progress.close()
    net.notify("on_train_end", X=dataset, y=None)
    set_population_statistics(net.module_, lambda: _inputs(net, dataset))


def _inputs(net, dataset):
    """The sequences of ``dataset`` in batches, as ``(X, lengths)`` on the
    net's device."""
    for Xi, _ in SequenceLoader(dataset, net.batch_size):
        yield Xi["X"].to(net.device), Xi["lengths"].to(net.device)


def initialize(net, pretrained):
    """Build the net's module (seeded by the caller), each network started
    from the ``pretrained`` encoder when there is one."""
    net.initialize()
    if pretrained is not None:
        for network in getattr(net.module_, "networks", [net.module_]):
            network.load_encoder(pretrained)


def trained_state(net, early_stopping):
    """Put a trained net in inference mode and return the fitted attributes
    that describe its training."""
    net.train_split = None  # a fitted model does not carry the validation data
    # Inference mode from now on, so predict changes nothing in the fitted
    # model; training that goes on is switched back at each step by skorch.
    net.module_.eval()
    for _, callback in net.callbacks_:
        if isinstance(callback, LRScheduler):
            # Its torch scheduler holds the optimizer, which pickle would
            # then write a second time, outside skorch's torch.save of
            # optimizer_, where CUDA tensors cannot load without CUDA. The
            # next training call sets up its callbacks afresh.
            callback.lr_scheduler_ = None
    history = net.history
    state = {
        "net_": net,
        "n_iter_": len(history),
        "loss_curve_": [float(v) for v in history[:, "train_loss"]] if history else [],
        "validation_loss_curve_": None,
        "best_epoch_": len(history),
    }
    callbacks = dict(net.callbacks_)
    if "restore_best" in callbacks and np.any(callbacks["restore_best"].best_epoch_):
        state["best_epoch_"] = callbacks["restore_best"].best_epoch_
    if early_stopping and history:
        state["validation_loss_curve_"] = [float(v) for v in history[:, "valid_loss"]]
        state["best_epoch_"] = callbacks["early_stopping"].best_epoch_
    return state


def replace_prefixed(net, prefix, params):
    """Set the constructor arguments skorch keeps as ``<prefix>__<name>``
    attributes of ``net`` to ``params``, dropping the former ones."""
    for key in [key for key in vars(net) if key.startswith(f"{prefix}__")]:
        delattr(net, key)
    for key, value in params.items():
        setattr(net, f"{prefix}__{key}", value)
