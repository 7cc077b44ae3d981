"""scikit-learn's own estimator checks, on default-constructed estimators (#4).

2-D ``X`` in these checks is read as a table of univariate sequences, so
scikit-learn's ``n_features_in_`` contract applies unchanged.
"""

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor, SequenceScaler

# The one kind of check a mini-batch stochastic learner cannot pass, as
# scikit-learn itself expects of SGDClassifier: fitting with integer weights
# is not equivalent to fitting on repeated samples, because the batches (and
# their number per epoch) differ, and 100 epochs of float32 Adam do not agree
# to rtol=1e-7 anyway. The weighted loss itself is checked by hand in
# tests/test_training.py.
SAMPLE_WEIGHT_REASON = (
    "mini-batch stochastic training: integer sample weights are not equivalent "
    "to repeated samples (different batches), as for SGDClassifier"
)


def expected_failed_checks(estimator):
    if isinstance(estimator, (LSTMClassifier, LSTMRegressor)):
        return {"check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_REASON}
    return {}


@parametrize_with_checks(
    [LSTMClassifier(), LSTMRegressor(), LSTMEncoderTransformer(), SequenceScaler()],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("Est", [LSTMClassifier, LSTMRegressor, LSTMEncoderTransformer])
def test_check_estimator_called_directly_with_random_state(Est):
    # #4: the checks also pass as a user would call them; a failing check raises.
    estimator = Est(random_state=0)
    check_estimator(estimator, expected_failed_checks=expected_failed_checks(estimator))
