"""Training and inference speed of sklstm against hand-written PyTorch loops.

These comparisons, each run side by side in this one process, with the
repeats interleaved so that a busy machine slows every contender alike:

(a) variable-length training on heavy-tailed lengths (most sequences 11-40
    steps, one in 32 ten times longer): a loop that pads each batch to its
    longest and packs it (exact, the textbook way), the same loop without
    packing (fast but wrong: final states read padding), the same loop with
    sklstm's module (isolates skorch's overhead), and ``LSTMClassifier.fit``;
(b) fixed-length training, 4096 x 100 x 8: a minimal loop that indexes
    tensors directly, a plain skorch ``NeuralNetClassifier`` (its default
    DataLoader) and ``LSTMClassifier.fit``;
(c) inference on the variable-length sequences and (d) on the fixed-length
    ones: batched loops under ``torch.inference_mode`` and ``predict``;
(e) the variable-length training of (a) with GRU cells;
(f) default fits on small data (30 x 10, 100 x 24 and 200 x 427 steps, one
    feature): ``LSTMClassifier()`` as a user fits it, next to the same module,
    batches, updates, optimizer and clipping in a minimal loop (sklstm's own
    cost per update), and MiniRocket when aeon is installed;
(g) a default fit on large data, 20,000 x 100 x 8, next to the minimal loop
    with the same module, batches and epochs (``--large``: it takes minutes).

(a)-(e) use the same model (one LSTM layer, hidden 64, last hidden state, linear
head), batch size, epochs and Adam learning rate; the estimator gets
``clip_grad_norm=None`` and no early stopping or lr schedule, as the loops
have none. Throughputs are sequences per second. Compare the ratios within a
run, never absolute numbers across runs or machines. Run:

    python benchmarks/bench_speed.py            # about 1.5 min
    python benchmarks/bench_speed.py --quick    # under 30 s
    python benchmarks/bench_speed.py --device cuda   # on a GPU
    python benchmarks/bench_speed.py --defaults      # (f) only; with --large, (g) too

With ``--device cuda`` every contender trains and predicts there, and each
loop moves its mini-batches from the CPU to the GPU as ``fit`` does; peak
memory is then the GPU memory PyTorch allocates.
"""

import argparse
import statistics
import sys
import time
import warnings
from functools import partial

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from sklstm import LSTMClassifier

N_FEATURES = 8
HIDDEN_SIZE = 64
BATCH_SIZE = 32
LR = 1e-3
N_CLASSES = 4
PREDICT_BATCH_SIZE = 256  # what LSTMClassifier.predict uses with batch_size=32
DEVICE = torch.device("cpu")  # set by --device


def heavy_tailed(n_samples, seed):
    """Sequences of 10 + lognormal steps, one in 32 ten times longer."""
    rng = np.random.RandomState(seed)
    lengths = (10 + rng.lognormal(2.0, 0.6, size=n_samples)).astype(int)
    long = rng.choice(n_samples, max(1, n_samples // 32), replace=False)
    lengths[long] *= 10
    X = [rng.normal(size=(n, N_FEATURES)).astype(np.float32) for n in lengths]
    y = np.array([int(x[:, 0].mean() > 0) + 2 * int(x[:, 1].mean() > 0) for x in X])
    return X, y


def fixed_length(n_samples, n_timesteps, seed):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_timesteps, N_FEATURES)).astype(np.float32)
    y = (X[:, :, 0].mean(axis=1) > 0) + 2 * (X[:, :, 1].mean(axis=1) > 0)
    return X, y


def estimator(max_epochs, cell="lstm"):
    """LSTMClassifier set up as the hand-written loops are."""
    wanted = {
        "cell": cell,
        "hidden_size": HIDDEN_SIZE,
        "frontend": "none",  # the hand-written loops read the raw steps
        "readout": "last",
        "batch_size": BATCH_SIZE,
        "lr": LR,
        "max_epochs": max_epochs,
        "optimizer": "adam",
        "clip_grad_norm": None,
        "early_stopping": False,
        "lr_schedule": "constant",
        "device": str(DEVICE),
        "random_state": 0,
    }
    # parameters this version of sklstm does not have are simply its default
    known = LSTMClassifier().get_params()
    return LSTMClassifier(**{k: v for k, v in wanted.items() if k in known})


