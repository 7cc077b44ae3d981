"""Sequence storage and mini-batching: the one place that pads.

Validated input is held as :class:`Sequences`, never padded as a whole:
equal-length data stay a dense ``(N, L, H_in)`` array, variable-length data a
flat ``(sum(lengths), H_in)`` array with per-sequence offsets. A mini-batch is
padded to *its own* longest sequence by :meth:`Sequences.pad`, with one
vectorised gather (no per-sample Python on the hot path).
"""

import numpy as np
import torch
from torch.utils.data import Dataset


def _offsets(lengths):
    """Start row of each sequence when they are stored one after the other."""
    offsets = np.zeros_like(lengths)
    np.cumsum(lengths[:-1], out=offsets[1:])
    return offsets


class Sequences:
    """A validated collection of sequences of ``n_features`` float32 features.

    Parameters
    ----------
    values : ndarray of shape (N, L, H_in) or (sum(lengths), H_in)
        Dense block when ``offsets`` is None, else all sequences one after the
        other.
    lengths : ndarray of shape (N,), dtype int64
        Number of time steps of each sequence.
    offsets : ndarray of shape (N,) or None
        Start row of each sequence in ``values`` (ragged storage only).
    """

    def __init__(self, values, lengths, offsets=None, *, table=False, listed=False):
        self.values = values
        self.lengths = lengths
        self.offsets = offsets
        # read from a 2-D (n_samples, n_timesteps) table of univariate sequences
        self.table = table
        # read from a list of arrays (stored densely when their lengths are equal)
        self.listed = listed

    @classmethod
    def from_dense(cls, X, *, table=False):
        """Wrap a float32 array of shape (N, L, H_in)."""
        n_samples, n_timesteps = X.shape[:2]
        return cls(X, np.full(n_samples, n_timesteps, dtype=np.int64), table=table)

    @classmethod
    def from_list(cls, arrays):
        """Store a list of float32 arrays of shape (L_i, H_in).

        Equal lengths are stored densely, so they never pay for a mask.
        """
        lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
        if np.all(lengths == lengths[0]):
            return cls(np.stack(arrays), lengths, listed=True)
        return cls(np.concatenate(arrays), lengths, _offsets(lengths), listed=True)

    @property
    def is_dense(self):
        return self.offsets is None

    @property
    def n_features(self):
        return self.values.shape[-1]

    @property
    def n_steps(self):
        return int(self.lengths.sum())

    def __len__(self):
        return len(self.lengths)

    def take(self, idx):
        """The sequences ``idx``, as a new :class:`Sequences` (a copy)."""
        lengths = self.lengths[idx]
        if self.is_dense:
            return Sequences(self.values[idx], lengths, table=self.table, listed=self.listed)
        offsets = _offsets(lengths)
        # row r of the result is step (r - offsets[i]) of sequence idx[i]
        rows = np.arange(lengths.sum()) + np.repeat(self.offsets[idx] - offsets, lengths)
        return Sequences(self.values[rows], lengths, offsets, table=self.table, listed=self.listed)

    def with_values(self, values, *, table=False):
        """Other per-step values (targets, outputs) with these lengths.

        ``values`` is flat, ``(sum(lengths), ...)``, in sequence order.
        """
        if self.is_dense:
            shape = self.values.shape[:2] + values.shape[1:]
            return Sequences(values.reshape(shape), self.lengths, table=table, listed=self.listed)
        return Sequences(values, self.lengths, self.offsets, table=table, listed=self.listed)

    def flat_values(self):
        """All steps of all sequences, ``(sum(lengths), ...)``, in sequence order."""
        if self.is_dense:
            return self.values.reshape((-1,) + self.values.shape[2:])
        return self.values

    def _positions(self, idx):
        """Mask ``(B, L_max)`` of real steps and their rows in ``flat_values``."""
        lengths = self.lengths[idx]
        steps = np.arange(lengths.max())
        mask = steps < lengths[:, None]  # (B, L_max)
        if self.is_dense:
            starts = idx * self.values.shape[1]
        else:
            starts = self.offsets[idx]
        return mask, (starts[:, None] + steps)[mask]

    def pad(self, idx, fill_value=0):
        """Return the sequences ``idx`` padded with ``fill_value`` to their longest.

        Returns
        -------
        X : ndarray of shape (B, max(lengths[idx]), ...)
        lengths : ndarray of shape (B,), int64
        """
        lengths = self.lengths[idx]
        if self.is_dense:
            return self.values[idx], lengths
        mask, rows = self._positions(idx)
        X = np.full(mask.shape + self.values.shape[1:], fill_value, dtype=self.values.dtype)
        X[mask] = self.values[rows]
        return X, lengths

    def scatter(self, idx, batch, out):
        """Write the real steps of a padded ``batch`` of sequences ``idx`` into
        the flat array ``out`` (the inverse of :meth:`pad`)."""
        mask, rows = self._positions(idx)
        out[rows] = batch[:, : mask.shape[1]][mask]

    def to_list(self):
        """Each sequence as its own array of shape (L_i, ...) (views)."""
        if self.is_dense:
            return list(self.values)
        return [self.values[o : o + n] for o, n in zip(self.offsets, self.lengths)]

    def to_layout(self):
        """The layout the sequences came in: a 2-D table, a list (of arrays of
        any lengths), or a dense array."""
        if self.table and self.values.shape[-1] == 1:
            return self.values[:, :, 0]
        return self.values if self.is_dense and not self.listed else self.to_list()


