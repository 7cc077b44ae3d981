"""Export fitted estimators to ONNX (:func:`to_onnx`) and run the models
with onnxruntime, an empty batch included (:func:`run`).

The graph is written operator by operator with ``onnx.helper``, not traced
with ``torch.onnx.export``. ``predict`` skips padding on the CPU with NumPy
bookkeeping (``LSTMModule._run_segmented``) and elsewhere with packed
sequences; neither traces to a graph that stays exact for every batch it was
not traced on. ONNX's ``LSTM`` and ``GRU`` operators take the length of each
sequence (``sequence_lens``) and then do what packing does: the forward
direction stops at a sequence's last real step, the backward direction
starts there, and ``Y_h`` and ``Y_c`` are the states at that step. The rest
of the network (front-end, readouts, head) is a few standard operators on
the same lengths, and the padded steps of ``X`` are set to zero before
anything reads them, so padding, whatever it holds, changes no output.

Shapes use PyTorch's letters, as in ``_module.py``: N = n_samples, L =
n_timesteps, H_in = n_features, H_out = hidden_size, D = 2 if
bidirectional else 1.
"""

import itertools
import math
import os
from numbers import Integral

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from torch import nn

from . import __version__
from ._classifier import LSTMClassifier
from ._ensemble import Ensemble
from ._frontend import INSTANCE_NORM_EPS
from ._module import LSTMModule
from ._preprocessing import SequenceScaler
from ._readout import AttentionPool, LastState, MaxPool, MeanPool, StepOutputs
from ._regressor import LSTMRegressor
from ._transformer import LSTMEncoderTransformer

__all__ = ["run", "to_onnx"]

# The default opset: recent enough for every operator used here, old enough
# for the runtimes of the last few years (onnxruntime 1.13 and later).
DEFAULT_OPSET = 17
# Softmax over one axis and Squeeze/Unsqueeze with axes as an input need 13.
MIN_OPSET = 13

# ONNX's gates, in its order, by their index in PyTorch's order: LSTM
# (i, f, g, o) -> (i, o, f, c); GRU (r, z, n) -> (z, r, h).
_GATE_ORDER = {"lstm": (0, 3, 1, 2), "gru": (1, 0, 2)}


def _import_onnx():
    try:
        import onnx
    except ImportError as exc:
        raise ImportError(
            "sklstm.onnx.to_onnx needs the onnx package (and onnxruntime to run the "
            "model): pip install onnx onnxruntime (sklstm's [onnx] extra)."
        ) from exc
    return onnx


def _import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise ImportError(
            "sklstm.onnx.run needs the onnxruntime package: pip install onnxruntime "
            "(sklstm's [onnx] extra)."
        ) from exc
    return onnxruntime


def _array(tensor):
    """A parameter or buffer as a float64 NumPy array, from any device."""
    return tensor.detach().cpu().double().numpy()


class _Graph:
    """The nodes and constants of the graph being written."""

    def __init__(self, onnx, opset):
        self.onnx = onnx
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self._count = itertools.count()
        self._constants = {}

    def _name(self, hint):
        return f"{hint}_{next(self._count)}"

    def const(self, value, dtype=np.float32):
        """A constant tensor; equal small constants are stored once."""
        array = np.asarray(value, dtype=dtype)
        key = None
        if array.size <= 16:
            key = (array.dtype.str, array.shape, array.tobytes())
            if key in self._constants:
                return self._constants[key]
        name = self._name("const")
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        if key is not None:
            self._constants[key] = name
        return name

    def op(self, op_type, *inputs, n_outputs=1, output=None, **attrs):
        """Add one node; returns its output name (a list if ``n_outputs > 1``).
        ``output`` names the (single) output, for the graph's outputs."""
        names = [output] if output else [self._name(op_type) for _ in range(n_outputs)]
        helper = self.onnx.helper
        # named nodes: onnxruntime's errors and profiles say which one
        name = self._name(f"{op_type}_node")
        self.nodes.append(helper.make_node(op_type, list(inputs), names, name=name, **attrs))
        return names[0] if n_outputs == 1 else names

    def reduce(self, op_type, x, axis, keepdims=0):
        """``ReduceSum`` or ``ReduceMax`` over one axis, in the
        form of the opset (axes became an input in 13 for ReduceSum and in 18
        for the others)."""
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.op(op_type, x, self.const([axis], np.int64), keepdims=keepdims)
        return self.op(op_type, x, axes=[axis], keepdims=keepdims)

    def unsqueeze(self, x, axis):
        return self.op("Unsqueeze", x, self.const([axis], np.int64))

    def linear(self, x, layer):
        """``nn.Linear`` on the last axis of ``x`` (any number of leading axes)."""
        y = self.op("MatMul", x, self.const(_array(layer.weight).T))
        if layer.bias is not None:
            y = self.op("Add", y, self.const(_array(layer.bias)))
        return y

    def mask(self, lengths, like):
        """``(N, L)`` bool, True where ``t < lengths[n]``; L is axis 1 of ``like``."""
        n_steps = self.op("Gather", self.op("Shape", like), self.const(1, np.int64), axis=0)
        steps = self.op("Range", self.const(0, np.int64), n_steps, self.const(1, np.int64))
        return self.op("Less", self.unsqueeze(steps, 0), self.unsqueeze(lengths, 1))

    def zero_padding(self, x, mask):
        """``x`` ``(N, L, C)`` with its padded steps set to 0 (NaN included)."""
        return self.op("Where", self.unsqueeze(mask, 2), x, self.const(0.0))


