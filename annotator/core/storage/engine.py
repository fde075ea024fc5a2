"""Opening a project file: header check, lock, engine with pragmas, schema check.

Connections are made by :func:`make_engine`; every connection gets ``foreign_keys=ON`` and
``trusted_schema=OFF``; read-only connections also ``cell_size_check=ON``, ``mmap_size=0`` and,
where Python offers it (3.12+), SQLite's defensive mode. Writable projects run in WAL mode with ``synchronous=NORMAL`` (an
application crash loses nothing committed) from their first write (:func:`use_wal`; one opened
and closed unchanged is left byte for byte as it was) and are switched back to a rollback
journal on close, so that a closed project is one self-contained file.

Nothing here writes to a file before it has been checked: :class:`annotator.core.project.Project`
checks a file through a read-only view (``immutable`` on the file itself when it has no log
beside it, else a private copy, :mod:`annotator.core.storage.snapshot`) and only then makes the
writable engine, which switches it to WAL at its first write.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, QueuePool

from annotator.core.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    ProjectLockedError,
)
from annotator.core.storage.lock_probe import held_elsewhere
from annotator.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION, Base, tables_of
from annotator.core.storage.snapshot import restore_hint

SQLITE_MAGIC = b"SQLite format 3\x00"
LOCK_TRIES = 10
BUSY_MS = 5000  # how long a connection waits for another's lock


@dataclass(frozen=True)
class Header:
    application_id: int
    user_version: int
    wal: bool


def sniff(path: Path) -> None:
    """Refuse what cannot be a project file at all, from its first bytes (missing, a folder,
    unreadable, empty, not SQLite). The SQLite magic is always in the main file, also while the
    rest of a new file's header is still only in its write-ahead log."""
    _first_bytes(path)


def _first_bytes(path: Path, shown: Path | None = None) -> bytes:
    shown = path if shown is None else shown
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # the open below names what is wrong
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # opening a named pipe blocks until someone writes to it; a device may never end
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket or device"
        raise NotAProjectError(f"is {kind}, not a project file", path=shown)
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise NotAProjectError("no such project file", path=shown) from None
    except IsADirectoryError:
        raise NotAProjectError("is a folder, not a project file", path=shown) from None
    except PermissionError:
        raise NotAProjectError("cannot be read (permission denied)", path=shown) from None
    if len(head) == 0:
        raise NotAProjectError("is an empty file, not an Annotator project", path=shown)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise NotAProjectError("is not an Annotator project (not an SQLite database)",
                               path=shown)
    return head


def read_header(path: Path, *, shown: Path | None = None) -> Header:
    """Read the SQLite header of the main file without opening the database; refuse what is
    not ours. ``shown`` is the name errors give (a private copy reports its original).

    The main file alone is not the whole truth while a write-ahead log holds commits: readers
    call this on a private copy (:mod:`annotator.core.storage.snapshot`) or use
    :func:`header_of` on a connection."""
    head = _first_bytes(path, shown)
    user_version, app_id = struct.unpack(">i", head[60:64])[0], struct.unpack(">i", head[68:72])[0]
    check_marks(app_id, user_version, path if shown is None else shown)
    return Header(app_id, user_version, wal=head[18] == 2)


