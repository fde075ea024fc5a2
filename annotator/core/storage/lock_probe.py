"""Whether another program holds a project file's write lock (``engine.WriteLock``: an advisory
``flock``), probed without SQLAlchemy so that the quick read path (``core.quick_read``) can ask
too. On Windows there is no advisory lock to probe: SQLite's own locking applies."""

from __future__ import annotations

import os
from pathlib import Path


def held_elsewhere(path: Path, *, unreadable: bool) -> bool:
    """True when a writer holds ``path``'s lock; ``unreadable`` is the answer when the file
    cannot be opened at all. The probe opens and closes a descriptor of the file, so it is only
    for files this process does not hold open itself."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return unreadable
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases the shared probe lock at once
    return False
