"""Peak memory of evaluate_attack over X (issue 13): tracemalloc and RSS.

    python benchmarks/bench_memory.py [--quick] [--sizes 1e5x50,1e6x20]

Runs ``evaluate_attack(victim, BridgeAttack(8), X, n_repeats=2,
random_state=0)`` on ``make_blobs(n, d, centers=8)`` for the victims
scikit-learn's ``KMeans(8, n_init=1)`` (whose fit alone peaks at 2x its
input) and ``KMeansMinusMinus(8)``, and prints the tracemalloc peak over
``X.nbytes`` (numpy reports its buffers to tracemalloc), the victim's own fit
peak, and the growth of ``ru_maxrss`` over ``X.nbytes`` (meaningful for the
first, largest run of a process only). Memory does not depend on the load of
the machine. ``--quick``: 2e4 x 20.
"""

import argparse
import gc
import resource
import tracemalloc

from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from skpoison.attacks import BridgeAttack
from skpoison.cluster import KMeansMinusMinus
from skpoison.model_selection import evaluate_attack


def _peak(call):
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--sizes", default="1e5x50,1e6x20")
    args = p.parse_args(argv)
    sizes = ["2e4x20"] if args.quick else args.sizes.split(",")
    rows = []
    for size in sizes:
        n, d = size.split("x")
        X, _ = make_blobs(int(float(n)), int(d), centers=8, random_state=0)
        for victim in (KMeans(8, n_init=1), KMeansMinusMinus(8)):
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak = _peak(
                lambda v=victim, X=X: evaluate_attack(
                    v, BridgeAttack(8), X, n_repeats=2, random_state=0, as_frame=False
                )
            )
            rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024
            alone = _peak(lambda v=victim, X=X: v.fit(X))
            row = {
                "size": size,
                "victim": type(victim).__name__,
                "peak_x": peak / X.nbytes,
                "victim_fit_x": alone / X.nbytes,
                "rss_growth_x": rss / X.nbytes,
            }
            rows.append(row)
            print(
                f"{size:>8} {row['victim']:<17} evaluate_attack peak "
                f"{row['peak_x']:.2f}x X (victim fit alone {row['victim_fit_x']:.2f}x; "
                f"RSS growth {row['rss_growth_x']:.2f}x)",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    main()
