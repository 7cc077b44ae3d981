"""Inference latency of an exported model in onnxruntime against ``predict``.

For two models, at batch 1 (the latency of one request to a server) and
batch 256 (a ragged batch, lengths 50 to 150), each run side by side in this
one process with the repeats interleaved, so that a busy machine slows both
contenders alike:

* ``predict``: the fitted estimator's ``predict`` on a list of sequences
  (validation, batching and output assembly included, as a user calls it);
* ``onnxruntime``: ``InferenceSession.run`` on the model of
  ``sklstm.onnx.to_onnx``, the padding of the ragged batch and the lengths
  included.

The models: (1) one LSTM layer, ``hidden_size=64``, last hidden state, linear
head, raw steps (the model of bench_speed.py); (2) ``LSTMClassifier``'s
defaults at that width (convolutional front-end, ``'last+mean'`` readout).
Both run on one thread (torch and onnxruntime alike). Times are the median
milliseconds per call; the ratio is predict's time over onnxruntime's (above
1: onnxruntime is faster). Compare ratios within a run, not absolute numbers
across machines. The script first checks that both give the same
probabilities. Run:

    python benchmarks/bench_onnx.py            # about 30 s
    python benchmarks/bench_onnx.py --quick    # about 15 s
"""

import argparse
import statistics
import sys
import time

import numpy as np
import onnxruntime
import torch

from sklstm import LSTMClassifier
from sklstm.onnx import to_onnx

N_FEATURES = 8
HIDDEN_SIZE = 64
BATCH_SIZES = (1, 256)

MODELS = {
    "lstm 64, last, raw steps": {"frontend": "none", "readout": "last"},
    "lstm 64, classifier defaults": {},
}


def ragged(n_samples, seed):
    """Sequences of 50 to 150 steps and a label from their first feature."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(50, 151, size=n_samples)
    X = [rng.normal(size=(n, N_FEATURES)).astype(np.float32) for n in lengths]
    y = np.array([int(x[:, 0].mean() > 0) for x in X])
    return X, y


def pad(X):
    """A list of sequences as onnxruntime's inputs: zero-padded X and lengths."""
    lengths = np.array([len(x) for x in X], dtype=np.int64)
    batch = np.zeros((len(X), lengths.max(), N_FEATURES), dtype=np.float32)
    for i, x in enumerate(X):
        batch[i, : len(x)] = x
    return batch, lengths


def session(estimator):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        to_onnx(estimator).SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def timed(fn, calls):
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(name, clf, sess, X, repeats):
    """Time ``predict`` and onnxruntime on the sequences ``X``, interleaved."""
    # enough calls per repeat to last about 0.1 s on a laptop
    calls = 50 if len(X) == 1 else 2

    def run_predict():
        clf.predict(X)

    def run_onnx():
        batch, lengths = pad(X)
        sess.run(["label"], {"X": batch, "lengths": lengths})

    seconds = {"predict": [], "onnx": []}
    run_predict(), run_onnx()  # warm up
    for _ in range(repeats):
        seconds["predict"].append(timed(run_predict, calls))
        seconds["onnx"].append(timed(run_onnx, calls))
    median = {key: statistics.median(values) for key, values in seconds.items()}
    print(
        f"{name:32} {len(X):5d} {1e3 * median['predict']:11.3f} "
        f"{1e3 * median['onnx']:15.3f} {median['predict'] / median['onnx']:6.2f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    torch.set_num_threads(1)
    repeats = 5 if args.quick else 15
    print(f"command: python {' '.join(sys.argv)}")
    print(
        f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}, one thread, "
        f"median of {repeats} interleaved repeats; ratio: predict / onnxruntime"
    )
    X_train, y_train = ragged(256, seed=0)
    X_test, _ = ragged(max(BATCH_SIZES), seed=1)
    print(f"\n{'model':32} {'batch':>5} {'predict ms':>11} {'onnxruntime ms':>15} {'ratio':>7}")
    for name, params in MODELS.items():
        clf = LSTMClassifier(hidden_size=HIDDEN_SIZE, max_epochs=1, random_state=0, **params).fit(
            X_train, y_train
        )
        sess = session(clf)
        batch, lengths = pad(X_test)
        (_, proba) = sess.run(None, {"X": batch, "lengths": lengths})
        error = np.abs(proba - clf.predict_proba(X_test)).max()
        assert error < 1e-5, f"onnxruntime differs from predict_proba by {error}"
        for batch_size in BATCH_SIZES:
            compare(name, clf, sess, X_test[:batch_size], repeats)


if __name__ == "__main__":
    main()
