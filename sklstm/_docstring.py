"""Docstring text shared by the estimators, filled in through placeholders.

A docstring writes ``%(encoder_params)s`` alone on a line where the shared
block goes; :func:`fill_doc` substitutes it once at import time, indented like
the placeholder.
"""

import re
import textwrap

_PARAMS = {
    "encoder_params": """\
hidden_size : int, default=32
    Number of units ``H_out`` of each LSTM layer (per direction).

num_layers : int, default=1
    Number of stacked LSTM layers.

bidirectional : bool, default=False
    Read each sequence forwards and backwards. The ``"last"`` readout then
    concatenates the forward final state (after the sequence's last real step)
    and the backward final state (after its first step).

dropout : float, default=0.0
    Dropout between stacked LSTM layers (ignored when ``num_layers=1``).

cell : {'lstm', 'gru'}, default='lstm'
    The recurrent cell: an LSTM, or a GRU (Cho et al., 2014: two gates
    instead of three and no cell state, so about three quarters of the
    weights). With a GRU, ``state`` must be ``'hidden'`` and ``forget_bias``
    is not used. Variable lengths are exact with either.

readout : str, default='last'
    How the LSTM outputs become one vector per sequence: one of ``'last'``,
    ``'mean'``, ``'max'``, ``'attention'`` and ``'sequence'``, or several of
    the first four joined by ``'+'`` (``'last+mean'``), concatenated in
    that order (fastai's concat pooling):

    - ``'last'``: the final state(s) chosen by ``state`` and ``layers``, taken
      at each sequence's own last step (never at padding);
    - ``'mean'``, ``'max'``: pooling of the last layer's outputs over the real
      time steps;
    - ``'attention'``: a learned softmax-weighted average of the last layer's
      outputs over the real time steps (see ``attention_weights``);
    - ``'sequence'``: no summary: one output per time step, so ``y`` and the
      predictions (or encodings) have one row per step.

state : {'hidden', 'cell', 'both'}, default='hidden'
    Which final state ``readout='last'`` reads: ``h_n``, ``c_n`` or both
    concatenated (``'hidden'`` only with ``cell='gru'``). Ignored by the
    pooling readouts.

layers : {'last', 'all'}, default='last'
    Whether ``readout='last'`` reads the last layer's final state only, or
    every layer's, concatenated. Ignored by the pooling readouts.

frontend : {'conv', 'patch', 'none'}, default='conv'
    What the LSTM reads. ``'none'``: the raw time steps (the plain LSTM).
    ``'patch'``: patches of ``patch_length`` consecutive steps, each embedded
    by a linear layer into ``frontend_width`` features, so the LSTM runs over
    ``patch_length`` times fewer steps (SegRNN's segments). ``'conv'``: three
    causal convolutions (8, 5 and 3 taps, ``frontend_width`` channels, batch
    normalisation over real steps, ReLU), as in LSTM-FCN; the first reads the
    raw steps and is max-pooled over patches of ``patch_length`` steps, the
    other two read the patches. The LSTM reads their outputs, and their
    average over the real steps joins the readout.
    Every front-end is exact on padded batches, and per-step outputs stay
    causal with a unidirectional LSTM.

patch_length : int or 'auto', default='auto'
    Time steps per LSTM step, for ``frontend='patch'`` or ``'conv'``.
    ``'auto'`` gives the LSTM about 64 steps of the median training
    sequence: ``ceil(median_length / 64)``, and 1 for ``readout='sequence'``,
    which needs one output per step. A sequence's last patch is filled with
    zeros after its last step; a sequence shorter than a patch is one patch.
    The value used is ``patch_length_``.

frontend_width : int, default=64
    Width of the patch embedding (``'patch'``) or of the convolutions
    (``'conv'``).

input_norm : {'none', 'instance', 'both', 'instance+stats', 'auto'}, \
default='none'
    Scale handling inside the network, before the front-end. ``'none'``: the
    steps as given (scale ``X`` globally, e.g. with
    :class:`~sklstm.SequenceScaler`). ``'instance'``: each sequence
    standardised over its own real steps, per feature, which keeps its shape
    and drops its level and scale, for recordings at gains and zero points
    of their own. ``'both'``: the steps as given and standardised side by
    side (twice the features), shape and amplitude. ``'instance+stats'``:
    standardised, and the level and scale it removed (``asinh`` of each
    feature's mean, log of its standard deviation) join the readout.
    ``'auto'``: ``'instance'`` when the training sequences' standard
    deviations differ by more than 10 times between the 10th and the 90th
    percentile, else ``'both'``; ``'none'`` with ``frontend='none'``, so the
    plain LSTM stays one parameter away (and, with ``encoder``, the
    encoder's). With ``readout='sequence'`` the statistics
    of step ``t`` read steps ``<= t`` only, so per-step outputs stay causal.
    The value used is ``input_norm_``.""",
    "head_params": """\
head : {'linear', 'mlp'}, default='linear'
    The layer(s) from the readout vector to the output: one linear layer, or
    a multi-layer perceptron.

head_hidden_sizes : tuple of int, default=(32,)
    Widths of the hidden layers of the ``'mlp'`` head.

head_activation : {'relu', 'tanh', 'gelu'}, default='relu'
    Activation of the ``'mlp'`` head.

head_dropout : float, default=0.0
    Dropout after each hidden layer of the ``'mlp'`` head.""",
    "ensemble_params": """\
n_networks : int, default=1
    Number of networks trained side by side from different random initial
    weights; predictions average their outputs (class probabilities, or
    predicted values), as InceptionTime's ensembles do. The networks train
    in one loop on the same batches, each with its own loss and gradient
    clipping, and share the learning-rate schedule (``loss_curve_`` is then
    the sum of their losses). Without early stopping each network keeps the
    weights of its own epoch of lowest training loss, as alone; with early
    stopping they share the epoch of the best validation loss. A fit costs
    about ``n_networks`` times one network's; ``n_networks=1`` is a single
    network.""",
    "pretrained_params": """\
encoder : fitted sklstm estimator, default=None
    Start the network from the front-end and recurrent weights of this
    fitted estimator, typically an ``LSTMEncoderTransformer`` trained
    without labels on more sequences than have labels (pretraining, then
    fine-tuning). It must have the same ``cell``, ``hidden_size``,
    ``num_layers``, ``bidirectional``, ``frontend``, ``frontend_width``,
    number of features and patch length (``patch_length='auto'`` takes
    the encoder's). The readout's and head's weights start afresh. Wrap it in
    :class:`sklearn.frozen.FrozenEstimator` for ``clone`` (grid searches,
    cross-validation) to keep it fitted.

freeze_encoder : bool, default=False
    With ``encoder``: keep its weights fixed and train only the readout and
    the head (the front-end's batch normalisation keeps its statistics).""",
    "training_params": """\
max_epochs : int or 'auto', default='auto'
    Number of passes over the training data. ``0`` leaves the network at its
    (seeded) random initialisation. ``'auto'`` trains for at most about 1500
    updates (mini-batches) in all, within 10 to 500 epochs: small data need
    many epochs to get enough gradient steps. Training may stop earlier,
    once the loss has converged (``n_iter_no_change``, ``tol``).

lr : float, default=0.001
    Learning rate of the optimizer.

batch_size : int or 'auto', default='auto'
    Number of sequences per mini-batch. Each batch is padded only to its own
    longest sequence. ``'auto'``: a tenth of the training sequences, between
    1 and 16, the rule of the reference recipes for small data; from 2,400
    sequences on, larger batches (up to 128, reached at 19,051 sequences)
    keep the 10 epochs of ``max_epochs='auto'`` at about 1500 updates.

optimizer : {'adam', 'adamw', 'rmsprop', 'sgd'}, default='adam'
    The torch optimizer (``'sgd'`` uses momentum 0.9).

weight_decay : float, default=0.0
    L2 penalty (decoupled for ``'adamw'``).

clip_grad_norm : float or None, default=1.0
    Clip the gradient norm to this value at each step, which keeps recurrent
    nets from diverging on exploding gradients. None disables clipping.

forget_bias : float or None, default=1.0
    Initial bias of the LSTM's forget gates (``bias_ih`` gets it, ``bias_hh``
    0). A bias of 1 keeps the cell state, and gradients, flowing through time
    from the first epoch (Jozefowicz et al., 2015). None keeps PyTorch's
    random initialisation of all biases. Between -100 and 100. Not used by
    ``cell='gru'``.

lr_schedule : {'plateau', 'constant'}, default='plateau'
    ``'plateau'`` halves the learning rate when the monitored loss (the
    validation loss with early stopping, else the training loss) has not
    improved for 5 epochs; ``'constant'`` keeps ``lr``. Without early
    stopping, ``fit`` ends with the weights of the epoch of lowest training
    loss (``best_epoch_``).

early_stopping : 'auto' or bool, default='auto'
    Hold out ``validation_fraction`` of the sequences (stratified by class
    for the classifier), stop when the validation loss has not improved by
    ``tol`` for ``n_iter_no_change`` epochs, and restore the weights of the
    best epoch. ``'auto'`` turns it on for 10,000 sequences or more, as
    :class:`~sklearn.ensemble.HistGradientBoostingClassifier` does: on smaller
    data, the hold-out is too small to choose an epoch well and costs a tenth
    of the training data.

validation_fraction : float, default=0.1
    Share of the sequences held out for early stopping.

n_iter_no_change : int, default=20
    Epochs without improvement before training stops: of the validation loss
    with early stopping, else of the training loss (training has converged,
    as in scikit-learn's MLP; counted once the best training loss is below
    90% of a constant model's). The weights of the best epoch are kept either
    way. Set it above ``max_epochs`` to always train for ``max_epochs``.

tol : float, default=1e-3
    Smallest decrease of the loss (validation or training, as above) that
    counts as an improvement.

warm_start : bool, default=False
    When True, ``fit`` goes on training the fitted network for ``max_epochs``
    more epochs (without early stopping) instead of starting afresh.

random_state : int, RandomState instance or None, default=None
    Seeds the weights, dropout, the validation split and the shuffling of the
    mini-batches. Pass an
    int for reproducible results on CPU. The global torch seed is left
    untouched.

device : str, default='auto'
    Where to train: ``'auto'`` (CUDA when available, else CPU), ``'cpu'``,
    ``'cuda'`` or ``'cuda:<index>'``. Outputs are NumPy arrays on the CPU
    either way.

callbacks : list of skorch callbacks or (name, callback) tuples, default=None
    Extra callbacks for the underlying :class:`skorch.NeuralNet`.

verbose : int, default=0
    0: silent; 1: a line per epoch (losses, time); 2 or more: a progress bar
    over the whole fit, batch by batch, with the epoch, the loss and the time
    left (tqdm, a widget in a notebook), on standard error.""",
    "fitted_attributes": """\
n_features_in_ : int
    Number of features per time step for 3-D or list input; number of
    columns (time steps) for a 2-D table of univariate sequences.

feature_names_in_ : ndarray of shape (``n_features_in_``,)
    Column names, when ``X`` was a DataFrame with string column names.

net_ : skorch.NeuralNet
    The trained network; ``net_.module_`` is the torch module and
    ``net_.history`` the training history.

n_iter_ : int
    Number of epochs run.

loss_curve_ : list of float
    Mean training loss of each epoch.

validation_loss_curve_ : list of float or None
    Validation loss of each epoch with early stopping, else None.

best_epoch_ : int or ndarray of shape (n_networks,)
    The epoch (from 1) whose weights the model kept: the best validation loss
    with early stopping, else the lowest training loss; with
    ``n_networks > 1`` and no early stopping, each network's own.

patch_length_ : int
    Time steps per LSTM step, resolved from ``patch_length`` (1 for
    ``frontend='none'``).

weight_decay_ : float
    The L2 penalty the optimizer used, resolved from ``weight_decay``.

input_norm_ : str
    How the network reads each sequence's scale, resolved from
    ``input_norm``.""",
    "X_fit": """\
X : array-like of shape (n_samples, n_timesteps, n_features) or list of array-like
    Training sequences. A 2-D array ``(n_samples, n_timesteps)`` is read as
    univariate sequences; a list of 2-D arrays ``(n_timesteps_i, n_features)``
    (or 1-D arrays) holds sequences of different lengths.""",
    "sample_weight": """\
sample_weight : array-like of shape (n_samples,), default=None
    Weight of each sequence in the loss (of each of its steps, for
    ``readout='sequence'``); None weighs all sequences equally.""",
    "return_X_y": """\
return_X_y : bool, default=False
    If True, returns ``(X_train, X_test, y_train, y_test)`` instead of a
    Bunch object. See below for more information about the returned
    objects.""",
    "X_dask": """\
X : dask.array.Array or array-like
    Sequences ``(n_samples, n_timesteps, n_features)``, chunked along
    samples only; any other input goes to the estimator as it is.""",
    "X_predict": """\
X : array-like of shape (n_samples, n_timesteps, n_features) or list of array-like
    Sequences, in one of the layouts accepted by ``fit``, with the number of
    features seen in ``fit``.""",
}


