"""Live changes of a shared project: PostgreSQL's LISTEN/NOTIFY as a stream of
:class:`Change` descriptions.

The server's triggers (``annotator server init``) announce every committed change of a document,
span, relation, assignment, setting or tagset entry on the channel :data:`CHANNEL` as
``{"table", "op", "document", "by"}``: what changed and where, never the content, so that in
blind mode nothing of another coder's work is revealed beyond its having happened. A client
re-reads what it may see. Identical announcements of one transaction arrive once.

Threading: a :class:`Subscription` holds its own connection (not the project's pool) and is
used from one thread, typically a worker that turns each change into the workspace's change
event. Each change says whether it was made through the same engine's connections
(``own``): a window has already shown its own edits. When the connection breaks (server restarted, network), :meth:`Subscription.changes`
yields one ``Change(op="reconnected")`` after it has connected again: whatever happened
meanwhile was not announced, so the client should re-read everything it shows.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from annotator.core.storage.postgres import own_sessions

CHANNEL = "annotator_changes"


@dataclass(frozen=True)
class Change:
    table: str  # "span", "relation", "document", "assignment", "project_meta", "tagset_…"
    op: str  # "insert", "update", "delete"; "reconnected" after a lost connection
    document: int | None  # the document concerned, when there is one
    by: str  # the login that made the change
    own: bool = False  # made through the subscribing project's own connections


def parse(payload: str, *, own: bool = False) -> Change | None:
    try:
        data = json.loads(payload)
        doc = data.get("document")
        return Change(str(data["table"]), str(data["op"]),
                      int(doc) if doc is not None else None, str(data.get("by", "")), own)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # not one of ours: ignored


class Subscription:
    """Changes announced by the server, from the moment of :func:`subscribe` on."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Any = None
        self._connect()

    def _connect(self) -> None:
        pooled = self._engine.raw_connection()
        conn = pooled.driver_connection
        assert conn is not None
        pooled.detach()  # ours alone, for as long as we listen
        conn.rollback()
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn

    def changes(self, timeout: float | None = None, *, retry_every: float = 0.5
                ) -> Iterator[Change]:
        """Changes as they arrive; ends after ``timeout`` seconds without one (None: never)."""
        import psycopg

        while True:
            try:
                got = False
                for note in self._conn.notifies(timeout=timeout):
                    change = parse(note.payload, own=note.pid in own_sessions(self._engine))
                    if change is not None:
                        got = True
                        yield change
                if not got:
                    return
            except psycopg.OperationalError:
                self._drop()
                while True:
                    time.sleep(retry_every)
                    try:
                        self._connect()
                        break
                    except (DBAPIError, psycopg.Error, OSError):  # still away: try again
                        continue
                yield Change("", "reconnected", None, "")

    def _drop(self) -> None:
        import psycopg

        if self._conn is not None:
            with suppress(psycopg.Error):  # a broken connection may fail to close
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._drop()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def subscribe(engine: Engine) -> Subscription:
    return Subscription(engine)
