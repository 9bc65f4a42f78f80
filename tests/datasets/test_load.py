import numpy as np
import pytest

from skpoison.datasets import load_dataset


@pytest.mark.parametrize(
    "name, shape, n_classes",
    [("iris", (150, 4), 3), ("wine", (178, 13), 3), ("breast_cancer", (569, 30), 2)],
)
def test_bundled(name, shape, n_classes):
    bunch = load_dataset(name)
    assert bunch.data.shape == shape
    assert bunch.data.dtype == np.float64
    assert len(np.unique(bunch.target)) == n_classes
    assert len(bunch.target_names) == n_classes
    assert len(bunch.feature_names) == shape[1]
    assert bunch.dropped_rows.size == 0 and bunch.dropped_columns == []


def test_bundled_return_X_y_and_frame():
    X, y = load_dataset("iris", return_X_y=True)
    assert X.shape == (150, 4) and y.shape == (150,)
    bunch = load_dataset("iris", as_frame=True)
    assert list(bunch.data.columns) == bunch.feature_names
    assert bunch.frame.shape == (150, 5)


def test_bundled_rejects_target():
    with pytest.raises(ValueError, match="only for CSV"):
        load_dataset("iris", target="species")


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_string_target_encoded(tmp_path):
    path = _write(tmp_path, "x1,x2,label\n0,1,b\n2,3,a\n4,5,b\n")
    bunch = load_dataset(path, target="label")
    np.testing.assert_array_equal(bunch.data, [[0, 1], [2, 3], [4, 5]])
    # sorted class names, codes index into them
    assert bunch.target_names.tolist() == ["a", "b"]
    assert bunch.target.tolist() == [1, 0, 1]
    assert bunch.feature_names == ["x1", "x2"]
    assert bunch.target_column == "label"


def test_csv_without_target(tmp_path):
    path = _write(tmp_path, "x1,x2\n0,1\n2,3\n")
    bunch = load_dataset(str(path))
    assert bunch.target is None and bunch.target_names is None
    assert bunch.data.shape == (2, 2)


def test_csv_nan_rows_reported_and_dropped(tmp_path):
    # row 1 misses a feature, row 3 misses its label
    path = _write(tmp_path, "x1,x2,y\n0,1,0\n2,,1\n4,5,1\n6,7,\n8,9,0\n")
    with pytest.warns(UserWarning, match=r"Dropped 2 of 5 row\(s\).*1, 3"):
        bunch = load_dataset(path, target="y")
    assert bunch.dropped_rows.tolist() == [1, 3]
    np.testing.assert_array_equal(bunch.data, [[0, 1], [4, 5], [8, 9]])
    assert bunch.target.tolist() == [0, 1, 0]
    assert any("Dropped 2" in note for note in bunch.notes)


def test_csv_non_numeric_columns_reported_and_ignored(tmp_path):
    path = _write(tmp_path, "name,x1,when,x2\nann,0,monday,1\nbob,2,friday,3\n")
    with pytest.warns(UserWarning, match="non-numeric column.*name, when"):
        bunch = load_dataset(path)
    assert bunch.feature_names == ["x1", "x2"]
    assert bunch.dropped_columns == ["name", "when"]


def test_csv_all_nan_column_ignored_not_every_row_dropped(tmp_path):
    path = _write(tmp_path, "x1,empty\n0,\n2,\n")
    with pytest.warns(UserWarning, match="no value at all: empty"):
        bunch = load_dataset(path)
    assert bunch.data.shape == (2, 1)


def test_csv_as_frame(tmp_path):
    path = _write(tmp_path, "x1,x2,y\n0,1,a\n2,3,b\n")
    bunch = load_dataset(path, target="y", as_frame=True)
    assert list(bunch.frame.columns) == ["x1", "x2", "y"]
    assert bunch.target.name == "y"


@pytest.mark.parametrize(
    "text, kwargs, match",
    [
        ("x1,x2\n0,1\n", {"target": "nope"}, "Unknown target column 'nope'"),
        ("x1,x2\n", {}, "no data rows"),
        ("", {}, "is empty"),
        ("a,b\nx,y\nz,w\n", {}, "no numeric feature column"),
        ("a,b\n,\n,\n", {}, r"all NaN"),
        ("a,b\n1,\n,2\n", {}, "No row .* is left"),
    ],
)
def test_csv_errors(tmp_path, text, kwargs, match):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=match):
        load_dataset(path, **kwargs)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="No such file"):
        load_dataset(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="not a bundled dataset"):
        load_dataset("irsi")
