"""Which training defaults generalise: early stopping and the lr schedule.

Fits LSTMClassifier / LSTMRegressor on synthetic tables read as sequences
(make_classification / make_regression) and on an order-dependent sequence
task, with n training sequences, and prints the test score (accuracy or R^2)
of each setting side by side. Run:

    python benchmarks/bench_training_defaults.py          # about 10 min on 2 cores
    python benchmarks/bench_training_defaults.py --quick  # about 2 min
"""

import argparse
import time

import numpy as np
import torch
from sklearn.datasets import make_classification, make_regression
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMClassifier, LSTMRegressor

SETTINGS = {
    "no ES, constant lr": {"early_stopping": False, "lr_schedule": "constant"},
    "no ES, plateau lr": {"early_stopping": False, "lr_schedule": "plateau"},
    "ES, plateau lr": {"early_stopping": True, "lr_schedule": "plateau"},
}


def order_problem(n_samples, seed):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 24, 2)).astype(np.float32)
    y = X[:, :12, 0].mean(axis=1) > X[:, 12:, 0].mean(axis=1)
    return X, y


def problems(seed):
    X, y = make_regression(
        n_samples=3000, n_features=10, n_informative=1, bias=5.0, noise=20, random_state=seed
    )
    yield "regression (table as sequence)", LSTMRegressor, StandardScaler().fit_transform(X), y
    X, y = make_classification(n_samples=3000, n_features=12, n_informative=5, random_state=seed)
    yield "classification (table as sequence)", LSTMClassifier, X, y
    X, y = order_problem(3000, seed)
    yield "order problem (24 steps x 2)", LSTMClassifier, X, y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and seeds")
    args = parser.parse_args()
    # small LSTMs gain nothing from a second thread and lose much on a busy machine
    torch.set_num_threads(1)
    sizes = [200, 500] if args.quick else [200, 500, 2000]
    seeds = [0] if args.quick else [0, 1]
    n_test = 1000
    print(
        f"test score (accuracy or R^2) on {n_test} held-out sequences; torch {torch.__version__}"
    )
    header = f"{'problem':36} {'n':>5} {'seed':>4} " + " ".join(f"{s:>20}" for s in SETTINGS)
    print(header)
    start = time.perf_counter()
    for seed in seeds:
        for name, Est, X, y in problems(seed):
            for n in sizes:
                scores = []
                for params in SETTINGS.values():
                    est = Est(random_state=0, **params).fit(X[:n], y[:n])
                    scores.append(est.score(X[-n_test:], y[-n_test:]))
                print(
                    f"{name:36} {n:>5} {seed:>4} " + " ".join(f"{s:>20.3f}" for s in scores),
                    flush=True,
                )
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
