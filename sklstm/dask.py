"""dask-ml's wrappers for Dask arrays of sequences (needs ``dask[distributed]`` and ``dask-ml``).

:class:`dask_ml.wrappers.Incremental` and :class:`dask_ml.wrappers.ParallelPostFit`
assume 2-D ``(n_samples, n_features)`` arrays: ``Incremental`` hands a task
key instead of the data to ``partial_fit`` when ``X`` has more than two
dimensions (dask-ml issue #972), and ``ParallelPostFit`` builds its outputs
with ``drop_axis=1`` and guesses their type from a ``(1, n_features)`` array.
Sequences are 3-D ``(n_samples, n_timesteps, n_features)``, so the two
classes here are the dask-ml classes with exactly these two places replaced:
``X`` must be chunked along samples only, each block goes to the estimator
whole, and each output block keeps the estimator's own trailing shape (a
label per sequence, a vector per sequence, or one row per time step with
``readout='sequence'``). Everything else (``scoring``, ``shuffle_blocks``,
``random_state``, in-memory input) is dask-ml's.

Dask arrays cannot hold sequences of different lengths; see the "Scaling
out" page of the documentation for the pattern that streams ragged sequences.

:class:`TorchWorkerPlugin` makes a Dask worker process train as fast as the
main process.
"""

import ctypes
import platform

try:
    import dask
    import dask.array as da
    from dask_ml import wrappers
    from dask_ml.metrics import check_scoring
    from distributed import WorkerPlugin
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "sklstm.dask needs dask[distributed] and dask-ml. Install them with "
        "`pip install 'dask[distributed]' dask-ml` (sklstm's [dask] extra)."
    ) from exc

from sklearn.utils import check_random_state

from ._docstring import fill_doc

__all__ = ["Incremental", "ParallelPostFit", "TorchWorkerPlugin"]

