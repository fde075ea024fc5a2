"""Schema upgrades: each step takes a file from version N to N+1 inside one transaction.

Opening a project whose ``user_version`` is older than :data:`SCHEMA_VERSION` makes a backup copy
(:func:`annotator.core.storage.backup.upgrade_backup`) and then runs every step in one
transaction; a failure leaves the file as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import DamagedProjectError
from annotator.core.storage import backup
from annotator.core.storage.schema import SCHEMA_VERSION

Step = Callable[[sqlite3.Connection], None]

# STEPS[n] upgrades a file from version n to n + 1. Version 1 is the first released schema.
STEPS: dict[int, Step] = {}


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
