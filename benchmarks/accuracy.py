"""Test scores of sklstm's defaults on every bundled dataset, against baselines.

The one command that decides sklstm's defaults. Each dataset is fitted on its
train/test split by these models, side by side in one run (the columns of
the table):

- **sklstm defaults**: ``make_pipeline(SequenceScaler(), LSTMClassifier(
  random_state=seed))`` (or ``LSTMRegressor``), no per-dataset tuning: whatever
  the defaults are when the script runs (front-end, readout, training budget).
  Beside its test score, a **train** cell gives its mean training accuracy (or
  RMSE) over the seeds, so a default that cannot fit its training set shows
  it; every sklstm column of every mode has one (not the encoder's);
- **--compare NAME=JSON ...**: one more sklstm column per NAME, the defaults
  with those settings (``--params`` under them), with its own train cell;
- **LSTM only**: the same with ``frontend='none'``: sklstm's LSTM over the raw
  steps, with the same training budget, which shows what the front-end adds;
- **plain skorch LSTM**: the model users write today with skorch: an
  ``nn.LSTM(n_features, 64, batch_first=True)`` and a linear layer on the
  final hidden state ``h_n[-1]``, Adam with lr=1e-3, batches of 32, 100 epochs
  (sklstm's former default ``max_epochs``), no validation split, on the same
  SequenceScaler-scaled float32 inputs, seeded with ``torch.manual_seed(seed)``;
  variable-length sequences are padded with zeros at the end to the longest
  one (no packing); regression targets are standardised, as LSTMRegressor
  does internally;
- **1-NN** and **RidgeCV**: scikit-learn's ``KNeighbors*(n_neighbors=1)``
  (Euclidean) and ``RidgeClassifierCV`` / ``RidgeCV`` (10 alphas from 1e-3 to
  1e3) on the flattened scaled series; variable-length sequences are first
  resampled to the median training length (linear interpolation per channel);
- **MiniRocket**: aeon's ``MiniRocketClassifier(random_state=seed)`` /
  ``MiniRocketRegressor`` (10,000 random convolution features, a ridge model
  on top), the strong fast baseline of time series classification, on the
  same scaled series in aeon's (N, channels, steps) layout as float64,
  variable lengths resampled as for 1-NN; series shorter than MiniRocket's
  9-tap kernels (digits) are padded with zeros at the end to 9 steps. It
  needs ``pip install -e '.[bench]'``; without aeon the column reads n/a;
- **Dummy**: scikit-learn's ``DummyClassifier()`` (the most frequent training
  class) and ``DummyRegressor()`` (the training mean): the chance level, and
  what a model that finds no signal at all scores;
- **sklstm forecaster** (the two forecasts only): the model inside
  ``LSTMForecaster()``, ``WindowNormalizedRegressor()`` with its default
  regressor ``LSTMRegressor(early_stopping=True, random_state=seed)``, on the
  unscaled windows: each window on its own scale, a ridge model on the window
  and the series' level, the network on the ridge model's residuals. It is
  what sklstm recommends for windows of one series, where the defaults
  column shows an ``LSTMRegressor`` on windows scaled with one global scale.

The datasets: the UCR/UEA classification sets of :mod:`sklstm.datasets`
(osuleaf, chinatown, eeg_hand_raise, shoulder_exercises of variable length,
coffee, trace, acsf1) on their official splits; fsdd (3,000 spoken digits as
13 MFCC features per frame, 6 to 92 frames, split 50/50 stratified as
shipped: 1,500 test sequences, enough to separate settings that the small
sets cannot), variable length like shoulder_exercises; scikit-learn's digits, each
8x8 image read as 8 steps (its rows) of 8 features, split 50/50 stratified by
class with ``random_state=0``; cardano_sentiment (regression) on its official
split; and two one-step-ahead forecasts of an LSTMRegressor on globally
standardised windows (multi-step forecasts with LSTMForecaster are compared
in ``benchmarks/forecasting.py``). Sunspots: the last 59 years (1950-2008) are the
test period, each sample a window of 22 years and its target the next year.
CO2 (monthly): the last 60 months (1997-2001) are the test period, each
sample a window of 24 months and its target the next month. In both, every
training target lies before the test period (test windows may read training
values as inputs).

Scores are the test accuracy (classification, higher is better) or the test
RMSE (regression and forecasting, lower is better). The stochastic models
(the sklstm columns, plain skorch, MiniRocket) run with seeds 0 to N-1
(``--seeds N``, default 3) and report the mean ± standard deviation; 1-NN
and RidgeCV are deterministic and run once. Times are mean ``fit``
wall-clock seconds, measured inside the worker, on one torch thread and one
BLAS thread; a tiny fit before each timed one pays the first-call costs of
the worker process (torch's start-up, about 2 s; compiling MiniRocket's numba
kernels, up to a minute on a fresh install) outside the timing. The
(dataset, model, seed) fits run on ``--jobs J`` loky workers (default 2);
each dataset's row is printed when its last fit ends, so rows may come out
of order. A summary follows the table: mean accuracy of each column; on how
many classification sets sklstm defaults beats the better of 1-NN and
RidgeCV; its mean and worst gap to MiniRocket; which of sklstm defaults,
sklstm forecaster, plain skorch and RidgeCV wins each regression set; in
every mode, the mean training accuracy of each sklstm column and the sets
it does not fit (training accuracy below 0.95); and, with ``--compare``,
each named setting's wins, losses and ties against the defaults, dataset by
dataset, and its RMSE over the defaults' RMSE (geometric mean) on the
regression sets. Run:

    python benchmarks/accuracy.py               # about 16 min on 2 CPU cores
    python benchmarks/accuracy.py --quick       # at most 10 epochs, a smoke run
    python benchmarks/accuracy.py --seeds 5     # 5 seeds instead of 3
    python benchmarks/accuracy.py --jobs 4      # 4 workers (default 2)
    python benchmarks/accuracy.py --markdown accuracy.md   # also the tables as Markdown
    python benchmarks/accuracy.py --params '{"lr": 0.001}'  # other settings, every sklstm model
    python benchmarks/accuracy.py --datasets chinatown,sunspots   # some datasets only
    python benchmarks/accuracy.py --plot accuracy.png    # also sklstm against MiniRocket, a PNG
    python benchmarks/accuracy.py --ablation    # each lever of the defaults off in turn
    python benchmarks/accuracy.py --encoder     # the unlabelled encoder
    python benchmarks/accuracy.py --augmentation   # augmentation, per-sequence scaling
    python benchmarks/accuracy.py --robustness  # gain-and-offset copies, synthetic sets
    python benchmarks/accuracy.py --compare lr3='{"lr": 0.003}' wd0='{"weight_decay": 0}'
    python benchmarks/accuracy.py --robustness --compare conv='{"frontend": "conv"}'
    python benchmarks/accuracy.py --quick --robustness  # every path, a smoke run (11 min, busy)

``--ablation`` replaces the baseline columns by one sklstm column per entry of
``ABLATIONS`` below (edit it to try other levers): the defaults, then each
lever turned off in turn (each front-end, a combined readout, the former
training budget, early stopping, an ensemble of three networks, a forget-gate
bias of 0 instead of 1, the classifier's L2 penalty off, forced on at 0.003
and at 0.01); a column whose settings are the defaults of a row's estimator
copies the defaults column there.
The footer of every run prints its total run time. ``--encoder`` runs on the
classification sets only: ``LogisticRegression(max_iter=1000)`` after
SequenceScaler and StandardScaler, on (a) the flattened scaled series, (b)
the features of ``LSTMEncoderTransformer(random_state=seed)`` trained
without labels by each objective of ``ENCODER_OBJECTIVES`` (the autoencoder
and the contrastive objective, the latter also with the supervised
objectives' batch size and epochs, its budget before it had its own), (c)
the same encoder untrained
(``max_epochs=0``): does unlabelled training beat raw values and random
features? ``--augmentation`` runs on the classification sets only: the
sklstm defaults against the same model (a) after each sequence is
z-normalised on its own (each channel minus its mean, over its standard
deviation), and (b) trained on each sequence and 4 random crops of it, each
at least 90% of its length (window slicing, ``RandomCropAugmented``): two
data-side levers, neither of them in sklstm, because neither paid here.

``--robustness`` asks whether the defaults hold on data nobody tuned them
for. Its rows: every classification set, then its copy (``<name>+gain``)
with each sequence multiplied by its own gain ``10 ** U(-2, 2)`` and shifted
by its own offset (``synthetic.gain_offset``, seed ``GAIN_SEED`` = 0; the
offset is 0.1 to 10 training standard deviations per channel before the
gain), applied to the data before any pipeline sees it, so before the
SequenceScaler, training and test sets alike; then two generated sets
(``benchmarks/synthetic.py``, seed ``SYNTHETIC_SEED`` = 0):
``few_shot_50x2``, fifty classes of two training (and four test) series of
2,000 steps, each class a smooth periodic waveform, each series a random
phase shift, gain and noise of it (``few_shot_waveforms``); and ``spectra``, a
regression set of 200 training and 200 test curves of 100 points whose
target is a weighted sum of the heights of three Gaussian absorption bands,
under a random per-curve baseline, slope and gain, plus noise
(``absorption_spectra``). Its columns: the sklstm defaults (and the
``--compare`` columns), 1-NN, RidgeCV and MiniRocket. Its summary gives, per
classification set, the copy's accuracy minus the original's for each
sklstm column and MiniRocket side by side, and the mean of those changes;
each sklstm column's accuracy on the few-shot set against MiniRocket's; and
its RMSE on the spectra as a multiple of MiniRocket's and RidgeCV's.
``--datasets`` picks among the classification and synthetic sets there
(regression sets are left out).

``--quick`` caps every LSTM at 10 epochs (sklstm columns, the encoder, plain
skorch), runs one seed unless ``--seeds`` says otherwise, and first runs the
self-checks of the synthetic generators (``synthetic.self_check``).
``--params`` reaches every sklstm estimator of the run (a column's own
settings win over it). ``--compare`` works with the baselines and with
``--robustness``; a compared setting that is the defaults of a row's
estimator copies the defaults column there.

``--markdown PATH`` writes the caption, the table, the summary and the
footer as Markdown. With the baselines and ``--robustness`` it splits the
table in two, to fit a page 1280 pixels wide: a narrow main table (dataset,
train/test sizes, metric, sklstm defaults, MiniRocket, the row's best simple
baseline, named: the best of 1-NN, RidgeCV and Dummy, which --robustness
lacks, and the fit seconds of sklstm defaults and MiniRocket), then every
other cell (the ``--compare`` columns, LSTM only, plain skorch, each simple
baseline, the training scores, the forecaster). The text table on stdout
keeps them all in one.

Read the table with care: the test sets have 22 to 1,500 sequences, one
Chinatown test day is 4.5 points of accuracy, and the LSTMs' scores move by
more than that from one seed to the next. fsdd's 1,500 test sequences and
the summary's wins and losses over all sets are what separate two settings.
"""