class HandModel(nn.Module):
    """What a hand-written loop trains: LSTM, last hidden state, linear head."""

    def __init__(self, pack, cell="lstm"):
        super().__init__()
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.lstm = rnn(N_FEATURES, HIDDEN_SIZE, batch_first=True)
        self.head = nn.Linear(HIDDEN_SIZE, N_CLASSES)
        self.pack = pack

    def forward(self, X, lengths):
        if self.pack:
            X = pack_padded_sequence(X, lengths, batch_first=True, enforce_sorted=False)
        _, state = self.lstm(X)  # without packing h_n has read the padding
        h_n = state[0] if isinstance(state, tuple) else state
        return self.head(h_n[-1])


class PlainSkorchModule(HandModel):
    """The same model as skorch calls it, ``module(X)``, on zero-padded data."""

    def __init__(self):
        super().__init__(pack=False)

    def forward(self, X):
        return super().forward(X, None)


def plain_skorch(max_epochs):
    """The usual skorch net: its default DataLoader, no validation split."""
    import skorch

    return skorch.NeuralNetClassifier(
        PlainSkorchModule,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=LR,
        batch_size=BATCH_SIZE,
        max_epochs=max_epochs,
        train_split=None,
        iterator_train__shuffle=True,
        device=str(DEVICE),
        verbose=0,
    )


class SklstmModuleModel(nn.Module):
    """sklstm's module (run_lstm, readout, head) in the hand-written loop."""

    def __init__(self, X, y):
        super().__init__()
        self.module = estimator(max_epochs=0).fit(X, y).net_.module_

    def forward(self, X, lengths):
        return self.module(X, lengths.to(X.device))  # as skorch moves them


