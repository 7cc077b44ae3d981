"""The torch modules behind the estimators.

Shapes use PyTorch's letters, mapped once here to scikit-learn's words:
N = n_samples (in a batch), L = n_timesteps (of the longest sequence in the
batch), H_in = n_features, H_out = hidden_size, D = 2 if bidirectional else 1.
"""

import bisect

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ._frontend import FrontEnd
from ._readout import attention_part, length_mask, make_readout, masked_mean, reads_outputs

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}


def make_head(head, in_features, out_features, *, hidden_sizes, activation, dropout):
    """``head='linear'``: one Linear layer; ``'mlp'``: hidden layers first."""
    if head == "linear":
        return nn.Linear(in_features, out_features)
    layers = []
    for width in hidden_sizes:
        layers += [nn.Linear(in_features, width), ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        in_features = width
    layers.append(nn.Linear(in_features, out_features))
    return nn.Sequential(*layers)


# The segmented LSTM of ``LSTMModule._run_segmented``.

_WEIGHT_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

# Weight of the padding flag on the input, forget and output gates. At a
# padded step the gates saturate to exactly 0, 1 and 0, so ``c`` is carried
# unchanged, ``h`` is 0 and no gradient flows into the step. Finite, so that
# 0 * _FREEZE adds exactly nothing at real steps; large enough that no real
# pre-activation changes the sum.
_FREEZE = 1e30

# The flag's weight on each gate, in PyTorch's gate order. LSTM (i, f, g, o):
# input gate 0, forget gate 1, output gate 0, so c is carried and h is 0.
# GRU (r, z, n): update gate 1, so h' = (1 - z) * n + z * h = h exactly; the
# output at a padded step is then the carried h, zeroed afterwards.
_FREEZE_GATES = {"lstm": (-_FREEZE, _FREEZE, 0.0, -_FREEZE), "gru": (0.0, _FREEZE, 0.0)}

# Cost model for cutting a batch into segments, in units of one row for one
# step: a kernel call costs _CALL_COST of them, a step _STEP_COST plus its rows
# (fitted to forward and backward timings with H_out=64 on one CPU thread).
_CALL_COST = 128
_STEP_COST = 3


def _segments(lengths):
    """Cut the steps of a batch into segments, one kernel call each.

    More segments cost more calls; fewer compute more frozen steps of the
    sequences that end inside one. Dynamic programming finds the cut of least
    cost under the model above.

    ``lengths`` is a list sorted longest first. Returns ``[(start, stop,
    n_rows)]``: steps ``start:stop`` run on the first ``n_rows`` sequences,
    those longer than ``start``.
    """
    # Any step may end a segment; trying every k-th length keeps this
    # quadratic search short in large batches.
    stride = max(1, len(lengths) // 64)
    starts = [0] + sorted(set(lengths[::stride]) | {lengths[0]})
    ascending = lengths[::-1]
    n_rows = [len(lengths) - bisect.bisect_right(ascending, start) for start in starts]
    # cost[i]: least cost of steps 0:starts[i]; last[i]: start of its last segment
    cost, last = [0.0], [0]
    for i in range(1, len(starts)):
        cost.append(float("inf"))
        last.append(0)
        for k in range(i):
            c = cost[k] + _CALL_COST + (starts[i] - starts[k]) * (_STEP_COST + n_rows[k])
            if c < cost[i]:
                cost[i], last[i] = c, k
    segments, i = [], len(starts) - 1
    while i > 0:
        k = last[i]
        segments.append((starts[k], starts[i], n_rows[k]))
        i = k
    return segments[::-1]


def _computed_steps(segments, lengths):
    """Which steps the kernel computes over ``segments``, in its order.

    Segment after segment, the kernel returns ``(T, N', H_out)``: flattened,
    step after step, each step's rows in order. Returns their ``steps`` and
    ``rows``, ``(K,)`` each, and ``last`` ``(N,)``: for each row, the index of
    its last real step among them. ``lengths``: sorted ndarray ``(N,)``.
    """
    n_rows = np.repeat([n for _, _, n in segments], [stop - start for start, stop, _ in segments])
    computed = np.arange(len(lengths)) < n_rows[:, None]  # (L, N): row n runs at step t
    steps, rows = np.nonzero(computed)
    index = np.cumsum(computed).reshape(computed.shape) - 1  # (L, N)
    return steps, rows, index[lengths - 1, np.arange(len(lengths))]


def _run_segments(x, segments, last, weights, training, cell):
    """One layer and direction of an LSTM or GRU, one kernel call per segment.

    ``x`` ``(L, N, H_in + 1)``: time first, rows sorted longest first, the
    last feature 1 at padded steps and 0 at real ones. ``last``: see
    ``_computed_steps``. ``weights``: ``weight_ih``, ``weight_hh``,
    ``bias_ih`` and ``bias_hh`` of the layer and direction.

    Returns the outputs of the computed steps ``(K, H_out)`` (zero at padded
    steps for an LSTM, the carried state for a GRU), and ``h_n`` and ``c_n``,
    each ``(N, H_out)`` (``c_n`` None for a GRU).
    """
    weight_ih, weight_hh, bias_ih, bias_hh = weights
    n_samples = x.shape[1]
    hidden_size = weight_hh.shape[1]
    freeze = torch.tensor(_FREEZE_GATES[cell], dtype=x.dtype)
    freeze = freeze.repeat_interleave(hidden_size)[:, None]  # (n_gates*H_out, 1)
    params = [torch.cat([weight_ih, freeze], dim=1), weight_hh, bias_ih, bias_hh]
    h = c = x.new_zeros(1, n_samples, hidden_size)  # (1, N, H_out)
    outputs, c_n = [], []
    for i, (start, stop, n_rows) in enumerate(segments):
        # nn.LSTM's (nn.GRU's) kernel on our weights: output (T, N', H_out);
        # h, c (1, N', H_out); after the state, as nn.LSTM passes them:
        # has_biases, num_layers, dropout, training, bidirectional, batch_first
        flags = (True, 1, 0.0, training, False, False)
        if cell == "lstm":
            output, h, c = torch.lstm(
                x[start:stop, :n_rows], (h[:, :n_rows], c[:, :n_rows]), params, *flags
            )
            # the rows that end in this segment leave with their frozen cell state
            n_next = segments[i + 1][2] if i + 1 < len(segments) else 0
            c_n.insert(0, c[0, n_next:n_rows])
        else:
            output, h = torch.gru(x[start:stop, :n_rows], h[:, :n_rows], params, *flags)
        outputs.append(output.reshape(-1, hidden_size))  # (T*N', H_out)
    outputs = torch.cat(outputs)  # (K, H_out)
    return outputs, outputs.index_select(0, last), torch.cat(c_n) if c_n else None


class LSTMModule(nn.Module):
    """Front-end, LSTM encoder, readout, optional projection and optional head.

    The front-end (``_frontend.py``) turns ``(N, L, H_in)`` into the LSTM's
    input steps; with ``frontend='conv'``, the average of its features over
    the real steps joins the readout (per step for ``readout='sequence'``).
    ``encode`` gives the readout (projected to ``n_components`` when set):
    ``(N, encode_width)``, or ``(N, L, encode_width)`` for
    ``readout='sequence'``. ``forward`` puts the head on top: ``(N, n_outputs)``
    or ``(N, L, n_outputs)``.
    ``n_outputs=None`` builds no head (a bare encoder). ``cell='gru'``: the
    recurrent layer ``lstm`` is an ``nn.GRU``, whose final state has no
    ``c_n`` (None wherever an LSTM's ``c_n`` would be).
    """

    def __init__(
        self,
        *,
        input_size,
        hidden_size,
        num_layers,
        bidirectional,
        dropout,
        readout,
        state,
        layers,
        forget_bias=1.0,
        frontend="none",
        patch_length=1,
        frontend_width=64,
        input_norm="none",
        n_components=None,
        n_outputs=None,
        head="linear",
        head_hidden_sizes=(),
        head_activation="relu",
        head_dropout=0.0,
        cell="lstm",
        freeze_encoder=False,
    ):
        super().__init__()
        self.cell = cell
        self.freeze_encoder = freeze_encoder
        self.frontend = FrontEnd(
            frontend,
            input_size=input_size,
            patch_length=patch_length,
            width=frontend_width,
            input_norm=input_norm,
            causal=readout == "sequence",
        )
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.lstm = rnn(
            self.frontend.out_features,
            hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
            batch_first=True,
        )
        if forget_bias is not None and cell == "lstm":
            self._init_forget_bias(forget_bias)
        if freeze_encoder:
            for part in self._ENCODER_PARTS:
                getattr(self, part).requires_grad_(False)
        self.readout = make_readout(
            readout,
            hidden_size=hidden_size,
            num_layers=num_layers,
            num_directions=2 if bidirectional else 1,
            state=state,
            layers=layers,
        )
        self.per_step = readout == "sequence"
        # the front-end's features join the readout: per step, or averaged over steps
        extra = self.frontend.pooled_features + self.frontend.stat_features
        width = self.readout.out_features + extra
        self.projection = None
        if n_components is not None:
            self.projection = nn.Linear(width, n_components)
            width = n_components
        self.encode_width = width
        self.head = None
        if n_outputs is not None:
            self.head = make_head(
                head,
                width,
                n_outputs,
                hidden_sizes=head_hidden_sizes,
                activation=head_activation,
                dropout=head_dropout,
            )

    # the encoder: what a pretrained network passes on (see load_encoder)
    _ENCODER_PARTS = ("frontend", "lstm")

    def load_encoder(self, source):
        """Copy the front-end and recurrent weights of ``source``, an
        ``LSTMModule`` of the same architecture; with ``freeze_encoder``
        they then stay fixed."""
        state = {
            name: value
            for name, value in source.state_dict().items()
            if name.split(".")[0] in self._ENCODER_PARTS
        }
        self.load_state_dict(state, strict=False)

    def train(self, mode=True):
        """As ``nn.Module.train``; a frozen encoder stays in evaluation mode
        (no dropout, fixed batch-normalisation statistics)."""
        super().train(mode)
        if self.freeze_encoder:
            for part in self._ENCODER_PARTS:
                getattr(self, part).eval()
        return self

    def _init_forget_bias(self, value):
        # A forget-gate bias of 1 lets gradients flow through time from the
        # first epoch (Jozefowicz et al., 2015). PyTorch orders gates i, f, g, o
        # and adds bias_ih and bias_hh, so set one to the value and the other to 0.
        hidden = self.lstm.hidden_size
        for name, param in self.lstm.named_parameters():
            if name.startswith("bias_"):
                with torch.no_grad():
                    param[hidden : 2 * hidden] = value if name.startswith("bias_ih") else 0.0

    def run_lstm(self, X, lengths, *, need_output=True):
        """Run the LSTM over real steps only.

        The one place that decides how padding is skipped. A batch without
        padding runs the fast padded kernel as is. A padded batch is packed,
        except on the CPU, where packing is several times slower than
        ``_run_segmented``, which gives the same results. On a GPU, cuDNN
        packs fast: there, segments won only for small models in training and
        lost for larger ones and in inference (benchmarks/bench_speed.py
        --device cuda). Either way no state is ever computed from padding.

        Returns ``output`` ``(N, L, D*H_out)`` (zero at padded steps) and
        ``(h_n, c_n)``, each ``(D*num_layers, N, H_out)`` (``c_n`` None for a
        GRU). With
        ``need_output=False`` (a readout of final states only), ``output`` may
        be None: on the CPU, building it costs a twentieth of a training step.
        """
        n_timesteps = X.shape[1]
        lengths_cpu = lengths.cpu()
        if bool((lengths_cpu == n_timesteps).all()):
            output, state = self.lstm(X)
            return output, self._as_pair(state)
        if X.device.type == "cpu" and X.dtype in (torch.float32, torch.float64):
            # (other dtypes: _FREEZE may not fit them)
            return self._run_segmented(X, lengths_cpu, need_output)
        packed = pack_padded_sequence(X, lengths_cpu, batch_first=True, enforce_sorted=False)
        output, state = self.lstm(packed)
        if not need_output:
            return None, self._as_pair(state)
        output, _ = pad_packed_sequence(output, batch_first=True, total_length=n_timesteps)
        return output, self._as_pair(state)

    def _as_pair(self, state):
        """``(h_n, c_n)`` of an LSTM as it is; ``h_n`` of a GRU as ``(h_n, None)``."""
        return state if self.cell == "lstm" else (state, None)

    def _run_segmented(self, X, lengths, need_output=True):
        """``run_lstm`` of a padded batch on the CPU, exact and fast.

        Packing is slow on the CPU: PyTorch runs a packed batch as small ops
        step by step, each recorded for autograd, not through the oneDNN
        kernel that runs padded batches. So the batch is sorted longest
        first, and each layer and direction runs that kernel over a few time
        segments (``_segments``), each on the rows still running, carrying
        ``(h, c)`` across. A padding flag added to the input freezes the state
        of a sequence that ends inside a segment (``_FREEZE``), so each final
        state is the one at the sequence's own last step. The backward
        direction reads each sequence reversed within its own length. Layers
        run one at a time, since each needs the flag in its input.
        """
        lstm = self.lstm
        n_samples, n_timesteps = X.shape[:2]
        n_directions = 2 if lstm.bidirectional else 1
        # Index bookkeeping in NumPy: a few small arrays, cheaper than torch ops.
        lengths = lengths.numpy().astype(np.int64)
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        segments = _segments(lengths.tolist())
        steps, rows, last = _computed_steps(segments, lengths)
        longest = segments[-1][1]  # L' = L, unless X has steps that no row uses
        t = np.arange(longest)[:, None]
        is_pad = t >= lengths  # (L', N)
        if n_directions == 2:
            # reverse[t, n]: the step of sequence n that its reversal reads
            # at step t; padded steps stay in place: (L', N)
            reverse = np.where(is_pad, t, lengths - 1 - t)
            # the steps computed in both directions, and the step each read: (2*K,)
            steps = np.concatenate([steps, reverse[steps, rows]])
            rows = np.tile(rows, 2)
            reverse = torch.from_numpy(reverse)

        def into(a, b, size_b):
            """Where element (a, b, d) of a tensor (A, B, D, H_out) lies in its
            view (A*B*D, H_out), for each computed step."""
            d = np.repeat(np.arange(n_directions), len(a) // n_directions)
            return torch.from_numpy((a * size_b + b) * n_directions + d)

        last, is_pad = torch.from_numpy(last), torch.from_numpy(is_pad)
        flag = is_pad.unsqueeze(-1).to(X.dtype)  # (L', N, 1)
        # sorted and time first, as the kernel wants it; padded steps do run
        # through the kernel, so they must be finite: (L', N, H_in)
        x = X.index_select(0, torch.from_numpy(order))[:, :longest].transpose(0, 1)
        x = x.masked_fill(is_pad.unsqueeze(-1), 0.0)
        h_n, c_n = [], []
        for layer in range(lstm.num_layers):
            if layer > 0 and lstm.dropout > 0:
                # as nn.LSTM does: on the output of every layer but the last
                x = nn.functional.dropout(x, lstm.dropout, training=self.training)
            outputs = []
            for direction in range(n_directions):
                suffix = "_reverse" if direction else ""
                weights = [getattr(lstm, f"{name}_l{layer}{suffix}") for name in _WEIGHT_NAMES]
                x_read = x.gather(0, reverse.unsqueeze(-1).expand_as(x)) if direction else x
                # output: (K, H_out); h, c: (N, H_out)
                output, h, c = _run_segments(
                    torch.cat([x_read, flag], dim=2),
                    segments,
                    last,
                    weights,
                    self.training,
                    self.cell,
                )
                outputs.append(output)
                h_n.append(h)
                c_n.append(c)
            is_last = layer == lstm.num_layers - 1
            if is_last and not need_output:
                x = None
                break
            outputs = torch.cat(outputs) if n_directions > 1 else outputs[0]  # (D*K, H_out)
            # zeros, then the computed steps in one copy (in place: out of
            # place would copy the zeros once more)
            x = outputs.new_zeros(n_samples * longest * n_directions, outputs.shape[1])
            if is_last:
                # the output, in the order of X: (N, L', D*H_out)
                x.index_copy_(0, into(order[rows], steps, longest), outputs)
                x = x.view(n_samples, longest, -1)
            else:
                # the next layer's input: (L', N, D*H_out)
                x.index_copy_(0, into(steps, rows, n_samples), outputs)
                x = x.view(longest, n_samples, -1)
        return self._segmented_result(x, h_n, c_n, order, lengths, n_timesteps)

    def _segmented_result(self, x, h_n, c_n, order, lengths, n_timesteps):
        """``_run_segmented``'s output ``x`` ``(N, L', D*H_out)`` or None, in
        the order of X, zero at padding and padded back to ``n_timesteps``;
        the per-layer final states, sorted longest first, in the order of X."""
        inverse = np.argsort(order)
        if x is not None:
            longest = x.shape[1]
            if self.cell == "gru":
                # a frozen GRU outputs its carried state at padded steps: (N, L', 1)
                real = torch.arange(longest) < torch.from_numpy(lengths[inverse])[:, None]
                x = x * real.unsqueeze(-1).to(x.dtype)
            x = nn.functional.pad(x, (0, 0, 0, n_timesteps - longest))  # (N, L, D*H_out)
        # (D*num_layers, N, H_out)
        inverse = torch.from_numpy(inverse)
        h_n = torch.stack(h_n).index_select(1, inverse)
        if self.cell == "gru":
            return x, (h_n, None)
        return x, (h_n, torch.stack(c_n).index_select(1, inverse))

    def encode(self, X, lengths):
        """``X`` ``(N, L, H_in)`` and ``lengths`` ``(N,)`` -> ``(N, encode_width)``."""
        x, lengths, mask = self.frontend(X, lengths)
        # the 'last' readout reads final states only
        need_output = reads_outputs(self.readout)
        output, state = self.run_lstm(x, lengths, need_output=need_output)
        features = self.readout(output, state, mask)
        if self.frontend.pooled_features:
            # the front-end's own features: per step, or averaged over real steps
            pooled = x if self.per_step else masked_mean(x, mask)
            features = torch.cat([features, pooled], dim=-1)
        if self.frontend.stat_features:
            # each sequence's level and scale (per step: of the steps so far)
            features = torch.cat([features, self.frontend.statistics(X, lengths)], dim=-1)
        if self.projection is not None:
            features = self._dense(self.projection, features)
        return features

    def forward(self, X, lengths):
        return self._dense(self.head, self.encode(X, lengths))

    def _dense(self, layers, x):
        """``layers(x)`` for the projection and the head.

        In evaluation, the linear layers run in float64 and the result is
        rounded back: a float32 matrix product over one row takes another
        kernel than over many, so the same sequence predicted alone or in a
        batch would differ in the last bits; in float64 the difference does
        not survive the rounding to float32.
        """
        if self.training or x.dtype != torch.float32:
            return layers(x)
        out = x.double()
        for layer in layers if isinstance(layers, nn.Sequential) else [layers]:
            if isinstance(layer, nn.Linear):
                bias = None if layer.bias is None else layer.bias.double()
                out = nn.functional.linear(out, layer.weight.double(), bias)
            else:  # activations and dropout (identity in evaluation)
                out = layer(out)
        return out.to(x.dtype)

    def predict(self, X, lengths):
        """What the estimators' predictions are decoded from: ``forward``'s
        output (an :class:`~sklstm._ensemble.Ensemble` combines its networks')."""
        return self(X, lengths)

    def attention_weights(self, X, lengths):
        """Weights of the attention readout, ``(N, L, 1)``, zero at padding.

        With patches, each step gets an equal share of its patch's weight.
        """
        x, patch_lengths, mask = self.frontend(X, lengths)
        output, _ = self.run_lstm(x, patch_lengths)
        weights = attention_part(self.readout).weights(output, mask)  # (N, L')
        return self.frontend.spread(weights, lengths, X.shape[1]).unsqueeze(-1)


class SequenceAutoencoder(nn.Module):
    """Self-supervised objective of ``LSTMEncoderTransformer.fit(X)``.

    For a readout of one vector per sequence, the encoding is repeated at
    every step and fed to a decoder LSTM that must reconstruct the
    (standardised) sequence, so the encoding has to summarise the whole
    sequence (Srivastava et al., 2015). For ``readout='sequence'``, where
    reconstructing step t from its own output would be trivial, each step's
    encoding must predict the next step instead.

    ``forward`` returns the prediction, its target and the mask of steps that
    count; the loss is :class:`ReconstructionLoss`.
    """

    def __init__(self, *, feature_mean, feature_scale, **encoder_params):
        super().__init__()
        self.encoder = LSTMModule(**encoder_params)
        self.encode_width = self.encoder.encode_width
        n_features = encoder_params["input_size"]
        self.per_step = self.encoder.per_step
        if self.per_step:
            self.decoder = None
            self.reconstruct = nn.Linear(self.encode_width, n_features)
        else:
            hidden_size = encoder_params["hidden_size"]
            self.decoder = nn.LSTM(self.encode_width, hidden_size, batch_first=True)
            self.reconstruct = nn.Linear(hidden_size, n_features)
        self.register_buffer("feature_mean", torch.as_tensor(feature_mean))
        self.register_buffer("feature_scale", torch.as_tensor(feature_scale))

    def encode(self, X, lengths):
        return self.encoder.encode(X, lengths)

    def attention_weights(self, X, lengths):
        return self.encoder.attention_weights(X, lengths)

    def forward(self, X, lengths):
        code = self.encoder.encode(X, lengths)
        n_timesteps = X.shape[1]
        target = (X - self.feature_mean) / self.feature_scale  # (N, L, H_in)
        mask = length_mask(lengths, n_timesteps)
        if self.per_step:
            # code: (N, L, C); step t predicts step t+1
            return self.reconstruct(code[:, :-1]), target[:, 1:], mask[:, 1:]
        # code: (N, C) -> repeated over time: (N, L, C)
        decoded, _ = self.decoder(code.unsqueeze(1).expand(-1, n_timesteps, -1))
        return self.reconstruct(decoded), target, mask


class ReconstructionLoss(nn.Module):
    """Mean squared error over the real steps of ``(prediction, target, mask)``."""

    def forward(self, y_pred, y_true=None):
        prediction, target, mask = y_pred
        squared = (prediction - target).pow(2).mean(dim=-1)  # (N, L)
        # clamp: sequences of one step have nothing to predict in per-step mode
        return squared[mask].sum() / mask.sum().clamp(min=1)
