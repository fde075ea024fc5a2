"""Reading a project file without writing a byte of it: a private, consistent copy.

A committed transaction may still be only in the file's write-ahead log (``NAME-wal``): a writer
that crashed, a copy taken while the file was open, a project open in a window right now. SQLite
reads the log only through a connection that may write beside the file (``-shm``, recovery,
checkpoints), and ``immutable`` ignores it. So a reader takes a *private copy*:

* :func:`take` copies the file and its ``-wal`` / ``-journal`` (never the ``-shm``, which the
  copy rebuilds from the log) into a new folder made by :func:`tempfile.mkdtemp` (mode 0700),
  then opens the copy normally, so that SQLite applies the log (or rolls back a hot journal), and
  folds it into one self-contained file. The original is only ever opened for reading.
* The copy is consistent even if someone writes while it is made: the size, modification time,
  inode and leading header bytes of the file and its sidecars are taken before and after the
  copy, and the copy is made again (a few times) when anything changed; a file that changes on
  every attempt is being written by another program, and is then read as a file being edited
  (below). A checkpoint during the
  copy is harmless (the log still holds every page it moved); a log restarted or removed, or a
  file renamed over the project, is seen as a change.
* A file that is being edited (``live=True``: open for writing in this process or locked by
  another program) is copied with SQLite's online backup API instead, through a read-only
  connection: its ``-shm`` is in use by its writer anyway, and SQLite's locks give a snapshot.

The copy is deleted by :meth:`PrivateCopy.discard` (or at exit, if forgotten).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import tempfile
import time
import weakref
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import DamagedProjectError, NotAProjectError, StorageError

SIDECARS = ("-wal", "-journal")


def restore_hint(path: Path) -> str:
    return f"see its backups with: annotator backup {shlex.quote(str(path))} --list"
ATTEMPTS = 6

_State = tuple[tuple[int, int, int, bytes] | None, ...]


class PrivateCopy:
    """A self-contained copy (rollback journal, no sidecars) of a file's committed state."""

    def __init__(self, folder: Path, path: Path) -> None:
        self.folder = folder
        self.path = path
        self._finalizer = weakref.finalize(self, shutil.rmtree, folder, True)

    def discard(self) -> None:
        self._finalizer()

    def __enter__(self) -> PrivateCopy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def has_log(path: Path) -> bool:
    """True when ``path`` has a non-empty write-ahead log or rollback journal beside it."""
    for suffix in SIDECARS:
        try:
            if os.stat(sidecar(path, suffix)).st_size > 0:
                return True
        except OSError:
            continue
    return False


def take(path: Path, *, live: bool) -> PrivateCopy:
    """A private copy of ``path``'s committed state (see the module contract)."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-read-"))
    copy = PrivateCopy(folder, folder / "copy.annot")
    try:
        if live:
            _backup_live(path, copy.path)
        else:
            _copy_files(path, copy.path)
        _settle(copy.path, path)
    except BaseException:
        copy.discard()
        raise
    return copy


def _state(path: Path) -> _State:
    out: list[tuple[int, int, int, bytes] | None] = []
    for f in (path, *(sidecar(path, s) for s in SIDECARS)):
        try:
            with f.open("rb") as fh:
                st = os.fstat(fh.fileno())
                head = fh.read(100)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns, head))
    return tuple(out)


def _copy_files(path: Path, copy: Path) -> None:
    for attempt in range(ATTEMPTS):
        for s in SIDECARS:
            sidecar(copy, s).unlink(missing_ok=True)
        try:
            before = _state(path)
            shutil.copyfile(path, copy)
            for i, s in enumerate(SIDECARS, start=1):
                if before[i] is not None:
                    shutil.copyfile(sidecar(path, s), sidecar(copy, s))
            if _state(path) == before:
                return
        except FileNotFoundError:  # a sidecar went away while copying: changed, try again
            pass
        except OSError as exc:
            raise StorageError(f"cannot be read ({exc.strerror or exc})", path=path) from None
        time.sleep(0.02 * (attempt + 1))
    # another program writes it all the time: it is being edited, so read it through SQLite
    # (its backup API copies one committed state under a read lock)
    _backup_live(path, copy)


def _backup_live(path: Path, copy: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{quote(os.fsencode(path.resolve()))}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA trusted_schema=OFF")
            source.execute("PRAGMA busy_timeout=5000")
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise DamagedProjectError(f"cannot be read ({exc})", path=path,
                                  hint=restore_hint(path)) from None


def _settle(copy: Path, shown: Path) -> None:
    """Apply the copy's log (or roll back its hot journal) and leave it one file."""
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        msg = str(exc)
        if "not a database" in msg:
            raise NotAProjectError("is not an Annotator project (not an SQLite database)",
                                   path=shown) from None
        raise DamagedProjectError(f"is damaged ({msg})", path=shown,
                                  hint=restore_hint(shown)) from None
    if sidecar(copy, "-wal").exists():
        raise DamagedProjectError("is damaged (its write-ahead log cannot be applied)",
                                  path=shown, hint=restore_hint(shown))
    # a journal SQLite left alone was not hot (never synced, the file untouched): not needed
    sidecar(copy, "-journal").unlink(missing_ok=True)
