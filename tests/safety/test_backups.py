"""Backups: rolling copies on open/close when changed, the pruning policy, restore (also over a
crash's write-ahead log), and the copy made before a schema upgrade."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from safety_helpers import PYTHON, child_env, dump, sample_doc

from annotator.cli import main
from annotator.core.errors import DamagedProjectError, ProjectLockedError
from annotator.core.project import Project
from annotator.core.storage import backup, migrations


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


def status_in(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT status FROM document").fetchone()[0]
    finally:
        conn.close()


def age_backups(project: Path, seconds: float) -> None:
    for b in backup.list_backups(project):
        st = b.stat()
        os.utime(b, (st.st_atime - seconds, st.st_mtime - seconds))


def test_opening_for_writing_backs_up_once_and_only_when_changed(project: Path) -> None:
    assert backup.list_backups(project) != []  # closing the new, changed project made one
    first = backup.list_backups(project)
    with Project.open(project, readonly=True):
        pass
    with Project.open(project, untrusted=True):
        pass
    with Project.open(project) as p:  # within 30 minutes: no new copy
        p.set_status(p.documents()[0].pk, "done")
    assert backup.list_backups(project) == first
    age_backups(project, backup.MIN_INTERVAL_S + 1)
    with Project.open(project) as p:  # changed since the last copy, interval passed: a copy
        assert p.backup_error is None
    now = backup.list_backups(project)
    assert len(now) == 2 and status_in(now[0]) == "done"
    assert dump(now[0]) == dump(project)
    age_backups(project, backup.MIN_INTERVAL_S + 1)
    with Project.open(project):  # unchanged since that copy: none, however long ago it was
        pass
    assert backup.list_backups(project) == now


def test_closing_after_a_change_backs_up_when_the_interval_passed(project: Path) -> None:
    age_backups(project, backup.MIN_INTERVAL_S + 1)
    with Project.open(project) as p:
        made = backup.list_backups(project)  # copy of the state before this session
        age_backups(project, backup.MIN_INTERVAL_S + 1)
        p.set_status(p.documents()[0].pk, "done")
    after = backup.list_backups(project)
    assert status_in(made[0]) == "new"
    assert status_in(after[0]) == "done"  # closing copied the session's work


def test_a_failing_backup_does_not_stop_the_work(project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(blocker))
    with Project.open(project) as p:
        assert p.backup_error is not None and "backup" in p.backup_error
        p.set_status(p.documents()[0].pk, "done")
    assert status_in(project) == "done"


def stamp(days_ago: float, base: datetime) -> str:
    return (base - timedelta(days=days_ago)).strftime("%Y%m%d-%H%M%S")


def test_pruning_keeps_recent_daily_weekly_monthly(project: Path) -> None:
    folder = backup.backup_dir(project)
    for b in backup.list_backups(project):
        b.unlink()
    base = datetime(2024, 6, 30, 18, 0, tzinfo=UTC)
    # two a day for 400 days, newest first
    made = [folder / f"p-{stamp(d / 2, base)}.annot" for d in range(800)]
    for f in made:
        f.write_bytes(b"")
    stray = folder / "p-notes.annot"  # not a name we wrote: never deleted
    stray.write_bytes(b"")
    removed = backup.prune(project)
    kept = backup.list_backups(project)
    assert stray in kept and set(removed) | set(kept) == set(made) | {stray}
    kept_made = sorted((f for f in kept if f != stray), reverse=True)
    assert kept_made[:backup.KEEP_RECENT] == made[:backup.KEEP_RECENT]
    days = {f.stem.split("-")[1] for f in kept_made}
    latest_days = sorted({f.stem.split("-")[1] for f in made}, reverse=True)
    assert set(latest_days[:backup.KEEP_DAILY]) <= days
    months = {f.stem.split("-")[1][:6] for f in kept_made}
    assert len(months) == backup.KEEP_MONTHLY  # one for each of the last 12 months with copies
    weeks = {datetime.strptime(f.stem.split("-")[1], "%Y%m%d").isocalendar()[:2]
             for f in kept_made}
    assert len(weeks) >= backup.KEEP_WEEKLY
    # nothing kept that no rule asks for
    limit = backup.KEEP_RECENT + backup.KEEP_DAILY + backup.KEEP_WEEKLY + backup.KEEP_MONTHLY
    assert len(kept_made) <= limit
    assert backup.prune(project) == []  # stable


def test_restore_through_the_cli_keeps_the_current_file(project: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    old = backup.list_backups(project)[0]
    old_dump = dump(old)
    with Project.open(project) as p:
        p.set_status(p.documents()[0].pk, "done")
    assert main(["backup", str(project), "--restore", str(old)]) == 0
    assert capsys.readouterr().out.startswith(f"restored {project} from {old}")
    assert dump(project) == old_dump and status_in(project) == "new"
    assert main(["backup", str(project), "--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert any(status_in(Path(b)) == "done" for b in listed)  # the replaced state was kept
    with Project.open(project) as p:
        assert p.check() == []


def test_restore_is_refused_while_someone_writes(project: Path) -> None:
    old = backup.list_backups(project)[0]
    with Project.open(project) as p:
        p.set_status(p.documents()[0].pk, "done")
        with pytest.raises(ProjectLockedError):
            backup.restore_backup(old, project)
        assert p.documents()[0].status == "done"


def test_restore_over_a_crashed_session_ignores_its_write_ahead_log(project: Path,
                                                                    tmp_path: Path) -> None:
    old = backup.list_backups(project)[0]
    old_dump = dump(old)
    script = ("import sys\nfrom annotator.core.project import Project\n"
              "p = Project.open(sys.argv[1])\n"
              "d = p.documents()[0].pk\n"
              "for i in range(200):\n    p.add_span(d, 'stance', 'stance', ((i % 40, i % 40 + 1 + i // 40),))\n"
              "print('done', flush=True)\nsys.stdin.readline()\n")
    proc = subprocess.Popen([PYTHON, "-c", script, str(project)], env=child_env(tmp_path),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "done\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    wal = project.with_name(project.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    backup.restore_backup(old, project)
    assert not wal.exists()
    assert dump(project) == old_dump
    with Project.open(project) as p:
        assert p.check() == []
        assert p.documents()[0].span_count == 3
    # the crashed session's 200 spans are in the safety copy made before restoring
    assert any("stance" in dump(b) for b in backup.list_backups(project))


def test_upgrade_makes_a_backup_first_and_a_failed_upgrade_changes_nothing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core.storage import schema

    before = dump(project)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE document ADD COLUMN extra TEXT")
        conn.execute("SELECT no_such_function()")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setattr("annotator.core.project.SCHEMA_VERSION", schema.SCHEMA_VERSION)
    monkeypatch.setattr("annotator.core.storage.engine.SCHEMA_VERSION", schema.SCHEMA_VERSION)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", schema.SCHEMA_VERSION)
    monkeypatch.setitem(migrations.STEPS, schema.SCHEMA_VERSION - 1, broken)
    with pytest.raises(DamagedProjectError, match="could not be upgraded.*unchanged"):
        Project.open(project)
    assert dump(project) == before
    copy = project.with_name(f"p.schema{schema.SCHEMA_VERSION - 1}-backup.annot")
    assert copy.exists() and dump(copy) == before
