"""A SIGKILL at every rename/unlink of ``backup``, ``merge -o`` and ``export`` leaves each
output absent (or as it was) or complete, never partial, and the inputs byte-identical.

The child runs the CLI with ``os.replace``, ``os.rename``, ``os.unlink``, ``os.remove`` and
``os.rmdir`` patched to kill the process at their N-th call; N runs over every call a clean run
makes."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from safety_helpers import PYTHON, child_env, sample_doc

from annotator.core.project import Project
from annotator.core.storage import backup

KILLER = r"""
import os, signal, sys
target = int(sys.argv[1])
count = 0

def hit():
    global count
    count += 1
    if count == target:
        os.kill(os.getpid(), signal.SIGKILL)

for name in ("replace", "rename", "unlink", "remove", "rmdir"):
    def wrap(*a, _orig=getattr(os, name), **k):
        hit()
        return _orig(*a, **k)
    setattr(os, name, wrap)
from annotator.cli import main
code = main(sys.argv[2:])
print(count, flush=True)
sys.exit(code)
"""

CRASH = r"""
import os, signal, sys
from annotator.core.project import Project
p = Project.open(sys.argv[1])
doc = p.documents()[0].pk
for i in range(30):
    p.add_span(doc, "stance", "stance", ((i % 40, i % 40 + 1 + i // 40),))
os.kill(os.getpid(), signal.SIGKILL)
"""


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def killed_runs(tmp_path: Path, args: list[str], prepare, check) -> int:  # noqa: ANN001
    """Run ``args`` once cleanly to count the calls, then once killed at each of them."""
    prepare()
    dry = subprocess.run([PYTHON, "-c", KILLER, "0", *args], env=child_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    total = int(dry.stdout.split()[-1])
    check(killed=False)
    for n in range(1, total + 1):
        prepare()
        run = subprocess.run([PYTHON, "-c", KILLER, str(n), *args], env=child_env(tmp_path),
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == -signal.SIGKILL, (n, run.stdout, run.stderr)
        check(killed=True)
    return total


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A project nobody edits whose last 30 spans are only in its -wal."""
    folder = tmp_path / "proj"
    folder.mkdir()
    proj = folder / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    run = subprocess.run([PYTHON, "-c", CRASH, str(proj)], env=child_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL
    return proj


def spans_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        return conn.execute("SELECT count(*) FROM span").fetchone()[0]
    finally:
        conn.close()


def test_backup_killed_at_every_step(crashed: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    before = folder_state(crashed.parent)

    def prepare() -> None:
        shutil.rmtree(tmp_path / "backups", ignore_errors=True)

    def check(*, killed: bool) -> None:
        assert folder_state(crashed.parent) == before  # never a byte of the project
        made = backup.list_backups(crashed)
        assert len(made) == 1 if not killed else len(made) <= 1
        for b in made:  # whatever is listed is complete, the log's spans included
            assert spans_in(b) == 33

    total = killed_runs(tmp_path, ["backup", str(crashed)], prepare, check)
    assert total >= 2


def test_merge_output_killed_at_every_step(crashed: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.annot"
    with Project.create(mine, annotator="me") as p:
        p.import_documents([sample_doc("doc")])
    gold = tmp_path / "out" / "gold.annot"
    gold.parent.mkdir()
    inputs = folder_state(crashed.parent), folder_state(tmp_path)

    def prepare() -> None:
        for f in gold.parent.iterdir():
            f.unlink()
        shutil.rmtree(tmp_path / "backups", ignore_errors=True)  # the same calls each run

    def check(*, killed: bool) -> None:
        assert (folder_state(crashed.parent), folder_state(tmp_path)) == inputs
        if gold.exists():
            assert sorted(p.name for p in gold.parent.iterdir() if not p.name.startswith(".")
                          ) == ["gold.annot"]
            assert spans_in(gold) == 33
        else:
            assert killed

    total = killed_runs(tmp_path, ["merge", str(mine), str(crashed), "-o", str(gold),
                                   "--prefer", "b"], prepare, check)
    assert total >= 2


def test_file_export_killed_at_every_step(crashed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    old = "previous export\n"
    inputs = folder_state(crashed.parent)

    def prepare() -> None:
        out.write_text(old, encoding="utf-8")

    def check(*, killed: bool) -> None:
        assert folder_state(crashed.parent) == inputs
        text = out.read_text(encoding="utf-8")
        if text != old:
            assert len(json.loads(text)["spans"]) == 33
        else:
            assert killed

    killed_runs(tmp_path, ["export", str(crashed), "--format", "jsonl", "-o", str(out)],
                prepare, check)


def test_folder_export_killed_at_every_step(tmp_path: Path) -> None:
    """A folder format: the export appears complete in one rename, or not at all."""
    (tmp_path / "proj").mkdir()
    crashed = tmp_path / "proj" / "p.annot"
    with Project.create(crashed) as p:
        p.import_documents([sample_doc(f"doc{i}") for i in range(4)])
    out = tmp_path / "brat"
    reference = tmp_path / "reference"
    inputs = folder_state(crashed.parent)

    def prepare() -> None:
        shutil.rmtree(out, ignore_errors=True)

    def check(*, killed: bool) -> None:
        assert folder_state(crashed.parent) == inputs
        if not killed:
            shutil.copytree(out, reference)
        if out.exists():  # all or nothing: the complete export, never a part of it
            assert folder_state(out).keys() == folder_state(reference).keys()
            assert all(a[0] == b[0] for a, b in zip(folder_state(out).values(),
                                                    folder_state(reference).values(),
                                                    strict=True))
        else:
            assert killed

    killed_runs(tmp_path, ["export", str(crashed), "--format", "brat", "-o", str(out)],
                prepare, check)
