"""The window opening a project, showing its document and closing it without an edit leaves
the file byte for byte as it was, with its modification time."""

from __future__ import annotations

import os
from pathlib import Path


def test_opening_and_closing_in_the_window_changes_nothing(qtbot, project_path: Path,  # type: ignore[no-untyped-def]
                                                           messages) -> None:
    from annotator.gui.main_window import MainWindow

    os.utime(project_path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = project_path.read_bytes(), os.stat(project_path).st_mtime_ns
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_project(project_path)
    qtbot.wait(200)
    assert w.view.toPlainText()  # the document is shown
    w.close_project()
    assert (project_path.read_bytes(), os.stat(project_path).st_mtime_ns) == before
    assert [p.name for p in project_path.parent.iterdir()
            if p.name.startswith(project_path.name)] == [project_path.name]
    assert not [m for m in messages if m[0] == "critical"]
