"""scikit-learn's own estimator checks, on default-constructed estimators (#4).

2-D ``X`` in these checks is read as a table of univariate sequences, so
scikit-learn's ``n_features_in_`` contract applies unchanged.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import LSTMClassifier, LSTMEncoderTransformer, LSTMRegressor


@parametrize_with_checks([LSTMClassifier(), LSTMRegressor(), LSTMEncoderTransformer()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