import argparse
import importlib.util
import json
import os
import platform
import shlex
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import joblib
import numpy as np
import sklearn
import skorch
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import load_digits
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, RidgeClassifierCV, RidgeCV
from sklearn.metrics import accuracy_score, root_mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, LabelEncoder, StandardScaler

# benchmarks/ is on sys.path when this script runs
from synthetic import absorption_spectra, few_shot_waveforms, gain_offset, self_check
from threadpoolctl import threadpool_limits
from torch import nn

import sklstm
from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler
from sklstm._budget import SUPERVISED_BUDGET
from sklstm._preprocessing import mean_and_scale
from sklstm.datasets import (
    load_acsf1,
    load_cardano_sentiment,
    load_chinatown,
    load_co2,
    load_coffee,
    load_eeg_hand_raise,
    load_fsdd,
    load_osuleaf,
    load_shoulder_exercises,
    load_sunspots,
    load_trace,
)
from sklstm.forecasting import WindowNormalizedRegressor, _default_regressor, make_windows

try:
    import aeon
    from aeon.classification.convolution_based import MiniRocketClassifier
    from aeon.regression.convolution_based import MiniRocketRegressor
except ImportError:  # the MiniRocket column reads n/a
    aeon = None

BENCH_EXTRA = "pip install -e '.[bench]'"
PLAIN_EPOCHS = 100  # the plain skorch LSTM's epochs: sklstm's former default max_epochs
QUICK_EPOCHS = 10  # --quick: the most epochs any LSTM gets
SUNSPOT_WINDOW = 22  # past years per sample, about two solar cycles
SUNSPOT_N_TEST = 59  # the last 59 years, 1950 to 2008
CO2_WINDOW = 24  # past months per sample, two yearly cycles
CO2_N_TEST = 60  # the last 60 months, 1997 to 2001
RIDGE_ALPHAS = np.logspace(-3, 3, 10)
MINIROCKET_MIN_STEPS = 9  # the length of MiniRocket's kernels
GAIN_SEED = 0  # --robustness: the seed of every gain-and-offset copy
GAIN_SUFFIX = "+gain"  # --robustness: a copy's name is its set's name and this
SYNTHETIC_SEED = 0  # the seed of the synthetic sets
FIT_THRESHOLD = 0.95  # a training accuracy below this is a set the model cannot fit

# --ablation: one sklstm column per entry, label: settings that replace the
# defaults. The first is the reference the summary compares the others to.
ABLATIONS = {
    "defaults": {},
    "frontend='conv'": {"frontend": "conv"},
    "frontend='patch'": {"frontend": "patch"},
    "readout='last'": {"readout": "last"},
    "old budget (100 epochs, batch 32)": {"max_epochs": 100, "batch_size": 32},
    "early_stopping=True": {"early_stopping": True},
    "n_networks=3": {"n_networks": 3},
    "forget_bias=0": {"forget_bias": 0.0},
    "weight_decay=0": {"weight_decay": 0.0},
    # 'auto' leaves the penalty out below 40 training sequences: forced on
    "weight_decay=0.003": {"weight_decay": 0.003},
    "weight_decay=0.01": {"weight_decay": 0.01},
}

# Published deep-learning test accuracies on the same UCR train/test splits
# (quoted, not measured here): [1] Fawaz et al., "Deep learning for time
# series classification: a review", DMKD 2019, github.com/hfawaz/dl-4-tsc
# results/results-ucr-128.csv, mean of its 5 runs; [2] Fawaz et al.,
# "InceptionTime", DMKD 2020, github.com/hfawaz/InceptionTime results-128.csv.
# No published deep-learning results exist for the other bundled datasets.
PUBLISHED = {
    "osuleaf": "FCN 0.979, ResNet 0.980, MLP 0.560 [1]; InceptionTime 0.942 [2]",
    "chinatown": "FCN 0.980, ResNet 0.978 [1]; InceptionTime 0.983 [2] "
    "(on the full 343-day UCR test set; aeon's copy keeps 22 days)",
    "coffee": "FCN 1.000, ResNet 1.000, MLP 0.993 [1]",
    "trace": "FCN 1.000, ResNet 1.000, MLP 0.806 [1]",
    "acsf1": "FCN 0.898, ResNet 0.916, MLP 0.558 [1]",
}


@dataclass
class Problem:
    name: str
    task: str  # "classification", "regression" or "forecasting"
    X_train: object  # (n, L, H_in) array or a list of (L_i, H_in) arrays
    X_test: object
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def is_classification(self):
        return self.task == "classification"

    @property
    def variable_length(self):
        return isinstance(self.X_train, list)

    @property
    def n_channels(self):
        return self.X_train[0].shape[-1]

    @property
    def median_length(self):
        """The length variable-length sequences are resampled to for the baselines."""
        if self.variable_length:
            return int(np.median([len(x) for x in self.X_train]))
        return None


# %% Datasets ----------------------------------------------------------------


def forecast_windows(series, window, n_test):
    """One-step-ahead windows; the last ``n_test`` values are the test targets."""
    test_start = len(series) - n_test
    # Training windows come from the training values only, so every training
    # target lies before the test period; test windows may read training
    # values as inputs.
    X_train, y_train = make_windows(series[:test_start], window=window)
    X_test, y_test = make_windows(series[test_start - window :], window=window)
    assert len(y_test) == n_test
    return X_train, X_test, y_train[:, 0], y_test[:, 0]


