"""``annotator list`` and ``stats`` read a closed project through sqlite3 alone (no SQLAlchemy:
start-up stays fast) and answer exactly what the project's own reading answers; any other case
falls back to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import quick_read
from annotator.core.project import Project
from annotator.core.storage import schema
from annotator.formats.reading import read_inputs

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="alice") as p:
        (_, docs), = read_inputs([str(SAMPLE)], "jsonl", "alice", lambda _: None)
        p.import_documents(docs)
    return path


def test_the_marks_are_the_schemas() -> None:
    assert (quick_read.APPLICATION_ID, quick_read.SCHEMA_VERSION) == \
        (schema.APPLICATION_ID, schema.SCHEMA_VERSION)


def test_quick_answers_equal_the_projects(project: Path) -> None:
    before = (project.read_bytes(), project.stat().st_mtime_ns)
    conn = quick_read.connect(project)
    assert conn is not None
    try:
        quick_docs = quick_read.documents(conn, project)
        quick_stats = quick_read.stats(conn, project)
    finally:
        conn.close()
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
    assert sorted(os.listdir(project.parent)) == ["p.annot"]  # nothing left beside it
    with Project.open(project, readonly=True) as p:
        assert quick_docs == p.documents()
        assert quick_stats == p.stats()
        assert quick_stats["spans"] > 0


def test_a_project_open_for_writing_is_read_the_full_way(project: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    with Project.open(project) as p:  # a writer: lock held, write-ahead log beside the file
        p.set_setting("x", "y")
        assert quick_read.connect(project) is None
        assert main(["list", str(project), "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [d["id"] for d in listed] == [d.name for d in p.documents()]


def test_what_is_not_a_current_project_is_left_to_the_full_path(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert quick_read.connect(other) is None
    assert quick_read.connect(tmp_path / "missing.annot") is None
    assert quick_read.connect("postgresql://u@h/db") is None


def test_list_and_stats_do_not_import_sqlalchemy(project: Path) -> None:
    for command in ("list", "stats"):
        code = (f"import sys, runpy; sys.argv = ['annotator', {command!r}, {str(project)!r}]\n"
                "try:\n    runpy.run_module('annotator', run_name='__main__')\n"
                "except SystemExit:\n    pass\n"
                "print('sqlalchemy' in sys.modules, file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
        assert done.stdout.strip()
