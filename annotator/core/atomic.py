"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import AnnotatorError

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SIDECARS = ("-wal", "-shm", "-journal")


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def refuse_database_output(out: Path) -> None:
    """An export never overwrites a database — a project file (the one exported, or another) or
    the write-ahead log, shared memory or journal beside one: that would lose a project."""
    if out.is_file() and _is_database(out):
        raise AnnotatorError("is a project (database) file; an export never overwrites one — "
                             "choose another output name", path=out)
    for suffix in _SIDECARS:
        if (out.name.endswith(suffix) and len(out.name) > len(suffix)
                and _is_database(out.with_name(out.name[: -len(suffix)]))):
            raise AnnotatorError(f"is the {suffix[1:]} file of a project; an export never "
                                     "writes there — choose another output name", path=out)


@contextmanager
def export_target(out: Path, *, directory: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success move the result into place.

    For a file the temporary file (flushed to disk first) replaces ``out`` atomically: a crash
    leaves the old ``out`` or the complete new one. For a folder format the files are written
    into a temporary folder; when ``out`` is missing or empty that folder is renamed into place
    in one step (a crash leaves no ``out``, or an empty one, or the complete export); into a
    folder that already holds files, each file is replaced atomically (each is old or new),
    other files there are kept. A crash may leave the hidden temporary (``.NAME.*``) beside it.
    """
    parent = out.parent if str(out.parent) else Path(".")
    refuse_database_output(out)
    if directory:
        if out.exists() and not out.is_dir():
            raise AnnotatorError("exists and is not a folder", path=out)
        try:
            parent.mkdir(parents=True, exist_ok=True)  # the -o folder is created if missing
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
        except OSError as exc:
            raise AnnotatorError(f"cannot be written ({exc.strerror or exc})", path=out) from None
        try:
            yield tmp
            _flush_tree(tmp)
            if not out.exists() or (out.is_dir() and not any(out.iterdir())):
                os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
                os.replace(tmp, out)  # one step; an empty folder is replaced too
                _flush(parent)
                return
            for item in sorted(tmp.rglob("*")):
                dest = out / item.relative_to(tmp)
                if item.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(item, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    if not parent.exists():
        raise AnnotatorError(f"folder {parent} does not exist", path=out)
    if out.is_dir():
        raise AnnotatorError("is a folder; give a file name", path=out)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=parent)
    except OSError as exc:
        raise AnnotatorError(f"cannot be written ({exc.strerror or exc})", path=out) from None
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports get the usual permissions
    try:
        yield tmp
        _flush(tmp)
        os.replace(tmp, out)
        _flush(parent)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _flush(path: Path) -> None:
    """fsync a file or folder (so a rename is not ahead of the data it names), where possible."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _flush_tree(folder: Path) -> None:
    """Make every file under ``folder`` durable before the folder is renamed into place.

    One ``os.sync()`` for all of them where the system has it (one journal commit, not one per
    file: a 50,000-document export paid most of its time in fsyncs), then an fsync of each
    folder, so that its entries are durable too. A kill before the rename leaves only the
    hidden temporary folder; after it, the complete export."""
    sync = getattr(os, "sync", None)
    if sync is None:  # Windows: no system-wide sync; each file then
        for item in folder.rglob("*"):
            _flush(item)
    else:
        sync()
        for item in folder.rglob("*"):
            if item.is_dir():
                _flush(item)
    _flush(folder)
