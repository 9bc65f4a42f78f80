"""The ``skpoison`` command line: ``skpoison report`` writes a robustness report.

Run ``skpoison report --help`` for the options; the user guide
(:ref:`report`) explains what the report shows.
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import signal
import sys
import time
import traceback
import warnings

from skpoison import __version__
from skpoison.report._sweep import ATTACK_FAMILY

__all__ = ["main"]

PROG = "skpoison"

ATTACKS = ATTACK_FAMILY
DEFENCES = ("dbscan", "isolation-forest", "lof", "kmeans--", "noise-removal", "none")
DEFAULT_BUDGETS = (0.05, 0.1, 0.2, 0.3)
QUICK_BUDGETS = (0.05, 0.2)
DEFAULT_FLIP_RATIOS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
QUICK_FLIP_RATIOS = (0.3, 0.7, 1.0)
DEFAULT_REPEATS = 5
QUICK_REPEATS = 2
DEFAULT_LABELLED_SIZE = 0.2
MIN_ROWS = 10
ROWS_PER_CLUSTER = 3
MAX_REPEATS = 1000
MAX_SEED = 2**32 - 1


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting."""

    def error(self, message):
        raise UsageError(message)


def _float_list(text):
    try:
        values = [float(v) for v in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated numbers, got {text!r}"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one number")
    return values


def _attack_list(text):
    keys = [v.strip().lower() for v in text.replace(",", " ").split() if v.strip()]
    if keys == ["all"]:
        return list(ATTACKS)
    unknown = [k for k in keys if k not in ATTACKS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(
            f"unknown attack(s) {', '.join(unknown) or text!r}; choose from "
            f"{', '.join(ATTACKS)} or all"
        )
    return list(dict.fromkeys(keys))


def build_parser():
    """Return the argument parser of the ``skpoison`` command."""
    parser = _Parser(
        prog=PROG,
        description="Poisoning attacks against clustering: robustness reports.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    rep = sub.add_parser(
        "report",
        help="write an HTML robustness report for a dataset and k-means",
        description=(
            "Attack a clustering pipeline with every skpoison attack over a range "
            "of budgets and write a self-contained HTML report (figures, tables, "
            "raw results as CSV and JSON) to --output."
        ),
    )
    data = rep.add_argument_group("data")
    src = data.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        choices=("iris", "wine", "breast_cancer", "digits"),
        default=None,
        help="a dataset bundled with scikit-learn (default: iris)",
    )
    src.add_argument("--csv", metavar="PATH", help="a CSV file with a header row")
    data.add_argument(
        "--target",
        metavar="COLUMN",
        help="the CSV column with the class labels (optional)",
    )
    data.add_argument(
        "--scale",
        choices=("standard", "minmax", "none"),
        default="standard",
        help="feature scaling before everything else (default: standard)",
    )
    victim = rep.add_argument_group("victim")
    victim.add_argument(
        "--n-clusters",
        type=int,
        metavar="K",
        help="clusters of k-means (default: the number of classes of the target)",
    )
    victim.add_argument(
        "--labelled-size",
        type=float,
        metavar="FRACTION",
        help=(
            "labelled share of the rows for the semi-supervised k-means attacked "
            f"by the label attacks (default: {DEFAULT_LABELLED_SIZE} when there is "
            "a target; 0 skips the semi-supervised section)"
        ),
    )
    victim.add_argument(
        "--defence",
        choices=DEFENCES,
        default="dbscan",
        help="the clean-up audited in the defence section (default: dbscan)",
    )
    attack = rep.add_argument_group("attacks")
    attack.add_argument(
        "--attacks",
        type=_attack_list,
        metavar="LIST",
        default=None,
        help=f"comma-separated attacks (default: all): {', '.join(ATTACKS)}",
    )
    attack.add_argument(
        "--budgets",
        type=_float_list,
        metavar="LIST",
        default=None,
        help=(
            "injection budgets as fractions of the rows "
            f"(default: {','.join(map(str, DEFAULT_BUDGETS))})"
        ),
    )
    attack.add_argument(
        "--flip-ratios",
        type=_float_list,
        metavar="LIST",
        default=None,
        help=(
            "label-attack budgets as fractions of the labelled rows "
            f"(default: {','.join(map(str, DEFAULT_FLIP_RATIOS))})"
        ),
    )
    attack.add_argument(
        "--picture-budget",
        type=float,
        metavar="FRACTION",
        default=None,
        help=(
            "budget of the PCA pictures of the injection attacks (default: the "
            "budget closest to 0.1)"
        ),
    )
    attack.add_argument(
        "--repeats",
        type=int,
        metavar="N",
        default=None,
        help=f"seeds per budget (default: {DEFAULT_REPEATS})",
    )
    run = rep.add_argument_group("run")
    run.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    run.add_argument(
        "--n-jobs", type=int, default=None, help="parallel jobs (default: 1)"
    )
    run.add_argument(
        "--quick",
        action="store_true",
        help=(f"fewer budgets and {QUICK_REPEATS} seeds, for a first look or a test"),
    )
    run.add_argument(
        "--output",
        "-o",
        metavar="DIR",
        default="skpoison-report",
        help="output folder (default: ./skpoison-report)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="replace the report files of an existing output folder",
    )
    run.add_argument(
        "--no-progress", action="store_true", help="no progress bar on stderr"
    )
    run.add_argument(
        "--debug", action="store_true", help="show the traceback of any error"
    )
    return parser