def _variant(block, old, new):
    """``_PARAMS[block]`` with the entry ``old`` replaced by ``new``: the
    shared text of an estimator whose default differs."""
    if old not in _PARAMS[block]:
        raise ValueError(f"{old!r} is not in the {block!r} docstring block")
    return _PARAMS[block].replace(old, new)


# The supervised estimators' readout and input_norm defaults differ from the
# encoder's (see their docstrings), and the classifier's weight decay.
_PARAMS["classifier_encoder_params"] = _variant(
    "encoder_params", "readout : str, default='last'", "readout : str, default='last+mean'"
).replace("'instance+stats', 'auto'}, default='none'", "'instance+stats', 'auto'}, default='auto'")
_PARAMS["regressor_encoder_params"] = _PARAMS["classifier_encoder_params"]
_PARAMS["classifier_training_params"] = _variant(
    "training_params",
    """weight_decay : float, default=0.0
    L2 penalty (decoupled for ``'adamw'``).""",
    """weight_decay : float or 'auto', default='auto'
    L2 penalty (decoupled for ``'adamw'``). ``'auto'``: 0.003 with a
    front-end, which keeps its many weights from overfitting small training
    sets; 0 with ``frontend='none'``, the plain LSTM, with an attention
    readout, whose weights the penalty flattens to uniform, and on fewer
    than 40 training sequences, where it cost more than it bought.
    The value used is ``weight_decay_``.""",
)


def fill_doc(obj):
    """Substitute the shared blocks into ``obj.__doc__`` (a class or function)."""
    if not obj.__doc__:  # python -OO strips docstrings
        return obj
    obj.__doc__ = re.sub(
        r"^( *)%\((\w+)\)s$",
        lambda m: textwrap.indent(_PARAMS[m[2]], m[1]),
        obj.__doc__,
        flags=re.MULTILINE,
    )
    return obj
