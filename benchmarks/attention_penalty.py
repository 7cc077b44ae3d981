"""What an L2 penalty does to an attention readout, seed by seed.

The evidence for ``weight_decay='auto'`` resolving to 0 with an attention
readout, and for the seed-to-seed remarks of
``examples/plot_attention.py``: the example's classifier
(``make_pipeline(SequenceScaler(), LSTMClassifier(readout='attention',
max_epochs=100, random_state=seed))`` on Chinatown, 20 training and 22 test
days) fitted with its default penalty (``'auto'``, which is 0 here) and with
``weight_decay=0.003`` forced on, for each seed. Per fit it prints the test
accuracy, the share of the attention weight on the night hours 0-6 (a
uniform weight gives 7/24 = 0.29) for each class of test days, and the
largest departure of any test day's weights from uniform, as
``max |24 w - 1|`` (0 is uniform). Run:

    python benchmarks/attention_penalty.py            # about 1 min on 2 CPU cores
    python benchmarks/attention_penalty.py --seeds 10
"""

import argparse
import os
import time

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.pipeline import make_pipeline

from sklstm import LSTMClassifier, SequenceScaler
from sklstm.datasets import load_chinatown

PENALTIES = ["auto", 0.003]
NIGHT = slice(0, 7)  # hours 0-6


def run(weight_decay, seed):
    """Accuracy, night share per class and largest departure from uniform."""
    torch.set_num_threads(1)
    data = load_chinatown()
    model = make_pipeline(
        SequenceScaler(),
        LSTMClassifier(
            readout="attention", max_epochs=100, weight_decay=weight_decay, random_state=seed
        ),
    ).fit(data.X_train, data.y_train)
    clf = model[-1]
    weights = clf.attention_weights(model[:-1].transform(data.X_test))
    night = {
        data.meta["class_names"][label]: weights[data.y_test == label][:, NIGHT].sum(axis=1).mean()
        for label in clf.classes_
    }
    departure = np.abs(weights * weights.shape[1] - 1).max()
    return clf.weight_decay_, model.score(data.X_test, data.y_test), night, departure


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    tasks = [(penalty, seed) for penalty in PENALTIES for seed in range(args.seeds)]
    start = time.perf_counter()
    results = Parallel(n_jobs=args.jobs)(delayed(run)(*task) for task in tasks)
    print("Chinatown, LSTMClassifier(readout='attention', max_epochs=100); night: hours 0-6")
    print(
        "weight_decay  seed  weight_decay_  accuracy  "
        "night (weekend)  night (weekday)  max |24w-1|"
    )
    for (penalty, seed), (used, accuracy, night, departure) in zip(tasks, results):
        print(
            f"{penalty!s:>12}  {seed:>4}  {used:>13}  {accuracy:>8.3f}  "
            f"{night['weekend']:>15.2f}  {night['weekday']:>15.2f}  {departure:>11.2f}"
        )
    print(f"(uniform night share: {7 / 24:.2f}; total {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