def digits_as_rows():
    """scikit-learn's 8x8 digits, each read as 8 steps of 8 features, split 50/50."""
    X, y = load_digits(return_X_y=True)
    return train_test_split(X.reshape(-1, 8, 8), y, test_size=0.5, stratify=y, random_state=0)


LOADERS = {  # name: (task, function returning X_train, X_test, y_train, y_test)
    "osuleaf": ("classification", partial(load_osuleaf, return_X_y=True)),
    "chinatown": ("classification", partial(load_chinatown, return_X_y=True)),
    "eeg_hand_raise": ("classification", partial(load_eeg_hand_raise, return_X_y=True)),
    "shoulder_exercises": ("classification", partial(load_shoulder_exercises, return_X_y=True)),
    "coffee": ("classification", partial(load_coffee, return_X_y=True)),
    "trace": ("classification", partial(load_trace, return_X_y=True)),
    "acsf1": ("classification", partial(load_acsf1, return_X_y=True)),
    "fsdd": ("classification", partial(load_fsdd, return_X_y=True)),
    "digits": ("classification", digits_as_rows),
    "cardano_sentiment": ("regression", partial(load_cardano_sentiment, return_X_y=True)),
    "sunspots": (
        "forecasting",
        lambda: forecast_windows(load_sunspots().series, SUNSPOT_WINDOW, SUNSPOT_N_TEST),
    ),
    "co2": ("forecasting", lambda: forecast_windows(load_co2().series, CO2_WINDOW, CO2_N_TEST)),
}


# Generated sets (benchmarks/synthetic.py), in every --robustness run and
# selectable by --datasets in the other modes
SYNTHETIC = {
    "few_shot_50x2": (
        "classification",
        partial(few_shot_waveforms, n_classes=50, n_train_per_class=2, seed=SYNTHETIC_SEED),
    ),
    "spectra": ("regression", partial(absorption_spectra, seed=SYNTHETIC_SEED)),
}


def problems(names):
    for name in names:
        task, load = LOADERS[name] if name in LOADERS else SYNTHETIC[name]
        yield Problem(name, task, *load())  # X_train, X_test, y_train, y_test


def with_gain_offset(problem):
    """--robustness: a copy of ``problem`` with each sequence at its own gain
    and offset (``synthetic.gain_offset``), before any pipeline sees it."""
    X_train, X_test = gain_offset(problem.X_train, problem.X_test, seed=GAIN_SEED)
    return Problem(
        problem.name + GAIN_SUFFIX,
        problem.task,
        X_train,
        X_test,
        problem.y_train,
        problem.y_test,
    )


def robustness_problems(names):
    """--robustness: each classification set followed by its gain-and-offset
    copy, and the synthetic sets as they are."""
    for problem in problems(names):
        yield problem
        if problem.name in LOADERS:
            yield with_gain_offset(problem)


# %% Models: each a function (problem, seed, ...) -> unfitted estimator ------


def sklstm_params(*settings, quick=False):
    """Merge sklstm settings, later ones winning; ``quick`` caps ``max_epochs``."""
    params = {}
    for setting in settings:
        params.update(setting)
    if quick:
        epochs = params.get("max_epochs", "auto")
        params["max_epochs"] = QUICK_EPOCHS if epochs == "auto" else min(epochs, QUICK_EPOCHS)
    return params


def sklstm_model(problem, seed, params):
    """The sklstm columns: ``params`` replace sklstm's defaults."""
    Estimator = LSTMClassifier if problem.is_classification else LSTMRegressor
    return make_pipeline(SequenceScaler(), Estimator(random_state=seed, **params))


class LastHiddenStateLSTM(nn.Module):
    """The blog-post module: one LSTM layer and a linear layer on h_n[-1]."""

    def __init__(self, n_features, n_outputs, hidden_size=64):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden_size, batch_first=True)
        self.linear = nn.Linear(hidden_size, n_outputs)

    def forward(self, X):
        _, (h_n, _) = self.lstm(X)  # h_n: (num_layers, N, H_out)
        return self.linear(h_n[-1])  # (N, n_outputs)


def pad_with_zeros(X):
    """A list of (L_i, H_in) arrays -> (N, max L_i, H_in) float32, zeros at the end."""
    if not isinstance(X, list):
        return np.asarray(X, dtype=np.float32)
    padded = np.zeros((len(X), max(len(x) for x in X), X[0].shape[1]), dtype=np.float32)
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    return padded


class PlainSkorchLSTM(BaseEstimator):
    """What a user writes around skorch without sklstm, as a small estimator.

    The steps a user does by hand: scale, pad, cast to float32, LabelEncode
    the classes to int64. For regression the targets are standardised too (and
    (N, 1) float32, as MSELoss wants), because sklstm's LSTMRegressor does so
    internally: otherwise a sunspot target of 100 would need a bias that Adam
    with lr=1e-3 cannot reach in its 800 updates (100 epochs of 8 batches), and
    the comparison would measure target scaling rather than the LSTM.
    """

    def __init__(self, *, classification=True, max_epochs=PLAIN_EPOCHS, random_state=0):
        self.classification = classification
        self.max_epochs = max_epochs
        self.random_state = random_state

    def fit(self, X, y):
        self.scaler_ = SequenceScaler().fit(X)
        X = pad_with_zeros(self.scaler_.transform(X))
        if self.classification:
            self.encoder_ = LabelEncoder().fit(y)
            y = self.encoder_.transform(y).astype(np.int64)
            Net, criterion, n_outputs = (
                skorch.NeuralNetClassifier,
                nn.CrossEntropyLoss,
                len(self.encoder_.classes_),
            )
        else:
            self.y_mean_, self.y_std_ = y.mean(), y.std()
            y = ((y - self.y_mean_) / self.y_std_).astype(np.float32).reshape(-1, 1)
            Net, criterion, n_outputs = skorch.NeuralNetRegressor, nn.MSELoss, 1
        self.net_ = Net(
            LastHiddenStateLSTM,
            module__n_features=X.shape[2],
            module__n_outputs=n_outputs,
            criterion=criterion,
            optimizer=torch.optim.Adam,
            lr=1e-3,
            batch_size=32,
            max_epochs=self.max_epochs,
            train_split=None,
            iterator_train__shuffle=True,
            verbose=0,
        )
        torch.manual_seed(self.random_state)  # the weights and skorch's shuffling
        self.net_.fit(X, y)
        return self

    def predict(self, X):
        X = pad_with_zeros(self.scaler_.transform(X))
        if self.classification:
            return self.encoder_.inverse_transform(self.net_.predict(X))
        return self.net_.predict(X)[:, 0] * self.y_std_ + self.y_mean_


def plain_skorch_lstm(problem, seed, max_epochs):
    return PlainSkorchLSTM(
        classification=problem.is_classification, max_epochs=max_epochs, random_state=seed
    )


def resample(x, length):
    """(L, H_in) -> (length, H_in) by linear interpolation of each channel."""
    old, new = np.arange(len(x)), np.linspace(0, len(x) - 1, length)
    return np.column_stack([np.interp(new, old, channel) for channel in x.T])


def to_array(X, length=None):
    """Sequences -> (N, L, H_in); a list is resampled to ``length`` steps first."""
    if isinstance(X, list):
        return np.stack([resample(x, length) for x in X])
    return np.asarray(X)


def flatten(X, length=None):
    """Sequences -> (N, L * H_in) rows."""
    X = to_array(X, length)
    return X.reshape(len(X), -1)


def flattener(problem):
    return FunctionTransformer(flatten, kw_args={"length": problem.median_length})


NEAREST_NEIGHBOUR = (KNeighborsClassifier(n_neighbors=1), KNeighborsRegressor(n_neighbors=1))
DUMMY = (DummyClassifier(), DummyRegressor())  # the most frequent class; the training mean
RIDGE = (RidgeClassifierCV(alphas=RIDGE_ALPHAS), RidgeCV(alphas=RIDGE_ALPHAS))


