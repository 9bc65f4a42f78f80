import sys

import numpy as np
import pytest

from skpoison.defences import DBSCANOutlierRemover
from skpoison.utils._optional import frame_or_dict, import_optional


def test_missing_package_names_the_extra_and_how_to_install_from_a_clone(
    monkeypatch,
):
    monkeypatch.setitem(sys.modules, "faiss", None)  # import faiss fails
    with pytest.raises(ImportError) as info:
        import_optional("faiss", extra="approximate", caller="Something")
    message = str(info.value)
    assert message.startswith("Something needs faiss-cpu")
    assert 'pip install ".[approximate]"' in message
    assert "not on PyPI" in message


def test_an_estimator_with_a_missing_extra_says_which(monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)
    X = np.random.RandomState(0).normal(size=(30, 2))
    with pytest.raises(ImportError, match=r"\.\[approximate\]"):
        DBSCANOutlierRemover(algorithm="approximate").fit_resample(X)


def test_frame_or_dict(monkeypatch):
    data = {"a": np.arange(3)}
    assert frame_or_dict(data, False) is data
    frame = frame_or_dict(data, "auto", columns=["a"])
    assert list(frame.columns) == ["a"]
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert frame_or_dict(data, "auto") is data
    with pytest.raises(ImportError, match=r"\.\[report\]"):
        frame_or_dict(data, True)
