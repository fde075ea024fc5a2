"""Attacks on this session's changes: the switch to WAL at the first write, archive entries
whose names clash, the bound on names. Each test says what happened before its fix."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import StorageError
from annotator.core.project import Project
from annotator.core.storage import engine as eng


def journal_mode(p: Project) -> tuple[str, int]:
    with p._read() as s:
        raw = s.connection().connection.driver_connection
        return (raw.execute("PRAGMA journal_mode").fetchone()[0],
                raw.execute("PRAGMA synchronous").fetchone()[0])


# ----------------------------------------------------------------- lazy WAL
def test_a_switch_held_up_by_a_reader_is_tried_again_at_the_next_write(
        project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: a reader's transaction open at the first write (an export in another process or
    thread) kept the switch from happening, and it was never tried again: the whole session
    stayed in rollback mode, where every later reader blocks every write ("database is
    locked" after the busy wait), which WAL mode exists to avoid."""
    monkeypatch.setattr(eng, "BUSY_MS", 200, raising=False)  # the waits of this test, not 5 s each
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        before = len(p.spans(doc))
        reader = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM span").fetchone()
        with pytest.raises(StorageError, match="nothing was changed"):
            p.add_span(doc, "hedging", "hedge", ((0, 3),))
        assert journal_mode(p) == ("delete", 2)  # FULL while in rollback mode
        reader.execute("COMMIT")
        assert len(p.spans(doc)) == before  # the refused write stored nothing
        p.add_span(doc, "hedging", "hedge", ((0, 3),))
        assert journal_mode(p) == ("wal", 1)  # switched at this write
        reader.execute("BEGIN")  # a reader again: in WAL mode it holds up no write
        reader.execute("SELECT count(*) FROM span").fetchone()
        p.add_span(doc, "hedging", "hedge", ((1, 3),))
        reader.execute("COMMIT")
        reader.close()
        assert len(p.spans(doc)) == before + 2
    assert [q.name for q in project_path.parent.iterdir()
            if q.name.startswith(project_path.name)] == [project_path.name]

