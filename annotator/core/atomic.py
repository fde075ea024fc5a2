"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import AnnotatorError


@contextmanager
def export_target(out: Path, *, directory: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success move the result into place.

    For a file the temporary file replaces ``out`` atomically. For a folder format the files
    written into a temporary folder are moved into ``out`` (created if missing).
    """
    parent = out.parent if str(out.parent) else Path(".")
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
            out.mkdir(exist_ok=True)
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
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; exports get the usual permissions
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
