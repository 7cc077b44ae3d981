"""Scaling out on Dask: a search on a cluster, out-of-core training,
block-wise inference, estimators travelling between processes.

The cluster is a real ``dask.distributed.LocalCluster`` of worker processes
on 127.0.0.1, started and stopped here.
"""

import importlib
import os
import re
import sys

import cloudpickle
import numpy as np
import pytest
import torch
from conftest import FAST, make_order_problem
from sklearn.model_selection import GridSearchCV, cross_validate
from skorch.callbacks import Callback

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_ml")
from joblib import parallel_backend  # noqa: E402

from sklstm.dask import Incremental, ParallelPostFit, TorchWorkerPlugin  # noqa: E402

# The callback below is defined here, so the worker processes cannot import
# it by name: ship it by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class RecordTorchThreads(Callback):
    """Records how many threads torch used in each epoch of a fit."""

    def on_epoch_end(self, net, **kwargs):
        net.history.record("torch_threads", torch.get_num_threads())


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def order_problem():
    return make_order_problem(n_samples=48, n_timesteps=12)


def test_grid_search_on_the_cluster_equals_the_local_one(client, order_problem):
    X, y = order_problem
    grid = {"readout": ["last", "mean"], "state": ["hidden", "both"]}

    def search():
        est = LSTMClassifier(hidden_size=4, max_epochs=3, random_state=0)
        return GridSearchCV(est, grid, cv=2, n_jobs=-1).fit(X, y)

    local = search()  # n_jobs=-1 on loky by default; this process uses 1 thread
    with parallel_backend("dask"):
        remote = search()
    # every fit ran in a worker process of the cluster
    assert sum(client.run(lambda: 1).values()) == 2
    for key in ["split0_test_score", "split1_test_score", "mean_test_score", "params"]:
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


@pytest.mark.parametrize("backend", ["loky", "dask"])
def test_parallel_fits_limit_their_torch_threads(client, order_problem, backend):
    X, y = order_problem
    est = LSTMClassifier(**FAST, callbacks=[("threads", RecordTorchThreads())])
    with parallel_backend(backend):
        result = cross_validate(est, X, y, cv=2, n_jobs=2, return_estimator=True)
    cores_per_fit = max(1, os.cpu_count() // 2)
    for fitted in result["estimator"]:
        threads = fitted.net_.history[:, "torch_threads"]
        assert threads and max(threads) <= cores_per_fit


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer])
def test_estimators_travel_to_worker_processes(client, order_problem, Est):
    X, y = order_problem
    y = (y == "early").astype(float) if Est is LSTMRegressor else y
    method = {LSTMClassifier: "predict_proba", LSTMEncoderTransformer: "transform"}
    method = method.get(Est, "predict")
    unfitted = Est(**FAST)
    fitted = Est(**FAST).fit(X, y)

    def fit_then_run(est, X, y):
        return getattr(est.fit(X, y), method)(X)

    def run(est, X):
        return getattr(est, method)(X)

    # with one torch thread on both sides, a fit in a worker is the same fit
    remote_fit = client.submit(fit_then_run, unfitted, X, y).result()
    np.testing.assert_allclose(remote_fit, getattr(fitted, method)(X), rtol=1e-6)
    remote_run = client.submit(run, fitted, X).result()
    np.testing.assert_array_equal(remote_run, getattr(fitted, method)(X))
    travelled = cloudpickle.loads(cloudpickle.dumps(fitted))
    np.testing.assert_array_equal(getattr(travelled, method)(X), getattr(fitted, method)(X))


def test_incremental_is_partial_fit_over_the_blocks(client, order_problem):
    X, y = order_problem
    X_dask = da.from_array(X, chunks=(12, -1, -1))  # 4 blocks of 12 sequences
    y_dask = da.from_array(y, chunks=12)
    classes = np.unique(y)
    inc = Incremental(LSTMClassifier(**FAST), random_state=0)
    inc.fit(X_dask, y_dask, classes=classes)  # on the cluster: the client is active

    # by hand: the same blocks, in the same shuffled order
    order = np.arange(4)
    np.random.RandomState(0).shuffle(order)
    by_hand = LSTMClassifier(**FAST)
    for i in order:
        block = slice(12 * i, 12 * (i + 1))
        by_hand.partial_fit(X[block], y[block], classes=classes)

    assert inc.estimator_.n_iter_ == 4
    np.testing.assert_allclose(inc.predict_proba(X), by_hand.predict_proba(X), rtol=1e-6)
    predicted = inc.predict(X_dask)
    assert isinstance(predicted, da.Array) and predicted.shape == (48,)
    np.testing.assert_array_equal(predicted.compute(), by_hand.predict(X))
    # partial_fit is one more pass over the data (fit would start afresh)
    assert inc.partial_fit(X_dask, y_dask).estimator_.n_iter_ == 8


