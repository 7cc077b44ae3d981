"""Data generators for ``accuracy.py --robustness``: small pure functions of a seed.

Each function draws everything it needs from ``numpy.random.default_rng(seed)``,
so the same seed gives the same arrays on every machine, and returns float32
sequences as (n_samples, n_timesteps, n_features) arrays, or lists of
(n_timesteps_i, n_features) arrays when it is given a list:

- :func:`gain_offset`: a dataset again, each sequence multiplied by its own
  random gain and shifted by its own random offset (sensors at different
  gains and zero points);
- :func:`few_shot_waveforms`: many classes, two long training series each
  (one class per subject of a physiological recording);
- :func:`absorption_spectra`: a regression target hidden in the heights of
  a few absorption bands under a varying baseline, slope and gain
  (near-infrared spectra).

``python benchmarks/synthetic.py`` runs :func:`self_check`, which
``accuracy.py --quick`` runs too.
"""

import numpy as np

GAIN_LOG10 = (-2.0, 2.0)  # gain_offset: gains from 0.01 to 100
OFFSET_LOG10 = (-1.0, 1.0)  # gain_offset: offsets of 0.1 to 10 standard deviations, before gain


def gain_offset(X_train, X_test, *, seed=0):
    """Multiply each sequence by its own gain and shift it by its own offset.

    Sequence ``i`` becomes ``x_i * g_i + b_i``, with the gain
    ``g_i = 10 ** U(-2, 2)`` (one number for all its channels) and the offset
    ``b_i = g_i * 10 ** U(-1, 1) * z_i * s``: ``z_i`` a standard normal draw
    per channel and ``s`` each channel's standard deviation over all training
    steps. Before the gain, an offset is 0.1 to 10 typical deviations of the
    data; after it, gains and offsets both vary over four orders of
    magnitude from one sequence to the next, as recordings of sensors at
    different gains and zero points do. Tying the offset to the gain keeps
    the signal above float32 rounding in every sequence. Training and test
    sequences get gains and offsets from the same distribution (the training
    ones first, from one generator). Each sequence z-normalised on its own
    is unchanged, up to rounding: its shape is all that is left to classify
    by, and an amplitude that carried the class is lost.

    Parameters
    ----------
    X_train, X_test : array of shape (n_samples, n_timesteps, n_features) or list
        The sequences; a list holds (n_timesteps_i, n_features) arrays.
    seed : int, default=0
        Seed of the generator.

    Returns
    -------
    X_train, X_test : float32, the same layout as given
        The transformed copies; the inputs are not modified.
    """
    rng = np.random.default_rng(seed)
    scale = np.concatenate([np.asarray(x, dtype=np.float64) for x in X_train]).std(axis=0)
    scale[scale == 0] = 1.0

    def transform(X):
        out = []
        for x in X:
            x = np.asarray(x, dtype=np.float64)
            gain = 10 ** rng.uniform(*GAIN_LOG10)
            offset = 10 ** rng.uniform(*OFFSET_LOG10) * rng.standard_normal(x.shape[1]) * scale
            out.append((gain * (x + offset)).astype(np.float32))
        return out if isinstance(X, list) else np.stack(out)

    return transform(X_train), transform(X_test)


def smooth_periodic_waveform(rng, *, period, n_harmonics=6):
    """One smooth periodic waveform of unit standard deviation, as a function of time.

    A sum of the first ``n_harmonics`` harmonics of ``period`` (in steps),
    with standard normal amplitudes over the harmonic number (so higher
    harmonics are weaker and the waveform is smooth) and uniform phases. Its
    value at any real time ``t`` is returned by the function it gives, so a
    phase shift moves it by a fraction of a step.

    Returns
    -------
    waveform : callable
        ``waveform(t)`` for an array of times ``t`` (in steps).
    """
    k = np.arange(1, n_harmonics + 1)
    amplitudes = rng.standard_normal(n_harmonics) / k
    phases = rng.uniform(0, 2 * np.pi, n_harmonics)
    norm = np.sqrt(np.sum(amplitudes**2) / 2)  # the standard deviation over whole periods

    def waveform(t):
        angles = 2 * np.pi * np.outer(t, k) / period + phases
        return np.sin(angles) @ amplitudes / norm

    return waveform