def flat_baseline(problem, seed, estimators):
    """1-NN and RidgeCV on the flattened scaled series: deterministic, ``seed`` unused.

    ``estimators``: the (classifier, regressor) pair to choose from.
    """
    estimator = clone(estimators[0] if problem.is_classification else estimators[1])
    return make_pipeline(SequenceScaler(), flattener(problem), estimator)


def to_aeon(X, length=None):
    """Sequences -> aeon's (N, H_in, L) float64, at least MiniRocket's 9 steps."""
    X = to_array(X, length).transpose(0, 2, 1)
    n_short = max(MINIROCKET_MIN_STEPS - X.shape[2], 0)
    X = np.pad(X, ((0, 0), (0, 0), (0, n_short)))  # zeros at the end
    return np.ascontiguousarray(X, dtype=np.float64)


def minirocket(problem, seed):
    Estimator = MiniRocketClassifier if problem.is_classification else MiniRocketRegressor
    to_aeon_layout = FunctionTransformer(to_aeon, kw_args={"length": problem.median_length})
    return make_pipeline(SequenceScaler(), to_aeon_layout, Estimator(random_state=seed))


def sklstm_forecaster(problem, seed, params):
    """The model of ``LSTMForecaster()``: ``WindowNormalizedRegressor()`` with
    the forecaster's default regressor, seeded, on the unscaled windows (it
    puts each window on its own scale)."""
    regressor = _default_regressor().set_params(random_state=seed, **params)
    return WindowNormalizedRegressor(regressor)


def warm_up_torch(problem):
    """Pay torch's first-call costs in this process (~2 s) outside the timed fits."""
    X = np.random.default_rng(0).normal(size=(8, 16, problem.n_channels))
    LSTMClassifier(max_epochs=1, random_state=0).fit(X, np.arange(8) % 2)


def warm_up_minirocket(problem):
    """Compile aeon's numba kernels in this process, so no timed fit pays for it.

    Numba compiles one version per type of argument: the same channel count
    (univariate or not) and an int ``random_state``, as in the timed fits.
    """
    X = to_aeon(np.random.default_rng(0).normal(size=(4, 16, problem.n_channels)))
    MiniRocketClassifier(n_kernels=84, random_state=0).fit(X, np.array([0, 1, 0, 1]))


def logistic_regression(problem, seed, encoder_settings):
    """--encoder: LogisticRegression on the flattened series (``encoder_settings``
    None) or on the features of an LSTMEncoderTransformer trained without labels
    (``encoder_settings(problem)`` gives its settings, which name the
    objective: a pipeline would pass y to it)."""
    if encoder_settings is None:
        features = flattener(problem)
    else:
        features = LSTMEncoderTransformer(random_state=seed, **encoder_settings(problem))
    return make_pipeline(
        SequenceScaler(), features, StandardScaler(), LogisticRegression(max_iter=1000)
    )


def z_normalize_each(X):
    """Each sequence minus its own mean, over its own standard deviation, per
    channel (the UCR archive's normalisation; a constant channel stays 0)."""

    def one(x):
        mean, scale = mean_and_scale(np.asarray(x))  # SequenceScaler's statistics
        return (x - mean) / scale

    return [one(x) for x in X] if isinstance(X, list) else np.stack([one(x) for x in X])


class RandomCropAugmented(BaseEstimator):
    """--augmentation: ``estimator`` fitted on each training sequence and
    ``n_crops`` random crops of it (window slicing, Le Guennec et al., "Data
    augmentation for time series classification using convolutional neural
    networks", 2016): contiguous, at least ``min_fraction`` of the sequence
    long, each with its sequence's label. ``predict`` reads whole sequences."""

    def __init__(self, estimator, *, n_crops=4, min_fraction=0.9, random_state=0):
        self.estimator = estimator
        self.n_crops = n_crops
        self.min_fraction = min_fraction
        self.random_state = random_state

    def fit(self, X, y):
        rng = np.random.default_rng(self.random_state)
        X_crops, y_crops = [], []
        for x, label in zip(X, y):
            x = np.asarray(x)
            shortest = int(np.ceil(self.min_fraction * len(x)))
            X_crops.append(x)
            for _ in range(self.n_crops):
                length = rng.integers(shortest, len(x) + 1)
                start = rng.integers(0, len(x) - length + 1)
                X_crops.append(x[start : start + length])
            y_crops += [label] * (self.n_crops + 1)
        self.estimator_ = clone(self.estimator).fit(X_crops, np.asarray(y_crops))
        return self

    def predict(self, X):
        return self.estimator_.predict(X)


def z_normalised(model, seed):
    """--augmentation: ``model`` (a pipeline) after each sequence is z-normalised."""
    return make_pipeline(FunctionTransformer(z_normalize_each), *[s for _, s in model.steps])


def crop_augmented(model, seed):
    """--augmentation: ``model`` (scaler, estimator) with its estimator trained on crops too."""
    scaler, estimator = [step for _, step in model.steps]
    return make_pipeline(scaler, RandomCropAugmented(estimator, random_state=seed))


def augmented_model(problem, seed, params, augment):
    """--augmentation: the sklstm defaults, changed by ``augment(model, seed)``."""
    return augment(sklstm_model(problem, seed, params), seed)


# %% Columns -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    make: Callable | None  # (problem, seed) -> unfitted estimator; None: n/a
    seeded: bool = True  # False: deterministic, fitted once
    warm_up: Callable | None = warm_up_torch  # (problem) -> None, before the timed fit
    ablation: dict | None = None  # the settings an ablation column changes
    tasks: tuple | None = None  # the tasks it applies to (None: all); else n/a
    train_score: bool = False  # also score the training set (can the model fit it?)
    main: bool = False  # in the main table of --markdown (sklstm defaults, MiniRocket)
    simple: bool = False  # a simple baseline: --markdown's main table names the best


def same_as_defaults(problem, column):
    """Whether an ablation column's settings are the defaults of the problem's
    estimator (LSTMClassifier and LSTMRegressor differ in ``frontend``): its
    results are then the first (defaults) column's, not fitted again."""
    if not column.ablation:
        return False
    Estimator = LSTMClassifier if problem.is_classification else LSTMRegressor
    defaults = Estimator().get_params()
    return all(defaults.get(key) == value for key, value in column.ablation.items())


def sklstm_columns(params, compare, quick):
    """The sklstm defaults, then one column per ``--compare`` setting.

    A compared setting that is the defaults of a row's estimator copies the
    defaults column there (``same_as_defaults``); with ``--params`` it is
    fitted, since the defaults column then is not the estimator's defaults.
    """
    return [
        Column(
            "sklstm defaults",
            partial(sklstm_model, params=sklstm_params(params, quick=quick)),
            train_score=True,
            main=True,
        )
    ] + [
        Column(
            name,
            partial(sklstm_model, params=sklstm_params(params, setting, quick=quick)),
            ablation={**params, **setting},
            train_score=True,
        )
        for name, setting in compare.items()
    ]


def flat_and_minirocket_columns():
    """1-NN, RidgeCV and MiniRocket: the baselines every mode with them shares."""
    flat = [
        Column(
            name,
            partial(flat_baseline, estimators=estimators),
            seeded=False,
            warm_up=None,
            simple=True,
        )
        for name, estimators in (("1-NN", NEAREST_NEIGHBOUR), ("RidgeCV", RIDGE))
    ]
    return flat + [
        Column("MiniRocket", minirocket if aeon else None, warm_up=warm_up_minirocket, main=True)
    ]


def baseline_columns(params, compare, quick):
    return sklstm_columns(params, compare, quick) + [
        Column(
            "LSTM only",
            partial(sklstm_model, params=sklstm_params(params, {"frontend": "none"}, quick=quick)),
        ),
        Column(
            "plain skorch LSTM",
            partial(plain_skorch_lstm, max_epochs=QUICK_EPOCHS if quick else PLAIN_EPOCHS),
        ),
        *flat_and_minirocket_columns(),
        Column(
            "Dummy",
            partial(flat_baseline, estimators=DUMMY),
            seeded=False,
            warm_up=None,
            simple=True,
        ),
        Column(
            "sklstm forecaster",
            partial(sklstm_forecaster, params=sklstm_params(params, quick=quick)),
            tasks=("forecasting",),
        ),
    ]


