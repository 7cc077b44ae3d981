"""Test scores of sklstm's defaults on every bundled real dataset (#6).

Each dataset in :mod:`sklstm.datasets` is fitted on its official train/test
split by four models, side by side:

- **sklstm defaults**: ``make_pipeline(SequenceScaler(), LSTMClassifier(
  random_state=0))`` (or ``LSTMRegressor``), no per-dataset tuning;
- **plain skorch LSTM**: the model users write today with skorch: an
  ``nn.LSTM(n_features, 64, batch_first=True)`` and a linear layer on the
  final hidden state ``h_n[-1]``, Adam with lr=1e-3, batches of 32, the same
  100 epochs as sklstm's default ``max_epochs``, no validation split, on the
  same SequenceScaler-scaled float32 inputs, seeded with
  ``torch.manual_seed(0)``; variable-length sequences are padded with zeros
  at the end to the longest one (no packing); regression targets are
  standardised, as LSTMRegressor does internally;
- **1-NN** and **RidgeCV**: scikit-learn's ``KNeighbors*(n_neighbors=1)``
  (Euclidean) and ``RidgeClassifierCV`` / ``RidgeCV`` (10 alphas from 1e-3 to
  1e3) on the flattened scaled series; variable-length sequences are first
  resampled to the median training length (linear interpolation per channel).

The sunspot series has no split: as in ``examples/plot_sunspot_forecast.py``
the last 59 years (1950-2008) are the test period; each sample is a window of
22 years and its target the next year; every training target lies before
1950. Scores are the test accuracy (classification) or the test RMSE
(regression and forecasting, lower is better); times are ``fit`` wall-clock
seconds on one torch thread. Run:

    python benchmarks/accuracy.py               # about 2 min on 2 CPU cores
    python benchmarks/accuracy.py --quick       # under 1 min: 10 epochs, a smoke run
    python benchmarks/accuracy.py --seeds 5     # LSTMs with 5 seeds, mean ± std: ~8 min
    python benchmarks/accuracy.py --markdown accuracy.md   # also write the table as Markdown
    python benchmarks/accuracy.py --params '{"lr": 0.001}'  # sklstm with other settings
    python benchmarks/accuracy.py --datasets chinatown,sunspots   # some datasets only

``--seeds N`` fits both LSTMs with seeds 0 to N-1 (``random_state`` and
``torch.manual_seed``) and reports the mean and standard deviation. Read a
single-seed table with care: the test sets have 22 to 242 sequences, one
Chinatown test day is 4.5 points of accuracy, and the LSTMs' scores move by
more than that from one seed to the next.
"""

import argparse
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass
from functools import partial

import numpy as np
import sklearn
import skorch
import torch
from sklearn.base import BaseEstimator
from sklearn.linear_model import RidgeClassifierCV, RidgeCV
from sklearn.metrics import accuracy_score, root_mean_squared_error
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, LabelEncoder
from torch import nn

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor, SequenceScaler
from sklstm.datasets import (
    load_cardano_sentiment,
    load_chinatown,
    load_eeg_hand_raise,
    load_osuleaf,
    load_shoulder_exercises,
    load_sunspots,
)
from sklstm.forecasting import make_windows

MAX_EPOCHS = 100  # sklstm's default max_epochs, given to the plain skorch LSTM too
QUICK_EPOCHS = 10
SUNSPOT_WINDOW = 22  # past years per sample, about two solar cycles
SUNSPOT_N_TEST = 59  # the last 59 years, 1950 to 2008, as in plot_sunspot_forecast.py
RIDGE_ALPHAS = np.logspace(-3, 3, 10)

# Published deep-learning test accuracies on the same UCR train/test splits
# (quoted, not measured here): [1] Fawaz et al., "Deep learning for time
# series classification: a review", DMKD 2019, github.com/hfawaz/dl-4-tsc
# results/results-ucr-128.csv, mean of its 5 runs; [2] Fawaz et al.,
# "InceptionTime", DMKD 2020, github.com/hfawaz/InceptionTime results-128.csv.
# No published deep-learning results exist for the other bundled datasets.
PUBLISHED = {
    "osuleaf": "FCN 0.979, ResNet 0.980, MLP 0.560 [1]; InceptionTime 0.942 [2]",
    "chinatown": "FCN 0.980, ResNet 0.978 [1]; InceptionTime 0.983 [2] "
                 "(on the full 343-day UCR test set; aeon's copy keeps 22 days)",
}


