"""The order of the examples in the gallery (``within_subsection_order``).

The gallery opens with the introductory example, the one that shows what
sklstm is for (sequences of different lengths as a plain list), then goes
from classification to forecasting to the more specialised topics. Examples
not listed here follow, by file name.
"""

from sphinx_gallery.sorting import FileNameSortKey

READING_ORDER = [
    "plot_variable_length.py",
    "plot_classifier_learning_curve.py",
    "plot_grid_search.py",
    "plot_encoder_projection.py",
    "plot_per_step.py",
    "plot_sunspot_forecast.py",
    "plot_co2_forecast.py",
    "plot_attention.py",
    "plot_pretraining.py",
]


class ReadingOrder(FileNameSortKey):
    """Listed examples first, in ``READING_ORDER``; then the others by name."""

    def __call__(self, filename):
        name = str(filename).rsplit("/", 1)[-1]
        if name in READING_ORDER:
            return f"{READING_ORDER.index(name):03d}"
        return f"999 {name}"
