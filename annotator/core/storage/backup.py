"""Backup copies of a project file.

* Before a schema upgrade: ``NAME.schemaN-backup.annot`` next to the file.
* Rolling: at most one copy per interval (30 minutes by default) when the project changed, kept
  in the user data folder (``$ANNOTATOR_BACKUP_DIR`` overrides it), pruned to the last
  ``KEEP_RECENT`` plus the newest of each of the last ``KEEP_DAILY`` days, ``KEEP_WEEKLY`` weeks
  and ``KEEP_MONTHLY`` months that have one. :func:`backup_if_changed` is what opening and
  closing a writable project calls.

Copies are made with SQLite's online backup API, so they are consistent even while the project
is open, and are complete single files.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import StorageError

KEEP_RECENT = 10
KEEP_DAILY = 14
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12
MIN_INTERVAL_S = 30 * 60


def backup_dir(project: Path) -> Path:
    """Where the rolling backups of ``project`` live."""
    root = os.environ.get("ANNOTATOR_BACKUP_DIR")
    if root:
        base = Path(root)
    else:
        import platformdirs

        base = Path(platformdirs.user_data_dir("annotator", appauthor=False)) / "backups"
    key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    return base / f"{project.stem}-{key}"


def copy_database(src: Path, dest: Path) -> Path:
    """Consistent copy of ``src`` into ``dest`` (written to a temporary name, then renamed)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        source = sqlite3.connect(f"file:{quote(str(src.resolve()))}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"could not write a backup copy ({exc})", path=dest) from None
    return dest


def upgrade_backup(project: Path, from_version: int) -> Path:
    dest = project.with_name(f"{project.stem}.schema{from_version}-backup{project.suffix}")
    n = 2
    while dest.exists():
        dest = project.with_name(f"{project.stem}.schema{from_version}-backup-{n}{project.suffix}")
        n += 1
    return copy_database(project, dest)


def list_backups(project: Path) -> list[Path]:
    """Rolling backups of ``project``, newest first."""
    folder = backup_dir(project)
    if not folder.is_dir():
        return []
    found = folder.glob(f"{glob.escape(project.stem)}-*.annot")
    return sorted(found, key=lambda b: _order(b, project.stem), reverse=True)


_STAMP = re.compile(r"(\d{8}-\d{6})(?:\.(\d+))?")


def _order(backup: Path, stem: str) -> tuple[str, int]:
    """Sort key: the time stamp and the collision number; names we did not write sort oldest."""
    match = _STAMP.fullmatch(backup.stem[len(stem) + 1:])
    if match is None:
        return ("", 0)
    return (match.group(1), int(match.group(2) or 1))


def make_backup(project: Path, *, force: bool = False, now: float | None = None) -> Path | None:
    """A rolling backup, unless one was made less than ``MIN_INTERVAL_S`` ago."""
    now = time.time() if now is None else now
    existing = list_backups(project)
    if not force and existing and now - existing[0].stat().st_mtime < MIN_INTERVAL_S:
        return None
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(project)
    dest, n = folder / f"{project.stem}-{stamp}.annot", 1
    while dest.exists():  # never overwrite a copy (it may be the one being restored)
        n += 1
        dest = folder / f"{project.stem}-{stamp}.{n}.annot"
    dest = copy_database(project, dest)
    prune(project)
    return dest


def backup_if_changed(project: Path, *, now: float | None = None) -> Path | None:
    """A rolling backup when the newest one is older than ``MIN_INTERVAL_S`` and ``project``'s
    content differs from it; otherwise nothing (returns None)."""
    now = time.time() if now is None else now
    existing = list_backups(project)
    if existing:
        if now - existing[0].stat().st_mtime < MIN_INTERVAL_S:
            return None
        if same_pages(project, existing[0]):
            return None
    return make_backup(project, force=True, now=now)


def same_pages(project: Path, copy: Path, chunk: int = 1 << 20) -> bool:
    """True when ``copy`` holds exactly ``project``'s pages (a backup of it, made since its last
    change). The 100-byte file header is not compared: journal mode and change counters differ
    between a project and its copy. A project with a non-empty write-ahead log is never the same
    (its newest pages are in the log)."""
    wal = project.with_name(project.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return False
        if project.stat().st_size != copy.stat().st_size:
            return False
        with project.open("rb") as a, copy.open("rb") as b:
            a.seek(100)
            b.seek(100)
            while True:
                x, y = a.read(chunk), b.read(chunk)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def _period_keys(day: str) -> tuple[str, str]:
    """ISO week and month of a ``YYYYMMDD`` stamp."""
    when = datetime.strptime(day, "%Y%m%d")
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}", day[:6]


def prune(project: Path) -> list[Path]:
    """Keep the newest ``KEEP_RECENT`` backups and the newest of each of the last
    ``KEEP_DAILY`` days, ``KEEP_WEEKLY`` ISO weeks and ``KEEP_MONTHLY`` months; delete the rest.

    Periods are counted among those that have a backup (a month without work costs no slot).
    Returns the deleted files.
    """
    backups = list_backups(project)
    keep = set(backups[:KEEP_RECENT])
    days: dict[str, Path] = {}
    weeks: dict[str, Path] = {}
    months: dict[str, Path] = {}
    for b in backups:  # newest first, so setdefault keeps each period's newest
        try:
            day = b.stem.rsplit("-", 2)[-2]
            week, month = _period_keys(day)
        except ValueError:  # not a name we wrote: leave it alone
            keep.add(b)
            continue
        days.setdefault(day, b)
        weeks.setdefault(week, b)
        months.setdefault(month, b)
    for periods, n in ((days, KEEP_DAILY), (weeks, KEEP_WEEKLY), (months, KEEP_MONTHLY)):
        keep.update(sorted(periods.values(), reverse=True)[:n])
    removed = [b for b in backups if b not in keep]
    for b in removed:
        b.unlink(missing_ok=True)
    return removed


def restore_backup(backup: Path, project: Path) -> Path:
    """Replace ``project`` by ``backup``; the current file is first kept as a backup itself.

    Refused (:class:`ProjectLockedError`) while another program has the project open for
    writing. A write-ahead log left by a crash belongs to the old file: it is folded into the
    safety copy and then removed, so that SQLite never replays it onto the restored file.
    """
    from annotator.core.storage.engine import WriteLock

    lock = WriteLock(project) if project.exists() else None
    if lock is not None:
        lock.acquire()
    try:
        if project.exists():
            make_backup(project, force=True)
        tmp = project.with_name(project.name + ".restore")
        copy_database(backup, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            project.with_name(project.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, project)
    finally:
        if lock is not None:
            lock.release()
    return project
