"""Schema upgrades: each step takes a file from version N to N+1 inside one transaction.

Opening a project whose ``user_version`` is older than :data:`SCHEMA_VERSION` makes a backup copy
(:func:`annotator.core.storage.backup.upgrade_backup`) and then runs every step in one
transaction; a failure leaves the file as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import DamagedProjectError
from annotator.core.storage import backup
from annotator.core.storage.schema import SCHEMA_VERSION, Base

Step = Callable[[sqlite3.Connection], None]


def _create_tables(conn: sqlite3.Connection, names: tuple[str, ...]) -> None:
    """Create tables (and their indexes) exactly as a new file has them: the DDL is the one
    SQLAlchemy writes for :mod:`schema`, so an upgraded file and a new one are alike."""
    from sqlalchemy.dialects import sqlite as dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    for name in names:
        table = Base.metadata.tables[name]
        conn.execute(str(CreateTable(table).compile(dialect=dialect.dialect())))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            conn.execute(str(CreateIndex(index).compile(dialect=dialect.dialect())))


# Attribute defaults the first releases' shipped tagset declared: they were written on every
# new span as if the annotator had chosen them. The shipped tagset declares none now; a project
# made with it loses them on upgrade (spans keep the values they already hold).
OLD_SHIPPED_DEFAULTS: frozenset[tuple[str, str, str, object]] = frozenset({
    ("attribution", "source", "source_type", "person"),
    ("attribution", "cue", "author_position", "neutral"),
    ("attribution", "content", "quote_type", "indirect"),
    ("hedging", "hedge", "cue_type", "other"),
    ("hedging", "hedge", "certainty", "possible"),
    ("hedging", "hedge", "negated", False),
    ("stance", "stance", "polarity", "neutral"),
    ("stance", "stance", "target", ""),
    ("stance", "stance", "holder", "author"),
    ("stance", "stance", "intensity", "medium"),
    ("rhetoric", "engagement", "move", "acknowledge"),
    ("rhetoric", "technique", "technique", "loaded_language"),
})


def _drop_old_shipped_defaults(conn: sqlite3.Connection) -> None:
    """Clear :data:`OLD_SHIPPED_DEFAULTS` from a project whose tagset is the shipped one; a
    value that does not parse is left exactly as it is (``annotator check`` reports it)."""
    name = conn.execute("SELECT value FROM project_meta WHERE key = 'tagset_name'").fetchone()
    if name is None or name[0] != "default":
        return
    found = conn.execute("SELECT tagset_label.id, tagset_layer.name, tagset_label.name, "
                         "tagset_label.attributes FROM tagset_label JOIN tagset_layer "
                         "ON tagset_layer.id = tagset_label.layer_id").fetchall()
    for pk, layer, label, raw in found:
        try:
            attrs = json.loads(raw)
        except (TypeError, ValueError, RecursionError):
            continue
        if not isinstance(attrs, list):
            continue
        changed = False
        for a in attrs:
            if not isinstance(a, dict) or "default" not in a or a["default"] is None:
                continue
            value = a["default"]
            if (layer, label, a.get("name"), value) in OLD_SHIPPED_DEFAULTS and (
                    type(value) is type(next(v for ly, lb, n, v in OLD_SHIPPED_DEFAULTS
                                             if (ly, lb, n) == (layer, label, a.get("name"))))):
                a["default"] = None
                changed = True
        if changed:
            conn.execute("UPDATE tagset_label SET attributes = ? WHERE id = ?",
                         (json.dumps(attrs, ensure_ascii=False), pk))


def _to_2(conn: sqlite3.Connection) -> None:
    """Schema 2: a layer's scope (every existing layer is a span layer), document-level
    annotations, where accepted suggestions came from, rejected suggestions, trained models,
    assignments of documents to annotators; the old shipped attribute defaults dropped."""
    conn.execute("ALTER TABLE tagset_layer ADD COLUMN scope VARCHAR DEFAULT 'span' NOT NULL")
    _create_tables(conn, ("doc_annotation", "span_origin", "rejected_suggestion",
                          "recommender_model", "assignment"))
    _drop_old_shipped_defaults(conn)


# STEPS[n] upgrades a file from version n to n + 1. Version 1 is the first released schema.
STEPS: dict[int, Step] = {1: _to_2}


def check_upgradable(path: Path, from_version: int, to_version: int | None = None) -> None:
    """Raise unless every step from ``from_version`` is known (called before any write)."""
    to_version = SCHEMA_VERSION if to_version is None else to_version
    missing = [v for v in range(from_version, to_version) if v not in STEPS]
    if missing:
        raise DamagedProjectError(
            f"has schema version {from_version}, which this version cannot upgrade", path=path)


def upgrade(path: Path, conn: sqlite3.Connection, from_version: int,
            to_version: int | None = None, *, keep_backup: bool = True,
            shown: Path | None = None) -> Path | None:
    """Upgrade an open (writable, autocommit) connection; returns the backup made, if any.

    ``keep_backup=False`` is for a private copy (a reader's upgraded copy of an older file):
    no backup of it is kept. ``shown`` is the name errors give."""
    to_version = SCHEMA_VERSION if to_version is None else to_version
    if from_version >= to_version:
        return None
    shown = path if shown is None else shown
    check_upgradable(shown, from_version, to_version)
    copy = backup.upgrade_backup(path, from_version) if keep_backup else None
    try:
        conn.execute("BEGIN IMMEDIATE")
        for v in range(from_version, to_version):
            STEPS[v](conn)
        conn.execute(f"PRAGMA user_version={to_version}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise DamagedProjectError(f"could not be upgraded ({exc}); it is unchanged",
                                  path=shown) from None
    return copy
