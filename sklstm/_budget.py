"""What ``batch_size='auto'`` and ``max_epochs='auto'`` resolve to.

The budget is defined by updates (mini-batches) rather than epochs, so that it
keeps its meaning whatever the size of the data: small sets need many epochs
to get enough gradient steps, large ones reach them in a few. Each training
objective has its budget; the estimators' supervised objectives share one.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TrainingBudget:
    """A batch holds ``n_samples // batch_divisor`` sequences, between 1 and
    ``max_batch_size``; training runs enough epochs for about ``updates``
    updates in all, within ``epoch_bounds``.

    With ``large_batch_size``, data too large for the budget (whose fewest
    epochs would take more than ``updates`` updates) get larger batches
    instead: as large as keeps the fewest epochs at about ``updates``
    updates, up to ``large_batch_size``. Beyond that size updates grow with
    the data again.
    """

    batch_divisor: int
    max_batch_size: int
    updates: int
    epoch_bounds: tuple
    large_batch_size: int = 0

    def batch_size(self, n_samples):
        """``batch_size='auto'`` for ``n_samples`` training sequences."""
        small = min(max(n_samples // self.batch_divisor, 1), self.max_batch_size)
        fewest_epochs = self.epoch_bounds[0]
        large = min(-(-n_samples * fewest_epochs // self.updates), self.large_batch_size)
        return max(small, large)

    def max_epochs(self, n_samples, batch_size):
        """``max_epochs='auto'`` for ``n_samples`` sequences in batches of ``batch_size``."""
        batches_per_epoch = -(-n_samples // batch_size)
        low, high = self.epoch_bounds
        return int(np.clip(-(-self.updates // batches_per_epoch), low, high))


# Supervised training (and the autoencoder): batches of a tenth of the data,
# at most 16, and about 1500 updates, the recipe of the reference
# implementations for small data (Wang et al. 2017; Ismail Fawaz et al. 2019,
# whose batch is int(min(n / 10, 16))). 20 sequences get 150 epochs of 10
# batches. From 2,400 sequences on, where 10 epochs of batches of 16 exceed
# 1500 updates, batches grow instead (batches of 16 are a small-data recipe,
# far below what a CPU's vector units or a GPU use well), up to 128 sequences
# (reached at 19,051): 20,000 sequences get 10 epochs of 157 batches, 100,000 get 10
# epochs of 782.
SUPERVISED_BUDGET = TrainingBudget(
    batch_divisor=10, max_batch_size=16, updates=1500, epoch_bounds=(10, 500), large_batch_size=128
)

# The contrastive objective learns from the other sequences of each batch (its
# negatives), so it takes the whole training set as one batch up to 64
# sequences (SimCLR gains from larger batches, the more so in short
# training: Chen et al. 2020, Fig. 9), and far fewer updates (TS2Vec trains
# 200 on small data: Yue et al. 2022). On the bundled classification sets its
# frozen features scored higher on average than with the supervised budget,
# in half the fit time (docs/accuracy.md, "The encoder without labels").
CONTRASTIVE_BUDGET = TrainingBudget(
    batch_divisor=1, max_batch_size=64, updates=500, epoch_bounds=(10, 100)
)
