"""
Choosing the readout, state and head with a grid search
=======================================================

The architecture choices of the sklstm estimators are plain hyperparameters,
so :class:`~sklearn.model_selection.GridSearchCV` can choose among them as it
would choose a penalty. This example searches over

- ``readout``: how the LSTM outputs become one vector per sequence: the
  final state (``'last'``), the mean or the maximum over time (``'mean'``,
  ``'max'``) or a learned weighted mean (``'attention'``);
- ``state``: which final state ``'last'`` reads: the hidden state ``h_n``
  (``'hidden'``), the cell state ``c_n`` (``'cell'``) or both
  (``'both'``). The pooling readouts do not read it;
- ``head``: a linear layer or a small MLP from that vector to the classes,

for an :class:`~sklstm.LSTMClassifier` on the Chinatown pedestrian counts
(see :func:`~sklstm.datasets.load_chinatown`): 24 hourly counts per day,
weekend or weekday, with only 20 training days and 22 test days.
"""

# %%
# Imports and settings
# --------------------
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklstm import LSTMClassifier, SequenceScaler
from sklstm.datasets import load_chinatown

# A small LSTM gains nothing from a second thread and loses much on a busy machine.
torch.set_num_threads(1)

RANDOM_STATE = 0
MAX_EPOCHS = (
    1 if os.environ.get("SKLSTM_EXAMPLE_QUICK") else 50
)  # the docs CI runs the gallery with fewer epochs

# %%
# Load the data
# -------------
# The counts are raw (3 to about 2000 pedestrians an hour);
# :class:`~sklstm.SequenceScaler` standardises them inside the pipeline, so
# each cross-validation split is scaled with the statistics of its own
# training part.
data = load_chinatown()
X_train, X_test, y_train, y_test = data.X_train, data.X_test, data.y_train, data.y_test
class_names = data.meta["class_names"]  # {'1': 'weekend', '2': 'weekday'}
print(
    f"{len(X_train)} training days, {len(X_test)} test days, {X_train.shape[1]} hourly counts each"
)

# %%
# Search the grid
# ---------------
# The grid has 4 x 3 x 2 = 24 candidates, each fitted on 3 folds. To keep the
# example fast the LSTM is small (``hidden_size=16``) and trains for 50
# epochs. In a pipeline, a parameter takes the name of its step as prefix:
# ``lstmclassifier__readout`` is the ``readout`` of the classifier.
model = make_pipeline(
    SequenceScaler(),
    LSTMClassifier(hidden_size=16, max_epochs=MAX_EPOCHS, random_state=RANDOM_STATE),
)
readouts = ["last", "mean", "max", "attention"]
states = ["hidden", "cell", "both"]
heads = ["linear", "mlp"]
param_grid = {
    "lstmclassifier__readout": readouts,
    "lstmclassifier__state": states,
    "lstmclassifier__head": heads,
}
search = GridSearchCV(model, param_grid, cv=3)
search.fit(X_train, y_train)

best = {name.split("__")[1]: value for name, value in search.best_params_.items()}
print(f"best parameters: {best}")
print(f"best mean CV accuracy: {search.best_score_:.3f}")
print(f"test accuracy of the refitted best model: {search.score(X_test, y_test):.3f}")

# %%
# All the candidates
# ------------------
# ``cv_results_`` holds the score of every candidate on every fold. For the
# pooling readouts the three ``state`` values give identical models, hence
# identical scores: the same ``random_state`` builds the same weights, and
# ``state`` is never read.
results = pd.DataFrame(search.cv_results_)
results = results.rename(columns=lambda c: c.replace("param_lstmclassifier__", ""))
table = results.pivot_table(index=["head", "readout"], columns="state", values="mean_test_score")
print("\nmean CV accuracy (3 folds of 6 or 7 days)")
order = pd.MultiIndex.from_product([heads, readouts], names=["head", "readout"])
print(table.reindex(index=order, columns=states).round(3).to_string())

# %%
# Plot the mean CV accuracy
# -------------------------
# One heatmap per head: readouts in rows, states in columns.
fig, axes = plt.subplots(1, 2, figsize=(9, 4.5), sharey=True)
for ax, head in zip(axes, heads):
    scores = table.loc[head].reindex(index=readouts, columns=states).to_numpy()
    image = ax.imshow(scores, vmin=0.5, vmax=1.0, cmap="viridis")
    for i, j in np.ndindex(scores.shape):
        # dark text on the light (high) end of the colour map
        color = "black" if scores[i, j] > 0.8 else "white"
        ax.text(j, i, f"{scores[i, j]:.2f}", ha="center", va="center", color=color)
    ax.set_xticks(range(len(states)), states)
    ax.set_yticks(range(len(readouts)), readouts)
    ax.set_xlabel("state (read by readout='last' only)")
    ax.set_title(f"head='{head}'")
axes[0].set_ylabel("readout")
fig.colorbar(image, ax=axes, shrink=0.8, label="mean CV accuracy")
fig.suptitle("GridSearchCV on Chinatown: LSTMClassifier(hidden_size=16)")

output = os.environ.get("SKLSTM_EXAMPLE_OUTPUT")
if output:
    fig.savefig(output, dpi=100)
plt.show()

# %%
# What the numbers say
# --------------------
# The rows of the pooling readouts are constant across ``state``, as
# expected: ``state`` only matters for ``readout='last'``. A grid that lists
# ``state`` for every readout therefore refits the same model up to three
# times; a list of two grids avoids that::
#
#     param_grid = [
#         {"lstmclassifier__readout": ["last"],
#          "lstmclassifier__state": ["hidden", "cell", "both"]},
#         {"lstmclassifier__readout": ["mean", "max", "attention"]},
#     ]
#
# With 20 training days, each fold scores 6 or 7 days, so one misclassified
# day moves a fold's accuracy by about 0.15 and the mean by about 0.05.
# Several candidates tie at the top, and :class:`~sklearn.model_selection.GridSearchCV`
# then keeps the first of them in the order of ``cv_results_``. Read the
# heatmaps as "which choices are clearly worse" rather than as a ranking.
# Here the pooling readouts, which see every hour of the day directly, are
# at least as good as the final state, and the linear head is at least as
# good as the MLP. The test accuracy of the refitted model, on 22 days, is
# the honest estimate; the best CV score, being the maximum of 24 noisy
# estimates, is optimistic.