def header_of(conn: sqlite3.Connection, path: Path) -> Header:
    """The header as a connection sees it (write-ahead log included)."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotAProjectError(f"is not an Annotator project ({exc})", path=path) from None
    check_marks(app_id, user_version, path)
    return Header(app_id, user_version, wal=mode == "wal")


def check_marks(app_id: int, user_version: int, path: Path) -> None:
    if app_id != APPLICATION_ID:
        raise NotAProjectError("is an SQLite database but not an Annotator project", path=path)
    if user_version > SCHEMA_VERSION:
        raise NewerProjectError(
            f"was written by a newer version of Annotator (schema {user_version}, this version "
            f"reads up to {SCHEMA_VERSION}); please update Annotator", path=path)


# Files this process has open through SQLite for writing (or reads live): (st_dev, st_ino) ->
# count. Their readers connect to them rather than open the file themselves: closing any
# descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
_OPEN_HERE: dict[tuple[int, int], int] = {}


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def register_open(path: Path) -> tuple[int, int] | None:
    key = _key(path)
    if key is not None:
        _OPEN_HERE[key] = _OPEN_HERE.get(key, 0) + 1
    return key


def unregister_open(key: tuple[int, int] | None) -> None:
    if key is not None and key in _OPEN_HERE:
        _OPEN_HERE[key] -= 1
        if _OPEN_HERE[key] <= 0:
            del _OPEN_HERE[key]


def open_here(path: Path) -> bool:
    """True when this process has ``path`` open through SQLite (see ``_OPEN_HERE``)."""
    key = _key(path)
    return key is not None and key in _OPEN_HERE


def locked_elsewhere(path: Path) -> bool:
    """True when another program holds ``path``'s write lock (it is being edited). Only for
    files not :func:`open_here` (the probe opens and closes a descriptor of the file)."""
    return held_elsewhere(path, unreadable=False)


class WriteLock:
    """An exclusive advisory lock on the project file, held while it is open for writing.

    The operating system releases it when the process ends, so a crash never leaves a stale lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock; SQLite's own locking still applies
            return
        fd = os.open(self.path, os.O_RDONLY)
        for attempt in range(LOCK_TRIES):  # a reader's probe holds a shared lock for an instant
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt < LOCK_TRIES - 1:
                    time.sleep(0.01)
        else:
            os.close(fd)
            raise ProjectLockedError(
                "is already open for writing in another Annotator window or program",
                path=self.path, hint="close it there, then try again") from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def _uri(path: Path, *, readonly: bool, immutable: bool) -> str:
    uri = "file:" + quote(os.fsencode(path.resolve()))
    params = []
    if readonly:
        params.append("mode=ro")
    if immutable:
        params.append("immutable=1")
    return uri + ("?" + "&".join(params) if params else "")


