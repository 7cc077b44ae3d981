"""Windows for direct multi-horizon forecasting."""

import re

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import LSTMRegressor
from sklstm.datasets import load_sunspots
from sklstm.forecasting import (
    LSTMForecaster,
    WindowNormalizedRegressor,
    align_forecast,
    fourier_features,
    make_windows,
)

TINY = {"hidden_size": 4, "frontend_width": 4, "max_epochs": 3}


def test_windows_match_a_hand_loop():
    series = np.random.RandomState(0).normal(size=(40, 3))
    X, y = make_windows(series, window=5, horizon=3, step=2, target=1)
    starts = range(0, 40 - 5 - 3 + 1, 2)
    np.testing.assert_array_equal(X, [series[s : s + 5] for s in starts])
    np.testing.assert_array_equal(y, [series[s + 5 : s + 8, 1] for s in starts])


def test_univariate_series_gives_one_feature():
    X, y = make_windows(np.arange(20.0), window=4, horizon=2)
    assert X.shape == (15, 4, 1) and y.shape == (15, 2)


def test_align_forecast_puts_each_target_at_its_time_step():
    series = np.arange(30.0) ** 2
    X, y = make_windows(series, window=6, horizon=4, step=3)
    forecast = align_forecast(y, window=6, n_timesteps=30, step=3)
    assert forecast.shape == (30, 4)
    for h in range(4):
        known = ~np.isnan(forecast[:, h])
        np.testing.assert_array_equal(forecast[known, h], series[known])
    assert np.all(np.isnan(forecast[:6]))  # nothing forecasts the first window


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"window": 8, "horizon": 3},
            "A series of 10 steps is too short for window=8 and horizon=3",
        ),
        ({"window": 0}, "window, horizon and step must be positive ints"),
        ({"window": 2.5}, "window, horizon and step must be positive ints; got window=2.5"),
        ({"window": 3, "horizon": 0}, "window, horizon and step must be positive ints"),
    ],
)
def test_make_windows_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_windows(np.arange(10.0), **kwargs)


def test_multivariate_series_needs_a_target():
    with pytest.raises(ValueError, match=re.escape("pass target=<column index>")):
        make_windows(np.zeros((10, 2)), window=3)


def test_lstm_forecasts_sunspots_better_than_the_mean():
    series = load_sunspots().series
    scaled = (series - series[:250].mean()) / series[:250].std()
    X, y = make_windows(scaled, window=22, horizon=3)
    # chronological split: the targets of training windows end before step 250
    n_train = 250 - 22 - 3 + 1
    # the window model of the forecasters: patches and the final state
    window_model = {"frontend": "patch", "readout": "last", "input_norm": "none"}
    reg = LSTMRegressor(max_epochs=30, random_state=0, **window_model)
    reg.fit(X[:n_train], y[:n_train])
    assert reg.predict(X[n_train:]).shape == (len(X) - n_train, 3)
    assert reg.score(X[n_train:], y[n_train:]) > 0.3