def robustness_columns(params, compare, quick):
    return sklstm_columns(params, compare, quick) + flat_and_minirocket_columns()


def ablation_columns(params, quick):
    return [
        Column(
            label,
            partial(sklstm_model, params=sklstm_params(params, ablation, quick=quick)),
            ablation=ablation,
            train_score=True,
        )
        for label, ablation in ABLATIONS.items()
    ]


def supervised_budget(problem):
    """The batch size and epochs the supervised objectives' 'auto' gives the
    problem's training set: what the contrastive objective trained with
    before it had its own budget."""
    n_samples = len(problem.X_train)
    batch_size = SUPERVISED_BUDGET.batch_size(n_samples)
    return {
        "batch_size": batch_size,
        "max_epochs": SUPERVISED_BUDGET.max_epochs(n_samples, batch_size),
    }


# --encoder: the unlabelled objectives, and the untrained encoder; label:
# settings, or a function of the problem that gives them
ENCODER_OBJECTIVES = {
    "autoencoder": {"objective": "autoencoder"},
    "contrastive": {"objective": "contrastive"},
    "contrastive, supervised budget": lambda problem: {
        "objective": "contrastive",
        **supervised_budget(problem),
    },
    "untrained encoder": {"max_epochs": 0},
}


def settings_for(problem, params, settings, quick):
    """The encoder's settings for ``problem``: ``params`` replaced by the column's."""
    if callable(settings):
        settings = settings(problem)
    return sklstm_params(params, settings, quick=quick)


def encoder_columns(params, quick):
    return [
        Column(
            "raw series",
            partial(logistic_regression, encoder_settings=None),
            seeded=False,
            warm_up=None,
        ),
    ] + [
        Column(
            label,
            partial(
                logistic_regression,
                encoder_settings=partial(
                    settings_for, params=params, settings=settings, quick=quick
                ),
            ),
        )
        for label, settings in ENCODER_OBJECTIVES.items()
    ]


# --augmentation: two data-side levers, measured and not kept; label: what
# turns the defaults' pipeline into the column's
AUGMENTATIONS = {
    "per-sequence z-normalisation": z_normalised,
    "random crops (4 per sequence, >= 90%)": crop_augmented,
}


def augmentation_columns(params, quick):
    defaults = sklstm_params(params, quick=quick)
    return [
        Column("sklstm defaults", partial(sklstm_model, params=defaults), train_score=True)
    ] + [
        Column(
            label,
            partial(augmented_model, params=defaults, augment=augment),
            train_score=True,
        )
        for label, augment in AUGMENTATIONS.items()
    ]


# %% Fitting -------------------------------------------------------------------


def score(problem, y_true, y_pred):
    if problem.is_classification:
        return accuracy_score(y_true, y_pred)
    return root_mean_squared_error(y_true, y_pred)


def fit_and_score(problem, column, seed):
    """One (dataset, model, seed) fit, in a worker: one torch and one BLAS thread.

    Returns the dataset and column names, the test score, the fit seconds and
    the training score (None unless ``column.train_score``).
    """
    # A small LSTM gains nothing from a second thread and loses 10-100x when
    # threads outnumber the free cores.
    torch.set_num_threads(1)
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # sklstm's "learned next to nothing" warning, once per fit, would bury
        # the table; the train cell tells the same
        warnings.filterwarnings("ignore", category=ConvergenceWarning, module=r"sklstm\.")
        if column.warm_up is not None:
            column.warm_up(problem)
        model = column.make(problem, seed)
        start = time.perf_counter()
        model.fit(problem.X_train, problem.y_train)
        seconds = time.perf_counter() - start
        test_score = score(problem, problem.y_test, model.predict(problem.X_test))
        train_score = None
        if column.train_score:
            train_score = score(problem, problem.y_train, model.predict(problem.X_train))
        return problem.name, column.name, test_score, seconds, train_score


def run(problems, columns, seeds, jobs, on_dataset_done):
    """Fit everything on ``jobs`` loky workers; call ``on_dataset_done(problem,
    results)`` as each dataset's last fit ends. Returns {dataset: {column:
    (scores, fit seconds, training scores)}}, empty lists for an unavailable
    column (and for the training scores of a column without them)."""
    tasks = [
        (problem, column, seed)
        for problem in problems
        for column in columns
        if column.make is not None
        and (column.tasks is None or problem.task in column.tasks)
        and not same_as_defaults(problem, column)
        for seed in (seeds if column.seeded else seeds[:1])
    ]
    results = {p.name: {c.name: ([], [], []) for c in columns} for p in problems}
    left = {p.name: sum(task[0] is p for task in tasks) for p in problems}
    by_name = {p.name: p for p in problems}
    parallel = joblib.Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")
    for name, column, test_score, seconds, train_score in parallel(
        joblib.delayed(fit_and_score)(*task) for task in tasks
    ):
        results[name][column][0].append(test_score)
        results[name][column][1].append(seconds)
        if train_score is not None:
            results[name][column][2].append(train_score)
        left[name] -= 1
        if left[name] == 0:
            problem = by_name[name]
            for c in columns:
                if same_as_defaults(problem, c):
                    results[name][c.name] = results[name][columns[0].name]
            on_dataset_done(problem, results[name])
    return results


# %% The table and the summary ---------------------------------------------------


def format_scores(scores):
    """One score, or the mean and standard deviation over the seeds."""
    if not scores:
        return "n/a"
    if len(scores) == 1:
        return f"{scores[0]:.3f}"
    return f"{np.mean(scores):.3f} ± {np.std(scores):.3f}"


def format_seconds(seconds):
    return f"{np.mean(seconds):.1f}" if seconds else "n/a"


def format_train(train_scores):
    """The mean training score over the seeds."""
    return f"{np.mean(train_scores):.3f}" if train_scores else "n/a"


def shape_of(X):
    """'steps x channels', with a range of steps for variable length."""
    lengths = sorted({len(x) for x in X})
    steps = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]}-{lengths[-1]}"
    return f"{steps} x {X[0].shape[-1]}"


TEXT_FIELDS = ("dataset", "task", "steps x ch", "train/test", "metric")  # left-aligned
MAIN_TEXT_FIELDS = ("dataset", "train/test", "metric")  # in --markdown's main table
BEST_SIMPLE = "best simple baseline"  # --markdown's main table: the best Column.simple


def headers(keys):
    """The header over each cell of ``keys`` ((column name or None, field)):
    a dataset field's name; a column's name over its score; "train" and
    "fit s" right after the column's other cells, else after its name."""
    names = []
    for i, (column, field) in enumerate(keys):
        if column is None or field == "score":
            names.append(column or field)
        elif i and keys[i - 1][0] == column:
            names.append(field)
        else:
            names.append(f"{column} {field}")
    return names


