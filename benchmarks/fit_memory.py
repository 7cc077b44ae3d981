"""Peak resident memory of one default fit on a bundled dataset.

One fit per process, so the peak is that fit's own:

    python benchmarks/fit_memory.py acsf1      # the longest series
    python benchmarks/fit_memory.py osuleaf

Prints the fit time (one torch thread), the peak resident set size of the
process (``ru_maxrss``, which includes Python, torch and the data) and the
test accuracy.
"""

import resource
import sys
import time

import torch
from sklearn.pipeline import make_pipeline

from sklstm import LSTMClassifier, SequenceScaler, datasets

torch.set_num_threads(1)
name = sys.argv[1] if len(sys.argv) > 1 else "acsf1"
X_train, X_test, y_train, y_test = getattr(datasets, f"load_{name}")(return_X_y=True)
start = time.perf_counter()
model = make_pipeline(SequenceScaler(), LSTMClassifier(random_state=0)).fit(X_train, y_train)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(
    f"{name}: fit {seconds:.1f} s, peak resident memory {peak:.0f} MiB, "
    f"test accuracy {model.score(X_test, y_test):.3f}"
)
