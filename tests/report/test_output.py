"""The report's writer: its folder only, all or nothing, clean interruption."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from skpoison.report._cli import main
from skpoison.report._sweep import ReportConfig, check_config, prepare_data

FAST = [
    "report",
    "--quick",
    "--repeats",
    "1",
    "--attacks",
    "uniform-outliers",
    "--defence",
    "none",
    "--labelled-size",
    "0",
    "--no-progress",
]


def _tree(root):
    return sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, dirs, files in os.walk(root)
        for f in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]
    )


def _never_run(*args, **kwargs):
    raise AssertionError("the sweep ran before the input was checked")


def test_figures_symlink_is_replaced_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.png").write_bytes(b"mine")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "figures")
    assert main([*FAST, "--force", "--output", str(out)]) == 0
    assert _tree(elsewhere) == ["precious.png"]
    assert (elsewhere / "precious.png").read_bytes() == b"mine"
    assert not (out / "figures").is_symlink() and (out / "figures").is_dir()
    assert any(p.suffix == ".png" for p in (out / "figures").iterdir())


def test_dangling_results_symlink_creates_nothing_outside(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "outside.json"
    os.symlink(target, out / "results.json")
    assert main([*FAST, "--force", "--output", str(out)]) == 0
    assert not target.exists()
    assert not (out / "results.json").is_symlink()
    assert (out / "results.json").read_text().startswith("{")


def test_failed_run_leaves_nothing_and_rerun_works(tmp_path, capsys, monkeypatch):
    out = tmp_path / "deep" / "out"

    def broken(*args, **kwargs):
        raise ValueError("figure failed")

    monkeypatch.setattr("skpoison.report._page.write_report", broken)
    assert main([*FAST, "--output", str(out)]) == 2
    assert "figure failed" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no folder, no temporary folder
    monkeypatch.undo()
    assert main([*FAST, "--output", str(out)]) == 0
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


def test_interrupted_force_run_keeps_the_old_report(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert main([*FAST, "--output", str(out)]) == 0
    before = {p: (out / p).read_bytes() for p in _tree(out)}
    capsys.readouterr()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("skpoison.report._sweep.run_report", interrupt)
    assert main([*FAST, "--force", "--output", str(out)]) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "skpoison report: interrupted (SIGINT); no report written"
    ]
    assert {p: (out / p).read_bytes() for p in _tree(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_signal_inside_joblib_start_up_is_still_an_interruption(
    tmp_path, capsys, monkeypatch
):
    # CI saw SIGTERM land while loky started its manager thread: joblib's
    # abort then raised "cannot join thread" while handling the interrupt.
    from skpoison.report._cli import _Interrupted

    def interrupt_then_fail(*args, **kwargs):
        try:
            raise _Interrupted(signal.SIGTERM)
        except KeyboardInterrupt:
            raise RuntimeError("cannot join thread before it is started")  # noqa: B904

    monkeypatch.setattr("skpoison.report._sweep.run_report", interrupt_then_fail)
    assert main([*FAST, "--output", str(tmp_path / "out")]) == 143
    assert capsys.readouterr().err.strip().splitlines() == [
        "skpoison report: interrupted (SIGTERM); no report written"
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_unrelated_runtime_error_is_not_an_interruption(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("skpoison.report._sweep.run_report", fail)
    with pytest.raises(RuntimeError, match="a bug"):
        main([*FAST, "--output", str(tmp_path / "out")])


def _children(pid):
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                kids.append(int(entry))
    return kids


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_sigterm_exits_143_without_report_or_workers(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "skpoison", *FAST, "--attacks", "all"]
        + ["--repeats", "3", "--n-jobs", "2", "--output", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    workers = []
    while time.monotonic() < deadline and len(workers) < 3:
        time.sleep(0.2)
        workers = _children(proc.pid)  # two workers and loky's resource tracker
    assert len(workers) >= 3, "joblib workers never started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == [
        "skpoison report: interrupted (SIGTERM); no report written"
    ], err
    alive = workers
    while alive and time.monotonic() < deadline + 10:
        time.sleep(0.1)
        alive = [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    assert alive == []
    assert list(tmp_path.iterdir()) == []


def test_folder_named_index_html_is_refused_before_running(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("skpoison.report._sweep.run_report", _never_run)
    out = tmp_path / "out"
    (out / "index.html").mkdir(parents=True)
    assert main([*FAST, "--force", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "folder named 'index.html'" in err
    assert _tree(tmp_path) == []


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--repeats", "1000000000"], "--repeats must be between 1 and 1000"),
        (["--seed", "-1"], "--seed must be between 0 and 2**32 - 1, got -1"),
    ],
)
def test_options_checked_before_running(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.setattr("skpoison.report._sweep.run_report", _never_run)
    out = tmp_path / "out"
    assert main([*FAST, *extra, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "random_state" not in err
    assert not out.exists()


def _csv(path, columns):
    pd.DataFrame(columns).to_csv(path, index=False)
    return str(path)


def test_one_class_target_is_named(tmp_path, capsys, monkeypatch):
    rng = np.random.RandomState(0)
    path = _csv(
        tmp_path / "one.csv",
        {"x": rng.randn(40), "y": rng.randn(40), "kind": ["setosa"] * 40},
    )
    data = prepare_data(csv=path, target="kind", n_clusters=2)
    assert data.labelled_size == 0
    assert any("single class (setosa)" in note for note in data.notes)

    monkeypatch.setattr("skpoison.report._sweep.run_report", _never_run)
    argv = ["report", "--csv", path, "--target", "kind", "--n-clusters", "2"]
    out = tmp_path / "out"
    assert main([*argv, "--attacks", "label-flip", "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "single class (setosa)" in err and "np.int64" not in err
    assert not out.exists()


def test_huge_values(tmp_path, capsys):
    rng = np.random.RandomState(0)
    x = rng.randn(40)
    path = _csv(tmp_path / "big.csv", {"a": x * 1e300, "b": rng.randn(40)})
    out = tmp_path / "out"
    argv = ["report", "--csv", path, "--n-clusters", "2", "--scale", "none"]
    assert main([*argv, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "too large" in err and "'a'" in err and "NaN" not in err
    assert not out.exists()
    # standard scaling does not depend on the unit: the same as unscaled x
    data = prepare_data(csv=path, n_clusters=2)
    np.testing.assert_allclose(data.X[:, 0], (x - x.mean()) / x.std(), rtol=1e-9)


def test_wide_small_data_adapts_dbscan(tmp_path):
    rng = np.random.RandomState(0)
    columns = {f"c{i}": rng.randn(50) for i in range(30)}
    columns["t"] = np.repeat([0, 1], 25)
    path = _csv(tmp_path / "wide.csv", columns)
    data = prepare_data(csv=path, target="t")
    config = check_config(data, ReportConfig(["bridge"], [0.1], [0.5]))
    assert config.min_samples == 25
    assert "exceeds the 50 rows" in config.notes[-1]
    out = tmp_path / "out"
    argv = ["report", "--csv", path, "--target", "t", "--quick", "--repeats", "1"]
    argv += ["--attacks", "uniform-outliers,label-flip", "--no-progress"]
    assert main([*argv, "--output", str(out)]) == 0
    assert "min_samples set to 25" in (out / "index.html").read_text()
    # without a defence the mimicry attack's own DBSCAN detector adapts too
    argv = argv[:-3] + ["--attacks", "mimicry", "--defence", "none", "--no-progress"]
    assert main([*argv, "--output", str(tmp_path / "out2")]) == 0


def test_one_feature_csv(tmp_path):
    rng = np.random.RandomState(0)
    x = np.concatenate([rng.randn(30) - 4, rng.randn(30) + 4])
    path = _csv(tmp_path / "one.csv", {"x": x, "t": np.repeat(["a", "b"], 30)})
    out = tmp_path / "out"
    argv = ["report", "--csv", path, "--target", "t", "--quick", "--repeats", "1"]
    argv += ["--attacks", "bridge,label-flip", "--defence", "none", "--no-progress"]
    assert main([*argv, "--output", str(out)]) == 0
    assert len(list((out / "figures").glob("*pca.png"))) == 2


def test_black_box_sample_is_stated():
    data = prepare_data(dataset="digits")
    config = check_config(data, ReportConfig(["black-box"], [0.1], [0.5]))
    assert "random sample of 600 of the 1797 rows" in config.notes[-1]
    small = check_config(
        prepare_data(dataset="iris"), ReportConfig(["black-box"], [0.1], [0.5])
    )
    assert small.notes == []


def test_dbscan_sample_is_stated_on_large_data():
    from types import SimpleNamespace

    # check_config reads only the shape (and y for the label attacks).
    big = SimpleNamespace(X=np.zeros((20_001, 4)), y=None)
    config = check_config(big, ReportConfig(["bridge"], [0.1], [0.5]))
    assert config.dbscan_sample == 20_000
    assert "random sample of 20000 rows" in config.notes[-1]
    assert "20001 rows" in config.notes[-1]
    small = check_config(
        prepare_data(dataset="iris"), ReportConfig(["bridge"], [0.1], [0.5])
    )
    assert small.dbscan_sample is None and small.notes == []


def test_large_data_samples_are_stated_in_the_report(tmp_path, monkeypatch):
    # Thresholds lowered so that 300 rows count as large: the DBSCAN
    # clean-up (defence and mimicry detector) runs on a 100-row sample and
    # the pictures draw 40 rows; the page says both.
    from skpoison.report import _sweep

    monkeypatch.setattr(_sweep, "DBSCAN_FULL_ROWS", 100)
    monkeypatch.setattr(_sweep, "PICTURE_ROWS", 40)
    rng = np.random.RandomState(0)
    x = np.r_[rng.randn(150, 4) - 3, rng.randn(150, 4) + 3]
    cols = {f"x{i}": x[:, i] for i in range(4)}
    path = _csv(tmp_path / "big.csv", {**cols, "t": np.repeat(["a", "b"], 150)})
    out = tmp_path / "out"
    argv = ["report", "--csv", path, "--target", "t", "--quick", "--repeats", "1"]
    argv += ["--attacks", "bridge,mimicry", "--no-progress", "--output", str(out)]
    assert main(argv) == 0
    page = (out / "index.html").read_text()
    assert "random sample of 100 rows of the data it cleans" in page
    assert "It shows a random sample of 40 of the rows" in page