def _unsupported(what, how):
    return ValueError(f"to_onnx cannot export {what}. {how}")


def _activation(g, x, module):
    if isinstance(module, nn.ReLU):
        return g.op("Relu", x)
    if isinstance(module, nn.Tanh):
        return g.op("Tanh", x)
    if isinstance(module, nn.GELU):
        # Gelu is an operator only from opset 20: its formula instead
        if module.approximate == "tanh":
            inner = g.op("Add", x, g.op("Mul", g.const(0.044715), g.op("Pow", x, g.const(3.0))))
            inner = g.op("Tanh", g.op("Mul", inner, g.const(math.sqrt(2 / math.pi))))
        else:
            inner = g.op("Erf", g.op("Div", x, g.const(math.sqrt(2.0))))
        return g.op("Mul", g.op("Mul", x, g.const(0.5)), g.op("Add", inner, g.const(1.0)))
    if isinstance(module, nn.Dropout):
        return x  # inference
    raise _unsupported(
        f"a head layer {type(module).__name__}",
        "The heads sklstm builds use Linear, ReLU, Tanh, GELU and Dropout.",
    )


def _layers(g, x, module):
    """``nn.Linear``, or an ``nn.Sequential`` of linear layers and activations."""
    for layer in module if isinstance(module, nn.Sequential) else [module]:
        x = g.linear(x, layer) if isinstance(layer, nn.Linear) else _activation(g, x, layer)
    return x


def _to_patches(g, x, lengths, k, n_channels):
    """``(N, L, C)`` -> ``(N, ceil(L / k), k, C)``, zero-filled after the last
    step (``x`` is zero at padded steps), and the lengths in patches."""
    n_steps = g.op("Gather", g.op("Shape", x), g.const([1], np.int64), axis=0)  # (1,)
    k_const, k_minus_1 = g.const(k, np.int64), g.const(k - 1, np.int64)
    n_patches = g.op("Div", g.op("Add", n_steps, k_minus_1), k_const)  # ceil(L / k)
    extra = g.op("Sub", g.op("Mul", n_patches, k_const), n_steps)  # (1,)
    zeros = g.const([0, 0, 0, 0], np.int64)
    pads = g.op("Concat", zeros, extra, g.const([0], np.int64), axis=0)
    x = g.op("Pad", x, pads)  # (N, L'*k, C)
    x = g.op("Reshape", x, g.const([0, -1, k, n_channels], np.int64))  # (N, L', k, C)
    return x, g.op("Div", g.op("Add", lengths, k_minus_1), k_const)


def _patch_embedding(g, x, lengths, patch):
    """``PatchEmbedding``: ``(N, L, H_in)`` -> ``(N, ceil(L / k), width)``."""
    k = patch.patch_length
    if k > 1:
        n_features = patch.linear.in_features // k
        x, lengths = _to_patches(g, x, lengths, k, n_features)
        x = g.op("Reshape", x, g.const([0, 0, k * n_features], np.int64))  # (N, L', k*H_in)
    return g.linear(x, patch.linear), lengths


def _folded_convolution(conv, norm):
    """The weights and bias of ``conv`` followed by ``norm`` in evaluation mode."""
    if norm.running_mean is None:
        raise _unsupported(
            "batch normalisation without running statistics",
            "sklstm's convolutional front-end keeps them; refit the estimator.",
        )
    weight = _array(conv.weight)  # (C_out, C_in, k)
    bias = np.zeros(weight.shape[0]) if conv.bias is None else _array(conv.bias)
    gamma = np.ones(weight.shape[0]) if norm.weight is None else _array(norm.weight)
    beta = np.zeros(weight.shape[0]) if norm.bias is None else _array(norm.bias)
    scale = gamma / np.sqrt(_array(norm.running_var) + norm.eps)
    shift = beta - _array(norm.running_mean) * scale
    return weight * scale[:, None, None], bias * scale + shift


