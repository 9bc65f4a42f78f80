import numpy as np
import pytest

from skpoison.datasets import make_outlier_blobs


def test_make_outlier_blobs_shapes_and_outliers(global_random_seed):
    X, y, is_outlier = make_outlier_blobs(
        80, n_outliers=6, n_features=3, centers=3, random_state=global_random_seed
    )
    assert X.shape == (80, 3) and y.shape == (80,)
    assert is_outlier.dtype == bool and is_outlier.sum() == 6
    # every outlier is farther from every blob mean than any inlier is from its own
    means = np.array([X[(y == k) & ~is_outlier].mean(axis=0) for k in range(3)])
    d_out = np.linalg.norm(X[is_outlier, None, :] - means[None], axis=2).min(axis=1)
    d_in = np.linalg.norm(X[~is_outlier] - means[y[~is_outlier]], axis=1)
    assert d_out.min() > 4.0  # 5 std from the true centres, means are close to them
    assert d_out.min() > np.percentile(d_in, 99)


def test_make_outlier_blobs_reproducible_and_unshuffled():
    a = make_outlier_blobs(30, n_outliers=3, random_state=1)
    b = make_outlier_blobs(30, n_outliers=3, random_state=1)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    _, _, is_outlier = make_outlier_blobs(
        30, n_outliers=3, shuffle=False, random_state=1
    )
    assert is_outlier[-3:].all() and not is_outlier[:-3].any()


def test_make_outlier_blobs_no_outliers():
    X, y, is_outlier = make_outlier_blobs(20, n_outliers=0, random_state=0)
    assert X.shape == (20, 2) and not is_outlier.any()


def test_make_outlier_blobs_errors():
    with pytest.raises(ValueError, match="leaves 1 inlier"):
        make_outlier_blobs(5, n_outliers=4, centers=3)