def train_ragged(model, X, y, epochs, seed=0):
    """One padded mini-batch at a time, padded to its own longest sequence."""
    X = [torch.from_numpy(x) for x in X]
    lengths = torch.tensor([len(x) for x in X])
    y = torch.from_numpy(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=generator).split(BATCH_SIZE):
            X_batch = pad_sequence([X[i] for i in idx], batch_first=True).to(DEVICE)
            loss = nn.functional.cross_entropy(model(X_batch, lengths[idx]), y[idx].to(DEVICE))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def train_dense(model, X, y, epochs, seed=0):
    """A minimal loop over a 3-D tensor, indexed directly."""
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    lengths = torch.full((len(X),), X.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=generator).split(BATCH_SIZE):
            X_batch, y_batch = X[idx].to(DEVICE), y[idx].to(DEVICE)
            loss = nn.functional.cross_entropy(model(X_batch, lengths[idx]), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def predict_ragged(model, X):
    """Batches in the order of X, padded and packed (exact)."""
    model.eval()
    out = []
    with torch.inference_mode():
        for start in range(0, len(X), PREDICT_BATCH_SIZE):
            part = [torch.from_numpy(x) for x in X[start : start + PREDICT_BATCH_SIZE]]
            lengths = torch.tensor([len(x) for x in part])
            X_batch = pad_sequence(part, batch_first=True).to(DEVICE)
            out.append(model(X_batch, lengths).argmax(1).cpu())
    return torch.cat(out).numpy()


def predict_padded_set(model, X):
    """The whole set padded to its longest sequence first, then batches."""
    model.eval()
    lengths = torch.tensor([len(x) for x in X])
    X_all = pad_sequence([torch.from_numpy(x) for x in X], batch_first=True)
    out = []
    with torch.inference_mode():
        for X_batch, l_batch in zip(
            X_all.split(PREDICT_BATCH_SIZE), lengths.split(PREDICT_BATCH_SIZE)
        ):
            out.append(model(X_batch.to(DEVICE), l_batch).argmax(1).cpu())
    return torch.cat(out).numpy()


def predict_dense(model, X):
    model.eval()
    X = torch.from_numpy(X)
    out = []
    with torch.inference_mode():
        for X_batch in X.split(PREDICT_BATCH_SIZE):
            lengths = torch.full((len(X_batch),), X.shape[1])
            out.append(model(X_batch.to(DEVICE), lengths).argmax(1).cpu())
    return torch.cat(out).numpy()


def check_exact(X):
    """Largest difference between sklstm's run_lstm on the device and
    packing on the CPU, on one batch."""
    module = estimator(max_epochs=0).fit(X[:2], [0, 1]).net_.module_
    batch = [torch.from_numpy(x) for x in X[:BATCH_SIZE]]
    lengths = torch.tensor([len(x) for x in batch])
    X_batch = pad_sequence(batch, batch_first=True)
    with torch.no_grad():
        output, (h_n, c_n) = module.run_lstm(X_batch.to(DEVICE), lengths.to(DEVICE))
        packed = pack_padded_sequence(X_batch, lengths, batch_first=True, enforce_sorted=False)
        ref_output, (ref_h, ref_c) = module.lstm.cpu()(packed)
        ref_output, _ = pad_packed_sequence(ref_output, batch_first=True)
    pairs = [(output.cpu(), ref_output), (h_n.cpu(), ref_h), (c_n.cpu(), ref_c)]
    return max((a - b).abs().max().item() for a, b in pairs)


def lstm_flops(n_steps, training):
    """Floating-point operations of the LSTM over ``n_steps`` real steps.

    Each step multiplies ``[x_t, h_{t-1}]`` (F + H values) by the 4H gate
    weights: 2 * 4H * (F + H) operations; the backward pass costs twice the
    forward. Gate nonlinearities and the head are left out (a few percent).
    Padded steps are not counted: they are work, but not useful work.
    """
    per_step = 2 * 4 * HIDDEN_SIZE * (N_FEATURES + HIDDEN_SIZE)
    return n_steps * per_step * (3 if training else 1)


def matmul_ceiling(batch_size, repeats=2000):
    """GFLOP/s of the plain matmul an LSTM step does, ``(B, F+H) @ (F+H, 4H)``
    plus bias, on this machine and thread count: the ceiling of the kernel."""
    a = torch.randn(batch_size, N_FEATURES + HIDDEN_SIZE, device=DEVICE)
    w = torch.randn(N_FEATURES + HIDDEN_SIZE, 4 * HIDDEN_SIZE, device=DEVICE)
    bias = torch.randn(4 * HIDDEN_SIZE, device=DEVICE)
    best = float("inf")
    for _ in range(5):
        synchronize()
        start = time.perf_counter()
        for _ in range(repeats):
            torch.addmm(bias, a, w)
        synchronize()
        best = min(best, time.perf_counter() - start)
    return 2 * batch_size * w.shape[0] * w.shape[1] * repeats / best / 1e9


def _proc_status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    raise KeyError(key)


def device_name():
    if DEVICE.type == "cuda":
        return f"{torch.cuda.get_device_name(DEVICE)} (CUDA {torch.version.cuda})"
    return "CPU"


def synchronize():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize(DEVICE)


def peak_extra_mb(make_run):
    """Peak memory one run adds above what was in use before it, MB.

    On a GPU: the peak of PyTorch's allocations on the device. On the CPU,
    resident memory:
    Measured in a forked child, so the timed runs keep glibc's default
    malloc: the child serves allocations of 64 kB and more by mmap (glibc
    would otherwise reuse memory freed by earlier runs without it showing),
    resets the peak-RSS mark through /proc/self/clear_refs, runs, and reads
    the new peak. Linux only; NaN elsewhere.
    """
    import ctypes
    import multiprocessing

    if DEVICE.type == "cuda":
        run = make_run()
        synchronize()
        before = torch.cuda.memory_allocated(DEVICE)
        torch.cuda.reset_peak_memory_stats(DEVICE)
        run()
        synchronize()
        return (torch.cuda.max_memory_allocated(DEVICE) - before) / 2**20

    def child(conn):
        try:
            run = make_run()
            ctypes.CDLL("libc.so.6").mallopt(-3, 64 * 1024)  # M_MMAP_THRESHOLD
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            before = _proc_status_kb("VmRSS")
            run()
            conn.send((_proc_status_kb("VmHWM") - before) / 1024)
        except Exception:  # noqa: BLE001 - report NaN, not a crash
            conn.send(float("nan"))

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return float("nan")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(send,))
    process.start()
    result = receive.recv()
    process.join()
    return result


SMALL_SHAPES = ((30, 10), (100, 24), (200, 427))  # (f): (sequences, steps), one feature
LARGE_SHAPE = (20_000, 100, 8)  # (g)


