"""Small real sequence datasets, loaded in the style of :mod:`sklearn.datasets`.

The data files are bundled with the package; see
``sklstm/datasets/data/SOURCES.md`` for their provenance, licences and
citations.
"""

from ._base import (
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

__all__ = [
    "load_acsf1",
    "load_cardano_sentiment",
    "load_chinatown",
    "load_co2",
    "load_coffee",
    "load_eeg_hand_raise",
    "load_fsdd",
    "load_osuleaf",
    "load_shoulder_exercises",
    "load_sunspots",
    "load_trace",
]
