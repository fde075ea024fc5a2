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


def upgrade(path: Path, conn: sqlite3.Connection, from_version: int,
            to_version: int | None = None) -> Path | None:
    """Upgrade an open (writable, autocommit) connection; returns the backup made, if any."""
    to_version = SCHEMA_VERSION if to_version is None else to_version
    if from_version >= to_version:
        return None
    missing = [v for v in range(from_version, to_version) if v not in STEPS]
    if missing:
        raise DamagedProjectError(
            f"has schema version {from_version}, which this version cannot upgrade", path=path)
    copy = backup.upgrade_backup(path, from_version)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for v in range(from_version, to_version):
            STEPS[v](conn)
        conn.execute(f"PRAGMA user_version={to_version}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise DamagedProjectError(f"could not be upgraded ({exc}); it is unchanged",
                                  path=path) from None
    return copy