class SequenceDataset(Dataset):
    """Sequences with their (already encoded) targets, as skorch sees them.

    ``y`` is a tensor with one row per sequence, a :class:`Sequences` of
    per-step targets (``readout='sequence'``; padded steps get
    ``y_fill_value``, which the loss ignores), or None for self-supervised
    training; batches then carry an empty ``(B, 0)`` target, since skorch
    needs a tensor there. Otherwise a batch's target is ``{"target"}``, with
    ``"weight"`` too when ``weight`` ``(N,)`` holds sample weights (see
    ``_loss.py``).
    """

    def __init__(self, sequences, y=None, y_fill_value=0, weight=None):
        self.sequences = sequences
        self.y = y
        self.y_fill_value = y_fill_value
        self.weight = weight

    def __len__(self):
        return len(self.sequences)

    def take(self, idx):
        """The samples ``idx`` with their targets, as a new dataset."""
        y = self.y
        if isinstance(y, Sequences):
            y = y.take(idx)
        elif y is not None:
            y = y[torch.from_numpy(idx)]
        weight = None if self.weight is None else self.weight[torch.from_numpy(idx)]
        return SequenceDataset(self.sequences.take(idx), y, self.y_fill_value, weight)

    def batch(self, idx):
        """The mini-batch ``idx`` as ``({"X", "lengths"}, y)`` tensors."""
        X, lengths = self.sequences.pad(idx)
        Xi = {"X": torch.from_numpy(X), "lengths": torch.from_numpy(lengths)}
        if self.y is None:
            return Xi, torch.empty(len(idx), 0)
        if isinstance(self.y, Sequences):
            y = torch.from_numpy(self.y.pad(idx, self.y_fill_value)[0])
        else:
            y = self.y[torch.from_numpy(idx)]
        if self.weight is None:
            return Xi, {"target": y}
        return Xi, {"target": y, "weight": self.weight[torch.from_numpy(idx)]}

    def __getitem__(self, i):
        # Only for tools that index a Dataset item by item; the estimators
        # always go through :class:`SequenceLoader`, which batches.
        return self.batch(np.array([i]))


class SequenceLoader:
    """Yield padded mini-batches of a :class:`SequenceDataset`.

    skorch builds one per epoch through ``iterator_train``/``iterator_valid``.
    Shuffling draws from torch's global generator, which the estimators seed
    inside ``torch.random.fork_rng`` so that ``random_state`` fixes the order
    without touching the user's global state.
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = torch.randperm(n).numpy()
        else:
            order = np.arange(n)
        for start in range(0, n, self.batch_size):
            yield self.dataset.batch(order[start : start + self.batch_size])