def test_no_target_value_is_inside_its_input_window():
    # a series whose values are their own time steps
    X, y = make_windows(np.arange(50.0), window=7, horizon=4, step=3)
    assert np.all(y.min(axis=1) > X[:, :, 0].max(axis=1))
    np.testing.assert_array_equal(y[:, 0], X[:, -1, 0] + 1)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: make_windows(np.zeros((10, 2)), window=3, target=5),
            "target=5 is not a column of a series with 2 features",
        ),
        (lambda: make_windows(["a", "b", "c", "d"], window=2), "series must hold numbers"),
        (lambda: make_windows([1.0, np.nan, 2.0, 3.0], window=2), "contains NaN"),
        (lambda: make_windows(np.zeros((4, 2, 2)), window=2), "must have shape (n_timesteps,)"),
        (
            lambda: align_forecast(np.zeros((3, 2)), window=3, n_timesteps=None),
            "n_timesteps must be a positive int",
        ),
        (
            lambda: align_forecast(np.zeros((3, 2)), window=3, n_timesteps="30"),
            "n_timesteps must be a positive int",
        ),
        (
            lambda: align_forecast(np.zeros((3, 2, 1)), window=3, n_timesteps=30),
            "y_pred must have shape (n_windows,) or (n_windows, horizon)",
        ),
        (
            lambda: WindowNormalizedRegressor().fit(np.zeros((3, 4, 1)), np.zeros((3, 2, 1))),
            "y must have shape (n_windows,) or (n_windows, horizon)",
        ),
        (lambda: fourier_features(10, period=0), "period must be a positive, finite number"),
        (lambda: fourier_features(10, period=12, order=0), "order must be a positive int"),
    ],
)
def test_forecasting_input_errors(call, message):
    """Non-regression test for raw numpy errors (IndexError, float conversion)."""
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_fourier_features_continue_across_stretches():
    whole = fourier_features(30, period=12, order=2)
    assert whole.shape == (30, 4)
    np.testing.assert_allclose(fourier_features(10, period=12, order=2, start=20), whole[20:])
    np.testing.assert_allclose(whole[:, 0], np.sin(2 * np.pi * np.arange(30) / 12))
    np.testing.assert_allclose(whole[:, 3], np.cos(4 * np.pi * np.arange(30) / 12))