@dataclass
class Problem:
    name: str
    task: str  # "classification", "regression" or "forecasting"
    X_train: object  # (n, L, H_in) array or a list of (L_i, H_in) arrays
    X_test: object
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def is_classification(self):
        return self.task == "classification"

    @property
    def variable_length(self):
        return isinstance(self.X_train, list)


# %% Datasets ----------------------------------------------------------------


def sunspot_windows():
    """Chronological split of examples/plot_sunspot_forecast.py, horizon 1."""
    series = load_sunspots().series
    test_start = len(series) - SUNSPOT_N_TEST
    # Training windows come from the training years only, so every training
    # target lies before 1950; test windows may read training years as inputs.
    X_train, y_train = make_windows(series[:test_start], window=SUNSPOT_WINDOW)
    X_test, y_test = make_windows(series[test_start - SUNSPOT_WINDOW:], window=SUNSPOT_WINDOW)
    assert len(y_test) == SUNSPOT_N_TEST
    return X_train, X_test, y_train[:, 0], y_test[:, 0]


def problems():
    loaders = {
        "osuleaf": ("classification", partial(load_osuleaf, return_X_y=True)),
        "chinatown": ("classification", partial(load_chinatown, return_X_y=True)),
        "eeg_hand_raise": ("classification", partial(load_eeg_hand_raise, return_X_y=True)),
        "shoulder_exercises": ("classification", partial(load_shoulder_exercises, return_X_y=True)),
        "cardano_sentiment": ("regression", partial(load_cardano_sentiment, return_X_y=True)),
        "sunspots": ("forecasting", sunspot_windows),
    }
    for name, (task, load) in loaders.items():
        yield Problem(name, task, *load())  # X_train, X_test, y_train, y_test


# %% Models ------------------------------------------------------------------


def sklstm_defaults(problem, max_epochs, seed, params=None):
    """``params``: settings that replace sklstm's defaults (``--params``)."""
    Estimator = LSTMClassifier if problem.is_classification else LSTMRegressor
    params = dict(params or {})
    if max_epochs != MAX_EPOCHS:
        params["max_epochs"] = max_epochs
    return make_pipeline(SequenceScaler(), Estimator(random_state=seed, **params))


class LastHiddenStateLSTM(nn.Module):
    """The blog-post module: one LSTM layer and a linear layer on h_n[-1]."""

    def __init__(self, n_features, n_outputs, hidden_size=64):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden_size, batch_first=True)
        self.linear = nn.Linear(hidden_size, n_outputs)

    def forward(self, X):
        _, (h_n, _) = self.lstm(X)  # h_n: (num_layers, N, H_out)
        return self.linear(h_n[-1])  # (N, n_outputs)


def pad_with_zeros(X):
    """A list of (L_i, H_in) arrays -> (N, max L_i, H_in) float32, zeros at the end."""
    if not isinstance(X, list):
        return np.asarray(X, dtype=np.float32)
    padded = np.zeros((len(X), max(len(x) for x in X), X[0].shape[1]), dtype=np.float32)
    for i, x in enumerate(X):
        padded[i, :len(x)] = x
    return padded


