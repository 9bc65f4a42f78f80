"""The report at scale: wall time and peak memory of ``skpoison report`` by rows.

    python benchmarks/bench_report_scale.py [--quick] [--rows 1e4,1e5,1e6]
        [--mode quick|default] [--n-jobs 2] [--output report_scale.json]

For each row count N, writes a CSV of N rows x 20 features with a ``target``
column (``make_classification``: 4 classes, 2 clusters per class), then runs

    python -m skpoison report --csv data.csv --target target [--quick]
        --n-jobs <n> --output <tmp> --force --no-progress

in a child process and records its wall time and peak memory: ``ru_maxrss``
of the child from ``os.wait4`` (the largest single process: the child or one
of the workers it waited for) and, sampled every second from ``/proc`` (Linux),
the peak of the summed proportional set size (PSS: shared pages counted once
across processes) of the child and all its descendants, the memory the run
takes from the machine with ``--n-jobs`` workers. Prints the growth of the
time from one size to the next (about 10x per 10x rows is linear).
``--quick``: 2e3 rows only, a smoke run. Timings need a quiet machine (say so
when not); memory does not depend on the load.

Targets (issue 13): ``--mode quick`` at 1e6 x 20 on 2 cores within 4 GB;
``--mode default`` at 1e5 x 20 finishes; time about linear in the rows.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import make_classification

N_FEATURES = 20


def write_csv(path, n_rows, seed=0):
    X, y = make_classification(
        n_samples=n_rows,
        n_features=N_FEATURES,
        n_informative=10,
        n_redundant=5,
        n_classes=4,
        n_clusters_per_class=2,
        random_state=seed,
    )
    header = ",".join([f"x{i}" for i in range(N_FEATURES)] + ["target"])
    data = np.column_stack([X, y])
    fmt = ["%.6g"] * N_FEATURES + ["%d"]
    np.savetxt(path, data, delimiter=",", header=header, comments="", fmt=fmt)
    return os.path.getsize(path)


def _descendants(pid):
    """``pid`` and its descendant processes, from the parent ids in /proc."""
    parent = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may hold spaces.
        fields = stat[stat.rfind(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        frontier = [c for c, p in parent.items() if p in frontier and c not in tree]
        tree.update(frontier)
    return tree


def _tree_pss_mb(pid):
    """Summed PSS (MB) of ``pid`` and its descendants; None without /proc."""
    total = 0
    try:
        pids = _descendants(pid)
    except OSError:
        return None
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


def run_report(csv, out, *, quick, n_jobs, timeout, attacks=None, extra=()):
    cmd = [
        sys.executable,
        "-m",
        "skpoison",
        "report",
        "--csv",
        csv,
        "--target",
        "target",
        "--n-jobs",
        str(n_jobs),
        "--output",
        out,
        "--force",
        "--no-progress",
    ]
    if quick:
        cmd.append("--quick")
    if attacks:
        cmd += ["--attacks", attacks]
    cmd += list(extra)
    start = time.perf_counter()
    # stderr to a file: a pipe nobody reads could fill up and block the child.
    err_file = open(out + ".stderr", "w+b")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file)
    deadline = start + timeout
    status = rusage = None
    peak_pss = None
    next_sample = start
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, rusage = os.wait4(proc.pid, 0)
            break
        if time.perf_counter() >= next_sample:
            pss = _tree_pss_mb(proc.pid)
            if pss is not None:
                peak_pss = pss if peak_pss is None else max(peak_pss, pss)
            next_sample = time.perf_counter() + 1.0
        time.sleep(0.2)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err_file.seek(0)
    err = err_file.read().decode(errors="replace")
    err_file.close()
    return {
        "command": " ".join(cmd),
        "wall_s": wall,
        "peak_rss_mb": rusage.ru_maxrss / 1024,  # KiB on Linux
        "peak_tree_pss_mb": peak_pss,
        "returncode": proc.returncode,
        "timed_out": wall > timeout,
        "stderr_tail": err[-2000:],
    }


def _mb(value):
    return "n/a" if value is None else f"{value:.0f} MB"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="2e3 rows only")
    p.add_argument("--rows", default="1e4,1e5,1e6")
    p.add_argument("--mode", choices=["quick", "default"], default="quick")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per size")
    p.add_argument("--attacks", default=None, help="passed to the report")
    p.add_argument(
        "--report-args",
        default="",
        help='more options for the report, e.g. "--budgets 0.2 --repeats 2"',
    )
    p.add_argument("--output", default=None)
    p.add_argument(
        "--csv-dir",
        default=None,
        help="keep the CSVs here and reuse them (default: a temporary folder)",
    )
    args = p.parse_args(argv)
    sizes = [2_000] if args.quick else [int(float(s)) for s in args.rows.split(",")]
    rows = []
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            csv = os.path.join(args.csv_dir or tmp, f"data_{n}.csv")
            if not os.path.exists(csv):
                write_csv(csv, n)
            size = os.path.getsize(csv)
            quick = args.quick or args.mode == "quick"
            row = {
                "rows": n,
                "features": N_FEATURES,
                "mode": "quick" if quick else "default",
                "n_jobs": args.n_jobs,
                "csv_mb": size / 2**20,
            }
            row.update(
                run_report(
                    csv,
                    os.path.join(tmp, f"report_{n}"),
                    quick=quick,
                    n_jobs=args.n_jobs,
                    timeout=args.timeout,
                    attacks=args.attacks,
                    extra=args.report_args.split(),
                )
            )
            row["loadavg"] = os.getloadavg()
            rows.append(row)
            prev = rows[-2] if len(rows) > 1 else None
            growth = (
                f"  time x{row['wall_s'] / prev['wall_s']:.1f} for rows "
                f"x{n / prev['rows']:.0f}"
                if prev
                else ""
            )
            print(
                f"{n:>9} rows ({row['csv_mb']:.0f} MB CSV): {row['wall_s']:8.1f} s, "
                f"peak RSS {row['peak_rss_mb']:7.0f} MB (one process), all "
                f"processes {_mb(row['peak_tree_pss_mb'])} (PSS), exit "
                f"{row['returncode']}"
                f"{' (timed out)' if row['timed_out'] else ''}{growth}",
                flush=True,
            )
            if row["returncode"] != 0:
                print(row["stderr_tail"], file=sys.stderr)
            if args.output:  # after every size: a later failure keeps these
                with open(args.output, "w") as f:
                    json.dump(rows, f, indent=1)
    return rows


if __name__ == "__main__":
    sys.exit(0 if all(r["returncode"] == 0 for r in main()) else 1)