def _conv_stack(g, x, lengths, mask, stack):
    """``ConvStack`` in evaluation mode: ``(N, L, C_in)`` -> ``(N, L', C)``,
    zero at padded steps, with its lengths and mask (``L' = ceil(L / pool)``)."""
    for layer, (kernel_size, conv, norm) in enumerate(
        zip(stack.kernel_sizes, stack.convs, stack.norms)
    ):
        if conv.stride != (1,) or conv.dilation != (1,) or conv.groups != 1:
            raise _unsupported(
                "a strided, dilated or grouped convolution",
                "sklstm's convolutional front-end has none.",
            )
        weight, bias = _folded_convolution(conv, norm)
        h = g.op("Transpose", x, perm=[0, 2, 1])  # (N, C_in, L)
        # causal: padded on the left only, so step t reads steps t-k+1..t
        h = g.op(
            "Conv",
            h,
            g.const(weight),
            g.const(bias),
            kernel_shape=[kernel_size],
            pads=[kernel_size - 1, 0],
        )
        x = g.zero_padding(g.op("Transpose", g.op("Relu", h), perm=[0, 2, 1]), mask)
        if layer == 0 and stack.pool > 1:
            # never negative and zero at padding: the max of each patch's real steps
            x, lengths = _to_patches(g, x, lengths, stack.pool, weight.shape[0])
            x = g.reduce("ReduceMax", x, 2)  # (N, L', C)
            mask = g.mask(lengths, x)
    return x, lengths, mask


def _rnn_weights(rnn, cell, layer, direction):
    """ONNX's ``W``, ``R`` and ``B`` of one layer and direction: gates reordered."""
    suffix = "_reverse" if direction else ""
    order = _GATE_ORDER[cell]

    def reorder(array):
        gates = np.split(array, len(order), axis=0)
        return np.concatenate([gates[i] for i in order], axis=0)

    w = reorder(_array(getattr(rnn, f"weight_ih_l{layer}{suffix}")))
    r = reorder(_array(getattr(rnn, f"weight_hh_l{layer}{suffix}")))
    if not rnn.bias:
        return w, r, np.zeros(2 * r.shape[0])
    b_ih = reorder(_array(getattr(rnn, f"bias_ih_l{layer}{suffix}")))
    b_hh = reorder(_array(getattr(rnn, f"bias_hh_l{layer}{suffix}")))
    return w, r, np.concatenate([b_ih, b_hh])


def _recurrent(g, x, lengths, mask, rnn, cell):
    """The LSTM (GRU) over the real steps of each sequence.

    Returns the last layer's output ``(N, L, D*H_out)``, zero at padded
    steps, and per layer the final states ``Y_h`` and ``Y_c`` (None for a
    GRU), each ``(D, N, H_out)``.
    """
    if getattr(rnn, "proj_size", 0):
        raise _unsupported("an LSTM with proj_size", "sklstm's networks have none.")
    n_directions = 2 if rnn.bidirectional else 1
    sequence_lens = g.op("Cast", lengths, to=g.onnx.TensorProto.INT32)
    y = g.op("Transpose", x, perm=[1, 0, 2])  # time first: (L, N, H_in)
    h_n, c_n = [], []
    for layer in range(rnn.num_layers):
        weights = [_rnn_weights(rnn, cell, layer, d) for d in range(n_directions)]
        w, r, b = (g.const(np.stack(part)) for part in zip(*weights))
        attrs = {"hidden_size": rnn.hidden_size}
        if rnn.bidirectional:
            attrs["direction"] = "bidirectional"
        if cell == "gru":
            # PyTorch applies the reset gate after the recurrent product
            attrs["linear_before_reset"] = 1
        outputs = g.op(
            cell.upper(), y, w, r, b, sequence_lens, n_outputs=3 if cell == "lstm" else 2, **attrs
        )
        # outputs[0]: (L, D, N, H_out); the states: (D, N, H_out)
        h_n.append(outputs[1])
        c_n.append(outputs[2] if cell == "lstm" else None)
        if layer < rnn.num_layers - 1:
            y = g.op("Transpose", outputs[0], perm=[0, 2, 1, 3])  # (L, N, D, H_out)
            y = g.op("Reshape", y, g.const([0, 0, -1], np.int64))  # (L, N, D*H_out)
    y = g.op("Transpose", outputs[0], perm=[2, 0, 1, 3])  # (N, L, D, H_out)
    y = g.op("Reshape", y, g.const([0, 0, -1], np.int64))  # (N, L, D*H_out)
    # zero already in onnxruntime; the ONNX standard leaves it open
    return g.zero_padding(y, mask), h_n, c_n


def _final_states(g, h_n, c_n, part):
    """``LastState``: ``(N, n_parts * D * H_out)`` in the order of
    ``final_states``: state, layer, direction, unit."""
    states = {"hidden": (h_n,), "cell": (c_n,), "both": (h_n, c_n)}[part.state]
    flat = []
    for per_layer in states:
        if per_layer[0] is None:
            raise _unsupported(
                f"state={part.state!r} of a GRU", "A GRU has no cell state; refit with 'hidden'."
            )
        chosen = per_layer if part.layers == "all" else per_layer[-1:]
        for state in chosen:
            state = g.op("Transpose", state, perm=[1, 0, 2])  # (N, D, H_out)
            flat.append(g.op("Reshape", state, g.const([0, -1], np.int64)))
    return flat[0] if len(flat) == 1 else g.op("Concat", *flat, axis=1)


def _masked_mean(g, x, mask):
    """Mean of ``x`` ``(N, L, C)``, zero at padded steps, over the real steps."""
    counts = g.reduce("ReduceSum", g.op("Cast", mask, to=g.onnx.TensorProto.FLOAT), 1, 1)
    return g.op("Div", g.reduce("ReduceSum", x, 1), counts)  # (N, C) / (N, 1)