def make_engine(path: Path, *, readonly: bool = False, immutable: bool = False,
                create: bool = False, wal: bool = True) -> Engine:
    """An engine on ``path``. ``create`` allows a new file; otherwise it must exist. A writable
    engine's connections use ``synchronous=NORMAL`` once the file is in WAL (:func:`use_wal`,
    which the project calls before its first write; ``wal`` False: never): make it only after
    every check of the file has passed."""
    uri = _uri(path, readonly=readonly, immutable=immutable)
    if not create and not path.exists():
        raise NotAProjectError("no such project file", path=path)
    if create:
        uri += ("&" if "?" in uri else "?") + "mode=rwc"
    elif not readonly:
        uri += ("&" if "?" in uri else "?") + "mode=rw"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        if readonly:
            _defensive(conn)
            conn.execute("PRAGMA cell_size_check=ON")
            conn.execute("PRAGMA mmap_size=0")
            conn.execute("PRAGMA query_only=ON")
        elif wal and conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            conn.execute("PRAGMA synchronous=NORMAL")  # else FULL, until use_wal switches
        return conn

    engine = create_engine("sqlite://", creator=connect,
                           poolclass=NullPool if readonly else QueuePool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # pysqlite's own BEGIN handling is off (isolation_level=None)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def _defensive(conn: sqlite3.Connection) -> None:
    """SQLite's defensive mode (no writes to the schema, no ``writable_schema``) when available.

    ``Connection.setconfig`` exists from Python 3.12; older versions rely on the read-only,
    ``trusted_schema=OFF`` connection alone.
    """
    flag = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if flag is not None and hasattr(conn, "setconfig"):
        conn.setconfig(flag, True)


def initialise(engine: Engine) -> None:
    """Create our tables in an empty database and mark it as ours."""
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What in the database is not our schema (extra triggers/views, missing tables/columns),
    as the file's own schema version has it (an older file is checked before its upgrade)."""
    problems: list[str] = []
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    ours = tables_of(min(max(int(version), 1), SCHEMA_VERSION))
    rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    tables = {name for typ, name, _ in rows if typ == "table"}
    for typ, name, _ in rows:
        if typ in ("trigger", "view"):
            problems.append(f"contains a {typ} {name!r} that Annotator does not create")
    for table in sorted(set(ours) - tables):
        problems.append(f"lacks the table {table!r}")
    for table in sorted(set(ours) & tables):
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        want = set(ours[table])
        for col in sorted(want - have):
            problems.append(f"table {table!r} lacks the column {col!r}")
    return problems


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedProjectError(f"is damaged ({exc})", path=path,
                                  hint=restore_hint(path)) from None
    if result != [("ok",)]:
        # SQLite's report may span lines ("*** in database main ***\nPage 3: …"): one line
        lines = [" ".join(str(r[0]).replace("*** in database main ***", "").split())
                 for r in result]
        lines = [line for line in lines if line] or ["(no details)"]
        found = lines[0]
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise DamagedProjectError(f"is damaged: {found[:300]}{more}", path=path,
                                  hint=restore_hint(path))


@contextmanager
def raw_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """A DB-API connection outside any transaction (for pragmas and checks)."""
    conn = engine.raw_connection()
    try:
        # typed ``Any | None`` for every driver; an open pysqlite connection is sqlite3's
        yield cast(sqlite3.Connection, conn.driver_connection)
    finally:
        conn.close()


def check_database(path: Path, shown: Path, *, strict: bool) -> Header:
    """Check ``path`` (a file, or a private copy of ``shown``) read-only and immutable: header,
    SQLite's ``quick_check``, our schema. ``strict`` refuses foreign triggers and views too (a
    file to be written or restored); a read-only connection never runs them."""
    header = read_header(path, shown=shown)
    engine = make_engine(path, readonly=True, immutable=True)
    try:
        with raw_connection(engine) as conn:
            quick_check(conn, shown)
            check_schema(conn, shown, strict=strict)
    except (sqlite3.Error, DBAPIError) as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig if orig is not None else exc).splitlines()[0]
        raise DamagedProjectError(f"cannot be opened ({reason})", path=shown) from None
    finally:
        engine.dispose()
    return header


def check_schema(conn: sqlite3.Connection, shown: Path, *, strict: bool) -> None:
    problems = schema_problems(conn)
    if not strict:
        problems = [x for x in problems if "does not create" not in x]
    if problems:
        raise NotAProjectError(f"does not have Annotator's schema: {problems[0]}", path=shown)


def use_wal(engine: Engine) -> bool:
    """Switch the file to WAL (with ``synchronous=NORMAL``), as a writable project does before
    its first write: a project opened, read and closed without a change keeps every byte and
    its modification time (the switch itself rewrites the file's header). Where SQLite cannot
    switch now (a transaction of another connection is open), this write keeps the rollback
    journal with ``synchronous=FULL``, as safe and a little slower; False tells the caller to
    try again before its next write (else every later reader would hold up its writes)."""
    switched = False
    with suppress(sqlite3.Error), raw_connection(engine) as conn:
        conn.execute("PRAGMA busy_timeout=0")  # no wait here: the write itself waits its turn
        try:
            switched = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    if switched:
        engine.dispose()  # pooled connections made in rollback mode: new ones get NORMAL
    return switched


def checkpoint_and_close(engine: Engine) -> None:
    """Fold the WAL back into the file and leave it in rollback-journal mode (a file that was
    never switched to WAL is left alone: not a byte written)."""
    engine.dispose()  # close pooled connections first: journal_mode needs the only connection
    with suppress(sqlite3.Error), raw_connection(engine) as conn:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
    engine.dispose()
