"""scikit-learn's own estimator checks, on small configurations.

The checks fit dozens of models; they run on small networks with a fixed
budget (as imbalanced-learn's ``INIT_PARAMS`` does), so the suite stays fast
whatever the defaults' training budget. The estimators are discovered from
``sklstm.__all__``, so a new one cannot be forgotten.

2-D ``X`` in these checks is read as a table of univariate sequences, so
scikit-learn's ``n_features_in_`` contract applies unchanged.
"""

import inspect

from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor

ESTIMATORS = [
    obj
    for obj in (getattr(sklstm, name) for name in sklstm.__all__)
    if inspect.isclass(obj) and issubclass(obj, BaseEstimator)
]
LSTM_ESTIMATORS = [Est for Est in ESTIMATORS if "hidden_size" in Est().get_params()]

# Small networks and a fixed budget of 100 epochs at batch 32, enough for the
# checks that the training data is fitted well.
INIT_PARAMS = {
    "hidden_size": 8,
    "frontend_width": 8,
    "max_epochs": 100,
    "batch_size": 32,
    "lr": 0.01,
}


def small(Est, **params):
    return Est(**({**INIT_PARAMS, **params} if Est in LSTM_ESTIMATORS else params))


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
        return {
            "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_REASON,
        }
    return {}


def test_every_estimator_is_discovered():
    assert {Est.__name__ for Est in ESTIMATORS} >= {
        "LSTMClassifier",
        "LSTMRegressor",
        "LSTMEncoderTransformer",
        "SequenceScaler",
    }


@parametrize_with_checks(
    [small(Est) for Est in ESTIMATORS],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_check_estimator_called_directly_with_random_state():
    # The checks also pass as a user would call them; a failing check
    # raises. Once, for the estimator with the fewest checks: the others run
    # the same checks above.
    estimator = small(sklstm.LSTMEncoderTransformer, random_state=0)
    check_estimator(estimator, expected_failed_checks=expected_failed_checks(estimator))