def _readout(g, part, output, h_n, c_n, mask):
    if isinstance(part, LastState):
        return _final_states(g, h_n, c_n, part)
    if isinstance(part, MeanPool):
        return _masked_mean(g, output, mask)
    if isinstance(part, MaxPool):
        masked = g.op("Where", g.unsqueeze(mask, 2), output, g.const(-np.inf))
        return g.reduce("ReduceMax", masked, 1)
    if isinstance(part, AttentionPool):
        scores = _layers(g, output, part.score)  # (N, L, 1)
        scores = g.op("Squeeze", scores, g.const([2], np.int64))  # (N, L)
        scores = g.op("Where", mask, scores, g.const(-np.inf))
        weights = g.unsqueeze(g.op("Softmax", scores, axis=1), 2)  # (N, L, 1)
        return g.reduce("ReduceSum", g.op("Mul", weights, output), 1)
    if isinstance(part, StepOutputs):
        return output
    raise _unsupported(
        f"the readout {type(part).__name__}",
        "The readouts are 'last', 'mean', 'max', 'attention' and 'sequence'.",
    )


def _moments(g, x, mask, norm):
    """``InstanceNorm._moments``: ``x`` ``(N, L, H_in)``, zero at padded steps."""
    m = g.unsqueeze(g.op("Cast", mask, to=g.onnx.TensorProto.FLOAT), 2)  # (N, L, 1)
    one = g.const(1.0)
    given = x
    if norm.causal:
        first = g.op(
            "Slice", x, g.const([0], np.int64), g.const([1], np.int64), g.const([1], np.int64)
        )
        x = g.op("Mul", g.op("Sub", x, first), m)
        axis = g.const(1, np.int64)
        count = g.op("Max", g.op("CumSum", m, axis), one)  # (N, L, 1)
        mean = g.op("Div", g.op("CumSum", x, axis), count)
        mean_square = g.op("Div", g.op("CumSum", g.op("Mul", x, x), axis), count)
        var = g.op("Max", g.op("Sub", mean_square, g.op("Mul", mean, mean)), g.const(0.0))
    else:
        count = g.op("Max", g.reduce("ReduceSum", m, 1, 1), one)  # (N, 1, 1)
        mean = g.op("Div", g.reduce("ReduceSum", x, 1, 1), count)
        centered = g.op("Mul", g.op("Sub", x, mean), m)
        var = g.op("Div", g.reduce("ReduceSum", g.op("Mul", centered, centered), 1, 1), count)
    return given, x, mean, var, m


def _instance_norm(g, x, mask, norm):
    """``InstanceNorm``: ``x`` ``(N, L, H_in)``, zero at padded steps."""
    given, x, mean, var, m = _moments(g, x, mask, norm)
    scale = g.op("Sqrt", g.op("Add", var, g.const(INSTANCE_NORM_EPS)))
    z = g.op("Mul", g.op("Div", g.op("Sub", x, mean), scale), m)
    return z if norm.n_views == 1 else g.op("Concat", given, z, axis=2)


def _instance_statistics(g, x, mask, norm):
    """``InstanceNorm.statistics``: ``(N, 2*H_in)``, or ``(N, L, 2*H_in)``."""
    given, _, mean, var, m = _moments(g, x, mask, norm)
    if norm.causal:
        first = g.op(
            "Slice", given, g.const([0], np.int64), g.const([1], np.int64), g.const([1], np.int64)
        )
        mean = g.op("Add", mean, first)
    log_scale = g.op(
        "Mul", g.op("Log", g.op("Add", var, g.const(INSTANCE_NORM_EPS))), g.const(0.5)
    )
    stats = g.op("Concat", g.op("Asinh", mean), log_scale, axis=2)
    if norm.causal:
        return g.op("Mul", stats, m)
    return g.op("Squeeze", stats, g.const([1], np.int64))


def _encode(g, module, X, lengths, mask):
    """``LSTMModule.encode`` in evaluation mode; ``X`` is zero at padded steps."""
    frontend = module.frontend
    x = X
    input_mask = mask
    if frontend.instance_norm is not None:
        x = _instance_norm(g, x, mask, frontend.instance_norm)
    if frontend.patch is not None:
        x, lengths = _patch_embedding(g, x, lengths, frontend.patch)
        mask = g.mask(lengths, x)
    if frontend.conv is not None:
        x, lengths, mask = _conv_stack(g, x, lengths, mask, frontend.conv)
    output, h_n, c_n = _recurrent(g, x, lengths, mask, module.lstm, module.cell)
    parts = getattr(module.readout, "parts", [module.readout])
    features = [_readout(g, part, output, h_n, c_n, mask) for part in parts]
    if frontend.pooled_features:
        # the front-end's own features: per step, or averaged over real steps
        features.append(x if module.per_step else _masked_mean(g, x, mask))
    if frontend.stat_features:
        features.append(_instance_statistics(g, X, input_mask, frontend.instance_norm))
    features = features[0] if len(features) == 1 else g.op("Concat", *features, axis=-1)
    if module.projection is not None:
        features = g.linear(features, module.projection)
    return features


