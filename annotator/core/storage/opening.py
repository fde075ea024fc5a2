"""Opening a project file: every check before the first write; readers never write.

Contract (what :meth:`annotator.core.project.Project.open` does through :func:`open_file`):

* **Writable**: the write lock is taken, then the file is checked through a read-only view:
  ``immutable`` on the file itself when no write-ahead log or journal lies beside it, else a
  private copy of the file and its log (:mod:`annotator.core.storage.snapshot`). Header, SQLite's
  ``quick_check``, our schema (no foreign trigger or view) and, for an older file, that it can be
  upgraded. Only then is the writable engine made (which switches the file to WAL). A refused
  file is byte-identical afterwards, with no ``-wal``/``-shm`` left beside it.
* **Read-only / untrusted**: a file being edited (open for writing in this process, or locked
  by another program) is read live through a read-only connection, so that it reads current; any
  other file is read from a private copy that holds every committed transaction, also those still
  in its log, and nothing is written to the file or beside it. An older file's copy is upgraded
  in private (the file is unchanged). Foreign triggers and views are reported by ``check()``
  but, on a read-only connection, never run.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from annotator.core.errors import (
    DamagedProjectError,
    NotAProjectError,
    ProjectLockedError,
    ReadOnlyError,
)
from annotator.core.storage import engine as eng
from annotator.core.storage import migrations, snapshot


@dataclass
class Opened:
    engine: Engine
    readonly: bool
    reason: str = ""
    lock: eng.WriteLock | None = None
    copy: snapshot.PrivateCopy | None = None
    key: tuple[int, int] | None = None  # registered with eng.register_open
    upgraded_from: int | None = None
    upgrade_backup: Path | None = None


def open_file(p: Path, *, readonly: bool, untrusted: bool, fallback_readonly: bool) -> Opened:
    eng.sniff(p)
    reason = ""
    readonly = readonly or untrusted
    lock: eng.WriteLock | None = None
    if not readonly:
        if not os.access(p, os.W_OK) or not os.access(p.parent, os.W_OK):
            if not fallback_readonly:
                raise ReadOnlyError("cannot be written (read-only file or folder)", path=p)
            readonly, reason = True, "the file or its folder is read-only"
        else:
            lock = eng.WriteLock(p)
            try:
                lock.acquire()
            except ProjectLockedError:
                if not fallback_readonly:
                    raise
                lock, readonly = None, True
                reason = "it is open for writing in another Annotator window or program"
    if readonly:
        return _for_reading(p, reason)
    assert lock is not None
    try:
        return _for_writing(p, lock)
    except BaseException:
        lock.release()
        raise


def check_file(path: Path, shown: Path, *, strict: bool) -> eng.Header:
    """:func:`engine.check_database`, and for an older file that it can be upgraded."""
    header = eng.check_database(path, shown, strict=strict)
    if header.user_version < eng.SCHEMA_VERSION:
        migrations.check_upgradable(shown, header.user_version)
    return header


def _for_writing(p: Path, lock: eng.WriteLock) -> Opened:
    if snapshot.has_log(p):  # a crash's log: check the state SQLite will recover, in private
        with snapshot.take(p, live=False) as copy:
            header = check_file(copy.path, p, strict=True)
    else:
        header = check_file(p, p, strict=True)
    key = eng.register_open(p)
    engine = eng.make_engine(p)
    try:
        upgraded = None
        if header.user_version < eng.SCHEMA_VERSION:
            with eng.raw_connection(engine) as conn:
                upgraded = migrations.upgrade(p, conn, header.user_version)
    except BaseException as exc:
        eng.unregister_open(key)
        eng.checkpoint_and_close(engine)
        if isinstance(exc, (sqlite3.Error, DBAPIError)):
            raise DamagedProjectError(f"cannot be opened ({_reason(exc)})", path=p) from None
        raise
    return Opened(engine, False, lock=lock, key=key,
                  upgraded_from=header.user_version if upgraded else None,
                  upgrade_backup=upgraded)


def _for_reading(p: Path, reason: str) -> Opened:
    if eng.open_here(p):
        return _live(p, reason)
    if eng.locked_elsewhere(p):
        # in WAL (its header says so, or a log lies beside it): readers never hold up its
        # writer, so read it live
        if eng.read_header(p).wal or snapshot.sidecar(p, "-wal").exists():
            return _live(p, reason)
        # open elsewhere but not written yet (still in rollback mode, engine.use_wal): a live
        # reader's long transaction would hold up that editor's first write; a copy made with
        # the backup API holds it only for the moment of copying
        copy = snapshot.take(p, live=True)
    else:
        copy = snapshot.take(p, live=False)
    try:
        header = check_file(copy.path, p, strict=False)
        upgraded_from = None
        if header.user_version < eng.SCHEMA_VERSION:
            _upgrade_copy(copy.path, p, header.user_version)
            upgraded_from = header.user_version
        engine = eng.make_engine(copy.path, readonly=True, immutable=True)
    except BaseException:
        copy.discard()
        raise
    return Opened(engine, True, reason, copy=copy, upgraded_from=upgraded_from)


def _live(p: Path, reason: str) -> Opened:
    """A file being edited: read-only connections to it, reading current."""
    key = eng.register_open(p)
    engine = eng.make_engine(p, readonly=True)
    try:
        with eng.raw_connection(engine) as conn:
            header = eng.header_of(conn, p)
            eng.quick_check(conn, p)
            eng.check_schema(conn, p, strict=False)
        if header.user_version < eng.SCHEMA_VERSION:
            raise ReadOnlyError(f"has an older schema ({header.user_version}) and is being "
                                "edited elsewhere; open it there first", path=p)
    except BaseException as exc:
        eng.unregister_open(key)
        engine.dispose()
        if isinstance(exc, (sqlite3.Error, DBAPIError)):
            raise DamagedProjectError(f"cannot be opened ({_reason(exc)})", path=p) from None
        raise
    return Opened(engine, True, reason, key=key)


def _upgrade_copy(copy: Path, shown: Path, version: int) -> None:
    """Upgrade a reader's private copy of an older file (the file itself is not touched)."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        foreign = conn.execute("SELECT type, name FROM sqlite_master "
                               "WHERE type IN ('trigger', 'view')").fetchone()
        if foreign is not None:  # an upgrade step must never run a stranger's trigger
            raise NotAProjectError(
                f"has an older schema ({version}) and contains a {foreign[0]} {foreign[1]!r} "
                "that Annotator does not create; it cannot be upgraded safely", path=shown)
        migrations.upgrade(copy, conn, version, keep_backup=False, shown=shown)
    finally:
        conn.close()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]

