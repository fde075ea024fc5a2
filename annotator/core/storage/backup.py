"""Backup copies of a project file.

* Before a schema upgrade: ``NAME.schemaN-backup.annot`` next to the file.
* Rolling: at most one copy per interval (30 minutes by default) when the project changed, kept
  in the user data folder (``$ANNOTATOR_BACKUP_DIR`` overrides it), pruned to the last
  ``KEEP_RECENT`` plus the newest of each of the last ``KEEP_DAILY`` days, ``KEEP_WEEKLY`` weeks
  and ``KEEP_MONTHLY`` months that have one. :func:`backup_if_changed` is what opening and
  closing a writable project calls.

Copies hold every committed transaction (also one still in a write-ahead log), are consistent
even while the project is open (:mod:`annotator.core.storage.snapshot`), are complete single
files, and appear only when complete (written beside, flushed, renamed). Making one never writes
to a project nobody is editing.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import sqlite3
import time
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import AnnotatorError, StorageError
from annotator.core.storage import snapshot

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
    key = hashlib.sha256(os.fsencode(project.resolve())).hexdigest()[:10]  # any file name
    return base / f"{project.stem}-{key}"


def copy_database(src: Path, dest: Path, *, live: bool | None = None) -> Path:
    """Consistent copy of ``src``'s committed state (its write-ahead log included) into
    ``dest``, written to ``dest.part``, flushed to disk, then renamed: ``dest`` is either absent
    or complete. Nothing is written to ``src`` or beside it unless it is being edited (``live``;
    found out when None, see :func:`annotator.core.storage.snapshot.take`)."""
    from annotator.core.storage import engine as eng

    tmp = dest.with_name(dest.name + ".part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if live is None:
            live = eng.open_here(src) or eng.locked_elsewhere(src)
        with snapshot.take(src, live=live) as copy:
            shutil.copyfile(copy.path, tmp)
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync_folder(dest.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"could not write a backup copy ({exc.strerror or exc})",
                           path=dest) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a folder
        _fsync(folder)


def upgrade_backup(project: Path, from_version: int) -> Path:
    dest = project.with_name(f"{project.stem}.schema{from_version}-backup{project.suffix}")
    n = 2
    while dest.exists():
        dest = project.with_name(f"{project.stem}.schema{from_version}-backup-{n}{project.suffix}")
        n += 1
    return copy_database(project, dest, live=True)  # called with the file open for writing


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


def make_backup(project: Path, *, force: bool = False, now: float | None = None,
                live: bool | None = None) -> Path | None:
    """A rolling backup, unless one was made less than ``MIN_INTERVAL_S`` ago (``live``: see
    :func:`copy_database`)."""
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
    dest = copy_database(project, dest, live=live)
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
        for suffix in ("-wal", "-journal"):  # the log kept beside a raw safety copy
            b.with_name(b.name + suffix).unlink(missing_ok=True)
    return removed


def check_backup(backup: Path) -> snapshot.PrivateCopy:
    """A private copy of ``backup`` that passed every check a writable open makes (ours, not
    newer, SQLite's ``quick_check``, our schema with no foreign trigger or view, an older schema
    only if it can be upgraded); raises with a
    message naming ``backup`` otherwise."""
    from annotator.core.storage import engine as eng

    copy: snapshot.PrivateCopy | None = None
    try:
        eng.sniff(backup)
        copy = snapshot.take(backup, live=eng.open_here(backup) or eng.locked_elsewhere(backup))
        header = eng.check_database(copy.path, backup, strict=True)
        if header.user_version < eng.SCHEMA_VERSION:  # restored, it must still open
            from annotator.core.storage import migrations

            migrations.check_upgradable(backup, header.user_version)
    except BaseException as exc:
        if copy is not None:
            copy.discard()
        if isinstance(exc, AnnotatorError):
            raise type(exc)(f"cannot be restored: {exc.message}", path=backup) from None
        raise
    return copy


def restore_backup(backup: Path, project: Path) -> Path:
    """Replace ``project``'s content by ``backup``'s; the current state is first kept as a
    rolling backup itself (with what its write-ahead log holds).

    Refused (:class:`ProjectLockedError`) while another program has the project open for
    writing; refused before anything is touched when ``backup`` fails :func:`check_backup`.

    Atomic at every step: the content is written *into* the project by SQLite's backup API in
    one transaction of the project's own rollback journal (after SQLite folded the old log into
    the file), so a crash at any moment leaves the old state or the restored one, never a mix,
    and no file is renamed over the project nor any log deleted by hand. A missing project is
    made by a rename of a complete copy.
    """
    from annotator.core.storage.engine import WriteLock

    source = check_backup(backup)
    try:
        if not project.exists() and not project.is_symlink():
            _restore_new(source.path, project)
            return project
        lock = WriteLock(project)
        lock.acquire()
        try:
            try:  # under our lock nobody writes: a private copy of the file and its log
                make_backup(project, force=True, live=False)
            except AnnotatorError as exc:  # a damaged project: keep its bytes as they are
                _raw_safety_copy(project, exc)
            if not _write_into(source.path, project):
                _restore_new(source.path, project)  # not SQLite at all: its logs are useless
        finally:
            lock.release()
    finally:
        source.discard()
    return project


def _write_into(source: Path, project: Path) -> bool:
    """False (and nothing done) when ``project`` is not an SQLite database at all."""
    try:
        target = sqlite3.connect(project, isolation_level=None)
        try:
            target.execute("PRAGMA trusted_schema=OFF")
            target.execute("PRAGMA busy_timeout=5000")
            # SQLite applies a crash's log, folds it into the file and drops it (crash-safe)
            try:
                target.execute("PRAGMA journal_mode=DELETE").fetchone()
            except sqlite3.DatabaseError as exc:
                if "not a database" in str(exc):
                    return False
                raise
            target.execute("PRAGMA synchronous=FULL")
            src = sqlite3.connect(f"file:{quote(os.fsencode(source))}?mode=ro", uri=True)
            try:
                src.backup(target)  # one write transaction on the project
            finally:
                src.close()
            target.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise StorageError(f"could not be restored ({exc}); it is unchanged",
                           path=project) from None
    return True


def _restore_new(source: Path, project: Path) -> None:
    """No project yet: a complete copy renamed into place (stale logs removed first)."""
    for suffix in ("-wal", "-shm", "-journal"):  # they belong to no file and must not be applied
        project.with_name(project.name + suffix).unlink(missing_ok=True)
    tmp = project.with_name(f".{project.name}.restore")
    try:
        shutil.copyfile(source, tmp)
        _fsync(tmp)
        os.replace(tmp, project)
        _fsync_folder(project.parent)
    except OSError as exc:
        raise StorageError(f"could not be restored ({exc.strerror or exc})", path=project) from None
    finally:
        tmp.unlink(missing_ok=True)


def _raw_safety_copy(project: Path, why: AnnotatorError) -> None:
    """Keep the bytes of a project SQLite cannot copy (and of its log) before replacing it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{project.stem}-{stamp}.damaged{project.suffix}"
    for suffix in ("", "-wal", "-journal"):
        src = project.with_name(project.name + suffix)
        if src.exists():
            part = base.with_name(base.name + suffix + ".part")
            try:
                shutil.copyfile(src, part)
                _fsync(part)
                os.replace(part, base.with_name(base.name + suffix))
            except OSError as exc:
                part.unlink(missing_ok=True)
                raise StorageError(f"could not keep a copy before restoring ({why.message}; "
                                   f"{exc.strerror or exc})", path=project) from None