class PlainSkorchLSTM(BaseEstimator):
    """What a user writes around skorch without sklstm, as a small estimator.

    The steps a user does by hand: scale, pad, cast to float32, LabelEncode
    the classes to int64. For regression the targets are standardised too (and
    (N, 1) float32, as MSELoss wants), because sklstm's LSTMRegressor does so
    internally: otherwise a sunspot target of 100 would need a bias that Adam
    with lr=1e-3 cannot reach in its 800 updates (100 epochs of 8 batches), and
    the comparison would measure target scaling rather than the LSTM.
    """

    def __init__(self, *, classification=True, max_epochs=MAX_EPOCHS, random_state=0):
        self.classification = classification
        self.max_epochs = max_epochs
        self.random_state = random_state

    def fit(self, X, y):
        self.scaler_ = SequenceScaler().fit(X)
        X = pad_with_zeros(self.scaler_.transform(X))
        if self.classification:
            self.encoder_ = LabelEncoder().fit(y)
            y = self.encoder_.transform(y).astype(np.int64)
            Net, criterion, n_outputs = (
                skorch.NeuralNetClassifier, nn.CrossEntropyLoss, len(self.encoder_.classes_)
            )
        else:
            self.y_mean_, self.y_std_ = y.mean(), y.std()
            y = ((y - self.y_mean_) / self.y_std_).astype(np.float32).reshape(-1, 1)
            Net, criterion, n_outputs = skorch.NeuralNetRegressor, nn.MSELoss, 1
        self.net_ = Net(
            LastHiddenStateLSTM,
            module__n_features=X.shape[2],
            module__n_outputs=n_outputs,
            criterion=criterion,
            optimizer=torch.optim.Adam,
            lr=1e-3,
            batch_size=32,
            max_epochs=self.max_epochs,
            train_split=None,
            iterator_train__shuffle=True,
            verbose=0,
        )
        torch.manual_seed(self.random_state)  # the weights and skorch's shuffling
        self.net_.fit(X, y)
        return self

    def predict(self, X):
        X = pad_with_zeros(self.scaler_.transform(X))
        if self.classification:
            return self.encoder_.inverse_transform(self.net_.predict(X))
        return self.net_.predict(X)[:, 0] * self.y_std_ + self.y_mean_


def plain_skorch_lstm(problem, max_epochs, seed):
    return PlainSkorchLSTM(
        classification=problem.is_classification, max_epochs=max_epochs, random_state=seed
    )


def resample(x, length):
    """(L, H_in) -> (length, H_in) by linear interpolation of each channel."""
    old, new = np.arange(len(x)), np.linspace(0, len(x) - 1, length)
    return np.column_stack([np.interp(new, old, channel) for channel in x.T])


def flatten(X, length=None):
    """Sequences -> (N, L * H_in) rows; a list is resampled to ``length`` steps first."""
    if isinstance(X, list):
        X = np.stack([resample(x, length) for x in X])
    return np.asarray(X).reshape(len(X), -1)


def sklearn_baselines(problem):
    length = None
    if problem.variable_length:
        length = int(np.median([len(x) for x in problem.X_train]))
    if problem.is_classification:
        estimators = {"1-NN": KNeighborsClassifier(n_neighbors=1),
                      "RidgeCV": RidgeClassifierCV(alphas=RIDGE_ALPHAS)}
    else:
        estimators = {"1-NN": KNeighborsRegressor(n_neighbors=1),
                      "RidgeCV": RidgeCV(alphas=RIDGE_ALPHAS)}
    return {
        name: make_pipeline(
            SequenceScaler(), FunctionTransformer(flatten, kw_args={"length": length}), est
        )
        for name, est in estimators.items()
    }


def models(problem, max_epochs, seeds, params=None):
    """(name, unfitted model) pairs: the LSTMs once per seed, the baselines once."""
    for seed in seeds:
        yield "sklstm defaults", sklstm_defaults(problem, max_epochs, seed, params)
        yield "plain skorch LSTM", plain_skorch_lstm(problem, max_epochs, seed)
    yield from sklearn_baselines(problem).items()


MODEL_NAMES = ["sklstm defaults", "plain skorch LSTM", "1-NN", "RidgeCV"]


# %% Scoring and the table ----------------------------------------------------


def score(problem, y_pred):
    if problem.is_classification:
        return accuracy_score(problem.y_test, y_pred)
    return root_mean_squared_error(problem.y_test, y_pred)


def format_scores(scores):
    """One score, or the mean and standard deviation over the seeds."""
    if len(scores) == 1:
        return f"{scores[0]:.3f}"
    return f"{np.mean(scores):.3f} ± {np.std(scores):.3f}"


def shape_of(X):
    """'steps x channels', with a range of steps for variable length."""
    lengths = sorted({len(x) for x in X})
    steps = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]}-{lengths[-1]}"
    return f"{steps} x {X[0].shape[-1]}"


