"""Run the skpoison performance benchmarks.

    python benchmarks/run.py [--quick] [--sizes 1e4,1e5,1e6] [--dtypes float64,float32]
                             [--only NAME ...] [--output results.json] [--markdown]

Every component's time is a ratio to a reference measured in the same run (see
``benchmarks/_components.py``). A case that cannot be imported is "missing";
a case that raises is an "error" (the run exits with status 1).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import sys
import time
import tracemalloc
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _components import CASES, N_CENTERS, make_data  # noqa: E402


def best_time(call, repeats):
    """Best wall time of ``repeats`` calls, and the last result."""
    best, out = math.inf, None
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        out = call()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_memory(call):
    """tracemalloc peak (numpy reports its buffers to tracemalloc) of one call."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


class References:
    """Reference timings for one (size, dtype), computed lazily and cached."""

    def __init__(self, data, repeats):
        self.data, self.repeats, self._cache = data, repeats, {}

    def _get(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def kmeans(self):
        from sklearn.cluster import KMeans

        def make():
            km = KMeans(N_CENTERS, n_init=1, random_state=0, algorithm="lloyd")
            t, _ = best_time(lambda: km.fit(self.data.X), self.repeats)
            return t, km.n_iter_

        return self._get("kmeans", make)

    def pass_(self):
        X = self.data.X
        return self._get("pass", lambda: best_time(X.sum, max(3, self.repeats))[0])

    def kneighbors(self, k):
        """One NearestNeighbors(n_neighbors=k) fit and kneighbors of all rows."""
        from sklearn.neighbors import NearestNeighbors

        def make():
            nn = NearestNeighbors(n_neighbors=k)
            X = self.data.X
            return best_time(lambda: nn.fit(X).kneighbors(X), self.repeats)[0]

        return self._get(("kneighbors", k), make)

    def seeded(self, est):
        from sklearn.cluster import KMeans

        km = KMeans(
            N_CENTERS,
            init=np.asarray(est.initial_centers_, dtype=self.data.X.dtype),
            n_init=1,
            max_iter=max(int(est.n_iter_), 1),
            tol=est.tol,  # matched: both pay (or skip) the variance pass
            algorithm="lloyd",
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter is the point
            t, _ = best_time(lambda: km.fit(self.data.X), self.repeats)
        return t, km.n_iter_


def run_case(case, data, refs, repeats, with_memory=True):
    row = {
        "name": case.name,
        "kind": case.kind,
        "target": case.target,
        "note": case.note,
    }
    try:
        obj = case.load()
    except (ImportError, AttributeError) as exc:
        row.update(status="missing", error=repr(exc))
        return row
    try:
        call, extra = case.setup(obj, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, _ = best_time(call, repeats)
            peak = peak_memory(call) if with_memory else float("nan")
    except Exception as exc:  # noqa: BLE001 - reported, run goes on
        row.update(status="error", error=f"{type(exc).__name__}: {exc}")
        return row
    row.update(status="ok", time=t, peak_x=peak / data.X.nbytes)
    row["pass"] = refs.pass_()
    kind = case.kind
    if kind == "kmeans":
        row["reference"] = refs.kmeans()[0]
        row["ref_name"] = "KMeans fit"
    elif kind == "floor":
        ft, _ = best_time(extra, max(repeats, 2))
        row["reference"] = ft
        row["ref_name"] = "floor (rng+output)"
    elif kind == "sklearn":
        st, _ = best_time(extra, repeats)
        row["reference"] = st
        row["ref_name"] = "scikit-learn's own"
    elif kind == "seeded":
        rt, it = refs.seeded(extra)
        row["reference"] = rt
        row["ref_name"] = f"sklearn Lloyd same init, {it} it"
        row["n_iter"] = int(extra.n_iter_)
    elif kind == "per_iter":
        kt, kit = refs.kmeans()
        n_iter = max(int(extra.n_iter_), 1)
        row["time_per_iter"] = t / n_iter
        row["reference"] = kt / max(kit, 1)
        row["ref_name"] = "sklearn Lloyd /iter"
        row["n_iter"] = n_iter
        row["ratio"] = row["time_per_iter"] / row["reference"]
    elif kind == "knn":
        row["reference"] = refs.kneighbors(extra)
        row["ref_name"] = f"NearestNeighbors({extra}).fit+kneighbors"
    elif kind == "absolute":
        row["reference"] = row["pass"]
        row["ref_name"] = "X.sum()"
    if "ratio" not in row:
        row["ratio"] = t / row["reference"] if row["reference"] > 0 else float("inf")
    row["ratio_pass"] = t / row["pass"] if row["pass"] > 0 else float("inf")
    return row


def machine():
    import sklearn
    import threadpoolctl

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    blas = [
        f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)"
        for i in threadpoolctl.threadpool_info()
    ]
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": mem,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "blas": blas,
        "loadavg_at_start": load,
    }


def add_growth(rows):
    """time(n) / time(n / 10) for the same case and dtype."""
    by = {
        (r["name"], r["dtype"], r["n_samples"]): r for r in rows if r["status"] == "ok"
    }
    for r in rows:
        prev = by.get((r["name"], r["dtype"], r["n_samples"] // 10))
        if r["status"] == "ok" and prev is not None and prev["time"] > 0:
            r["growth"] = r["time"] / prev["time"]


def _fmt_t(t):
    if t is None or not isinstance(t, float) or math.isnan(t):
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.0f} us"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def table(rows, markdown=False):
    head = [
        "component",
        "rows",
        "dtype",
        "time",
        "reference",
        "ref",
        "ratio",
        "ratio X.sum",
        "peak xX",
        "growth",
        "status",
    ]
    lines = []
    for r in rows:
        ok = r["status"] == "ok"
        growth = r.get("growth")
        g = "-" if growth is None else f"{growth:.1f}" + (" (!)" if growth > 15 else "")
        lines.append(
            [
                r["name"],
                f"{r['n_samples']:.0e}",
                r["dtype"],
                _fmt_t(r.get("time_per_iter", r.get("time"))) if ok else "-",
                _fmt_t(r.get("reference")) if ok else "-",
                r.get("ref_name", "") if ok else "",
                f"{r['ratio']:.2f}" if ok else "-",
                f"{r['ratio_pass']:.0f}" if ok else "-",
                f"{r['peak_x']:.2f}" if ok else "-",
                g,
                r["status"]
                if r["status"] != "skipped"
                else "skipped: " + r.get("note", ""),
            ]
        )
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [
        max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
        for i, h in enumerate(head)
    ]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(
        [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
        + [fmt.format(*line) for line in lines]
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="2e3 rows x 10 features, one repeat, every component",
    )
    p.add_argument("--sizes", default="1e4,1e5,1e6")
    p.add_argument("--features", type=int, default=None)
    p.add_argument("--dtypes", default="float64,float32")
    p.add_argument(
        "--intrinsic-dim",
        type=int,
        default=None,
        help="draw the blobs in this many dimensions, rotated into --features",
    )
    p.add_argument(
        "--only", nargs="*", default=None, help="case names (substring match)"
    )
    p.add_argument(
        "--repeats", type=int, default=3, help="best of N (1 at >= 1e6 rows)"
    )
    p.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    p.add_argument("--output", default=None, help="write JSON results here")
    p.add_argument("--markdown", action="store_true")
    p.add_argument(
        "--render",
        default=None,
        metavar="JSON",
        help="print the table of an earlier --output file and exit",
    )
    args = p.parse_args(argv)
    if args.render:
        with open(args.render) as f:
            saved = json.load(f)
        rows = saved["results"]
        add_growth(rows)
        print(table(rows, markdown=args.markdown))
        return 0

    if args.quick:
        sizes, n_features, repeats = [2000], args.features or 10, 1
    else:
        sizes = [int(float(s)) for s in args.sizes.split(",")]
        n_features, repeats = args.features or 50, args.repeats
    dtypes = [np.dtype(s) for s in args.dtypes.split(",")]
    cases = CASES
    if args.only:
        cases = [
            c for c in CASES if any(o.lower() in c.name.lower() for o in args.only)
        ]

    info = machine()
    print(
        f"# {info['cpu']}, {info['cores']} cores, {info['ram']}; "
        f"Python {info['python']}, "
        f"numpy {info['numpy']}, scikit-learn {info['sklearn']}; BLAS {info['blas']}; "
        f"load {info['loadavg_at_start']}",
        flush=True,
    )
    rows = []
    for n in sizes:
        for dtype in dtypes:
            data = make_data(n, n_features, dtype, intrinsic_dim=args.intrinsic_dim)
            reps = 1 if n >= 1_000_000 else repeats
            refs = References(data, reps)
            for case in cases:
                base = {
                    "n_samples": n,
                    "n_features": n_features,
                    "intrinsic_dim": args.intrinsic_dim or n_features,
                    "dtype": dtype.name,
                }
                limit = case.max_rows
                if n_features > 15:
                    limit = min(limit, case.max_rows_brute)
                if n > limit and not args.quick:
                    rows.append(
                        {
                            **base,
                            "name": case.name,
                            "kind": case.kind,
                            "status": "skipped",
                            "note": case.note,
                        }
                    )
                    continue
                row = run_case(case, data, refs, reps, with_memory=not args.no_memory)
                row.update(base)
                rows.append(row)
                if args.output:  # partial results survive an interrupted run
                    with open(args.output, "w") as f:
                        json.dump({"machine": info, "results": rows}, f, default=float)
                if row["status"] == "ok":
                    print(
                        f"  {case.name:<42} {n:.0e} {dtype.name:<8} "
                        f"{_fmt_t(row['time'])} ratio {row['ratio']:.2f}",
                        flush=True,
                    )
                else:
                    print(
                        f"  {case.name:<42} {n:.0e} {dtype.name:<8} {row['status']}: "
                        f"{row.get('error', '')}",
                        flush=True,
                    )
            del data, refs
            gc.collect()
    add_growth(rows)
    print()
    print(table(rows, markdown=args.markdown))
    if args.output:
        with open(args.output, "w") as f:
            json.dump({"machine": info, "results": rows}, f, indent=1, default=float)
    failed = [r for r in rows if r["status"] == "error"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
