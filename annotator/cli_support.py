"""What the ``annotator`` command's parts share: progress on stderr, one-line messages, and
opening a project (upgraded first when it is older)."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """Progress on stderr, shown only once an operation has run for more than a second."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.start = time.monotonic()
        self.shown = False
        self.quiet = not sys.stderr.isatty() and os.environ.get("ANNOTATOR_PROGRESS") != "1"

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or time.monotonic() - self.start < 1.0:
            return
        self.shown = True
        of = f"/{total}" if total else ""
        sys.stderr.write(f"\r{self.what}: {done}{of}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def _open(path: str, *, readonly: bool = False):  # noqa: ANN202 - Project, imported lazily
    """Open a project; an older schema is upgraded first (after a backup), even by commands
    that only read, so that every command works on a file from an earlier version."""
    from annotator.core.project import Project
    from annotator.core.storage import schema

    if readonly:  # the header may still be only in the write-ahead log: ask the project
        project = Project.open(path, readonly=True)
        if project.upgraded_from is None:
            return project
        project.close()
        with Project.open(path) as upgraded:
            if upgraded.upgrade_backup is not None:
                _say(f"{path}: upgraded to schema {schema.SCHEMA_VERSION}; the previous file "
                     f"is kept as {upgraded.upgrade_backup}")
    return Project.open(path, readonly=readonly)