def _check_options(args):
    """Validate option combinations; return the resolved settings."""
    if args.csv is None and args.target is not None:
        raise UsageError("--target goes with --csv (bundled datasets have a target)")
    if args.n_clusters is not None and args.n_clusters < 2:
        raise UsageError(f"--n-clusters must be at least 2, got {args.n_clusters}")
    if args.labelled_size is not None and not 0 <= args.labelled_size < 1:
        raise UsageError(
            f"--labelled-size must be in [0, 1), got {args.labelled_size:g}"
        )
    if args.repeats is not None and not 1 <= args.repeats <= MAX_REPEATS:
        raise UsageError(
            f"--repeats must be between 1 and {MAX_REPEATS}, got {args.repeats}"
        )
    if not 0 <= args.seed <= MAX_SEED:
        raise UsageError(f"--seed must be between 0 and 2**32 - 1, got {args.seed}")
    if args.n_jobs == 0:
        raise UsageError("--n-jobs must not be 0")
    budgets = args.budgets or (QUICK_BUDGETS if args.quick else DEFAULT_BUDGETS)
    for b in budgets:
        if not 0 < b <= 1:
            raise UsageError(f"--budgets must be in (0, 1], got {b:g}")
    flips = args.flip_ratios or (
        QUICK_FLIP_RATIOS if args.quick else DEFAULT_FLIP_RATIOS
    )
    for r in flips:
        if not 0 < r <= 1:
            raise UsageError(f"--flip-ratios must be in (0, 1], got {r:g}")
    if args.picture_budget is not None and args.picture_budget not in budgets:
        raise UsageError(
            f"--picture-budget {args.picture_budget:g} is not one of the budgets "
            f"{', '.join(f'{b:g}' for b in budgets)}"
        )
    repeats = args.repeats or (QUICK_REPEATS if args.quick else DEFAULT_REPEATS)
    return sorted(set(budgets)), sorted(set(flips)), repeats


