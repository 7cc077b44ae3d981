"""A hyperparameter search in parallel workers against the sequential one.

The same ``GridSearchCV`` over an ``LSTMClassifier`` (``readout`` x
``hidden_size``, 3-fold CV on the OSULeaf training set, 200 sequences of 427
steps) runs five ways, side by side in this one run:

* sequential, ``n_jobs=1``, torch with all cores (its default);
* sequential, ``n_jobs=1``, torch with one thread;
* ``n_jobs=2`` on joblib's default (loky) worker processes;
* ``n_jobs=-1`` under ``joblib.parallel_backend("dask")`` on a
  ``dask.distributed.LocalCluster`` of 2 worker processes with one thread
  each, on 127.0.0.1;
* the same, with ``sklstm.dask.TorchWorkerPlugin`` registered on the
  workers (glibc's malloc thresholds raised, the worker's profiler stopped).

It also times one fit alone in this process and on a Dask worker, with and
without the plugin, and prints the two targets: a fit on a worker within
1.2x of the same fit here, and the 2-worker Dask search faster than the
sequential one.

Parallel workers must not oversubscribe the cores: loky and Dask's nannies
start their workers with ``OMP_NUM_THREADS`` set to the cores each one gets
(1 here), which torch reads at import, so two workers use two cores. The
benchmark prints the torch threads each way used, and checks that every way
finds the same scores. The workers are started before the timed search, as
a running cluster would be; what starting them costs is printed apart.

    python benchmarks/bench_search.py            # about 3 min on 2 cores
    python benchmarks/bench_search.py --quick    # about 1 min

Compare the ratios within a run, never absolute times across runs.
"""

import argparse
import os
import sys
import time

import numpy as np
import torch
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

from sklstm import LSTMClassifier
from sklstm.datasets import load_osuleaf


def one_fit(X, y, epochs):
    """Seconds one fit takes where this runs, with one torch thread."""
    torch.set_num_threads(1)
    start = time.perf_counter()
    LSTMClassifier(max_epochs=epochs, random_state=0, lr_schedule="constant", hidden_size=16).fit(
        X, y
    )
    return time.perf_counter() - start


class RecordTorchThreads(Callback):
    def on_epoch_end(self, net, **kwargs):
        net.history.record("torch_threads", torch.get_num_threads())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    args = parser.parse_args()

    X, _, y, _ = load_osuleaf(return_X_y=True)
    epochs = 4 if args.quick else 15
    grid = {"readout": ["last", "mean"], "hidden_size": [16, 32]}

    def search(n_jobs):
        est = LSTMClassifier(max_epochs=epochs, random_state=0, lr_schedule="constant")
        return GridSearchCV(est, grid, cv=3, n_jobs=n_jobs, refit=False).fit(X, y)

    print(f"# {' '.join([os.path.basename(sys.argv[0]), *sys.argv[1:]])}")
    print(
        f"# torch {torch.__version__}, {os.cpu_count()} cores, "
        f"{len(grid['readout']) * len(grid['hidden_size'])} candidates x 3 folds, "
        f"{epochs} epochs each"
    )

    # one-fit probes of the torch threads a fit gets in each setting
    probe = LSTMClassifier(max_epochs=1, callbacks=[("t", RecordTorchThreads())])

    def probe_threads(n_jobs):
        from sklearn.model_selection import cross_validate

        result = cross_validate(probe, X, y, cv=2, n_jobs=n_jobs, return_estimator=True)
        return sorted({t for e in result["estimator"] for t in e.net_.history[:, "torch_threads"]})

    results = {}
    default_threads = torch.get_num_threads()

    start = time.perf_counter()
    results["sequential, torch default threads"] = (
        search(1),
        time.perf_counter() - start,
        [default_threads],
    )

    torch.set_num_threads(1)
    start = time.perf_counter()
    results["sequential, 1 torch thread"] = (search(1), time.perf_counter() - start, [1])
    torch.set_num_threads(default_threads)

    # The workers are started (and import torch) by a one-epoch probe before
    # the timed search, as a running cluster would be; the start is timed apart.
    start = time.perf_counter()
    loky_threads = probe_threads(2)
    starts = {"loky": time.perf_counter() - start}
    start = time.perf_counter()
    results["loky, n_jobs=2"] = (search(2), time.perf_counter() - start, loky_threads)

    from distributed import Client, LocalCluster

    from sklstm.dask import TorchWorkerPlugin

    on_worker = {}
    for label, plugin in [("", False), (", TorchWorkerPlugin", True)]:
        start = time.perf_counter()
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
            parallel_backend("dask"),
        ):
            if plugin:
                client.register_plugin(TorchWorkerPlugin())
            dask_threads = probe_threads(-1)
            starts["dask" + label] = time.perf_counter() - start
            start = time.perf_counter()
            dask_search = search(-1)
            elapsed = time.perf_counter() - start
            # one fit alone on a worker, three times (the first may pay for lazy imports)
            on_worker[label] = [
                client.submit(one_fit, X, y, epochs, pure=False).result() for _ in range(3)
            ]
        results[f"dask LocalCluster, 2 workers x 1 thread{label}"] = (
            dask_search,
            elapsed,
            dask_threads,
        )

    # the workers run torch with one thread, and float results depend on the
    # thread count, so their scores are compared with the one-thread search
    reference_scores = results["sequential, 1 torch thread"][0].cv_results_["mean_test_score"]
    reference_time = None
    print(f"\n| {'way':<60} | wall s | speed-up | torch threads per fit | same scores |")
    print(f"| {'-' * 60} | -----: | -------: | --------------------- | ----------- |")
    for name, (fitted, elapsed, threads) in results.items():
        scores = fitted.cv_results_["mean_test_score"]
        if reference_time is None:
            reference_time = elapsed
        same = (
            "yes"
            if np.array_equal(scores, reference_scores)
            else (f"max diff {np.abs(scores - reference_scores).max():.3f}")
        )
        print(
            f"| {name:<60} | {elapsed:6.1f} | {reference_time / elapsed:7.2f}x "
            f"| {', '.join(map(str, threads)):<21} | {same:<11} |"
        )
    print("\nspeed-up: the sequential search with torch's default threads over this way.")
    print(
        "Starting the workers and a one-epoch probe, not in the times above: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in starts.items())
        + "."
    )
    threads = torch.get_num_threads()
    here = np.median([one_fit(X, y, epochs) for _ in range(3)])
    torch.set_num_threads(threads)
    default, plugin = (np.median(on_worker[k]) for k in ("", ", TorchWorkerPlugin"))
    print(
        f"One fit (hidden_size=16, all training data), 1 torch thread, median of 3: "
        f"{here:.2f} s in this process; on a Dask worker {default:.2f} s "
        f"({default / here:.2f}x), with TorchWorkerPlugin {plugin:.2f} s ({plugin / here:.2f}x)."
    )
    sequential = results["sequential, torch default threads"][1]
    searched = results["dask LocalCluster, 2 workers x 1 thread, TorchWorkerPlugin"][1]
    print(
        f"targets: a fit on a worker with the plugin / here: {plugin / here:.2f} (goal <= 1.2); "
        f"2-worker Dask search with the plugin, speed-up over sequential: "
        f"{sequential / searched:.2f}x (goal > 1)"
    )


if __name__ == "__main__":
    main()