def _input_size(module):
    """H_in of the network, from its first layer."""
    frontend = module.frontend
    if frontend.patch is not None:
        size = frontend.patch.linear.in_features // frontend.patch.patch_length
    elif frontend.conv is not None:
        size = frontend.conv.convs[0].in_channels
    else:
        size = module.lstm.input_size
    n_views = 1 if frontend.instance_norm is None else frontend.instance_norm.n_views
    return size // n_views


def _networks(estimator):
    """The fitted ``LSTMModule``s whose outputs the estimator uses, and how
    an ensemble combines them (None for one network)."""
    module = estimator.net_.module_
    if isinstance(module, Ensemble):
        return list(module.networks), module.combine
    if isinstance(estimator, LSTMEncoderTransformer):
        # inside a self-supervised objective (contrastive, autoencoder)
        module = getattr(module, "encoder", module)
    if not isinstance(module, LSTMModule):
        raise _unsupported(
            f"a network of type {type(module).__name__}",
            "Its estimator must be fitted by sklstm, which builds LSTMModule networks.",
        )
    return [module], None


def _labels(g, classes):
    """``classes_`` as a constant tensor, and its ONNX element type."""
    TensorProto = g.onnx.TensorProto
    if classes.dtype.kind == "u" and classes.max(initial=0) > np.iinfo(np.int64).max:
        # the cast to int64 would wrap them to negative labels
        raise _unsupported(
            f"class labels of type {classes.dtype} at or above 2**63 (got {classes.max()})",
            "The model's label output is int64, which cannot hold them: encode y as "
            "smaller integers or strings (e.g. with LabelEncoder, or y.astype(str)) "
            "and refit.",
        )
    if classes.dtype.kind in "biu":
        return g.const(classes, np.int64), TensorProto.INT64
    if classes.dtype.kind == "f":
        return g.const(classes, np.float64), TensorProto.DOUBLE
    if classes.dtype.kind in "USO" and all(isinstance(c, str) for c in classes):
        name = g._name("classes")
        values = [c.encode("utf-8") for c in classes]
        g.initializers.append(
            g.onnx.helper.make_tensor(name, TensorProto.STRING, [len(values)], values)
        )
        return name, TensorProto.STRING
    raise _unsupported(
        f"class labels of type {classes.dtype} ({classes[:3].tolist()}...)",
        "ONNX labels are integers, floats or strings: encode y as one of them "
        "(e.g. with LabelEncoder, or y.astype(str)) and refit.",
    )


def _classifier_outputs(g, logits, combine, estimator, per_step):
    """``label`` and ``probabilities`` as ``predict`` and ``predict_proba`` make them."""
    multilabel = getattr(estimator, "_multilabel_", False)
    link = "Sigmoid" if multilabel else "Softmax"
    attrs = {} if multilabel else {"axis": -1}
    if combine is None:
        (logits,) = logits
        proba = g.op(link, logits, output="probabilities", **attrs)
        # predict decodes the logits themselves
        scores, threshold = logits, 0.0
    else:
        # an ensemble's prediction is the mean of the networks' probabilities
        probas = [g.op(link, output, **attrs) for output in logits]
        total = probas[0] if len(probas) == 1 else g.op("Sum", *probas)
        proba = g.op("Div", total, g.const(float(len(probas))), output="probabilities")
        scores, threshold = proba, 0.5
    TensorProto = g.onnx.TensorProto
    n_classes = len(estimator.classes_)
    leading = ["N", "L"] if per_step else ["N"]
    if multilabel:
        above = g.op("Greater", scores, g.const(threshold))
        g.op("Cast", above, to=TensorProto.INT64, output="label")
        label_type, label_shape = TensorProto.INT64, ["N", n_classes]
    else:
        index = g.op("ArgMax", scores, axis=-1, keepdims=0)
        classes, label_type = _labels(g, np.asarray(estimator.classes_))
        g.op("Gather", classes, index, axis=0, output="label")
        label_shape = leading
    return [
        ("label", label_type, label_shape),
        ("probabilities", TensorProto.FLOAT, [*leading, n_classes]),
    ]


def _regressor_outputs(g, outputs, combine, estimator, per_step):
    """``variable`` as ``predict`` makes it: back in the units of ``y``."""
    output = outputs[0]
    if len(outputs) > 1:
        # an ensemble predicts the mean of its networks' outputs
        output = g.op("Div", g.op("Sum", *outputs), g.const(float(len(outputs))))
    scale = np.asarray(estimator._y_scale_)
    mean = np.asarray(estimator._y_mean_)
    output = g.op("Add", g.op("Mul", output, g.const(scale)), g.const(mean))
    leading = ["N", "L"] if per_step else ["N"]
    shape = [*leading, len(scale)]
    if estimator._y_ndim_ == 1:
        output = g.op("Squeeze", output, g.const([-1], np.int64))
        shape = leading
    g.op("Identity", output, output="variable")
    return [("variable", g.onnx.TensorProto.FLOAT, shape)]


