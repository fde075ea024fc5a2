"""A project on a PostgreSQL server: the same tables and core code as a project file.

A project is a path or a URL (``postgresql://user@host:port/db``; the query string, e.g.
``sslmode=require``, is passed to the driver, psycopg 3). The password comes from
``PGPASSWORD``, ``~/.pgpass`` (both read by libpq itself) or, at a terminal, a prompt; it is
never written to a file or a message: messages show the URL without it
(:class:`ServerAddress`).

What differs from SQLite lives here, and the SQLite path does not pass through it:

* keys: a server has other writers, and row-level security hides rows from ``max(id)``, so new
  keys come from the tables' sequences (:func:`allocate`, :func:`renumber`);
* the stored text is read as its UTF-8 bytes (:func:`text_columns`) for the same decoding checks;
* the schema version is the project_meta key ``schema_version`` (no ``PRAGMA user_version``);
* the annotator is the database role one logs in as (the server enforces what it may write).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event, func, literal, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from annotator.core.errors import AnnotatorError, NewerProjectError, NotAProjectError
from annotator.core.storage.schema import SCHEMA_VERSION, DocumentRow

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
VERSION_KEY = "schema_version"
PROVISIONAL = 1 << 52  # keys from here on are placeholders until renumber()


def is_url(ref: object) -> bool:
    return isinstance(ref, str | ServerAddress) and str(ref).startswith(SCHEMES)


def parse(url: str) -> URL:
    try:
        u = make_url(url)
    except ArgumentError:
        raise AnnotatorError(f"{shown_url(url)}: is not a database address "
                             "(postgresql://user@host:port/db)") from None
    if not u.database:
        raise AnnotatorError(f"{shown_url(url)}: the address names no database "
                             "(postgresql://user@host:port/db)")
    return u.set(drivername="postgresql+psycopg")


def shown_url(url: str) -> str:
    """The address as messages show it: never with a password."""
    try:
        u = make_url(url)
    except ArgumentError:
        return url.split("@")[-1]
    return u.set(drivername=u.drivername.split("+")[0]).render_as_string(hide_password=True
                                                                          ).replace("***@", "@")


class ServerAddress(PurePosixPath):
    """A server project's address where a project file's path would be: ``str()`` is the URL
    without its password; ``name`` and ``stem`` are the database's name."""

    url: str

    def __new__(cls, url: str) -> ServerAddress:
        self = super().__new__(cls, parse(url).database or "db")
        self.url = shown_url(url)
        return self

    def __init__(self, url: str) -> None:
        if sys.version_info >= (3, 12):  # 3.12 builds the path in __init__
            super().__init__(parse(url).database or "db")

    def __str__(self) -> str:
        return self.url

    def __fspath__(self) -> str:
        raise TypeError(f"{self.url} is a database, not a file")


def make_engine(url: str, *, readonly: bool = False, pool_size: int = 5) -> Engine:
    """An engine on the server; connects once to check, asking for the password at a
    terminal when the server wants one that libpq could not find."""
    u = parse(url)
    args: dict[str, Any] = {"connect_timeout": 10}
    if readonly:
        args["options"] = "-c default_transaction_read_only=on"
    for attempt in range(2):
        engine = create_engine(u, connect_args=args, pool_pre_ping=True, pool_size=pool_size)
        _track_sessions(engine)
        try:
            with engine.connect():
                return engine
        except DBAPIError as exc:
            engine.dispose()
            reason = reason_of(exc)
            if (attempt == 0 and "password" in reason.lower() and u.password is None
                    and sys.stdin.isatty() and not os.environ.get("PGPASSWORD")):
                args["password"] = getpass.getpass(f"password for {u.username} on "
                                                   f"{shown_url(url)}: ")
                continue
            raise AnnotatorError(f"{shown_url(url)}: cannot connect ({reason})") from None
    raise AssertionError("unreachable")  # pragma: no cover


_SESSIONS: WeakKeyDictionary[Engine, set[int]] = WeakKeyDictionary()


def _track_sessions(engine: Engine) -> None:
    pids = _SESSIONS.setdefault(engine, set())

    @event.listens_for(engine, "connect")
    def _remember(dbapi_conn: Any, _record: Any) -> None:
        pids.add(int(dbapi_conn.info.backend_pid))


def own_sessions(engine: Engine) -> frozenset[int]:
    """The server processes of this engine's connections, past and present (a notification
    names the process that sent it: this is how a client knows its own)."""
    return frozenset(_SESSIONS.get(engine, ()))


def reason_of(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    return " ".join(line.strip() for line in lines[:1]) or type(exc).__name__


def check_schema(engine: Engine, url: str) -> None:
    """Refuse a database that holds no project, or one of a newer schema."""
    with engine.connect() as conn:
        has = conn.execute(text("SELECT to_regclass('project_meta') IS NOT NULL")).scalar()
        version = conn.execute(text("SELECT value FROM project_meta WHERE key = :k"),
                               {"k": VERSION_KEY}).scalar() if has else None
    if version is None:
        raise NotAProjectError("holds no Annotator project", path=shown_url(url),
                               hint=f"create one with: annotator server init {shown_url(url)}")
    if int(version) > SCHEMA_VERSION:
        raise NewerProjectError(f"was set up by a newer version of Annotator (schema {version}, "
                                f"this version reads up to {SCHEMA_VERSION}); please update "
                                "Annotator", path=shown_url(url))
    if int(version) < SCHEMA_VERSION:
        raise NotAProjectError(f"has schema {version}; upgrade it as its owner with: annotator "
                               f"server init {shown_url(url)}", path=shown_url(url))


def session_user(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar())


def is_server(bind: Engine | Connection | None) -> bool:
    return bind is not None and bind.dialect.name == "postgresql"


def text_columns() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """A document's text as (type name, UTF-8 bytes), as SQLite's typeof/CAST give it."""
    return literal("text"), func.convert_to(DocumentRow.text, "UTF8")


def allocate(conn: Any, table: str, n: int) -> list[int]:
    """``n`` new keys for ``table`` from its sequence (never reused, whoever else writes)."""
    if n <= 0:
        return []
    return list(conn.execute(text(
        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
        {"t": table, "n": n}).scalars())


def renumber(conn: Any, docs: Sequence[tuple[Any, ...]], spans: Sequence[tuple[Any, ...]],
             rels: Sequence[tuple[Any, ...]], anns: Sequence[tuple[Any, ...]] = ()
             ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]],
                        list[tuple[Any, ...]]]:
    """Rows whose keys (from :data:`PROVISIONAL` on) were placeholders, with keys from the
    sequences; a key below it is a stored row's and stays. ``anns``: document-level
    annotations, (document_id, …) without a key of their own."""
    maps: dict[str, dict[int, int]] = {}
    for table, rows in (("document", docs), ("span", spans), ("relation", rels)):
        fresh = [r[0] for r in rows if r[0] >= PROVISIONAL]
        maps[table] = dict(zip(fresh, allocate(conn, table, len(fresh)), strict=True))

    def key(table: str, k: Any) -> Any:
        return maps[table].get(k, k)

    return ([(key("document", r[0]), *r[1:]) for r in docs],
            [(key("span", r[0]), key("document", r[1]), *r[2:]) for r in spans],
            [(key("relation", r[0]), key("document", r[1]), r[2], key("span", r[3]),
              key("span", r[4]), *r[5:]) for r in rels],
            [(key("document", r[0]), *r[1:]) for r in anns])


__all__ = ["ServerAddress", "allocate", "check_schema", "is_url", "make_engine", "renumber",
           "shown_url"]
