"""A project opened for writing, read and closed without a change is left as it was: the same
bytes, the same modification time, nothing beside it. The switch to WAL (which rewrites the
file's header) waits for the first write; a project that was written is closed in rollback
mode as one self-contained file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.core.project import Project
from annotator.core.query import run_query


def state(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), os.stat(path).st_mtime_ns, sorted(
        p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_open_read_and_close_leaves_every_byte_and_the_mtime(project_path: Path) -> None:
    os.utime(project_path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = state(project_path)
    for _ in range(2):
        with Project.open(project_path) as p:
            doc = p.documents()[0].pk
            assert p.spans(doc) and p.annotator == "alice"
            assert list(run_query(p, "hedging:hedge"))
            p.checkpoint()
            assert not p.check()
    assert state(project_path) == before


def test_a_written_project_is_closed_as_one_file_in_rollback_mode(project_path: Path) -> None:
    before = project_path.read_bytes()
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        p.add_span(doc, "hedging", "hedge", ((0, 3),))
        assert project_path.with_name(project_path.name + "-wal").exists()  # edited in WAL
    assert project_path.read_bytes() != before
    assert [q.name for q in project_path.parent.iterdir()
            if q.name.startswith(project_path.name)] == [project_path.name]
    conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM span WHERE start = 0 AND \"end\" = 3"
                            ).fetchone()[0] == 1
    finally:
        conn.close()


def test_writes_after_the_switch_run_with_a_write_ahead_log_and_normal_sync(
        project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        p.add_span(doc, "hedging", "hedge", ((0, 3),))
        with p._read() as s:
            raw = s.connection().connection.driver_connection
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