_SUPPORTED = (LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer)


def _steps(estimator):
    """The fitted ``SequenceScaler``s before the sklstm estimator, and that estimator."""
    steps = [estimator]
    if isinstance(estimator, Pipeline):
        steps = [step for _, step in estimator.steps if step not in (None, "passthrough")]
    *scalers, final = steps or [None]
    wrong = [step for step in scalers if not isinstance(step, SequenceScaler)]
    if not isinstance(final, _SUPPORTED) or wrong:
        got = type(wrong[0] if wrong else estimator if final is None else final).__name__
        raise TypeError(
            "to_onnx exports an LSTMClassifier, LSTMRegressor or LSTMEncoderTransformer, "
            f"or a Pipeline of SequenceScaler steps that ends in one; got a {got}. Export "
            "the sklstm estimator alone, and the other steps with their own converter "
            "(skl2onnx for scikit-learn's)."
        )
    for step in steps:
        check_is_fitted(step)
    return scalers, final


def _scale(g, x, scaler):
    """``SequenceScaler.transform``: per feature, at every step, in float64
    as ``transform`` computes it. In float32 a mean far from zero against a
    small scale loses digits: a feature at 1000 +- 0.01 would be off by 3e-3
    after scaling."""
    TensorProto = g.onnx.TensorProto
    x = g.op("Cast", x, to=TensorProto.DOUBLE)
    if scaler.mean_ is not None:
        x = g.op("Sub", x, g.const(scaler.mean_, np.float64))
    if scaler.scale_ is not None:
        x = g.op("Div", x, g.const(scaler.scale_, np.float64))
    return g.op("Cast", x, to=TensorProto.FLOAT)


def to_onnx(estimator, *, opset=None):
    """Export a fitted estimator to an ONNX model, padding-exact.

    The model takes a padded batch and the length of each sequence, and
    gives what ``predict``, ``predict_proba`` or ``transform`` give for those
    sequences: the recurrent layers run over each sequence's real steps only
    (ONNX's ``sequence_lens``), and the padded steps of ``X`` are set to zero
    before anything reads them, so a sequence alone and inside a padded
    batch give the same outputs.

    Parameters
    ----------
    estimator : LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer or Pipeline
        A fitted estimator, with any readout, cell, front-end, head and
        ``n_networks``; or a fitted :class:`~sklearn.pipeline.Pipeline` of
        :class:`~sklstm.SequenceScaler` steps that ends in one. The model is
        built from the fitted network and fitted attributes.

    opset : int, default=None
        The ONNX operator set version, at least 13; None uses 17.

    Returns
    -------
    model : onnx.ModelProto
        With inputs ``X``, float32 of shape ``(N, L, n_features)``, and
        ``lengths``, int64 of shape ``(N,)`` (the number of real steps of
        each sequence, padded steps after them; N and L are dynamic). Its
        outputs are named as skl2onnx names them: ``label`` (the original
        ``classes_`` values: int64, float64 or string; the int64 0/1
        indicator of a multilabel model) and ``probabilities`` (float32,
        ``(N, n_classes)``) for :class:`~sklstm.LSTMClassifier`;
        ``variable`` (float32) for :class:`~sklstm.LSTMRegressor`, shaped as
        ``predict``'s result, and for
        :class:`~sklstm.LSTMEncoderTransformer`, ``(N, n_components_)``.
        With ``readout='sequence'``, every output has an axis L after N;
        the values at padded steps mean nothing.

    Raises
    ------
    ImportError
        If onnx is not installed (``pip install onnx onnxruntime``).

    TypeError
        If ``estimator`` is not one of the above.

    ValueError
        If ``opset`` is out of range, or the class labels are of a type the
        label output cannot hold (dates; uint64 at or above 2**63).

    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.

    See Also
    --------
    sklstm.save : Save the estimator itself, to a file that loads without running code.
    run : Run the model with onnxruntime, with its inputs checked.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime
    >>> from sklstm import LSTMClassifier
    >>> from sklstm.onnx import to_onnx
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.normal(size=(n, 2)).astype("float32") for n in (5, 8, 3, 8)]
    >>> clf = LSTMClassifier(hidden_size=4, max_epochs=2, random_state=0)
    >>> clf = clf.fit(X, ["a", "b", "a", "b"])
    >>> session = onnxruntime.InferenceSession(to_onnx(clf).SerializeToString())
    >>> padded = np.zeros((4, 8, 2), dtype="float32")
    >>> for i, x in enumerate(X):
    ...     padded[i, : len(x)] = x
    >>> lengths = np.array([len(x) for x in X], dtype="int64")
    >>> label, proba = session.run(None, {"X": padded, "lengths": lengths})
    >>> bool((label == clf.predict(X)).all())
    True
    >>> bool(np.allclose(proba, clf.predict_proba(X), atol=1e-5))
    True
    """
    onnx = _import_onnx()
    scalers, estimator = _steps(estimator)
    latest = onnx.defs.onnx_opset_version()
    if opset is None:
        opset = min(DEFAULT_OPSET, latest)
    valid = isinstance(opset, Integral) and not isinstance(opset, bool)
    if not valid or not MIN_OPSET <= opset <= latest:
        raise ValueError(
            f"to_onnx cannot export to opset={opset!r}: it needs an int from {MIN_OPSET} "
            f"to {latest} (the newest this onnx knows). Pass opset=None for {DEFAULT_OPSET}."
        )
    opset = int(opset)

    networks, combine = _networks(estimator)
    per_step = networks[0].per_step
    g = _Graph(onnx, opset)
    TensorProto = onnx.TensorProto
    X = "X"
    for scaler in scalers:
        X = _scale(g, X, scaler)
    # every network reads X with its padded steps set to 0, whatever they held
    mask = g.mask("lengths", X)
    X = g.zero_padding(X, mask)
    if isinstance(estimator, LSTMEncoderTransformer):
        (network,) = networks
        features = _encode(g, network, X, "lengths", mask)
        g.op("Identity", features, output="variable")
        width = network.encode_width
        shape = ["N", "L", width] if per_step else ["N", width]
        outputs = [("variable", TensorProto.FLOAT, shape)]
    else:
        raw = [
            _layers(g, _encode(g, network, X, "lengths", mask), network.head)
            for network in networks
        ]
        make_outputs = (
            _classifier_outputs if isinstance(estimator, LSTMClassifier) else _regressor_outputs
        )
        outputs = make_outputs(g, raw, combine, estimator, per_step)

    helper = onnx.helper
    n_features = _input_size(networks[0])
    graph = helper.make_graph(
        g.nodes,
        f"sklstm_{type(estimator).__name__}",
        [
            helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", "L", n_features]),
            helper.make_tensor_value_info("lengths", TensorProto.INT64, ["N"]),
        ],
        [helper.make_tensor_value_info(*output) for output in outputs],
        g.initializers,
    )
    opset_ids = [helper.make_opsetid("", opset)]
    model = helper.make_model(
        graph,
        opset_imports=opset_ids,
        # the oldest IR version for the opset, so that older runtimes load it
        ir_version=helper.find_min_ir_version_for(opset_ids),
        producer_name="sklstm",
        producer_version=__version__,
        doc_string=f"{type(estimator).__name__} exported by sklstm.onnx.to_onnx",
    )
    onnx.checker.check_model(model)
    return model


