"""A read-only path for ``annotator list`` and ``stats`` that needs neither SQLAlchemy nor the
ORM (importing them is most of those commands' time on a small project).

It serves only the common case, a project file nobody is editing: a regular file of the current
schema in rollback-journal mode, with no journal or write-ahead log beside it, not locked by a
writer, that passes SQLite's ``quick_check`` and has our tables (no trigger or view). For
anything else :func:`connect` answers None and the caller opens the file through
:class:`annotator.core.project.Project`, which handles, upgrades or refuses every other case with
its own messages. The connection is ``mode=ro`` (SQLite's shared lock keeps the read consistent
with a writer that starts meanwhile) with ``trusted_schema=OFF`` and ``query_only``: it never
writes a byte, leaves nothing beside the file, and does not change its mtime.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from pathlib import Path
from typing import Any
from urllib.parse import quote

from annotator.core.model import DocumentInfo
from annotator.core.storage import rows
from annotator.core.storage.lock_probe import held_elsewhere
from annotator.core.storage.snapshot import has_log

# the same numbers as annotator.core.storage.schema (tests/core/test_quick_read.py checks):
# importing that module would import SQLAlchemy
APPLICATION_ID = 0x414E4E54
SCHEMA_VERSION = 2
_NEEDED = {"document": {"id", "name", "title", "sha256", "length", "meta", "status", "position"},
           "span": {"id", "document_id", "layer", "label", "annotator"},
           "relation": {"id", "type"}, "span_origin": {"span_id"},
           "project_meta": {"key", "value"}}


def connect(path: str | Path) -> sqlite3.Connection | None:
    """A read-only connection to ``path`` when it is a project file in the common case (see
    the module's docstring), else None."""
    if "://" in str(path):
        return None
    p = Path(path)
    try:
        if not stat.S_ISREG(p.stat().st_mode):
            return None
        with p.open("rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    if (len(head) < 100 or not head.startswith(b"SQLite format 3\x00") or head[18] != 1
            or struct.unpack(">i", head[68:72])[0] != APPLICATION_ID
            or struct.unpack(">i", head[60:64])[0] != SCHEMA_VERSION
            or has_log(p) or _locked(p)):
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(os.fsencode(p.resolve()))}?mode=ro", uri=True,
                               isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        for pragma in ("trusted_schema=OFF", "query_only=ON", "cell_size_check=ON",
                       "mmap_size=0"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN")  # one read transaction: every query sees the same state
        if (conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
                and conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
                and conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
                and _our_tables(conn)):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _locked(p: Path) -> bool:
    """True when a writer holds the project's advisory lock (see ``engine.WriteLock``), or the
    file cannot be opened (then the full path says why)."""
    return held_elsewhere(p, unreadable=True)


def _our_tables(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    if any(typ in ("trigger", "view") for typ, _ in found):
        return False
    tables = {name for typ, name in found if typ == "table"}
    for table, columns in _NEEDED.items():
        if table not in tables:
            return False
        if not columns <= {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}:
            return False
    return True


def documents(conn: sqlite3.Connection, path: str | Path, *, status: str | None = None
              ) -> list[DocumentInfo] | None:
    """Document headers in import order with span counts, exactly as
    :meth:`annotator.core.project.Project.documents` reads them; None when SQLite fails (the
    caller then asks the project, which says what is wrong)."""
    sql = ("SELECT d.id, d.name, d.title, d.sha256, d.length, d.meta, d.status, "
           "coalesce(c.n, 0) FROM document d LEFT OUTER JOIN "
           "(SELECT document_id, count(*) AS n FROM span GROUP BY document_id) c "
           "ON c.document_id = d.id")
    params: tuple[Any, ...] = ()
    if status:
        sql, params = sql + " WHERE d.status = ?", (status,)
    try:
        found = conn.execute(sql + " ORDER BY d.position, d.id", params).fetchall()
    except sqlite3.Error:
        return None
    out = []
    for r in found:
        try:
            out.append(rows.document_info(r[:-1], r[-1]))
        except rows.DamagedValue as exc:
            raise rows.damaged(Path(path), rows.document_where(r[0], r[1]), exc) from None
    return out


def stats(conn: sqlite3.Connection, path: str | Path) -> dict[str, Any] | None:
    """What :func:`annotator.core.stats.project_stats` answers, read through ``conn``; None
    when SQLite fails (as :func:`documents`)."""
    from annotator.core.stats import Counts, stats_from

    try:
        counts = Counts(
            by_status=dict(conn.execute("SELECT status, count(*) FROM document GROUP BY status")),
            per_label=conn.execute("SELECT layer, label, count(*) FROM span "
                                   "GROUP BY layer, label").fetchall(),
            per_rel=dict(conn.execute('SELECT type, count(*) FROM "relation" GROUP BY type')),
            per_annotator=conn.execute("SELECT annotator, count(*), count(DISTINCT document_id) "
                                       "FROM span GROUP BY annotator").fetchall(),
            suggested=conn.execute("SELECT count(*) FROM span_origin").fetchone()[0] or 0)
        with rows.tolerant(conn):  # as the project reads its settings
            meta = {k: v for k, v in conn.execute("SELECT key, value FROM project_meta")
                    if type(k) is str}
    except sqlite3.Error:
        return None

    def annotator() -> str:
        try:
            return rows.text(meta.get("annotator", ""), "the setting 'annotator'")
        except rows.DamagedValue as exc:
            raise rows.damaged(Path(path), "", exc) from None

    return stats_from(counts, annotator, Path(path))
