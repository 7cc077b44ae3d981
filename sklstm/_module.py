"""The torch modules behind the estimators.

Shapes use PyTorch's letters, mapped once here to scikit-learn's words:
N = n_samples (in a batch), L = n_timesteps (of the longest sequence in the
batch), H_in = n_features, H_out = hidden_size, D = 2 if bidirectional else 1.
"""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ._readout import length_mask, make_readout

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


class LSTMModule(nn.Module):
    """LSTM encoder, readout, optional projection and optional head.

    ``encode`` gives the readout (projected to ``n_components`` when set):
    ``(N, encode_width)``, or ``(N, L, encode_width)`` for
    ``readout='sequence'``. ``forward`` puts the head on top: ``(N, n_outputs)``
    or ``(N, L, n_outputs)``.
    ``n_outputs=None`` builds no head (a bare encoder).
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
        n_components=None,
        n_outputs=None,
        head="linear",
        head_hidden_sizes=(),
        head_activation="relu",
        head_dropout=0.0,
    ):
        super().__init__()
        self.lstm = nn.LSTM(
            input_size,
            hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
            batch_first=True,
        )
        self._init_forget_bias()
        self.readout = make_readout(
            readout,
            hidden_size=hidden_size,
            num_layers=num_layers,
            num_directions=2 if bidirectional else 1,
            state=state,
            layers=layers,
        )
        width = self.readout.out_features
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

    def _init_forget_bias(self):
        # A forget-gate bias of 1 lets gradients flow through time from the
        # first epoch (Jozefowicz et al., 2015). PyTorch orders gates i, f, g, o
        # and adds bias_ih and bias_hh, so set one to 1 and the other to 0.
        hidden = self.lstm.hidden_size
        for name, param in self.lstm.named_parameters():
            if name.startswith("bias_"):
                with torch.no_grad():
                    param[hidden : 2 * hidden] = 1.0 if name.startswith("bias_ih") else 0.0

    def run_lstm(self, X, lengths):
        """Run the LSTM over real steps only.

        The one place that decides how padding is skipped. A batch without
        padding runs the fast padded kernel as is; otherwise the batch is packed
        so no state is ever computed from padding.

        Returns ``output`` ``(N, L, D*H_out)`` (zero at padded steps) and
        ``(h_n, c_n)``, each ``(D*num_layers, N, H_out)``.
        """
        n_timesteps = X.shape[1]
        lengths_cpu = lengths.cpu()
        if bool((lengths_cpu == n_timesteps).all()):
            return self.lstm(X)
        packed = pack_padded_sequence(X, lengths_cpu, batch_first=True, enforce_sorted=False)
        output, state = self.lstm(packed)
        output, _ = pad_packed_sequence(output, batch_first=True, total_length=n_timesteps)
        return output, state

    def encode(self, X, lengths):
        """``X`` ``(N, L, H_in)`` and ``lengths`` ``(N,)`` -> ``(N, encode_width)``."""
        output, state = self.run_lstm(X, lengths)
        features = self.readout(output, state, length_mask(lengths, X.shape[1]))
        if self.projection is not None:
            features = self.projection(features)
        return features

    def forward(self, X, lengths):
        return self.head(self.encode(X, lengths))


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
        self.per_step = encoder_params["readout"] == "sequence"
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


class StepCrossEntropyLoss(nn.Module):
    """Cross-entropy over real steps: logits ``(N, L, C)``, labels ``(N, L)``.

    Padded steps carry the label ``IGNORE_LABEL`` and do not count.
    """

    IGNORE_LABEL = -100

    def forward(self, y_pred, y_true):
        return nn.functional.cross_entropy(
            y_pred.reshape(-1, y_pred.shape[-1]),
            y_true.reshape(-1),
            ignore_index=self.IGNORE_LABEL,
        )


class StepMSELoss(nn.Module):
    """Mean squared error over real steps: ``(N, L, T)``; padded targets are NaN."""

    def forward(self, y_pred, y_true):
        mask = ~torch.isnan(y_true)
        return (y_pred[mask] - y_true[mask]).pow(2).mean()