# NumPy's dtype of each element type onnxruntime names in the outputs of a
# model from to_onnx; onnxruntime returns strings as an object array.
_OUTPUT_DTYPES = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(string)": object,
}


def _session(model):
    """An onnxruntime session over ``model``, on the CPU unless it is one."""
    onnxruntime = _import_onnxruntime()
    if isinstance(model, onnxruntime.InferenceSession):
        session = model
    else:
        if hasattr(model, "SerializeToString"):  # an onnx.ModelProto
            model = model.SerializeToString()
        if isinstance(model, os.PathLike):
            model = os.fspath(model)
        if not isinstance(model, (bytes, str)):
            raise TypeError(
                "run takes a model from sklstm.onnx.to_onnx: the onnx.ModelProto, its "
                "bytes, the path of its file or an onnxruntime.InferenceSession over it; "
                f"got {type(model).__name__}."
            )
        if isinstance(model, str) and not os.path.isfile(model):
            raise FileNotFoundError(f"run found no model file at {model!r}.")
        session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    names = [node.name for node in session.get_inputs()]
    if names != ["X", "lengths"]:
        raise ValueError(
            "run takes a model from sklstm.onnx.to_onnx, whose inputs are X and "
            f"lengths; got a model with inputs {names}."
        )
    return session


def _check_inputs(session, X, lengths):
    """``X`` as float32 ``(N, L, n_features)`` and ``lengths`` as int64
    ``(N,)``, checked as ``predict`` checks sequences: what onnxruntime would
    reject with its own words, or silently turn into NaN outputs."""
    X = _check_X(session, X)
    n_samples, n_steps = X.shape[:2]
    lengths = _check_lengths(lengths, n_samples, n_steps)
    X = X.astype(np.float32, copy=False)
    real = np.arange(n_steps) < lengths[:, None]  # (N, L)
    finite = np.isfinite(X).all(axis=2) | ~real
    if not finite.all():
        first = int(np.flatnonzero(~finite.all(axis=1))[0])
        raise ValueError(
            f"X has NaN or infinite values at the real steps of sequence {first}, which "
            "would make its outputs NaN. Impute them first; the padding after "
            "lengths may hold anything."
        )
    return X, lengths.astype(np.int64, copy=False)


