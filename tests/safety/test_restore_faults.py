"""Restore is atomic at every step and checks a backup before it replaces anything.

Faults are injected in a child process: a SIGKILL at each rename/unlink of the restore
(``os.replace``, ``os.rename``, ``os.unlink``, ``os.remove``, ``os.rmdir`` patched) and at pages
of the write into the project (SQLite's backup API, one page per step). After every kill the
project holds either its old state (also what only its write-ahead log held) or the restored
one, and passes ``check``."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from safety_helpers import PYTHON, child_env, sample_doc

from annotator.cli import main
from annotator.core.errors import DamagedProjectError, NotAProjectError
from annotator.core.project import Project
from annotator.core.storage import backup

KILLER = r"""
import os, signal, sqlite3, sys
from pathlib import Path
target, what = int(sys.argv[3]), sys.argv[4]
count = 0

def hit():
    global count
    count += 1
    if count == target:
        os.kill(os.getpid(), signal.SIGKILL)

if what == "files":
    for name in ("replace", "rename", "unlink", "remove", "rmdir"):
        def wrap(*a, _orig=getattr(os, name), **k):
            hit()
            return _orig(*a, **k)
        setattr(os, name, wrap)
else:
    class Killing(sqlite3.Connection):
        def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
            return super().backup(target, pages=1, progress=lambda *_: hit(), name=name,
                                  sleep=0)
    _connect = sqlite3.connect
    def connect(*a, **k):
        k.setdefault("factory", Killing)
        return _connect(*a, **k)
    sqlite3.connect = connect
from annotator.core.storage import backup
backup.restore_backup(Path(sys.argv[1]), Path(sys.argv[2]))
print(count, flush=True)
"""

CRASH = r"""
import os, signal, sys
from annotator.core.project import Project
p = Project.open(sys.argv[1])
doc = p.documents()[0].pk
for i in range(200):
    p.add_span(doc, "stance", "stance", ((i % 40, i % 40 + 1 + i // 40),))
p.set_status(doc, "done")
os.kill(os.getpid(), signal.SIGKILL)
"""

OLD = (203, "done")  # the crashed session's state: 200 of its spans only in the -wal
RESTORED = (3, "in_progress")


def state(project: Path) -> tuple[int, str]:
    with Project.open(project) as p:
        assert p.check() == []
        doc = p.documents()[0]
        return doc.span_count, doc.status


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    """A good backup (3 spans, in_progress) and a folder with a crashed project (main file: 3
    spans, new; its -wal: 200 more and done)."""
    template = tmp_path / "template"
    template.mkdir()
    proj = template / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
        p.set_status(p.documents()[0].pk, "in_progress")
    good = tmp_path / "good.annot"
    shutil.copyfile(backup.make_backup(proj, force=True) or Path(), good)
    with Project.open(proj) as p:
        p.set_status(p.documents()[0].pk, "new")
    run = subprocess.run([PYTHON, "-c", CRASH, str(proj)], env=child_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert proj.with_name("p.annot-wal").stat().st_size > 0
    return good, template


def fresh(template: Path, where: Path) -> Path:
    shutil.copytree(template, where)
    return where / "p.annot"


def restore_in_child(good: Path, project: Path, n: int, what: str,
                     tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-c", KILLER, str(good), str(project), str(n), what],
                          env=child_env(tmp_path), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("what", ["files", "pages"])
def test_restore_killed_at_every_step_leaves_the_old_or_the_restored_state(
        setup: tuple[Path, Path], tmp_path: Path, what: str) -> None:
    good, template = setup
    dry = restore_in_child(good, fresh(template, tmp_path / "dry"), 0, what, tmp_path)
    assert dry.returncode == 0, dry.stderr
    total = int(dry.stdout)
    assert total >= 3  # there really are steps to interrupt
    assert state(tmp_path / "dry" / "p.annot") == RESTORED
    steps = range(1, total + 1) if what == "files" else sorted({1, 2, total // 2, total})
    outcomes = []
    for n in steps:
        project = fresh(template, tmp_path / f"{what}{n}")
        run = restore_in_child(good, project, n, what, tmp_path)
        assert run.returncode == -signal.SIGKILL, (n, run.stdout, run.stderr)
        got = state(project)
        assert got in (OLD, RESTORED), f"killed at {what} step {n}: {got}"
        outcomes.append(got)
    assert OLD in outcomes  # kills before the switch keep everything the log held
    if what == "pages":  # mid-write: rolled back (the last step reports after its commit)
        assert outcomes[:-1] == [OLD] * (len(outcomes) - 1)


def test_a_restore_leaves_no_log_of_the_old_file(setup: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    good, template = setup
    project = fresh(template, tmp_path / "run")
    backup.restore_backup(good, project)
    assert sorted(p.name for p in project.parent.iterdir()) == ["p.annot"]
    assert state(project) == RESTORED
    kept = [b for b in backup.list_backups(project)]
    assert any(state_of_copy(b) == OLD for b in kept)  # the replaced state, log included


def state_of_copy(path: Path) -> tuple[int, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        spans = conn.execute("SELECT count(*) FROM span").fetchone()[0]
        status = conn.execute("SELECT status FROM document").fetchone()[0]
        return spans, status
    finally:
        conn.close()


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def damaged_copy(good: Path, where: Path) -> Path:
    data = bytearray(good.read_bytes())
    for i in range(2 * 4096 + 8, len(data), 4096):
        data[i:i + 64] = b"\xff" * 64
    where.write_bytes(bytes(data))
    return where


def trigger_copy(good: Path, where: Path) -> Path:
    shutil.copyfile(good, where)
    conn = sqlite3.connect(where)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON span BEGIN DELETE FROM document; END")
    conn.commit()
    conn.close()
    return where


def unupgradable_copy(good: Path, where: Path) -> Path:
    """An older schema this version has no upgrade step for: restored, the project would not
    open any more."""
    shutil.copyfile(good, where)
    conn = sqlite3.connect(where)
    conn.execute("PRAGMA user_version=0")
    conn.commit()
    conn.close()
    return where


@pytest.mark.parametrize("make, error, words", [
    (damaged_copy, DamagedProjectError, "damaged"),
    (trigger_copy, NotAProjectError, "trigger 'wipe'"),
    (unupgradable_copy, DamagedProjectError, "cannot upgrade"),
])
def test_a_bad_backup_is_refused_before_anything_is_touched(
        setup: tuple[Path, Path], tmp_path: Path, make, error: type, words: str,  # noqa: ANN001
        capsys: pytest.CaptureFixture[str]) -> None:
    good, template = setup
    with Project.open(template / "p.annot"):  # a clean project this time
        pass
    bad = make(good, tmp_path / "bad.annot")
    project = template / "p.annot"
    before, listed = folder_state(template), backup.list_backups(project)
    bad_before = folder_state(tmp_path)["bad.annot"]
    with pytest.raises(error, match=words):
        backup.restore_backup(bad, project)
    assert main(["backup", str(project), "--restore", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and words in err[0]
    assert folder_state(template) == before and backup.list_backups(project) == listed
    assert folder_state(tmp_path)["bad.annot"] == bad_before
