"""The report's output folder: checked first, written last, never escaped.

A report is written into a fresh temporary folder beside the target and moved
into place only once it is complete, so a failed or interrupted run leaves
nothing behind and ``--force`` replaces the old report only at the very end.
Nothing is ever written through a symlink found in the output folder: a
symlink where the report puts a file or its ``figures`` folder is replaced by
the report's own file (the link's target is left alone).
"""

# Authors: The skpoison developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import shutil
import signal
import tempfile

__all__ = ["REPORT_FILES", "OutputFolder", "check_output"]

#: The files a report writes at the top of its folder (figures go in figures/).
REPORT_FILES = ("index.html", "results.csv", "results.json", "concealment.csv")
FIGURES = "figures"


class OutputError(ValueError):
    """The output folder cannot take the report (shown as a one-line error)."""


def _existing_ancestor(path):
    path = os.path.dirname(path)
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


class OutputFolder:
    """A checked output folder and the temporary folder the report goes to.

    Use :func:`check_output` to create one; then :meth:`start` (make the
    temporary folder), write into :attr:`tmp`, and :meth:`commit` (move the
    report into place) or :meth:`discard` (remove the temporary folder).
    """

    def __init__(self, path, *, replace):
        self.path = path
        self.replace = replace
        self.tmp = None

    def start(self):
        """Create the temporary folder beside the target; return its path."""
        parent = _existing_ancestor(self.path)
        self.tmp = tempfile.mkdtemp(
            prefix=f".{os.path.basename(self.path)}.skpoison-tmp-", dir=parent
        )
        return self.tmp

    def discard(self):
        """Remove the temporary folder (it only ever holds our own files)."""
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def commit(self):
        """Move the finished report into place; return the folder's path.

        SIGINT and SIGTERM are held back while files move, so an interrupt
        cannot leave half an old and half a new report.
        """
        blocked = {signal.SIGINT, signal.SIGTERM}
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            if not os.path.lexists(self.path):
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                os.rename(self.tmp, self.path)
                self.tmp = None
                return self.path
            self._merge()
        finally:
            self.discard()
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return self.path

    def _merge(self):
        """Replace the report files of an existing folder; keep everything else."""
        out, tmp = self.path, self.tmp
        for name in REPORT_FILES:
            src, dst = os.path.join(tmp, name), os.path.join(out, name)
            if os.path.exists(src):
                # rename replaces a symlink itself, never the file it points to
                os.replace(src, dst)
            elif os.path.islink(dst) or os.path.isfile(dst):
                os.unlink(dst)  # a stale file of the old report
        src, dst = os.path.join(tmp, FIGURES), os.path.join(out, FIGURES)
        if os.path.islink(dst):
            os.unlink(dst)  # the link goes; the folder it points to is untouched
        if not os.path.isdir(dst):
            os.rename(src, dst)
            return
        for name in os.listdir(dst):
            if name.endswith(".png"):
                os.unlink(os.path.join(dst, name))  # files or links, not folders
        for name in os.listdir(src):
            os.replace(os.path.join(src, name), os.path.join(dst, name))


def check_output(path, *, force):
    """Check that a report can go to ``path`` without writing anything.

    Raises
    ------
    OutputError
        When the target is not a folder, is a non-empty folder without
        ``force``, or holds a folder where the report writes a file (or a
        file where it writes its ``figures`` folder).
    """
    path = os.path.abspath(path)
    if os.path.islink(path) and not os.path.exists(path):
        raise OutputError(f"--output {path!r} is a broken symlink")
    if os.path.exists(path) and not os.path.isdir(path):
        raise OutputError(f"--output {path!r} exists and is not a folder")
    if os.path.isdir(path) and os.listdir(path):
        if not force:
            raise OutputError(
                f"output folder {path!r} exists and is not empty; "
                "use --force to replace the report in it"
            )
        for name in REPORT_FILES:
            target = os.path.join(path, name)
            if os.path.isdir(target) and not os.path.islink(target):
                raise OutputError(
                    f"output folder {path!r} holds a folder named {name!r} where "
                    "the report writes a file; move it away"
                )
        figures = os.path.join(path, FIGURES)
        if not os.path.islink(figures) and os.path.lexists(figures):
            if not os.path.isdir(figures):
                raise OutputError(
                    f"output folder {path!r} holds a file named 'figures' where "
                    "the report writes its figures folder; move it away"
                )
            for name in os.listdir(figures):
                item = os.path.join(figures, name)
                if name.endswith(".png") and (
                    os.path.isdir(item) and not os.path.islink(item)
                ):
                    raise OutputError(
                        f"{figures!r} holds a folder named {name!r} where the "
                        "report writes a figure; move it away"
                    )
    parent = _existing_ancestor(path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write beside --output: {parent!r} is read-only")
    return OutputFolder(path, replace=os.path.isdir(path))