def markdown_table(keys, rows):
    """The cells ``keys`` of ``rows`` (dicts of cells by key) as a Markdown
    table: the dataset's fields left-aligned, scores and times right-aligned."""
    align = ["---" if column is None else "---:" for column, _ in keys]
    lines = [headers(keys), align, *([row[key] for key in keys] for row in rows)]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def and_join(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class Table:
    """The header and rows, as aligned text or Markdown.

    A column with training scores has a "train" cell (the mean training
    accuracy or RMSE over the seeds) between its test score and fit time.
    Each cell has a key: (None, field) for the dataset's fields, (column
    name, "score", "train" or "fit s") for the columns'.
    """

    def __init__(self, columns, n_seeds, name_width=18):
        self.keys = [(None, field) for field in TEXT_FIELDS]
        self.widths = [name_width, 14, 11, 10, 8]
        for column in columns:
            # "123.456 ± 12.345" for a mean ± std, "123.456" for one score
            score_width = 16 if column.seeded and n_seeds > 1 else 7
            self.keys.append((column.name, "score"))
            self.widths.append(max(len(column.name), score_width))
            if column.train_score:
                self.keys.append((column.name, "train"))
                self.widths.append(7)
            self.keys.append((column.name, "fit s"))
            self.widths.append(6)
        self.header = headers(self.keys)
        self.columns = columns

    def row(self, problem, results):
        cells = [
            problem.name,
            problem.task,
            shape_of(problem.X_train),
            f"{len(problem.X_train)}/{len(problem.X_test)}",
            "accuracy" if problem.is_classification else "RMSE",
        ]
        for column in self.columns:
            scores, seconds, train_scores = results[column.name]
            cells.append(format_scores(scores))
            if column.train_score:
                cells.append(format_train(train_scores))
            cells.append(format_seconds(seconds))
        return cells

    def text(self, cells):
        return "  ".join(
            c.ljust(w) if column is None else c.rjust(w)
            for c, w, (column, _) in zip(cells, self.widths, self.keys)
        )

    def rule(self):
        return self.text(["-" * w for w in self.widths])

    def markdown(self, problems, results):
        """The rows as Markdown. With main columns (``Column.main``), two
        tables: a narrow one with the dataset, the main columns' scores, the
        best simple baseline and the main columns' fit times, then one with
        every other cell; else one table of every cell."""
        rows = [dict(zip(self.keys, self.row(p, results[p.name]))) for p in problems]
        main = [column.name for column in self.columns if column.main]
        if not main:
            return markdown_table(self.keys, rows)
        simple = [column.name for column in self.columns if column.simple]
        main_keys = [(None, field) for field in MAIN_TEXT_FIELDS]
        main_keys += [(name, "score") for name in main]
        notes = []
        if simple:
            main_keys.append((BEST_SIMPLE, "score"))
            for row, problem in zip(rows, problems):
                row[BEST_SIMPLE, "score"] = best_of(results, problem, simple)
            notes.append(
                f"{BEST_SIMPLE}: the best of {and_join(simple)} on the row (for RMSE the "
                "lowest), named."
            )
        main_keys += [(name, "fit s") for name in main]
        other_keys = [(None, "dataset")] + [key for key in self.keys if key not in main_keys]
        notes.append(
            "The other columns (train: the mean training accuracy or RMSE over the seeds; "
            "fit s: the mean fit seconds):"
        )
        return "\n\n".join(
            [markdown_table(main_keys, rows), *notes, markdown_table(other_keys, rows)]
        )


def mean_score(results, problem, column):
    scores = results[problem.name][column][0]
    return np.mean(scores) if scores else np.nan


def beats(problem, a, b):
    """Whether score ``a`` is better than ``b`` on this problem's metric.

    Equal scores are a tie, also when their means over seeds differ in the
    last bits of a float (33/42 as the mean of 32/42, 33/42 and 34/42).
    """
    if np.isclose(a, b, rtol=0, atol=1e-9):
        return False
    return a > b if problem.is_classification else a < b


def best_of(results, problem, columns):
    """The best score of ``columns`` on the problem and the column, e.g.
    '0.955 (RidgeCV)'; a tie names every best column."""
    means = {column: mean_score(results, problem, column) for column in columns}
    means = {column: value for column, value in means.items() if not np.isnan(value)}
    best = [c for c in means if not any(beats(problem, means[o], means[c]) for o in means)]
    if not best:
        return "n/a"
    return f"{format_scores(results[problem.name][best[0]][0])} ({', '.join(best)})"


def winners(problems, results, column, rivals):
    """The datasets where ``column`` beats every one of ``rivals``."""
    return [
        p.name
        for p in problems
        if all(
            beats(p, mean_score(results, p, column), mean_score(results, p, rival))
            for rival in rivals
        )
    ]


def column_means(problems, columns, results):
    """Every mode: mean accuracy of each column, its change from the first, fit time."""
    classification = [p for p in problems if p.is_classification]
    first = columns[0].name

    def mean_accuracy(column):
        return np.mean([mean_score(results, p, column) for p in classification])

    lines = [
        f"Mean test accuracy over the {len(classification)} classification datasets "
        f"(change from {first}) and mean fit time over all {len(problems)} datasets:"
    ]
    width = max(len(column.name) for column in columns)
    for column in columns:
        seconds = [s for p in problems for s in results[p.name][column.name][1]]
        accuracy = ""
        if classification and not np.isnan(mean_accuracy(column.name)):
            change = mean_accuracy(column.name) - mean_accuracy(first)
            accuracy = f"accuracy {mean_accuracy(column.name):.3f} ({change:+.3f})  "
        elif classification:
            accuracy = f"{'accuracy n/a':<25}"
        fit = f"fit {format_seconds(seconds)} s" if seconds else "fit n/a"
        lines.append(f"  {column.name.ljust(width)}  {accuracy}{fit}")
    return lines


def baseline_summary(problems, results):
    classification = [p for p in problems if p.is_classification]
    regression = [p for p in problems if not p.is_classification]
    lines = []
    if classification:
        won = winners(classification, results, "sklstm defaults", ["1-NN", "RidgeCV"])
        lines.append(
            f"sklstm defaults beats max(1-NN, RidgeCV) on {len(won)} of "
            f"{len(classification)} classification datasets: {', '.join(won) or '-'}."
        )
        gaps = {
            p.name: mean_score(results, p, "sklstm defaults")
            - mean_score(results, p, "MiniRocket")
            for p in classification
        }
        if aeon is None:
            lines.append(f"Gap to MiniRocket: n/a (aeon is not installed: {BENCH_EXTRA}).")
        else:
            worst = min(gaps, key=gaps.get)
            mean_gap = np.mean(list(gaps.values()))
            lines.append(
                f"Gap to MiniRocket (sklstm defaults - MiniRocket accuracy): mean "
                f"{mean_gap:+.3f}, worst {gaps[worst]:+.3f} ({worst})."
            )
    if regression:
        lines.append(
            "Regression and forecasting (RMSE, lower is better), the winner of "
            "sklstm defaults, sklstm forecaster (forecasts only), plain skorch "
            "LSTM and RidgeCV, and Dummy (the training mean):"
        )
        contenders = ["sklstm defaults", "sklstm forecaster", "plain skorch LSTM", "RidgeCV"]
        for p in regression:
            rmse = {c: mean_score(results, p, c) for c in contenders}
            rmse = {c: value for c, value in rmse.items() if not np.isnan(value)}
            best = min(rmse, key=rmse.get)
            others = ", ".join(f"{c} {rmse[c]:.3f}" for c in rmse if c != best)
            dummy = mean_score(results, p, "Dummy")
            lines.append(f"  {p.name}: {best} ({rmse[best]:.3f}; {others}; Dummy {dummy:.3f})")
    return lines


def train_summary(problems, columns, results):
    """Every mode: the mean training accuracy of each column that has one, and
    the classification sets it does not fit (below FIT_THRESHOLD)."""
    classification = [p for p in problems if p.is_classification]
    lines = []
    for column in columns:
        if not column.train_score or not classification:
            continue
        train = {
            p.name: np.mean(results[p.name][column.name][2])
            for p in classification
            if results[p.name][column.name][2]
        }
        if not train:
            continue
        unfit = [f"{name} {value:.3f}" for name, value in train.items() if value < FIT_THRESHOLD]
        lines.append(
            f"{column.name}: mean training accuracy {np.mean(list(train.values())):.3f}; "
            f"below {FIT_THRESHOLD} on {len(unfit)} of {len(train)} sets"
            + (f": {', '.join(unfit)}." if unfit else ".")
        )
    return lines


def compare_summary(problems, results, compared):
    """--compare: each named setting against the defaults column, dataset by
    dataset (equal means are a tie), and its geometric-mean RMSE ratio."""
    regression = [p for p in problems if not p.is_classification]
    lines = []
    for name in compared:
        won = winners(problems, results, name, ["sklstm defaults"])
        lost = winners(problems, results, "sklstm defaults", [name])
        line = (
            f"{name} against sklstm defaults: wins {len(won)}, losses {len(lost)}, ties "
            f"{len(problems) - len(won) - len(lost)} of {len(problems)} datasets "
            f"(wins: {', '.join(won) or '-'}; losses: {', '.join(lost) or '-'})"
        )
        ratios = [
            mean_score(results, p, name) / mean_score(results, p, "sklstm defaults")
            for p in regression
        ]
        ratios = [r for r in ratios if np.isfinite(r) and r > 0]
        if ratios:
            line += (
                f"; RMSE / defaults' RMSE, geometric mean over {len(ratios)} regression "
                f"sets: {np.exp(np.mean(np.log(ratios))):.3f}"
            )
        lines.append(line + ".")
    return lines


def robustness_summary(problems, results, sklstm_names):
    """--robustness: per set, its gain-and-offset copy's accuracy minus its own,
    for each sklstm column and MiniRocket, and the mean of those changes; the
    synthetic sets against MiniRocket and RidgeCV."""
    by_name = {p.name: p for p in problems}
    pairs = [
        (p, by_name[p.name + GAIN_SUFFIX]) for p in problems if p.name + GAIN_SUFFIX in by_name
    ]
    contenders = [*sklstm_names, "MiniRocket"]
    lines = []
    if pairs:
        width = max(len(p.name) for p, _ in pairs)
        lines.append(
            f"Gain and offset (copy {GAIN_SUFFIX} minus original, test accuracy): "
            + ", ".join(contenders)
        )
        changes = {c: [] for c in contenders}
        for original, copy in pairs:
            cells = []
            for c in contenders:
                change = mean_score(results, copy, c) - mean_score(results, original, c)
                changes[c].append(change)
                cells.append(f"{c} {change:+.3f}")
            lines.append(f"  {original.name.ljust(width)}  {'  '.join(cells)}")
        lines.append(
            f"  {'mean'.ljust(width)}  "
            + "  ".join(f"{c} {np.nanmean(changes[c]):+.3f}" for c in contenders)
        )
    for p in problems:
        if p.name not in SYNTHETIC:
            continue
        reference = {c: mean_score(results, p, c) for c in ("MiniRocket", "RidgeCV", "1-NN")}
        if p.is_classification:
            cells = [
                f"{c} {mean_score(results, p, c):.3f} "
                f"({mean_score(results, p, c) - reference['MiniRocket']:+.3f} to MiniRocket)"
                for c in sklstm_names
            ]
            lines.append(
                f"{p.name} (accuracy): {'; '.join(cells)}; MiniRocket "
                f"{reference['MiniRocket']:.3f}, 1-NN {reference['1-NN']:.3f}, "
                f"RidgeCV {reference['RidgeCV']:.3f}."
            )
        else:
            cells = [
                f"{c} {mean_score(results, p, c):.3f} "
                f"({mean_score(results, p, c) / reference['MiniRocket']:.2f}x MiniRocket, "
                f"{mean_score(results, p, c) / reference['RidgeCV']:.2f}x RidgeCV)"
                for c in sklstm_names
            ]
            lines.append(
                f"{p.name} (RMSE): {'; '.join(cells)}; MiniRocket "
                f"{reference['MiniRocket']:.3f}, RidgeCV {reference['RidgeCV']:.3f}."
            )
    return lines


def ablation_summary(problems, results):
    """Say which ABLATIONS entries are the defaults of an estimator (copied, not fitted)."""
    lines = []
    for task, Estimator in [("classification", LSTMClassifier), ("regression", LSTMRegressor)]:
        defaults = Estimator().get_params()
        same = [
            label
            for label, ablation in ABLATIONS.items()
            if ablation and all(defaults.get(k) == v for k, v in ablation.items())
        ]
        if same:
            lines.append(
                f"The defaults of {Estimator.__name__} ({task} rows), so copied from "
                f"the defaults column: {', '.join(same)}."
            )
    return lines


def encoder_summary(problems, results):
    trained = [label for label in ENCODER_OBJECTIVES if label != "untrained encoder"]
    pairs = [
        (column, rival) for column in trained for rival in ("raw series", "untrained encoder")
    ]
    pairs.append(("untrained encoder", "raw series"))
    lines = []
    for column, rival in pairs:
        won = winners(problems, results, column, [rival])
        lines.append(
            f"{column} beats {rival} on {len(won)} of {len(problems)} datasets: "
            f"{', '.join(won) or '-'}."
        )
    return lines


def augmentation_summary(problems, results):
    lines = []
    for column in AUGMENTATIONS:
        won = winners(problems, results, column, ["sklstm defaults"])
        lost = winners(problems, results, "sklstm defaults", [column])
        lines.append(
            f"{column} beats sklstm defaults on {len(won)} of {len(problems)} datasets "
            f"({', '.join(won) or '-'}) and trails on {len(lost)} ({', '.join(lost) or '-'})."
        )
    return lines


def plot_against_minirocket(path, problems, results):
    """Scatter of sklstm defaults against MiniRocket per classification dataset,
    captioned with what it shows and the command that made it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    classification = [p for p in problems if p.is_classification]
    stats = {
        column: (
            [mean_score(results, p, column) for p in classification],
            [np.std(results[p.name][column][0]) for p in classification],
        )
        for column in ("MiniRocket", "sklstm defaults")
    }
    (x, x_err), (y, y_err) = stats["MiniRocket"], stats["sklstm defaults"]
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.errorbar(x, y, xerr=x_err, yerr=y_err, fmt="o", capsize=2)
    # datasets on the same point (e.g. two at 1.000 and 1.000) share one label
    labels = {}
    for p, xi, yi in zip(classification, x, y):
        labels.setdefault((round(xi, 3), round(yi, 3)), []).append(p.name)
    for (xi, yi), names in labels.items():
        # near the right edge, the label goes to the point's left
        left = xi > 0.97
        ax.annotate(
            ", ".join(names),
            (xi, yi),
            textcoords="offset points",
            xytext=(-6, -10) if left else (4, 4),
            ha="right" if left else "left",
            fontsize=8,
        )
    low = max(min(x + y) - 0.05, 0)
    ax.plot([low, 1], [low, 1], "k--", linewidth=1)
    ax.set(
        xlim=(low, 1.01),
        ylim=(low, 1.01),
        aspect="equal",
        xlabel="MiniRocket test accuracy",
        ylabel="sklstm defaults test accuracy",
        title="Above the diagonal: sklstm defaults scores higher",
    )
    n_seeds = len(results[classification[0].name]["sklstm defaults"][0])
    caption = (
        f"Test accuracy on each classification dataset: mean over seeds 0..{n_seeds - 1}; "
        f"bars: one standard deviation. Command: python {shlex.join(sys.argv)}"
    )
    fig.text(0.01, 0.005, caption, fontsize=6, wrap=True)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)


def named_setting(text):
    """--compare: 'NAME=JSON' -> (NAME, dict of settings)."""
    name, sep, settings = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=JSON, got {text!r}")
    try:
        settings = json.loads(settings)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"{name}: {settings!r} is not JSON ({exc})") from exc
    if not isinstance(settings, dict):
        raise argparse.ArgumentTypeError(f"{name}: expected a JSON object, got {settings!r}")
    return name, settings


MODES = ("ablation", "encoder", "augmentation", "robustness")  # the mutually exclusive flags


def mode_of(args):
    """The mode flag given ('ablation', ...), or None for the baselines."""
    return next((flag for flag in MODES if vars(args)[flag]), None)


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"at most {QUICK_EPOCHS} epochs for every LSTM and one seed, for a smoke run; "
        "also checks the synthetic generators",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        metavar="N",
        help="fit the stochastic models with seeds 0..N-1 and report mean ± std "
        "(default 3, 1 with --quick)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        metavar="J",
        help="fits in parallel on J loky workers (default 2)",
    )
    parser.add_argument(
        "--markdown",
        metavar="PATH",
        help="also write the table as Markdown; with the baselines or --robustness as two "
        "tables: sklstm defaults, MiniRocket, the best simple baseline and their fit "
        "times, then the other columns",
    )
    parser.add_argument(
        "--plot", metavar="PATH", help="also plot sklstm defaults against MiniRocket (PNG)"
    )
    parser.add_argument(
        "--early-stopping",
        action="store_true",
        help="fit sklstm with early_stopping=True instead of its default",
    )
    parser.add_argument(
        "--params",
        type=json.loads,
        default={},
        metavar="JSON",
        help="settings that replace sklstm's defaults in every sklstm model, "
        """e.g. '{"forget_bias": null}'""",
    )
    parser.add_argument(
        "--compare",
        type=named_setting,
        nargs="+",
        default=[],
        metavar="NAME=JSON",
        help="one more sklstm column per NAME, with the JSON settings on top of the defaults "
        """(and --params), e.g. lr3='{"lr": 0.003}' wd0='{"weight_decay": 0}'; """
        "with the baselines or --robustness",
    )
    parser.add_argument(
        "--datasets",
        metavar="NAMES",
        help=f"comma-separated, among {', '.join([*LOADERS, *SYNTHETIC])} "
        "(default: all of the mode's)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--ablation",
        action="store_true",
        help="one sklstm column per entry of ABLATIONS instead of the baselines",
    )
    mode.add_argument(
        "--encoder",
        action="store_true",
        help="LogisticRegression on raw series and on trained and untrained "
        "LSTMEncoderTransformer features (classification sets)",
    )
    mode.add_argument(
        "--augmentation",
        action="store_true",
        help="sklstm defaults against per-sequence z-normalisation and random-crop "
        "augmentation (classification sets)",
    )
    mode.add_argument(
        "--robustness",
        action="store_true",
        help="each classification set and its copy at per-sequence random gains and "
        "offsets, and the synthetic few-shot and spectra sets, against 1-NN, RidgeCV "
        "and MiniRocket",
    )
    return parser


def dataset_names(parser, args):
    """The names of the run's datasets: --datasets, or all of the mode's."""
    every = {**LOADERS, **SYNTHETIC}
    if args.datasets:
        names = args.datasets.split(",")
    elif args.robustness:
        names = [*LOADERS, *SYNTHETIC]
    else:
        names = list(LOADERS)
    if unknown := [name for name in names if name not in every]:
        parser.error(f"unknown datasets {unknown}; choose among {', '.join(every)}")
    if mode_of(args) in ("encoder", "augmentation", "robustness"):
        # --robustness: the gain-and-offset copies are of classification sets;
        # the synthetic regression set is its own
        names = [
            name
            for name in names
            if every[name][0] == "classification" or (args.robustness and name in SYNTHETIC)
        ]
        if not names:
            parser.error(
                f"--{mode_of(args)} runs on classification datasets (and the synthetic sets) only"
            )
    return names


def check_args(parser, args):
    """Fill in the default --seeds and stop, with a usage error, on what cannot
    run. Returns the names of the run's datasets."""
    if args.seeds is None:
        args.seeds = 1 if args.quick else 3
    if args.seeds < 1 or args.jobs < 1:
        parser.error("--seeds and --jobs must be at least 1")
    sklstm_only = mode_of(args) in ("ablation", "encoder", "augmentation")
    if args.compare and sklstm_only:
        parser.error("--compare adds columns to the baselines or --robustness only")
    compare = dict(args.compare)
    if len(compare) < len(args.compare) or "sklstm defaults" in compare:
        parser.error("--compare: each NAME once, and not 'sklstm defaults'")
    names = dataset_names(parser, args)
    if args.plot and sklstm_only:
        parser.error(
            "--plot needs the MiniRocket column: not with --ablation, --encoder or --augmentation"
        )
    if args.plot and (aeon is None or importlib.util.find_spec("matplotlib") is None):
        parser.error(f"--plot needs aeon (the MiniRocket column) and matplotlib: {BENCH_EXTRA}")
    return names


def columns_for(args, params, compare):
    """The mode's columns, its summary (problems, results) -> lines, and what it measures."""
    quick = args.quick
    if args.ablation:
        return (
            ablation_columns(params, quick),
            ablation_summary,
            "each sklstm lever off in turn (ABLATIONS)",
        )
    if args.encoder:
        return (
            encoder_columns(params, quick),
            encoder_summary,
            "LogisticRegression on the raw series and on LSTMEncoderTransformer features, "
            "trained without labels and untrained",
        )
    if args.augmentation:
        return (
            augmentation_columns(params, quick),
            augmentation_summary,
            "sklstm defaults against data augmentation and per-sequence normalisation",
        )
    if args.robustness:
        return (
            robustness_columns(params, compare, quick),
            partial(robustness_summary, sklstm_names=["sklstm defaults", *compare]),
            f"robustness: each classification set and its copy ({GAIN_SUFFIX}) with every "
            f"sequence at its own random gain and offset (seed {GAIN_SEED}), and the "
            f"synthetic sets (seed {SYNTHETIC_SEED})",
        )
    return (
        baseline_columns(params, compare, quick),
        baseline_summary,
        "sklstm against the baselines",
    )


def caption_for(what, args, seeds, params, compare):
    """The line above the table: what the run measures, and with which settings."""
    return (
        f"{what}. Test accuracy (higher is better) or RMSE (lower is better), "
        "and mean fit times in seconds. Stochastic models: "
        + (
            f"random_state={seeds[0]}."
            if len(seeds) == 1
            else f"mean ± std over random_state=0..{len(seeds) - 1}."
        )
        + (f" --quick: at most {QUICK_EPOCHS} epochs per LSTM." if args.quick else "")
        + (f" sklstm with {json.dumps(params)}." if params else "")
        + "".join(f" {name}: {json.dumps(setting)}." for name, setting in compare.items())
    )


def footer_for(args, names, total):
    """The lines after the summary: run time, command, versions, notes."""
    versions = (
        f"sklstm {sklstm.__version__}, torch {torch.__version__}, skorch {skorch.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        + (f"aeon {aeon.__version__}, " if aeon else "")
        + f"Python {platform.python_version()}."
    )
    footer = [
        f"Total run time: {total:.0f} s ({total / 60:.1f} min) "
        + (f"on {args.jobs} loky workers" if args.jobs > 1 else "in one process")
        + f", one torch thread per fit; load average at the end {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPU cores.",
        f"Command: python benchmarks/accuracy.py {shlex.join(sys.argv[1:])}".rstrip(),
        versions,
    ]
    if aeon is None and mode_of(args) in (None, "robustness"):
        footer.append(f"MiniRocket: n/a, aeon is not installed ({BENCH_EXTRA}).")
    if published := [name for name in names if name in PUBLISHED]:
        footer.append(
            "Published deep-learning accuracies, same UCR splits (quoted, see "
            "PUBLISHED in the script for the sources):"
        )
        footer += [f"  {name}: {PUBLISHED[name]}" for name in published]
    return footer


def main():
    parser = build_parser()
    args = parser.parse_args()
    names = check_args(parser, args)
    compare = dict(args.compare)
    params = dict(args.params)
    if args.early_stopping:
        params["early_stopping"] = True
    torch.set_num_threads(1)  # also for --jobs 1, which fits in this process
    seeds = list(range(args.seeds))
    if args.quick:
        self_check()
        print("Synthetic generators (benchmarks/synthetic.py): self-checks passed.")

    columns, summary, what = columns_for(args, params, compare)
    caption = caption_for(what, args, seeds, params, compare)
    print(caption + "\n")
    selected = list(robustness_problems(names) if args.robustness else problems(names))
    table = Table(columns, len(seeds), name_width=max(18, *(len(p.name) for p in selected)))
    print(table.text(table.header))
    print(table.rule())
    start = time.perf_counter()

    def print_row(problem, results):
        print(table.text(table.row(problem, results)), flush=True)

    results = run(selected, columns, seeds, args.jobs, print_row)
    total = time.perf_counter() - start

    lines = (
        column_means(selected, columns, results)
        + summary(selected, results)
        + train_summary(selected, columns, results)
        + compare_summary(selected, results, compare)
    )
    print("\n" + "\n".join(lines))
    footer = footer_for(args, names, total)
    print("\n" + "\n".join(footer))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(
                caption
                + "\n\n"
                + table.markdown(selected, results)
                + "\n\n"
                + "".join(f"{line}  \n" for line in lines + [""] + footer)
            )
    if args.plot and any(p.is_classification for p in selected):
        plot_against_minirocket(args.plot, selected, results)
        print(f"Plot: {args.plot}")
    elif args.plot:
        print("Plot: none, the run has no classification dataset.")


if __name__ == "__main__":
    main()
