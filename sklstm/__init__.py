"""sklstm: LSTMs as first-class scikit-learn estimators."""

from ._classifier import LSTMClassifier
from ._persistence import load, save
from ._preprocessing import SequenceScaler
from ._regressor import LSTMRegressor
from ._transformer import LSTMEncoderTransformer

__version__ = "0.1.0"

__all__ = [
    "LSTMClassifier",
    "LSTMEncoderTransformer",
    "LSTMRegressor",
    "SequenceScaler",
    "__version__",
    "load",
    "save",
]