def few_shot_waveforms(
    *,
    n_classes=50,
    n_train_per_class=2,
    n_test_per_class=4,
    length=2000,
    noise=0.3,
    seed=0,
):
    """Many classes, a few long univariate series each: a few-shot problem.

    Each class is a smooth periodic waveform (:func:`smooth_periodic_waveform`)
    with its own period, drawn log-uniformly between 40 and 400 steps. Each
    series of a class is that waveform shifted by a random phase (a time
    shift uniform over one period), multiplied by a random gain
    ``10 ** U(-0.3, 0.3)`` (0.5 to 2), plus white Gaussian noise of standard
    deviation ``noise`` (the waveform's is 1). With the defaults: fifty
    classes of two training series of 2,000 steps, the shape of a
    one-recording-per-subject identification task, where a classifier must
    recognise a waveform wherever its cycle starts.

    Parameters
    ----------
    n_classes : int, default=50
    n_train_per_class, n_test_per_class : int, default=2 and 4
    length : int, default=2000
        Steps per series.
    noise : float, default=0.3
        Standard deviation of the noise.
    seed : int, default=0
        Seed of the generator.

    Returns
    -------
    X_train : ndarray of shape (n_classes * n_train_per_class, length, 1), float32
    X_test : ndarray of shape (n_classes * n_test_per_class, length, 1), float32
    y_train, y_test : ndarray of str
        The class of each series, ``'c00'``, ``'c01'``, ...
    """
    rng = np.random.default_rng(seed)
    periods = np.exp(rng.uniform(np.log(40), np.log(400), n_classes))
    waveforms = [smooth_periodic_waveform(rng, period=p) for p in periods]
    t = np.arange(length, dtype=np.float64)
    width = len(str(n_classes - 1))

    def draw(n_per_class):
        X, y = [], []
        for label, (waveform, period) in enumerate(zip(waveforms, periods)):
            for _ in range(n_per_class):
                shift = rng.uniform(0, period)
                gain = 10 ** rng.uniform(-0.3, 0.3)
                X.append(gain * waveform(t + shift) + noise * rng.standard_normal(length))
                y.append(f"c{label:0{width}d}")
        return np.stack(X)[..., None].astype(np.float32), np.array(y)

    X_train, y_train = draw(n_train_per_class)
    X_test, y_test = draw(n_test_per_class)
    return X_train, X_test, y_train, y_test


def absorption_spectra(*, n_train=200, n_test=200, n_points=100, n_bands=3, noise=0.002, seed=0):
    """Spectra whose target lies in the heights of a few absorption bands.

    On a grid of ``n_points`` wavelengths ``w`` in [0, 1], each curve is::

        gain * (baseline + slope * (w - 0.5) + reference(w) + sum_j h_j band_j(w)) + noise

    ``band_j`` are ``n_bands`` Gaussian bands of height 1 (centres uniform in
    [0.15, 0.85], widths uniform in [0.02, 0.06], fixed by the seed);
    ``reference`` is one more band of fixed height 1 at ``w = 0.05`` (the
    matrix's own absorption, the same in every sample), which makes the gain
    recoverable from the curve. Per curve: heights ``h_j ~ U(0, 0.3)``,
    baseline ``~ U(-1, 1)``, slope ``~ U(-1, 1)``, gain ``10 ** U(-0.3, 0.3)``
    (multiplicative scatter), white noise of standard deviation ``noise``.
    The target is ``10 * h @ c`` with coefficients ``c ~ N(0, 1)`` fixed by the
    seed: the bands drive it, the baseline, slope and gain are nuisances, and
    a small change in band heights sits on top of much larger ones. The
    target is a function of ratios (band depth over reference depth), so a
    linear model of the raw curve cannot fit it exactly.

    Parameters
    ----------
    n_train, n_test : int, default=200
    n_points : int, default=100
        Wavelengths per curve.
    n_bands : int, default=3
        Bands that drive the target.
    noise : float, default=0.002
        Standard deviation of the noise.
    seed : int, default=0
        Seed of the generator.

    Returns
    -------
    X_train : ndarray of shape (n_train, n_points, 1), float32
    X_test : ndarray of shape (n_test, n_points, 1), float32
    y_train, y_test : ndarray of float64
    """
    rng = np.random.default_rng(seed)
    w = np.linspace(0, 1, n_points)
    centres = rng.uniform(0.15, 0.85, n_bands)
    widths = rng.uniform(0.02, 0.06, n_bands)
    coefficients = rng.standard_normal(n_bands)
    bands = np.exp(-0.5 * ((w[:, None] - centres) / widths) ** 2)  # (n_points, n_bands)
    reference = np.exp(-0.5 * ((w - 0.05) / 0.03) ** 2)

    def draw(n):
        heights = rng.uniform(0, 0.3, (n, n_bands))
        baseline = rng.uniform(-1, 1, (n, 1))
        slope = rng.uniform(-1, 1, (n, 1))
        gain = 10 ** rng.uniform(-0.3, 0.3, (n, 1))
        clean = baseline + slope * (w - 0.5) + reference + heights @ bands.T
        X = gain * clean + noise * rng.standard_normal((n, n_points))
        return X[..., None].astype(np.float32), 10 * heights @ coefficients

    X_train, y_train = draw(n_train)
    X_test, y_test = draw(n_test)
    return X_train, X_test, y_train, y_test


