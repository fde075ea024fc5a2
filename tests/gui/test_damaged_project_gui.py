"""A project file damaged inside is refused by the window with a message, never a traceback,
and is left byte-identical."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said the plan was not fully confirmed."


def _damaged(tmp_path: Path, statement: str) -> Path:
    path = tmp_path / "damaged.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(
            name="a", title="A", text=TEXT, meta={"author": "x"},
            spans=[SpanRecord("s1", "hedging", "hedge", ((28, 47),))])])
    with sqlite3.connect(path) as conn:
        conn.execute(statement)
    conn.close()
    return path


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("statement", [
    "UPDATE document SET meta = '[1'",  # garbage JSON in a document's meta
    "UPDATE document SET meta = '[1, 2]'",  # JSON of the wrong type
    "UPDATE project_meta SET value = X'80' WHERE key = 'annotator'",  # not UTF-8
    "UPDATE tagset_layer SET attributes = '{' WHERE name = 'hedging'",  # a damaged tagset row
])
def test_a_damaged_project_is_refused_with_a_message(qtbot, tmp_path: Path, messages,
                                                      statement: str) -> None:
    from annotator.gui.main_window import MainWindow

    try:
        path = _damaged(tmp_path, statement)
    except sqlite3.OperationalError as exc:  # the schema changed: the test must say so
        raise AssertionError(f"crafting failed: {exc}") from None
    before = _state(path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_project(path) is False
    kinds = [(kind, title) for kind, title, _ in messages]
    assert ("critical", "Cannot open project") in kinds
    text = next(t for k, title, t in messages if title == "Cannot open project")
    assert "damaged.annot" in text and "Traceback" not in text
    assert w.session is None
    assert _state(path) == before