class Memorizer(RegressorMixin, BaseEstimator):
    """Predicts the targets it was fitted on, and records what it saw."""

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X), np.asarray(y)
        return self

    def predict(self, X):
        return self.y_[: len(X)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


@pytest.mark.parametrize("normalize", ["last", "mean", "global"])
def test_window_normalisation_round_trips_exactly(normalize):
    rng = np.random.RandomState(0)
    series = np.column_stack([np.cumsum(rng.normal(size=80)) + 50, rng.normal(size=80)])
    X, y = make_windows(series, window=6, horizon=3, target=0)
    model = WindowNormalizedRegressor(Memorizer(), normalize=normalize).fit(X, y)
    np.testing.assert_allclose(model.predict(X), y, rtol=1e-12)
    seen = model.regressor_.X_
    if normalize == "last":  # the target column is 0 at the last step of each window
        np.testing.assert_allclose(seen[:, -1, 0], 0, atol=1e-12)
    elif normalize == "mean":
        np.testing.assert_allclose(seen[:, :, 0].mean(1), 0, atol=1e-12)
        np.testing.assert_allclose(seen[:, :, 0].std(1), 1, rtol=1e-9)
    # the covariate is standardised once, over all training steps
    np.testing.assert_allclose(seen[:, :, 1].mean(), 0, atol=1e-12)


def test_a_constant_window_is_not_divided_by_zero():
    X = np.ones((5, 4, 1))
    X[1:] += np.arange(4)[:, None]
    model = WindowNormalizedRegressor(Ridge()).fit(X, np.arange(5.0))
    assert np.all(np.isfinite(model.predict(np.full((2, 4, 1), 7.0))))


def test_a_tabular_regressor_gets_flat_windows():
    X, y = make_windows(np.sin(np.arange(60) / 4), window=8, horizon=2)
    model = WindowNormalizedRegressor(Ridge()).fit(X, y)
    assert model.regressor_.n_features_in_ == 8
    assert model.predict(X).shape == y.shape


def test_window_normalized_regressor_errors():
    with pytest.raises(ValueError, match=re.escape("Expected X of shape (n_samples, n_timesteps")):
        WindowNormalizedRegressor(Ridge()).fit(np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="target=3 is not a column"):
        WindowNormalizedRegressor(Ridge(), target=3).fit(np.zeros((5, 4, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="at least 2 steps"):
        WindowNormalizedRegressor(Ridge()).fit(np.zeros((5, 1, 1)), np.zeros(5))
    model = WindowNormalizedRegressor(Ridge()).fit(np.random.rand(5, 4, 2), np.zeros(5))
    message = "X has 1 features, but WindowNormalizedRegressor is expecting 2 features as input."
    with pytest.raises(ValueError, match=re.escape(message)):
        model.predict(np.zeros((2, 4, 1)))
    message = (
        "X has windows of 3 steps, but WindowNormalizedRegressor was fitted on windows of 4 "
        "and reads each step (linear part or a regressor for tables). Cut windows of 4 steps."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        model.predict(np.zeros((2, 3, 2)))
    message = (
        "Unweighted takes no sample_weight in fit, so WindowNormalizedRegressor cannot "
        "weight the windows."
    )

    class Unweighted(DummyRegressor):
        def fit(self, X, y):
            return super().fit(X, y)

    with pytest.raises(TypeError, match=re.escape(message)):
        WindowNormalizedRegressor(Unweighted()).fit(np.random.rand(5, 4, 1), np.zeros(5), [1] * 5)


@pytest.mark.parametrize("normalize", ["last", "mean"])
def test_the_linear_part_is_a_ridge_model_on_the_frame_and_the_level(normalize):
    rng = np.random.RandomState(0)
    series = np.cumsum(rng.normal(size=90)) + 20
    X, y = make_windows(series, window=6, horizon=2)
    # DummyRegressor learns the mean residual, 0: the linear part alone
    model = WindowNormalizedRegressor(DummyRegressor(), normalize=normalize).fit(X, y)
    values = X[:, :, 0]
    shift = values[:, -1:] if normalize == "last" else values.mean(1, keepdims=True)
    scale = values.std(1, keepdims=True)
    features = np.column_stack([(values - shift) / scale, (values.mean() - shift) / scale])
    by_hand = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(features, (y - shift) / scale)
    np.testing.assert_allclose(model.predict(X), by_hand.predict(features) * scale + shift)
    np.testing.assert_allclose(model.linear_.coef_, by_hand.coef_)
    assert WindowNormalizedRegressor(Ridge(), linear=False).fit(X, y).linear_ is None


def test_the_level_feature_gives_back_what_the_frame_removes():
    # sunspot cycles are higher or lower than usual, and revert: where a
    # window stands against the long-run mean helps the forecast, which
    # the window's own frame cannot see (ridge models only, so it is fast)
    series = load_sunspots().series
    test_start = len(series) - 50
    X, y = make_windows(series[:test_start], window=22, horizon=5)
    X_test, y_test = make_windows(series[test_start - 22 :], window=22, horizon=5)
    errors = {
        linear: np.abs(
            WindowNormalizedRegressor(regressor, linear=linear).fit(X, y).predict(X_test) - y_test
        ).mean()
        for linear, regressor in [
            (True, DummyRegressor()),
            (False, RidgeCV(np.logspace(-3, 3, 13))),
        ]
    }
    assert errors[True] < 0.9 * errors[False]


def test_window_normalized_regressor_in_a_time_series_grid_search():
    X, y = make_windows(np.sin(np.arange(100) / 4) + np.arange(100) / 10, window=8)
    search = GridSearchCV(
        WindowNormalizedRegressor(Ridge()),
        {"normalize": ["last", "mean"], "regressor__alpha": [0.1, 1.0]},
        cv=TimeSeriesSplit(3),
    ).fit(X, y[:, 0])
    assert search.best_score_ > 0.9


def trending_season(n=150, seed=0):
    t = np.arange(n)
    noise = np.random.RandomState(seed).normal(scale=0.1, size=n)
    return 10 + 0.05 * t + np.sin(2 * np.pi * t / 12) + noise


@pytest.mark.parametrize("normalize", ["last", "mean"])
def test_a_shifted_and_scaled_copy_is_forecast_as_well(normalize):
    # without the linear part's level feature, nothing in the model knows
    # the training series' level
    series = trending_season()
    forecaster = LSTMForecaster(
        12, 3, regressor=LSTMRegressor(**TINY), normalize=normalize, linear=False, random_state=0
    ).fit(series[:100])
    forecast = forecaster.predict(series[:120])
    moved = forecaster.predict(1000 + 7 * series[:120])
    np.testing.assert_allclose(moved, 1000 + 7 * forecast, rtol=1e-5)


@pytest.mark.parametrize("normalize", ["last", "mean"])
def test_a_model_fitted_on_a_shifted_and_scaled_copy_forecasts_it_as_well(normalize):
    # with the level feature, the model is tied to the level of the series it
    # was fitted on, so the copy is fitted too: the same model in the frame
    series = trending_season()
    forecasts = [
        LSTMForecaster(12, 3, regressor=LSTMRegressor(**TINY), normalize=normalize, random_state=0)
        .fit(a + b * series[:100])
        .predict(a + b * series[:120])
        for a, b in [(0, 1), (1000, 7)]
    ]
    np.testing.assert_allclose(forecasts[1], 1000 + 7 * forecasts[0], rtol=1e-5)


def test_window_normalisation_forecasts_a_level_never_seen_in_training():
    series = trending_season(300)
    windows, targets = make_windows(series, window=12, horizon=1)
    errors = {}
    for normalize in ["last", "global"]:
        model = WindowNormalizedRegressor(  # the network alone: no linear part
            LSTMRegressor(max_epochs=20, random_state=0), normalize=normalize, linear=False
        ).fit(windows[:150], targets[:150])
        # the last windows lie well above every training value
        errors[normalize] = np.abs(model.predict(windows[-50:]) - targets[-50:]).mean()
    assert errors["last"] < 0.5 < errors["global"]


def test_forecaster_dates_its_forecast():
    pd = pytest.importorskip("pandas")
    series = trending_season(80)
    monthly = pd.Series(series, index=pd.period_range("2000-01", periods=80, freq="M"))
    forecaster = LSTMForecaster(12, 3, regressor=Ridge(), interval_holdout=0.3).fit(monthly)
    forecast = forecaster.predict()
    assert list(forecast.index.astype(str)) == ["2006-09", "2006-10", "2006-11"]
    np.testing.assert_allclose(forecast.to_numpy(), forecaster.predict(series))
    interval = forecaster.predict_interval(coverage=0.8)
    assert list(interval.columns) == ["forecast", "lower", "upper"]
    assert np.all(interval["lower"] < interval["forecast"])
    assert np.all(interval["forecast"] < interval["upper"])
    dated = pd.Series(series, index=pd.date_range("2000-01-01", periods=80, freq="MS"))
    later = forecaster.predict(dated[:60])
    assert str(later.index[0].date()) == "2005-01-01"
    numbered = forecaster.predict(pd.Series(series[:50], index=range(100, 150)))
    assert list(numbered.index) == [150, 151, 152]


def test_prediction_intervals_cover_about_as_asked():
    rng = np.random.RandomState(0)
    series = np.zeros(1200)
    for t in range(1, 1200):  # an AR(1) process
        series[t] = 0.8 * series[t - 1] + rng.normal()
    forecaster = LSTMForecaster(
        5, 2, regressor=RidgeCV(), normalize="global", interval_holdout=200
    ).fit(series[:800])
    inside = []
    for origin in range(800, 1198):
        _, lower, upper = forecaster.predict_interval(series[:origin], coverage=0.9).T
        truth = series[origin : origin + 2]
        inside.append((lower <= truth) & (truth <= upper))
    assert 0.85 < np.mean(inside) < 0.95


class Recorder(Memorizer):
    """A Memorizer that also keeps the targets of every fit, in a class list."""

    fits = []

    def fit(self, X, y):
        Recorder.fits.append(np.asarray(y))
        return super().fit(X, y)


def test_holdout_targets_were_never_training_targets():
    Recorder.fits.clear()
    # the values of the series are their time steps
    LSTMForecaster(4, 3, regressor=Recorder(), interval_holdout=5).fit(np.arange(40.0))
    holdout_fit, final_fit = Recorder.fits
    # 34 windows; the last 5 (targets from step 29 + 4 = 33 on) are held out,
    # and 2 more are dropped, so that the last fitted target is step 32
    assert len(holdout_fit) == 34 - 5 - 2 and len(final_fit) == 34


def test_covariates_carry_information():
    rng = np.random.RandomState(0)
    driver = rng.normal(size=300)
    series = np.r_[0, 5 * driver[:-1]] + 0.01 * rng.normal(size=300)
    with_x = LSTMForecaster(4, regressor=Ridge(alpha=1e-3), normalize="global")
    with_x.fit(series[:250], driver[:250])
    without = clone(with_x).fit(series[:250])
    error_with = np.mean(
        [abs(with_x.predict(series[:t], driver[:t])[0] - series[t]) for t in range(250, 299)]
    )
    error_without = np.mean(
        [abs(without.predict(series[:t])[0] - series[t]) for t in range(250, 299)]
    )
    assert error_with < 0.1 < error_without


def promotions(n=300, seed=0):
    """A series that jumps by 5 on the steps of a 0/1 plan known in advance."""
    rng = np.random.RandomState(seed)
    plan = (rng.rand(n) < 0.3).astype(float)
    return 10 + 5 * plan + 0.1 * rng.normal(size=n), plan


def test_known_covariates_are_read_over_the_horizon():
    series, plan = promotions()
    errors = {}
    for covariates in ["past", "known"]:
        forecaster = LSTMForecaster(  # a window of no jumps has no scale of its own: global
            6, 3, regressor=Ridge(alpha=1e-3), covariates=covariates, normalize="global"
        ).fit(series[:250], plan[:250])
        ahead = 3 if covariates == "known" else 0
        errors[covariates] = np.mean(
            [
                np.abs(
                    forecaster.predict(series[:t], plan[: t + ahead]) - series[t : t + 3]
                ).mean()
                for t in range(250, 297)
            ]
        )
    # only the plan of the forecast steps says whether they jump
    assert errors["known"] < 0.3 < 2 < errors["past"]


def test_each_step_reads_the_known_covariates_horizon_steps_later():
    series, plan = promotions(40)
    forecaster = LSTMForecaster(
        5, 3, regressor=Memorizer(), normalize="global", linear=False, covariates="known"
    ).fit(series, plan)
    model = forecaster.model_
    seen = model.regressor_.X_ * model.feature_scale_ + model.feature_mean_  # undo the scaling
    assert seen.shape == (33, 5, 3)  # 40 - 5 - 3 + 1 windows: the series, the plan, the plan ahead
    for i, window in enumerate(seen):
        np.testing.assert_allclose(window[:, 1], plan[i : i + 5], atol=1e-12)
        # the last step reads the plan of the last step it forecasts, never later
        np.testing.assert_allclose(window[:, 2], plan[i + 3 : i + 8], atol=1e-12)


def test_known_covariates_of_the_next_steps_after_the_fitted_series():
    series, plan = promotions(120)
    forecaster = LSTMForecaster(6, 3, regressor=Ridge(), covariates="known")
    forecaster.fit(series[:100], plan[:100])
    assert forecaster.covariates_known_
    np.testing.assert_allclose(
        forecaster.predict(X=plan[100:103]), forecaster.predict(series[:100], plan[:103])
    )
    messages = {
        "pass their values for the 3 steps to forecast": lambda: forecaster.predict(),
        re.escape("shape (3, 1); got shape (2,)"): lambda: forecaster.predict(X=plan[:2]),
        "X needs the rows of y's steps and of the 3 steps to forecast, 103 in all": (
            lambda: forecaster.predict(series[:100], plan[:100])
        ),
    }
    for message, call in messages.items():
        with pytest.raises(ValueError, match=message):
            call()
    # without covariates, 'known' changes nothing
    alone = LSTMForecaster(6, 3, regressor=Ridge(), covariates="known").fit(series[:100])
    assert not alone.covariates_known_
    np.testing.assert_allclose(
        alone.predict(), LSTMForecaster(6, 3, regressor=Ridge()).fit(series[:100]).predict()
    )


def test_forecaster_is_reproducible_with_random_state():
    series = trending_season(80)

    def make():
        return LSTMForecaster(12, 2, regressor=LSTMRegressor(**TINY), random_state=3)

    np.testing.assert_array_equal(make().fit(series).predict(), make().fit(series).predict())


def test_forecaster_errors():
    pd = pytest.importorskip("pandas")
    series = trending_season(60)
    fitted = LSTMForecaster(12, 2, regressor=Ridge()).fit(series)
    cases = [
        (lambda: LSTMForecaster(12).fit(series, np.zeros((59, 1))), "X has 59 rows but y has 60"),
        (lambda: LSTMForecaster(12).fit(np.zeros((60, 2))), "y must be one series"),
        (lambda: LSTMForecaster(70).fit(series), "too short for window=70"),
        (lambda: fitted.predict(series[:5]), "y has 5 steps, fewer than window=12"),
        (lambda: fitted.predict(series, np.zeros((60, 1))), "fitted with 0"),
        (lambda: fitted.predict(X=np.zeros((60, 1))), "Pass y with X"),
        (lambda: fitted.predict_interval(), "fit the forecaster with interval_holdout set"),
        (
            lambda: LSTMForecaster(12, regressor=Ridge(), interval_holdout=0.99).fit(series),
            "too few to hold out",
        ),
        (
            lambda: (
                LSTMForecaster(12, regressor=Ridge(), interval_holdout=5)
                .fit(series)
                .predict_interval(coverage=0.95)
            ),
            "5 hold-out residuals cannot calibrate coverage=0.95",
        ),
        (
            lambda: LSTMForecaster(12, regressor=Ridge()).fit(
                pd.Series(series, index=pd.to_datetime(np.sort(np.random.rand(60)) * 1e18))
            ),
            "no regular frequency",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()
    with_x = LSTMForecaster(12, regressor=Ridge()).fit(series, fourier_features(60, 12))
    with pytest.raises(ValueError, match="fitted with 2 covariates: pass their values"):
        with_x.predict(series)


def test_a_failed_fit_leaves_the_forecaster_as_it_was():
    series = trending_season(60)
    forecaster = LSTMForecaster(12, 2, regressor=Ridge(), interval_holdout=5).fit(series)
    before = forecaster.predict_interval(coverage=0.5)
    forecaster.set_params(interval_holdout=None)
    with pytest.raises(ValueError):
        forecaster.fit(series, np.zeros((3, 1)))
    np.testing.assert_array_equal(forecaster.predict_interval(coverage=0.5), before)


# Non-regression tests for #35: forecasting that cannot be silently wrong.

OTHER_VALUES = {  # a second value of every hyperparameter, to set after fitting
    WindowNormalizedRegressor: {
        "regressor": DummyRegressor(),
        "normalize": "global",
        "linear": False,
        "target": 1,
    },
    LSTMForecaster: {
        "window": 5,
        "horizon": 2,
        "regressor": DummyRegressor(),
        "normalize": "mean",
        "linear": False,
        "covariates": "past",
        "interval_holdout": None,
        "random_state": 1,
    },
}


def fitted_forecasting_estimator(Est):
    """A fitted estimator and what it answers: every prediction it makes."""
    pd = pytest.importorskip("pandas")
    series, plan = promotions(120)
    if Est is WindowNormalizedRegressor:
        X, y = make_windows(np.column_stack([series, plan]), window=6, horizon=3, target=0)
        model = Est(Ridge(), normalize="last").fit(X[:100], y[:100])
        return model, lambda: [model.predict(X[100:])]
    dated = pd.Series(series[:100], index=pd.period_range("2000-01", periods=100, freq="M"))
    model = Est(
        12, 3, regressor=Ridge(), covariates="known", interval_holdout=20, random_state=0
    ).fit(dated, plan[:100])
    return model, lambda: [
        model.predict(X=plan[100:103]),
        model.predict(dated[:90], plan[:93]),
        model.predict_interval(X=plan[100:103], coverage=0.8),
    ]


@pytest.mark.parametrize(
    "Est, param",
    [(Est, param) for Est, values in OTHER_VALUES.items() for param in values],
)
def test_set_params_after_fit_changes_no_forecast(Est, param):
    """Non-regression test for #35: predict read window, horizon, normalize,
    covariates and target, so set_params after fit changed forecasts or
    raised pandas' length error."""
    assert set(OTHER_VALUES[Est]) == set(
        Est(**({"window": 12} if Est is LSTMForecaster else {})).get_params()
    )
    model, answers = fitted_forecasting_estimator(Est)
    before = answers()
    model.set_params(**{param: OTHER_VALUES[Est][param]})
    for got, expected in zip(answers(), before):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
        if hasattr(expected, "index"):
            assert got.index.equals(expected.index)


def test_an_integer_index_with_a_step_dates_the_forecast_by_that_step():
    """Non-regression test for #35: an index with step 5 got forecasts at
    last + 1, + 2, + 3."""
    pd = pytest.importorskip("pandas")
    series = pd.Series(trending_season(60), index=range(0, 300, 5))
    forecaster = LSTMForecaster(12, 3, regressor=Ridge()).fit(series)
    assert list(forecaster.predict().index) == [300, 305, 310]
    assert list(forecaster.predict(series[:40]).index) == [200, 205, 210]


def test_an_index_that_does_not_increase_is_refused():
    """Non-regression test for #35: a descending index was accepted and the
    forecast dated before the series."""
    pd = pytest.importorskip("pandas")
    values = trending_season(60)
    forecaster = LSTMForecaster(12, 3, regressor=Ridge())
    message = (
        "The index of the series is not strictly increasing, so the forecast cannot be "
        "placed after its last step. Sort the series oldest first (series.sort_index())"
    )
    for index in [range(59, -1, -1), pd.date_range("2000-01-01", periods=60)[::-1]]:
        with pytest.raises(ValueError, match=re.escape(message)):
            forecaster.fit(pd.Series(values, index=index))
    fitted = forecaster.fit(values)
    with pytest.raises(ValueError, match=re.escape(message)):
        fitted.predict(pd.Series(values, index=range(59, -1, -1)))
    message = "The integer index of the series has steps of 1 to 2"
    with pytest.raises(ValueError, match=re.escape(message)):
        forecaster.fit(pd.Series(values, index=np.r_[0:30, 31:91:2]))
    message = "The periods of the series skip some M periods"
    periods = pd.PeriodIndex(pd.period_range("2000-01", periods=61, freq="M").delete(30))
    with pytest.raises(ValueError, match=re.escape(message)):
        forecaster.fit(pd.Series(values, index=periods))


def test_zero_weighted_windows_change_nothing():
    """Non-regression test for #35: sample_weight reached the regressor but
    not the linear part (nor the standardisation), so zero-weighted corrupt
    windows moved the forecast."""
    series = np.column_stack([trending_season(150), np.random.RandomState(1).normal(size=150)])
    X, y = make_windows(series, window=8, horizon=2, target=0)
    corrupt_X, corrupt_y = X[:20] * 50 + 1000, y[:20] * 50 - 1000
    weights = np.r_[np.zeros(20), np.ones(len(X))]
    model = WindowNormalizedRegressor(Ridge()).fit(
        np.concatenate([corrupt_X, X]), np.concatenate([corrupt_y, y]), sample_weight=weights
    )
    clean = WindowNormalizedRegressor(Ridge()).fit(X, y)
    np.testing.assert_allclose(model.predict(X), clean.predict(X), rtol=1e-7)
    before = model.predict(X)
    for weights, message in [
        (np.zeros(len(X)), "sample_weight is zero for every window; at least one must be"),
        (-np.ones(len(X)), "sample_weight has negative values; weights must be 0 or more."),
        (np.ones(3), f"sample_weight must have shape ({len(X)},), one weight per window; got"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            model.fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(model.predict(X), before)  # a failed fit changes nothing


def test_a_series_at_another_scale_gets_the_same_frames():
    """Non-regression test for #35: a scale floor in the training series'
    units broke the scale equivariance of linear=False for a series at 1e-4
    of the training scale."""
    series = trending_season()
    forecaster = LSTMForecaster(12, 3, regressor=Ridge(), linear=False).fit(series[:100])
    forecast = forecaster.predict(series[:120] - 10)
    for factor in [1e-4, 1e-8, 1e4]:
        np.testing.assert_allclose(
            forecaster.predict(factor * (series[:120] - 10)), factor * forecast, rtol=1e-9
        )


def test_a_flat_window_keeps_the_interval_the_residuals_support():
    """Non-regression test for #35: a window flatter than the scale floor
    collapsed predict_interval to width 0.004 (2.2 otherwise)."""
    series = trending_season(200)
    forecaster = LSTMForecaster(12, 2, regressor=Ridge(), interval_holdout=40).fit(series)
    widths = {}
    for name, history in [("usual", series), ("flat", np.r_[series, np.full(12, 15.0)])]:
        _, lower, upper = forecaster.predict_interval(history, coverage=0.8).T
        widths[name] = upper - lower
    rank = int(np.ceil(41 * 0.8))
    floor = np.sort(np.abs(forecaster.residuals_), axis=0)[rank - 1] * 2
    np.testing.assert_allclose(widths["flat"], floor * forecaster.residual_scale_floor_)
    assert np.all(widths["flat"] > 0.3 * widths["usual"])


def test_known_covariates_default_to_one_global_frame():
    """Non-regression test for #35: the documented known-covariates example
    scored MAE 6.86 with normalize='last', worse than repeating the last value
    (2.26); a covariate's effect is in the series' units, not in each
    window's scale."""
    series, plan = promotions()
    forecaster = LSTMForecaster(6, 3, regressor=Ridge(), covariates="known")
    forecaster.fit(series[:250], plan[:250])
    assert forecaster.normalize_ == "global"
    error = np.mean(
        [
            np.abs(forecaster.predict(series[:t], plan[: t + 3]) - series[t : t + 3]).mean()
            for t in range(250, 297)
        ]
    )
    naive = np.mean([np.abs(series[t - 1] - series[t : t + 3]).mean() for t in range(250, 297)])
    assert error < 0.1 * naive
    assert forecaster.fit(series[:250]).normalize_ == "last"  # no covariates to read


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: fourier_features(10, period=np.inf),
            ValueError,
            "period must be a positive, finite number of steps; got inf.",
        ),
        (
            lambda: make_windows(np.arange(10).astype("datetime64[D]"), window=3),
            TypeError,
            "series holds dates or durations (datetime64[D]), not values to forecast.",
        ),
        (
            lambda: align_forecast([[1.0, 2.0], [3.0]], window=3, n_timesteps=30),
            ValueError,
            "y_pred must be one array, but its rows have different lengths.",
        ),
    ],
)
def test_window_utilities_refuse_what_they_cannot_read(call, error, message):
    """Non-regression test for #35: an infinite period gave constant columns,
    a datetime series was windowed as numbers, and a ragged list raised
    numpy's inhomogeneous-shape error."""
    with pytest.raises(error, match=re.escape(message)):
        call()