def _z_normalised(x):
    x = np.asarray(x, dtype=np.float64)
    return (x - x.mean(axis=0)) / x.std(axis=0)


def self_check():
    """Check the generators' promises on small draws; raises AssertionError.

    Fast (well under a second): determinism by seed, shapes and dtypes,
    gains and offsets in their documented ranges, each gain-offset sequence
    equal to its original after both are z-normalised on their own, and the
    few-shot and spectra sets solvable in principle (a nearest class mean of
    noise-free copies; the target a function of the curve).
    """
    rng = np.random.default_rng(1)
    X = rng.standard_normal((6, 30, 2)).astype(np.float32)
    ragged = [rng.standard_normal((n, 3)).astype(np.float32) for n in (5, 9, 7)]
    for X_in in (X, ragged):
        a_train, a_test = gain_offset(X_in, X_in, seed=3)
        b_train, _ = gain_offset(X_in, X_in, seed=3)
        assert type(a_train) is type(X_in) and len(a_test) == len(X_in)
        for x, a, b in zip(X_in, a_train, b_train):
            assert a.dtype == np.float32 and a.shape == x.shape
            np.testing.assert_array_equal(a, b)
            np.testing.assert_allclose(_z_normalised(a), _z_normalised(x), atol=1e-4)
            gain = np.std(a, axis=0) / np.std(x, axis=0)
            assert (
                10 ** GAIN_LOG10[0] * 0.99
                <= gain.min()
                <= gain.max()
                <= 10 ** GAIN_LOG10[1] * 1.01
            )
    assert not np.array_equal(gain_offset(X, X, seed=4)[0], gain_offset(X, X, seed=3)[0])
    # gains spread over orders of magnitude
    gains = np.std(gain_offset(np.repeat(X[:1], 200, axis=0), X, seed=0)[0], axis=(1, 2))
    assert gains.max() / gains.min() > 1e3

    X_train, X_test, y_train, y_test = few_shot_waveforms(
        n_classes=5, n_train_per_class=2, n_test_per_class=3, length=300, noise=0.0, seed=0
    )
    assert X_train.shape == (10, 300, 1) and X_test.shape == (15, 300, 1)
    assert X_train.dtype == np.float32 and y_train.tolist()[:3] == ["c0", "c0", "c1"]
    assert sorted(set(y_test)) == sorted(set(y_train)) and len(set(y_train)) == 5
    again = few_shot_waveforms(
        n_classes=5, n_train_per_class=2, n_test_per_class=3, length=300, noise=0.0, seed=0
    )
    np.testing.assert_array_equal(again[0], X_train)
    # noise-free series of one class share their power spectrum (a shift
    # changes only phases; the gain only the scale): classes are separable
    spectra = np.abs(np.fft.rfft(_z_normalised(X_train[..., 0].T).T, axis=1))
    assert np.corrcoef(spectra[0], spectra[1])[0, 1] > 0.9
    assert np.corrcoef(spectra[0], spectra[2])[0, 1] < 0.9

    X_train, X_test, y_train, y_test = absorption_spectra(n_train=50, n_test=20, seed=0)
    assert X_train.shape == (50, 100, 1) and X_test.shape == (20, 100, 1)
    assert y_train.dtype == np.float64 and y_train.std() > 0
    np.testing.assert_array_equal(absorption_spectra(n_train=50, n_test=20, seed=0)[1], X_test)
    assert not np.array_equal(absorption_spectra(n_train=50, n_test=20, seed=1)[0], X_train)
    assert np.isfinite(X_train).all() and np.isfinite(X_test).all()


if __name__ == "__main__":
    self_check()
    print("benchmarks/synthetic.py: self-checks passed.")
