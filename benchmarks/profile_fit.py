"""Where the time of a default fit goes: one profile per data shape.

For each shape (sequences x steps x features), this times a default
``LSTMClassifier`` fit (after one untimed fit has paid torch's one-time
costs), then profiles, with ``torch.profiler``, updates of a copy of the fitted module
as training runs them (one batch of the size ``batch_size='auto'`` gives:
the module's forward, the loss, the backward, clipping and the optimizer's
step) in a minimal loop, whose time per update against the fit's says what
sklstm and skorch add around the module. Run:

    python benchmarks/profile_fit.py                    # 30x10x1, 200x427x1, 100x1460x1
    python benchmarks/profile_fit.py --shapes 30x10x1   # one shape

One torch thread. Compare the shares within a profile, not seconds across
machines.
"""

import argparse
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile

from sklstm import LSTMClassifier

SHAPES = ("30x10x1", "200x427x1", "100x1460x1")
N_UPDATES = 30  # profiled updates per shape
ROWS = 12  # operators listed per profile


def problem(n_samples, n_timesteps, n_features, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_timesteps, n_features)).astype(np.float32)
    return X, (X[:, :, 0].mean(axis=1) > 0).astype(np.int64)


def updates(fitted, X, y, n_updates):
    """A function running ``n_updates`` training updates of a copy of the
    fitted module, as training does (Adam as the estimator sets it up)."""
    net = fitted.net_
    module = type(net.module_)(**net.get_params_for("module"))
    module.train()
    optimizer = torch.optim.Adam(module.parameters(), lr=net.lr, fused=True)
    criterion = nn.CrossEntropyLoss()
    batch = net.batch_size
    X_t, y_t = torch.from_numpy(X[:batch]), torch.from_numpy(y[:batch])
    lengths = torch.full((len(X_t),), X.shape[1])

    def run():
        for _ in range(n_updates):
            loss = criterion(module(X_t, lengths), y_t)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(module.parameters(), fitted.clip_grad_norm)
            optimizer.step()

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help="e.g. 30x10x1,200x427x1")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"command: python {' '.join(sys.argv)}")
    print(f"torch {torch.__version__}, one thread")
    # torch imports its compiler at the first optimizer of a process (~2 s,
    # once): paid here, outside the timed fits
    LSTMClassifier(max_epochs=1).fit(*problem(8, 10, 1))
    for shape in args.shapes.split(","):
        n, steps, features = (int(v) for v in shape.split("x"))
        X, y = problem(n, steps, features)
        start = time.perf_counter()
        fitted = LSTMClassifier(random_state=0).fit(X, y)
        seconds = time.perf_counter() - start
        n_batches = -(-n // fitted.net_.batch_size)
        n_fit_updates = fitted.n_iter_ * n_batches
        run = updates(fitted, X, y, N_UPDATES)
        run()  # warm up
        start = time.perf_counter()
        run()
        per_update = (time.perf_counter() - start) / N_UPDATES
        print(
            f"\n{shape}: default fit {seconds:.2f} s, {fitted.n_iter_} epochs x {n_batches} "
            f"batches of {fitted.net_.batch_size} = {n_fit_updates} updates, "
            f"{seconds / n_fit_updates * 1e3:.2f} ms each in the fit (all included); "
            f"{per_update * 1e3:.2f} ms per update in a minimal loop "
            f"({per_update * n_fit_updates / seconds:.2f} of the fit's time)"
        )
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            run()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=ROWS))


if __name__ == "__main__":
    main()
