"""Pretraining without labels, then fine-tuning, against training on the labels alone.

The case ``LSTMClassifier(encoder=...)`` exists for: many sequences, labels
for few. For each dataset, a stratified fraction of the training sequences
keeps its labels (drawn with the seed); then, side by side:

- **labels only**: ``LSTMClassifier(random_state=seed)`` on the labelled
  sequences;
- **pretrained, fine-tuned**: ``LSTMEncoderTransformer(random_state=seed)``
  fitted on *all* training sequences without labels (its default
  contrastive objective), then ``LSTMClassifier(encoder=that, ...)`` on the
  labelled ones, all weights trained;
- **pretrained, frozen**: the same with ``freeze_encoder=True``: only the
  readout and head train;
- the "weight_decay=0" and "weight_decay=0.003" columns: labels only and
  fine-tuned with the L2 penalty forced off and on; ``weight_decay='auto'``
  puts it on from 40 training sequences.

The classifier keeps its defaults otherwise. Inputs are scaled with
``SequenceScaler`` fitted on all training sequences. Scores are test
accuracies on the official test split, mean ± standard deviation over seeds
0 to N-1 (``--seeds N``, default 3); times are mean fit seconds on one torch
thread. The datasets: acsf1 (1460 steps, 10 classes) with 20% of its 100
training labels; trace (275 steps, 4 classes) with 10% of 100; scikit-learn's
digits (each 8x8 image read as 8 steps of 8 features, split 50/50) with 5% of
898. Run:

    python benchmarks/pretraining.py             # about 5 min on 2 CPU cores
    python benchmarks/pretraining.py --seeds 5
    python benchmarks/pretraining.py --datasets digits
"""

import argparse
import os
import time

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sklstm import LSTMClassifier, LSTMEncoderTransformer, SequenceScaler
from sklstm.datasets import load_acsf1, load_trace


def digits_as_rows():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X.reshape(-1, 8, 8), y, test_size=0.5, stratify=y, random_state=0)


DATASETS = {  # name: (loader returning X_train, X_test, y_train, y_test; labelled fraction)
    "acsf1": (lambda: load_acsf1(return_X_y=True), 0.2),
    "trace": (lambda: load_trace(return_X_y=True), 0.1),
    "digits": (digits_as_rows, 0.05),
}
CONTENDERS = {  # label: LSTMClassifier settings, given the pretrained encoder
    "labels only": lambda encoder: {},
    # weight_decay='auto' puts a penalty of 0.003 on 40 labels or more, none
    # below; these force it off and on, to show what it does on each side
    "labels only, weight_decay=0": lambda encoder: {"weight_decay": 0.0},
    "labels only, weight_decay=0.003": lambda encoder: {"weight_decay": 0.003},
    "pretrained, fine-tuned": lambda encoder: {"encoder": encoder},
    "pretrained, fine-tuned, weight_decay=0": lambda encoder: {
        "encoder": encoder,
        "weight_decay": 0.0,
    },
    "pretrained, fine-tuned, weight_decay=0.003": lambda encoder: {
        "encoder": encoder,
        "weight_decay": 0.003,
    },
    "pretrained, frozen": lambda encoder: {"encoder": encoder, "freeze_encoder": True},
}


def labelled_subset(y, fraction, seed):
    """A stratified ``fraction`` of the indices of ``y``, at least one per class."""
    rng = np.random.RandomState(seed)
    parts = [
        rng.permutation(np.flatnonzero(y == label))[: max(1, round(fraction * np.sum(y == label)))]
        for label in np.unique(y)
    ]
    return np.sort(np.concatenate(parts))


def run(name, seed):
    """Accuracies and fit seconds of every contender on one dataset, one seed."""
    torch.set_num_threads(1)
    loader, fraction = DATASETS[name]
    X_train, X_test, y_train, y_test = loader()
    scaler = SequenceScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    labelled = labelled_subset(y_train, fraction, seed)
    start = time.perf_counter()
    encoder = LSTMEncoderTransformer(random_state=seed).fit(X_train)
    results = {"pretraining": (None, time.perf_counter() - start), "n_labelled": len(labelled)}
    for label, settings in CONTENDERS.items():
        start = time.perf_counter()
        clf = LSTMClassifier(random_state=seed, **settings(encoder))
        clf.fit(X_train[labelled], y_train[labelled])
        results[label] = (clf.score(X_test, y_test), time.perf_counter() - start)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--datasets", default=",".join(DATASETS))
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    names = args.datasets.split(",")
    tasks = [(name, seed) for name in names for seed in range(args.seeds)]
    start = time.perf_counter()
    results = Parallel(n_jobs=args.jobs)(delayed(run)(name, seed) for name, seed in tasks)
    print(
        f"test accuracy, mean ± std over seeds 0-{args.seeds - 1}; fit seconds in brackets "
        "(pretraining: the unlabelled fit on all training sequences)"
    )
    header = ["dataset", "labelled", "pretraining s", *CONTENDERS]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name in names:
        runs = [r for (n, _), r in zip(tasks, results) if n == name]
        cells = [name, f"{runs[0]['n_labelled']} of {len(DATASETS[name][0]()[2])}"]
        cells.append(f"{np.mean([r['pretraining'][1] for r in runs]):.0f}")
        for label in CONTENDERS:
            scores = [r[label][0] for r in runs]
            seconds = np.mean([r[label][1] for r in runs])
            cells.append(f"{np.mean(scores):.3f} ± {np.std(scores):.3f} ({seconds:.0f})")
        print(" | ".join(cells))
    print(f"(total {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
