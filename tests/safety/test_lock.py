"""One writer at a time, across processes; a crashed writer never locks the user out."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from safety_helpers import PYTHON, child_env, dump, sample_doc

from annotator.cli import main
from annotator.core.errors import ProjectLockedError, ReadOnlyError
from annotator.core.project import Project

HOLDER = r"""
import sys
from annotator.core.project import Project
p = Project.open(sys.argv[1])
p.set_status(p.documents()[0].pk, "done")
print("open", flush=True)
sys.stdin.readline()          # hold the project open until told (or killed)
p.close()
print("closed", flush=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


def start_holder(project: Path, tmp_path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([PYTHON, "-c", HOLDER, str(project)], env=child_env(tmp_path),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "open\n", proc.stderr.read() if proc.stderr else ""
    return proc


def test_second_process_gets_read_only_with_a_reason(project: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    holder = start_holder(project, tmp_path)
    try:
        with pytest.raises(ProjectLockedError, match="already open for writing"):
            Project.open(project)
        with Project.open(project, fallback_readonly=True) as p:
            assert p.readonly
            assert "open for writing in another" in p.readonly_reason
            doc = p.documents()[0]
            assert doc.status == "done"  # sees what the writer committed
            with pytest.raises(ReadOnlyError, match="open for writing in another"):
                p.set_status(doc.pk, "new")
        # the CLI refuses to write, in one line, and exits 1
        txt = tmp_path / "a.txt"
        txt.write_text("Another article that seems fine enough to import here.\n")
        assert main(["import", str(project), str(txt)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert str(project) in err[0] and "already open for writing" in err[0]
        assert len(err) == 1 and "opened read-only" not in err[0]  # it was not: refused
        assert "(hint: close it there, then try again)" in err[0]
        # reading commands still work while it is held
        assert main(["list", str(project)]) == 0
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        out, _ = holder.communicate(timeout=30)
    assert out == "closed\n" and holder.returncode == 0
    with Project.open(project) as p:  # released on close
        assert not p.readonly


def test_stale_lock_of_a_killed_writer_does_not_lock_the_user_out(project: Path,
                                                                  tmp_path: Path) -> None:
    holder = start_holder(project, tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=30)
    assert holder.returncode == -signal.SIGKILL
    assert project.with_name(project.name + "-wal").exists()  # it really died mid-session
    with Project.open(project) as p:
        assert not p.readonly
        assert p.documents()[0].status == "done"  # its committed change survived
        assert p.check() == []
        p.set_status(p.documents()[0].pk, "in_progress")
    assert "in_progress" in dump(project)


def test_two_writers_in_one_process_are_refused(project: Path) -> None:
    with Project.open(project) as first:
        with pytest.raises(ProjectLockedError):
            Project.open(project)
        first.set_status(first.documents()[0].pk, "done")
    with Project.open(project) as again:
        assert again.documents()[0].status == "done"