HEADER = ["dataset", "task", "steps x ch", "train/test", "metric"] + [
    column for name in MODEL_NAMES for column in (name, "fit s")
]
WIDTHS = [18, 14, 11, 10, 8] + [max(len(column), 6) for column in HEADER[5:]]


def format_row(cells):
    # text columns to the left, numbers to the right
    return "  ".join(
        c.ljust(w) if i < 5 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, WIDTHS))
    )


def markdown_table(rows):
    lines = ["| " + " | ".join(HEADER) + " |",
             "| " + " | ".join("---" if i < 5 else "---:" for i in range(len(HEADER))) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_EPOCHS} epochs instead of {MAX_EPOCHS}, for a smoke run")
    parser.add_argument("--seeds", type=int, default=1, metavar="N",
                        help="fit the LSTMs with seeds 0..N-1 and report mean ± std (default 1)")
    parser.add_argument("--markdown", metavar="PATH", help="also write the table as Markdown")
    parser.add_argument("--early-stopping", action="store_true",
                        help="fit sklstm with early_stopping=True instead of its default")
    parser.add_argument("--params", type=json.loads, default={}, metavar="JSON",
                        help="sklstm settings that replace its defaults, "
                             """e.g. '{"forget_bias": null}'""")
    parser.add_argument("--datasets", metavar="NAMES",
                        help="comma-separated dataset names (default: all)")
    args = parser.parse_args()
    params = dict(args.params)
    if args.early_stopping:
        params["early_stopping"] = True
    # A small LSTM gains nothing from a second thread and loses 10-100x when
    # torch threads outnumber the free cores (#7).
    torch.set_num_threads(1)
    max_epochs = QUICK_EPOCHS if args.quick else MAX_EPOCHS
    seeds = range(args.seeds)

    caption = (
        "Test accuracy (higher is better) or RMSE (lower is better) on the official splits, "
        f"and fit times in seconds. LSTMs: max_epochs={max_epochs}, "
        + (f"random_state={seeds[0]}." if len(seeds) == 1 else
           f"mean ± std over random_state=0..{len(seeds) - 1} (fit time: mean).")
        + (f" sklstm with {json.dumps(params)}." if params else "")
    )
    print(caption + "\n")
    print(format_row(HEADER))
    print(format_row(["-" * w for w in WIDTHS]))
    start = time.perf_counter()
    rows = []
    for problem in problems():
        if args.datasets and problem.name not in args.datasets.split(","):
            continue
        results = {name: ([], []) for name in MODEL_NAMES}  # name: (scores, fit seconds)
        for name, model in models(problem, max_epochs, seeds, params):
            fit_start = time.perf_counter()
            model.fit(problem.X_train, problem.y_train)
            results[name][1].append(time.perf_counter() - fit_start)
            results[name][0].append(score(problem, model.predict(problem.X_test)))
        row = [problem.name, problem.task, shape_of(problem.X_train),
               f"{len(problem.X_train)}/{len(problem.X_test)}",
               "accuracy" if problem.is_classification else "RMSE"]
        for scores, seconds in results.values():
            row += [format_scores(scores), f"{np.mean(seconds):.1f}"]
        print(format_row(row), flush=True)
        rows.append(row)
    total = time.perf_counter() - start

    footer = [
        f"Total run time: {total:.0f} s ({total / 60:.1f} min); load average at the end "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU cores; one torch thread.",
        f"Command: python benchmarks/accuracy.py {shlex.join(sys.argv[1:])}".rstrip(),
        f"sklstm {sklstm.__version__}, torch {torch.__version__}, skorch {skorch.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}.",
        "Published deep-learning accuracies, same UCR splits (quoted, see PUBLISHED in "
        "the script for the sources):",
        *(f"  {name}: {text}" for name, text in PUBLISHED.items()),
    ]
    print("\n" + "\n".join(footer))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(caption + "\n\n" + markdown_table(rows) + "\n\n"
                    + "".join(f"{line}  \n" for line in footer))


if __name__ == "__main__":
    main()