def bump_problem(n_samples, n_timesteps, n_features, seed):
    """Two classes told apart by where a bump lies in the noise (first or
    second half of the first feature), so that a fit learns as on real data
    and stops when it has converged."""
    rng = np.random.RandomState(seed)
    X = rng.normal(scale=0.5, size=(n_samples, n_timesteps, n_features)).astype(np.float32)
    y = rng.randint(2, size=n_samples)
    width = max(1, n_timesteps // 5)
    for i, label in enumerate(y):
        half = n_timesteps // 2
        start = rng.randint(half * label, max(half * label + 1, half * (label + 1) - width))
        X[i, start : start + width, 0] += 2.0
    return X, y


def same_module_loop(fitted, X, y):
    """A fresh copy of ``fitted``'s module trained by a minimal loop with the
    same batches, number of updates, optimizer, lr, weight decay and clipping:
    what the estimator's training costs without sklstm and skorch around it."""
    net = fitted.net_
    module = type(net.module_)(**net.get_params_for("module")).to(DEVICE)
    optimizer = torch.optim.Adam(
        module.parameters(), lr=net.lr, weight_decay=fitted.weight_decay_, fused=True
    )
    criterion = nn.CrossEntropyLoss()
    X_t = torch.from_numpy(X)
    lengths = torch.full((len(X),), X.shape[1])
    y_t = torch.from_numpy(np.searchsorted(fitted.classes_, y))
    generator = torch.Generator().manual_seed(0)

    def run():
        module.train()
        for _ in range(fitted.n_iter_):
            for idx in torch.randperm(len(X), generator=generator).split(net.batch_size):
                out = module(X_t[idx].to(DEVICE), lengths[idx].to(DEVICE))
                loss = criterion(out, y_t[idx].to(DEVICE))
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(module.parameters(), fitted.clip_grad_norm)
                optimizer.step()

    return run


def minirocket_fit(X, y):
    """aeon's MiniRocketClassifier, or None when aeon is not installed."""
    try:
        from aeon.classification.convolution_based import MiniRocketClassifier
    except ImportError:
        return None
    X_aeon = np.ascontiguousarray(X.transpose(0, 2, 1), dtype=np.float64)
    return lambda: MiniRocketClassifier(random_state=0).fit(X_aeon, y)


def default_fits(repeats, large):
    """(f), and (g) when ``large``: default fits against the same module in
    a minimal loop (and MiniRocket on small data), in seconds per fit."""
    shapes = [(n, steps, 1) for n, steps in SMALL_SHAPES] + ([LARGE_SHAPE] if large else [])
    print(
        "\n(f) default fits on small data and (g) on large data: seconds per fit "
        "(median of interleaved repeats); the loop trains the same module for "
        "the same updates as the default fit ran"
    )
    print(
        f"  {'data':18} {'epochs':>6} {'updates':>7} {'fit':>7} {'loop':>7} {'loop/fit':>8} "
        f"{'MiniRocket':>10} {'train acc':>9}"
    )
    for n, steps, features in shapes:
        X, y = bump_problem(n, steps, features, seed=0)
        fitted = LSTMClassifier(random_state=0, device=str(DEVICE)).fit(X, y)
        contenders = {
            "fit": partial(LSTMClassifier(random_state=0, device=str(DEVICE)).fit, X, y),
            "loop": same_module_loop(fitted, X, y),
        }
        large_row = (n, steps, features) == LARGE_SHAPE
        rocket = None if large_row else minirocket_fit(X, y)
        if rocket is not None:
            rocket()  # numba compiles its kernels once per process
            contenders["MiniRocket"] = rocket
        seconds = {name: [] for name in contenders}
        for _ in range(1 if large_row else repeats):
            for name, run in contenders.items():
                seconds[name].append(timed(run))
        median = {name: statistics.median(times) for name, times in seconds.items()}
        updates = fitted.n_iter_ * -(-n // fitted.net_.batch_size)
        rocket_s = f"{median['MiniRocket']:10.2f}" if "MiniRocket" in median else f"{'-':>10}"
        print(
            f"  {f'{n} x {steps} x {features}':18} {fitted.n_iter_:6d} {updates:7d} "
            f"{median['fit']:7.2f} {median['loop']:7.2f} {median['loop'] / median['fit']:7.2f}x "
            f"{rocket_s} {fitted.score(X, y):9.3f}",
            flush=True,
        )


def timed(fn):
    synchronize()
    start = time.perf_counter()
    fn()
    synchronize()
    return time.perf_counter() - start


def compare(title, contenders, n_sequences, repeats, flops, ceiling):
    """Time each contender ``repeats`` times, interleaved, and print the
    median throughputs, their ratios to the first contender's, the useful
    GFLOP/s next to the matmul ``ceiling``, and the peak extra memory of one
    more run.

    ``contenders`` maps names to functions that set a run up (untimed) and
    return it; ``flops`` is the useful work of one run. Returns the ratios.
    """
    seconds = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, make_run in contenders.items():
            seconds[name].append(timed(make_run()))
    memory = {name: peak_extra_mb(make_run) for name, make_run in contenders.items()}
    median = {name: statistics.median(s) for name, s in seconds.items()}
    reference = next(iter(contenders))
    ratios = {name: median[reference] / median[name] for name in contenders}
    print(f"\n{title}\n  {'':46} {'seq/s':>8} {'ratio':>7} {'GFLOP/s':>8} {'peak MB':>8}")
    for name in contenders:
        print(
            f"  {name:46} {n_sequences / median[name]:8.0f} {ratios[name]:6.2f}x "
            f"{flops / median[name] / 1e9:8.2f} {memory[name]:8.1f}",
            flush=True,
        )
    print(f"  {'matmul ceiling, same shapes':46} {'':8} {'':7} {ceiling:8.2f}")
    return ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sequences, epochs and repeats")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument(
        "--defaults", action="store_true", help="only (f), the default fits on small data"
    )
    parser.add_argument(
        "--large", action="store_true", help="also (g), a default fit on 20,000 sequences"
    )
    args = parser.parse_args()
    global DEVICE
    DEVICE = torch.device(args.device)
    # One thread: these small LSTMs gain little from more, and torch threads
    # that outnumber the free cores (tests or another job running beside the
    # benchmark) slow it 10-100x, which would drown the ratios.
    torch.set_num_threads(args.threads)
    if args.defaults:
        print(f"command: python {' '.join(sys.argv)}")
        print(f"torch {torch.__version__}, {device_name()}, {torch.get_num_threads()} thread(s)")
        # torch imports its compiler on the first optimizer of a process (~2 s,
        # once): paid here, outside the timed fits
        with warnings.catch_warnings():  # one epoch learns nothing, as meant
            warnings.simplefilter("ignore", ConvergenceWarning)
            LSTMClassifier(max_epochs=1).fit(*bump_problem(8, 10, 1, seed=0))
        default_fits(repeats=3, large=args.large)
        return
    repeats = 3 if args.quick else 5
    epochs = 1 if args.quick else 2
    n_ragged = 1024
    n_dense = 1024 if args.quick else 4096

    print(f"command: python {' '.join(sys.argv)}")
    print(
        f"torch {torch.__version__}, {device_name()}, {torch.get_num_threads()} CPU thread(s); "
        f"median of {repeats} "
        f"interleaved repeats; ratio: throughput / that of the table's first row"
    )
    print(
        "GFLOP/s: useful LSTM work (real steps only, backward = 2x forward) per second; "
        "the ceiling is a plain matmul (batch, F+H) @ (F+H, 4H) + bias, as one LSTM step "
        "does. peak MB: "
        + ("GPU memory PyTorch allocates" if DEVICE.type == "cuda" else "resident memory")
        + " one run adds at its peak (data excluded)."
    )
    train_ceiling = matmul_ceiling(BATCH_SIZE)
    predict_ceiling = matmul_ceiling(PREDICT_BATCH_SIZE, repeats=500)

    X, y = heavy_tailed(n_ragged, seed=0)
    lengths = np.array([len(x) for x in X])
    print(
        f"\nheavy-tailed lengths: median {np.median(lengths):.0f}, 90th percentile "
        f"{np.percentile(lengths, 90):.0f}, max {lengths.max()}; "
        f"run_lstm vs packing, max abs difference: {check_exact(X):.1e}"
    )

    def fit_loop(model_cls, *args):
        def make_run():
            model = model_cls(*args).to(DEVICE)
            return lambda: train_ragged(model, X, y, epochs)

        return make_run

    ragged = compare(
        f"(a) training, {n_ragged} variable-length sequences x {epochs} epoch(s)",
        {
            "loop, pad + pack_padded_sequence (exact)": fit_loop(HandModel, True),
            "loop, pad, no packing (wrong final states)": fit_loop(HandModel, False),
            "loop, sklstm's module (exact)": fit_loop(SklstmModuleModel, X, y),
            "LSTMClassifier.fit (exact)": lambda: lambda: estimator(epochs).fit(X, y),
        },
        n_ragged * epochs,
        repeats,
        lstm_flops(lengths.sum() * epochs, training=True),
        train_ceiling,
    )

    X_dense, y_dense = fixed_length(n_dense, 100, seed=0)

    def dense_loop():
        model = HandModel(False).to(DEVICE)
        return lambda: train_dense(model, X_dense, y_dense, epochs)

    dense = compare(
        f"(b) training, {n_dense} x 100 x {N_FEATURES} fixed-length sequences x {epochs} epoch(s)",
        {
            "loop, index tensors directly": dense_loop,
            "plain skorch NeuralNetClassifier": lambda: (
                lambda: plain_skorch(epochs).fit(X_dense, y_dense.astype(np.int64))
            ),
            "LSTMClassifier.fit": lambda: lambda: estimator(epochs).fit(X_dense, y_dense),
        },
        n_dense * epochs,
        repeats,
        lstm_flops(X_dense.shape[0] * X_dense.shape[1] * epochs, training=True),
        train_ceiling,
    )

    # inference with models trained for one epoch; only speed is compared
    model_ragged, model_dense = HandModel(True).to(DEVICE), HandModel(False).to(DEVICE)
    train_ragged(model_ragged, X, y, 1)
    train_dense(model_dense, X_dense, y_dense, 1)
    clf_ragged, clf_dense = estimator(1).fit(X, y), estimator(1).fit(X_dense, y_dense)
    predict_ragged_ratios = compare(
        f"(c) inference, {n_ragged} variable-length sequences",
        {
            "loop, pad + pack, batches of 256": lambda: lambda: predict_ragged(model_ragged, X),
            "loop, whole set padded to its longest first": lambda: (
                lambda: predict_padded_set(model_ragged, X)
            ),
            "LSTMClassifier.predict": lambda: lambda: clf_ragged.predict(X),
        },
        n_ragged,
        repeats,
        lstm_flops(lengths.sum(), training=False),
        predict_ceiling,
    )
    batch_mb = PREDICT_BATCH_SIZE * lengths.max() * N_FEATURES * 4 / 2**20
    print(
        f"  (one batch of {PREDICT_BATCH_SIZE} padded to the longest sequence: {batch_mb:.1f} MB)"
    )
    predict_dense_ratios = compare(
        f"(d) inference, {n_dense} x 100 x {N_FEATURES} fixed-length sequences",
        {
            "loop, index tensors directly, batches of 256": lambda: (
                lambda: predict_dense(model_dense, X_dense)
            ),
            "LSTMClassifier.predict": lambda: lambda: clf_dense.predict(X_dense),
        },
        n_dense,
        repeats,
        lstm_flops(X_dense.shape[0] * X_dense.shape[1], training=False),
        predict_ceiling,
    )

    gru = compare(
        f"(e) training with GRU cells, the same {n_ragged} sequences x {epochs} epoch(s)",
        {
            "loop, GRU, pad + pack_padded_sequence (exact)": fit_loop(HandModel, True, "gru"),
            "LSTMClassifier(cell='gru').fit (exact)": lambda: (
                lambda: estimator(epochs, cell="gru").fit(X, y)
            ),
        },
        n_ragged * epochs,
        repeats,
        0.75 * lstm_flops(lengths.sum() * epochs, training=True),  # 3 gates, not 4
        train_ceiling,
    )

    fit = "LSTMClassifier.fit (exact)"
    print("\nsummary: sklstm's throughput / the reference's")
    print(f"  (a) fit vs pad + pack loop (goal >= 5):        {ragged[fit]:5.2f}")
    wrong = ragged["loop, pad, no packing (wrong final states)"]
    print(f"  (a) fit vs unpacked loop (goal > 1):           {ragged[fit] / wrong:5.2f}")
    module = ragged["loop, sklstm's module (exact)"]
    print(f"  (a) fit vs the same loop with sklstm's module: {ragged[fit] / module:5.2f}")
    gru_fit = gru["LSTMClassifier(cell='gru').fit (exact)"]
    print(f"  (e) GRU fit vs GRU pad + pack loop:            {gru_fit:5.2f}")
    print(f"  (b) fit vs minimal loop:                       {dense['LSTMClassifier.fit']:5.2f}")
    plain = dense["plain skorch NeuralNetClassifier"]
    print(
        f"  (b) fit vs plain skorch (goal >= 1):           "
        f"{dense['LSTMClassifier.fit'] / plain:5.2f}"
    )
    print(
        f"  (c) predict vs loop, variable-length:          "
        f"{predict_ragged_ratios['LSTMClassifier.predict']:5.2f}"
    )
    print(
        f"  (d) predict vs loop, fixed-length:             "
        f"{predict_dense_ratios['LSTMClassifier.predict']:5.2f}"
    )


if __name__ == "__main__":
    main()