# glibc's mallopt parameters
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _set_malloc_thresholds(mmap_threshold, trim_threshold):
    """Set glibc's thresholds in this process; False where the C library is not glibc."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    libc = ctypes.CDLL(None)
    ok = libc.mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))
    return bool(ok and libc.mallopt(_M_TRIM_THRESHOLD, int(trim_threshold)))


class TorchWorkerPlugin(WorkerPlugin):
    """Let a Dask worker train sklstm models as fast as the main process.

    Measured with ``python benchmarks/bench_search.py``, one fit on a Dask
    worker process took about twice as long as in the main process, for two
    reasons, both undone on the workers this plugin is registered with:

    - Dask's nannies start workers with ``MALLOC_TRIM_THRESHOLD_=65536``, so
      that freed memory goes back to the system at once. Setting any glibc
      threshold also turns off glibc's adaptive ``mmap`` threshold, so
      every allocation over 128 KiB becomes an ``mmap``/``munmap`` pair with
      fresh page faults, and torch allocates and frees such tensors at every
      training step. The plugin raises the ``mmap`` threshold to
      ``mmap_threshold`` and the trim threshold to ``trim_threshold``
      (through glibc's ``mallopt``; elsewhere it leaves malloc alone). A
      worker may then hold up to ``trim_threshold`` bytes of freed memory
      before giving it back.
    - The worker's statistical profiler samples every thread's stack every
      10 ms, taking the GIL from the training thread; with ``profiler=False``
      the plugin stops it (the dashboard's profile page then stays empty).

    Parameters
    ----------
    mmap_threshold : int, default=32 MiB
        Allocations at least this large get their own ``mmap``.

    trim_threshold : int, default=64 MiB
        Free memory at the top of the heap beyond this goes back to the system.

    profiler : bool, default=False
        Keep the worker's statistical profiler running.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> from sklstm.dask import TorchWorkerPlugin
    >>> cluster = LocalCluster(n_workers=2, threads_per_worker=1)  # doctest: +SKIP
    >>> client = Client(cluster)  # doctest: +SKIP
    >>> client.register_plugin(TorchWorkerPlugin())  # doctest: +SKIP
    """

    name = "sklstm-torch-worker"

    def __init__(self, *, mmap_threshold=32 * 2**20, trim_threshold=64 * 2**20, profiler=False):
        self.mmap_threshold = mmap_threshold
        self.trim_threshold = trim_threshold
        self.profiler = profiler

    def setup(self, worker):
        """Set the malloc thresholds and stop the profiler in the worker's process.

        Parameters
        ----------
        worker : distributed.Worker
            The worker, as Dask passes it when the plugin is registered.
        """
        _set_malloc_thresholds(self.mmap_threshold, self.trim_threshold)
        if not self.profiler:
            for name in ("profile", "profile-cycle"):
                callback = worker.periodic_callbacks.get(name)
                if callback is not None:
                    callback.stop()


def _check_blocks(X, name):
    """Chunks along samples only: each block holds whole sequences."""
    if any(len(chunks) > 1 for chunks in X.chunks[1:]):
        raise ValueError(
            f"{name} needs X chunked along samples only, so that each block "
            f"holds whole sequences; got chunks {X.chunks}. Rechunk first: "
            "X.rechunk({1: -1, 2: -1})."
        )


def _apply(method, block):
    return method(block)


class _SequenceBlocks:
    """Block-wise inference that keeps each output's trailing shape."""

    def _map_sequences(self, method_name, X):
        self._check_method(method_name)
        method = getattr(self._postfit_estimator, method_name)
        if not isinstance(X, da.Array):
            return method(X)
        _check_blocks(X, type(self).__name__)
        # The type and trailing shape of the output, from one real sequence.
        first = method(X[:1].compute())
        blocks = [
            da.from_delayed(
                dask.delayed(_apply)(method, block),
                shape=(n_samples,) + first.shape[1:],
                dtype=first.dtype,
                meta=first[:0],
            )
            for block, n_samples in zip(X.to_delayed().ravel(), X.chunks[0])
        ]
        return da.concatenate(blocks)

    @fill_doc
    def predict(self, X):
        """Predict block by block; a Dask array for a Dask ``X``.

        Parameters
        ----------
        %(X_dask)s

        Returns
        -------
        y : dask.array.Array or ndarray
            The estimator's ``predict`` output, one row per sequence.
        """
        return self._map_sequences("predict", X)

    @fill_doc
    def predict_proba(self, X):
        """Class probabilities block by block; a Dask array for a Dask ``X``.

        Parameters
        ----------
        %(X_dask)s

        Returns
        -------
        proba : dask.array.Array or ndarray
            The estimator's ``predict_proba`` output.
        """
        return self._map_sequences("predict_proba", X)

    @fill_doc
    def transform(self, X):
        """Transform block by block; a Dask array for a Dask ``X``.

        Parameters
        ----------
        %(X_dask)s

        Returns
        -------
        X_new : dask.array.Array or ndarray
            The estimator's ``transform`` output.
        """
        return self._map_sequences("transform", X)


class ParallelPostFit(_SequenceBlocks, wrappers.ParallelPostFit):
    """Fit in memory, then predict or transform a Dask array block by block.

    :class:`dask_ml.wrappers.ParallelPostFit` for 3-D arrays of sequences:
    the parameters and attributes are dask-ml's.

    Parameters
    ----------
    estimator : estimator
        An sklstm estimator (or any estimator taking 3-D ``X``).
    scoring : str or callable, default=None
        As in :class:`dask_ml.wrappers.ParallelPostFit`.
    predict_meta, predict_proba_meta, transform_meta : array-like, default=None
        Unused: the output type is taken from the estimator's output on the
        first sequence.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> from sklstm.dask import ParallelPostFit
    >>> X = np.random.RandomState(0).normal(size=(40, 10, 2)).astype("float32")
    >>> y = X[:, :, 0].sum(axis=1) > 0
    >>> clf = ParallelPostFit(LSTMClassifier(max_epochs=2, random_state=0)).fit(X, y)
    >>> clf.predict(da.from_array(X, chunks=(10, 10, 2))).shape
    (40,)
    """


class Incremental(_SequenceBlocks, wrappers.Incremental):
    """Train with ``partial_fit`` over the blocks of a Dask array of sequences.

    :class:`dask_ml.wrappers.Incremental` for 3-D arrays: ``fit`` passes the
    blocks of ``X`` (chunked along samples) through ``partial_fit`` one at a
    time, in a random order when ``shuffle_blocks=True``, so only one block
    needs to be in memory; each call of ``fit`` is one pass over the data.
    Inference is as in :class:`ParallelPostFit`.

    Parameters
    ----------
    estimator : estimator
        An sklstm estimator; ``partial_fit`` runs one epoch on each block.
    scoring : str or callable, default=None
        As in :class:`dask_ml.wrappers.Incremental`.
    shuffle_blocks : bool, default=True
        Visit the blocks in a random order.
    random_state : int, RandomState instance or None, default=None
        Seeds the order of the blocks.
    assume_equal_chunks : bool, default=True
        Unused (the blocks of ``X`` and ``y`` are matched by position).
    predict_meta, predict_proba_meta, transform_meta : array-like, default=None
        Unused, as in :class:`ParallelPostFit`.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> from sklstm.dask import Incremental
    >>> X = np.random.RandomState(0).normal(size=(40, 10, 2)).astype("float32")
    >>> y = X[:, :, 0].sum(axis=1) > 0
    >>> X_dask = da.from_array(X, chunks=(10, 10, 2))  # 4 blocks of 10 sequences
    >>> y_dask = da.from_array(y, chunks=10)
    >>> inc = Incremental(LSTMClassifier(random_state=0), random_state=0)
    >>> inc = inc.fit(X_dask, y_dask, classes=[False, True])
    >>> inc.estimator_.n_iter_  # one epoch per block
    4
    >>> inc.predict(X_dask).shape
    (40,)
    """

    def _fit_for_estimator(self, estimator, X, y, **fit_kwargs):
        if not (isinstance(X, da.Array) and X.ndim > 2):
            return super()._fit_for_estimator(estimator, X, y, **fit_kwargs)
        if self.scoring is not None or hasattr(estimator, "score"):
            # (dask-ml always checks; an encoder trained without labels has
            # no score and needs none to be trained)
            check_scoring(estimator, self.scoring)
        name = type(self).__name__
        _check_blocks(X, name)
        X_blocks = X.to_delayed().ravel()
        if y is None:
            y_blocks = [None] * len(X_blocks)
        else:
            y = da.asarray(y)
            if y.shape[0] != X.shape[0]:
                raise ValueError(
                    f"X has {X.shape[0]} sequences but y has {y.shape[0]} targets; "
                    f"{name} needs one target per sequence."
                )
            y = y.rechunk({0: X.chunks[0]})
            y_blocks = y.to_delayed().reshape(len(X_blocks), -1)[:, 0]
        order = list(range(len(X_blocks)))
        if self.shuffle_blocks:
            check_random_state(self.random_state).shuffle(order)
        # One chain of partial_fit calls: block i waits for the model of
        # block i - 1, so the blocks are read one at a time.
        model = dask.delayed(estimator)
        for i in order:
            model = dask.delayed(_partial_fit)(model, X_blocks[i], y_blocks[i], fit_kwargs)
        result = model.compute()
        # as dask-ml does: the fitted attributes show on the wrapper too
        for attr, value in vars(result).items():
            if attr.endswith("_"):
                setattr(self, attr, value)
        self.estimator_ = result
        return self


def _partial_fit(model, X, y, fit_kwargs):
    return model.partial_fit(X, y, **fit_kwargs)