def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv=None):
    """Run the ``skpoison`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments, without the program name; ``None`` reads
        ``sys.argv[1:]``.

    Returns
    -------
    status : int
        ``0`` on success, ``2`` for bad input or an output folder that
        cannot be written (a one-line message on stderr; ``--debug`` shows
        the traceback), ``1`` when a needed extra is not installed.

    Examples
    --------
    >>> from skpoison.report._cli import main
    >>> main(["report", "--csv", "no-such-file.csv"])  # doctest: +SKIP
    skpoison report: error: No such file: 'no-such-file.csv' ...
    2
    """
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        prog = PROG + (" report" if "report" in argv else "")
        print(f"{prog}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2

    previous = _catch_signals()
    try:
        return _report(args)
    except KeyboardInterrupt as exc:  # and _Interrupted (SIGTERM)
        return _interrupted(exc)
    except Exception as exc:
        # A signal that lands inside joblib's own start-up or shut-down can
        # surface as joblib's error while handling it: still an interruption.
        interrupt = _interruption(exc)
        if interrupt is not None:
            return _interrupted(interrupt)
        if not isinstance(exc, (ImportError, UsageError, ValueError, OSError)):
            raise
        if debug:
            traceback.print_exc()
        print(f"{PROG} report: error: {_one_line(exc)}", file=sys.stderr)
        return 1 if isinstance(exc, ImportError) else 2
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupted(exc):
    """Stop the workers, say so, and return the exit status of the signal."""
    _stop_workers()
    signum = getattr(exc, "signum", signal.SIGINT)
    name = signal.Signals(signum).name
    print(f"{PROG} report: interrupted ({name}); no report written", file=sys.stderr)
    return 128 + signum


def _interruption(exc):
    """Return the KeyboardInterrupt behind an exception (its context chain), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class _Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised in the main thread (``signum`` says which)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    # Once is enough: a second signal must not interrupt the clean-up.
    for other in (signal.SIGINT, signal.SIGTERM):
        signal.signal(other, signal.SIG_IGN)
    raise _Interrupted(signum)


def _catch_signals():
    """Turn SIGINT and SIGTERM into _Interrupted; return the previous handlers."""
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[signum] = signal.signal(signum, _on_signal)
        except ValueError:  # not the main thread: leave signals alone
            break
    return previous


def _children():
    """Return the child processes of this one that are joblib workers.

    psutil when installed, else /proc. joblib's resource tracker is left out:
    it cleans up after the workers and exits with this process.
    """
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        pids = []
        for child in psutil.Process().children():
            try:
                if "resource_tracker" not in " ".join(child.cmdline()):
                    pids.append(child.pid)
            except psutil.Error:
                continue
        return pids
    me, pids = str(os.getpid()), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z" and b"resource_tracker" not in cmdline:
            pids.append(int(entry))
    return pids


def _stop_workers(timeout=5.0):
    """End the worker processes joblib started for this run (no orphans)."""
    pids = _children()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + timeout
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _reap(pid)]
        if pids:
            time.sleep(0.05)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass


def _reap(pid):
    """Return True while ``pid`` (a child) is still running."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


def _report(args):
    from skpoison.report._output import check_output
    from skpoison.report._page import write_report
    from skpoison.report._sweep import (
        ReportConfig,
        _import_report_deps,
        check_config,
        prepare_data,
        run_report,
    )

    budgets, flips, repeats = _check_options(args)
    _import_report_deps()
    start = time.perf_counter()
    with warnings.catch_warnings():
        # load_dataset warns about dropped rows/columns; they are in data.notes
        # and printed below, and shown in the report.
        warnings.simplefilter("ignore", UserWarning)
        data = prepare_data(
            dataset=args.dataset,
            csv=args.csv,
            target=args.target,
            scale=args.scale,
            n_clusters=args.n_clusters,
            labelled_size=args.labelled_size,
            default_labelled_size=DEFAULT_LABELLED_SIZE,
            min_rows=MIN_ROWS,
            rows_per_cluster=ROWS_PER_CLUSTER,
        )
    output = check_output(args.output, force=args.force)
    for note in data.notes:
        print(f"{PROG} report: note: {note}", file=sys.stderr)
    config = ReportConfig(
        attacks=args.attacks or list(ATTACKS),
        budgets=budgets,
        flip_ratios=flips,
        repeats=repeats,
        defence=args.defence,
        seed=args.seed,
        n_jobs=args.n_jobs,
        quick=args.quick,
        progress=not args.no_progress,
        picture_budget=args.picture_budget,
    )
    check_config(data, config)
    try:
        results = run_report(data, config)
        tmp = output.start()
        write_report(tmp, data, config, results, elapsed=time.perf_counter() - start)
        out = output.commit()
    finally:
        output.discard()
    index = os.path.join(out, "index.html")
    print(
        f"{PROG} report: wrote {index} ({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )
    return 0
