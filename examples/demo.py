"""sklstm demo: an LSTMClassifier next to plain scikit-learn baselines.

Two real datasets bundled with sklstm, each on its official train/test split:

- Chinatown: 24 hourly pedestrian counts per day (univariate, equal length),
  weekend or weekday, from only 20 training days;
- shoulder exercises: smartwatch accelerometer and gyroscope signals (6
  channels, 94 to 261 time steps), one of 7 physiotherapy exercises, with the
  test subjects unseen in training. The sequences differ in length and go to
  ``fit`` as a plain list of 2-D arrays.

The LSTMs keep their default hyperparameters; only the inputs are scaled
(StandardScaler per hour for Chinatown, SequenceScaler per channel for the
exercises), with statistics from the training set. The baselines see the flattened series
(Chinatown) or per-channel summary statistics (shoulder exercises, whose
series cannot be flattened to one width).

Run it with ``make demo``; it takes about a minute on 2 CPU cores.
"""

import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMClassifier, SequenceScaler
from sklstm.datasets import load_chinatown, load_shoulder_exercises

# A small LSTM does one tiny matrix product per time step, too little work to
# share between threads: on a busy 2-core machine a second torch thread made
# the epochs of this demo up to 100 times slower. This sets the script's own
# torch only.
torch.set_num_threads(1)

RANDOM_STATE = 0


def chinatown():
    data = load_chinatown()
    # (n_samples, 24, 1) -> (n_samples, 24): LSTMClassifier reads a 2-D table
    # as univariate sequences, so a StandardScaler can scale the raw counts
    # (3 to 2019) hour by hour in the same Pipeline.
    X_train, X_test = data.X_train[..., 0], data.X_test[..., 0]
    lstm = make_pipeline(StandardScaler(), LSTMClassifier(random_state=RANDOM_STATE))
    features = X_train, X_test  # the flattened series
    return "Chinatown", data, (X_train, X_test), lstm, features


def shoulder_exercises():
    data = load_shoulder_exercises()
    # SequenceScaler standardises each channel over all time steps of all
    # training sequences, whatever their lengths, inside the Pipeline.
    lstm = make_pipeline(SequenceScaler(), LSTMClassifier(random_state=RANDOM_STATE))
    features = summary_statistics(data.X_train), summary_statistics(data.X_test)
    return "Shoulder exercises", data, (data.X_train, data.X_test), lstm, features


def summary_statistics(sequences):
    """Mean, standard deviation, min and max of each channel of each sequence."""
    return np.array([np.concatenate([x.mean(0), x.std(0), x.min(0), x.max(0)]) for x in sequences])


def baselines():
    return {
        "LogReg": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "1-NN": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=1)),
    }


def shape_of(X):
    """'length x channels' of a set of sequences, with a range if ragged."""
    lengths = sorted({len(x) for x in X})
    length = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]}-{lengths[-1]}"
    n_channels = 1 if np.ndim(X[0]) == 1 else X[0].shape[1]
    return f"{length} x {n_channels}"


def print_table(header, rows):
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        # text columns to the left, numbers to the right
        print(
            "  ".join(
                c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main():
    header = [
        "dataset",
        "steps x channels",
        "classes",
        "train/test",
        "LSTM",
        "LogReg",
        "1-NN",
        "LSTM fit (s)",
    ]
    rows = []
    for load in (chinatown, shoulder_exercises):
        name, data, (X_train, X_test), lstm, (F_train, F_test) = load()
        start = time.perf_counter()
        lstm.fit(X_train, data.y_train)
        seconds = time.perf_counter() - start
        scores = [lstm.score(X_test, data.y_test)]
        for model in baselines().values():
            scores.append(model.fit(F_train, data.y_train).score(F_test, data.y_test))
        rows.append(
            [
                name,
                shape_of(X_train),
                str(len(np.unique(data.y_train))),
                f"{len(X_train)}/{len(X_test)}",
                *(f"{score:.3f}" for score in scores),
                f"{seconds:.1f}",
            ]
        )

    print("Test accuracy on the official train/test splits (random_state=0).")
    print("LSTM: LSTMClassifier with its default settings. Baselines, each after a")
    print("StandardScaler: LogisticRegression (LogReg) and 1-nearest neighbour (1-NN)")
    print("on the flattened series (Chinatown) or on each channel's mean, std, min")
    print("and max (shoulder exercises, whose sequences differ in length).\n")
    print_table(header, rows)


if __name__ == "__main__":
    main()