def _check_X(session, X):
    """``X`` as a numeric array ``(N, L, n_features)`` with the model's number
    of features (any numeric dtype yet)."""
    try:
        X = np.asarray(X)
    except ValueError as exc:  # a ragged nested list
        raise ValueError(
            "run takes X as one padded array of shape (n_samples, n_timesteps, "
            "n_features), with the lengths of the sequences in lengths; pad the "
            "sequences first."
        ) from exc
    if X.dtype.kind == "O":
        try:
            X = X.astype(np.float32)
        except (TypeError, ValueError) as exc:
            raise TypeError("X must hold numbers; got an array of objects that are not.") from exc
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must hold numbers; got an array of dtype {X.dtype}.")
    if X.ndim != 3:
        raise ValueError(
            "Expected X of shape (n_samples, n_timesteps, n_features), padded after the "
            f"last step of each sequence; got shape {X.shape}."
        )
    n_features = session.get_inputs()[0].shape[2]
    if isinstance(n_features, int) and X.shape[2] != n_features:
        raise ValueError(f"X has {X.shape[2]} features but the model takes {n_features}.")
    return X


def _check_lengths(lengths, n_samples, n_steps):
    """``lengths`` as an integer array ``(n_samples,)`` of values from 1 to
    ``n_steps``; every sequence whole when None."""
    if lengths is None:
        lengths = np.full(n_samples, n_steps, dtype=np.int64)
    lengths = np.asarray(lengths)
    if lengths.size and lengths.dtype.kind not in "iu":
        raise TypeError(
            f"lengths must hold integers, the number of real steps of each sequence; got "
            f"an array of dtype {lengths.dtype}."
        )
    if lengths.shape != (n_samples,):
        raise ValueError(
            f"lengths must have one entry per sequence of X, shape ({n_samples},); got "
            f"shape {lengths.shape}."
        )
    if n_samples and not (lengths.min() >= 1 and lengths.max() <= n_steps):
        raise ValueError(
            f"Each of lengths must be from 1 to {n_steps}, the number of time steps of X; "
            f"got values from {lengths.min()} to {lengths.max()}."
        )
    return lengths


def _empty_outputs(session, n_steps):
    """The model's outputs for a batch of no sequences, without running it."""
    outputs = {}
    for node in session.get_outputs():
        sizes = {"N": 0, "L": n_steps}
        shape = [sizes.get(dim, dim) for dim in node.shape]
        if node.type not in _OUTPUT_DTYPES or not all(isinstance(d, int) for d in shape):
            raise ValueError(
                f"run cannot tell the shape of the output {node.name!r} "
                f"({node.type}, shape {node.shape}) for an empty batch: it takes models "
                "from sklstm.onnx.to_onnx, with the dimensions N and L."
            )
        outputs[node.name] = np.empty(shape, dtype=_OUTPUT_DTYPES[node.type])
    return outputs


def run(model, X, lengths=None):
    """Run a model from :func:`to_onnx` with onnxruntime, any batch size included.

    The model itself needs at least one sequence: onnxruntime's LSTM and GRU
    kernels end the process on an empty batch, and a model cannot guard
    itself against that. ``run`` returns an empty result of the declared
    shapes and types for ``n_samples=0`` without running the model, and
    checks what ``predict`` checks and the model does not: the shapes, the
    number of features, each length from 1 to ``n_timesteps`` and finite
    values at the real steps.

    Parameters
    ----------
    model : onnx.ModelProto, bytes, str, path-like or onnxruntime.InferenceSession
        A model made by :func:`to_onnx`, its serialized bytes or the path of
        its file (run on the CPU), or an inference session over it (to run
        many batches without loading the model each time, or on another
        execution provider).

    X : array-like of shape (n_samples, n_timesteps, n_features)
        The sequences, each padded after its last real step with anything.

    lengths : array-like of int of shape (n_samples,), default=None
        The number of real steps of each sequence, from 1 to
        ``n_timesteps``. None means every sequence has ``n_timesteps``.

    Returns
    -------
    outputs : dict of str to ndarray
        The model's outputs by name, as :func:`to_onnx` describes them
        (``label`` and ``probabilities``, or ``variable``). For
        ``n_samples=0``, empty arrays of the shapes and dtypes the model
        declares (strings as an object array, as onnxruntime gives them).

    Raises
    ------
    ImportError
        If onnxruntime is not installed (``pip install onnx onnxruntime``).

    TypeError
        If ``model`` is not a model, or ``X`` or ``lengths`` do not hold
        numbers (integers for ``lengths``).

    ValueError
        If the model's inputs are not those of :func:`to_onnx`, or ``X`` or
        ``lengths`` do not fit the model or each other.

    See Also
    --------
    to_onnx : Export a fitted estimator to the model this runs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.onnx import run, to_onnx
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(6, 5, 2)).astype("float32")
    >>> reg = LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0)
    >>> model = to_onnx(reg.fit(X, X[:, :, 0].sum(axis=1)))
    >>> run(model, X, lengths=[5, 5, 3, 4, 5, 2])["variable"].shape
    (6,)
    >>> run(model, X[:0])["variable"].shape
    (0,)
    """
    session = _session(model)
    X, lengths = _check_inputs(session, X, lengths)
    if len(X) == 0:
        return _empty_outputs(session, X.shape[1])
    names = [node.name for node in session.get_outputs()]
    return dict(zip(names, session.run(names, {"X": X, "lengths": lengths})))