def test_incremental_trains_an_encoder_without_labels(client, order_problem):
    X, _ = order_problem
    X_dask = da.from_array(X, chunks=(16, -1, -1))
    inc = Incremental(LSTMEncoderTransformer(**FAST), shuffle_blocks=False).fit(X_dask)
    assert inc.estimator_.n_iter_ == 3
    assert inc.transform(X_dask).compute().shape == (48, inc.estimator_.n_components_)


@pytest.mark.parametrize(
    "Est, method, params, trailing",
    [
        (LSTMClassifier, "predict", {}, ()),
        (LSTMClassifier, "predict_proba", {}, (2,)),
        (LSTMRegressor, "predict", {}, ()),
        (LSTMRegressor, "predict", {"readout": "sequence"}, (12,)),
        (LSTMEncoderTransformer, "transform", {"n_components": 5}, (5,)),
        # per step: 4 LSTM units and the 4 channels of the conv front-end
        (LSTMEncoderTransformer, "transform", {"readout": "sequence"}, (12, 8)),
    ],
)
def test_parallel_post_fit_keeps_each_output_shape(
    client, order_problem, Est, method, params, trailing
):
    X, y = order_problem
    if Est is LSTMRegressor:
        y = X[:, :, 0].cumsum(axis=1) if params else X[:, :, 0].sum(axis=1)
    elif Est is LSTMEncoderTransformer:
        y = None  # trained without labels
    est = ParallelPostFit(Est(**FAST, **params)).fit(X, y)
    X_dask = da.from_array(X, chunks=(20, -1, -1))  # blocks of 20, 20 and 8
    out = getattr(est, method)(X_dask)
    assert isinstance(out, da.Array)
    assert out.shape == (48,) + trailing and out.chunks[0] == (20, 20, 8)
    expected = getattr(est.estimator, method)(X)
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(out.compute(), expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(out.compute(), expected)
    # in-memory input gives the estimator's own output
    np.testing.assert_array_equal(getattr(est, method)(X), expected)


def test_blocks_must_hold_whole_sequences(order_problem):
    X, y = order_problem
    est = ParallelPostFit(LSTMClassifier(**FAST)).fit(X, y)
    X_dask = da.from_array(X, chunks=(12, 6, -1))  # cut along time
    message = "ParallelPostFit needs X chunked along samples only"
    with pytest.raises(ValueError, match=message):
        est.predict(X_dask)
    with pytest.raises(ValueError, match=message.replace("ParallelPostFit", "Incremental")):
        Incremental(LSTMClassifier(**FAST)).fit(X_dask, da.from_array(y, chunks=12))


def test_incremental_with_fewer_targets_than_sequences(order_problem):
    """Non-regression test for a raw dask error when y is shorter than X."""
    X, y = order_problem
    X_dask = da.from_array(X, chunks=(12, -1, -1))
    with pytest.raises(ValueError, match=f"X has {len(X)} sequences but y has 40 targets"):
        Incremental(LSTMClassifier(**FAST)).fit(X_dask, da.from_array(y[:40], chunks=12))


def test_without_the_extra_the_import_error_says_what_to_install(monkeypatch):
    # Key by key, never mock.patch.dict(sys.modules): that empties sys.modules
    # for a moment when it restores it, and a thread importing then (Dask's
    # event loop, say) loads second copies of modules, _io's among them, whose
    # exceptions the first copies no longer catch.
    monkeypatch.setitem(sys.modules, "dask_ml", None)
    monkeypatch.delitem(sys.modules, "sklstm.dask", raising=False)
    with pytest.raises(ImportError, match=re.escape("pip install 'dask[distributed]' dask-ml")):
        importlib.import_module("sklstm.dask")


def test_torch_worker_plugin_stops_the_profiler_and_changes_no_result(client, order_problem):
    X, y = order_problem
    client.register_plugin(TorchWorkerPlugin())

    def profiler_running(dask_worker):
        callback = dask_worker.periodic_callbacks.get("profile")
        return callback is not None and callback.is_running()

    assert not any(client.run(profiler_running).values())

    def fit():
        torch.set_num_threads(1)
        return LSTMClassifier(**FAST).fit(X, y).predict_proba(X)

    np.testing.assert_allclose(client.submit(fit, pure=False).result(), fit(), atol=1e-5)


def test_malloc_thresholds_are_set_through_glibc():
    import platform

    from sklstm.dask import _set_malloc_thresholds

    is_glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert _set_malloc_thresholds(32 * 2**20, 64 * 2**20) is is_glibc
