"""scikit-learn's own estimator checks, on default-constructed estimators (#4).

2-D ``X`` in these checks is read as a table of univariate sequences, so
scikit-learn's ``n_features_in_`` contract applies unchanged.
"""

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler


@parametrize_with_checks(
    [LSTMClassifier(), LSTMRegressor(), LSTMEncoderTransformer(), SequenceScaler()]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer])
def test_check_estimator_called_directly_with_random_state(Est):
    # #4: the checks also pass as a user would call them; a failing check raises.
    check_estimator(Est(random_state=0))
