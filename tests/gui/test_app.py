"""Start-up of the desktop app: the sample project, the last project, remembered settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from annotator.core.project import Project
from annotator.gui import app, settings
from annotator.gui.main_window import MainWindow


def make_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_first_start_builds_the_sample_project(qtbot, messages, gui_dirs) -> None:  # type: ignore[no-untyped-def]
    w = make_window(qtbot)
    assert app.open_startup(w, [])
    try:
        assert w.project.path == gui_dirs / "data" / app.SAMPLE_NAME
        assert w.document is not None and w.spans  # an annotated article, not an empty window
        layers = {s.layer for s in w.spans}
        assert {"attribution", "hedging", "stance", "rhetoric"} <= layers
        assert w.relations.relation_pks()
        assert messages == []
    finally:
        w.close()
    with Project.open(gui_dirs / "data" / app.SAMPLE_NAME, readonly=True) as p:
        assert p.documents()


def test_second_start_reopens_the_last_project(qtbot, messages, project_path) -> None:  # type: ignore[no-untyped-def]
    w = make_window(qtbot)
    assert app.open_startup(w, [str(project_path)])
    w.resize(1000, 700)
    w.set_layer_visible("rhetoric", False)
    w.close()
    assert settings.recent_projects() == [str(project_path.resolve())]
    again = make_window(qtbot)
    assert app.open_startup(again, [])
    try:
        assert again.project.path.resolve() == project_path.resolve()
        assert again.hidden_layers == {"rhetoric"}
        assert ("rhetoric", "technique") not in again.palette_bar.buttons
    finally:
        again.close()


def test_bad_argument_falls_back_to_sample_after_message(qtbot, messages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.annot"
    bad.write_text("not a project", encoding="utf-8")
    w = make_window(qtbot)
    assert app.open_startup(w, [str(bad)])
    try:
        assert messages[0][0] == "critical" and "broken.annot" in messages[0][2]
        assert w.project.path.name == app.SAMPLE_NAME
        assert bad.read_text(encoding="utf-8") == "not a project"
    finally:
        w.close()


def test_drop_files_onto_window_imports_them(qtbot, messages, project_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = make_window(qtbot)
    assert w.open_project(project_path)
    dropped = tmp_path / "dropped.md"
    dropped.write_text("# Dropped\n\nA short *article* 👍🏽.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        with qtbot.waitSignal(w.jobDone, timeout=20000) as blocker:
            w.dropEvent(event)
        assert blocker.args == ["finished"]
        assert [d.name for d in w.doc_model.documents()] == ["mixed", "dropped"]
    finally:
        w.close()


def test_data_dir_override(gui_dirs: Path) -> None:
    assert settings.data_dir() == gui_dirs / "data"


def test_file_menu_new_then_open_recent(qtbot, messages, project_path, tmp_path,
                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from annotator.gui import file_menu

    w = make_window(qtbot)
    assert w.open_project(project_path)
    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    try:
        w.act_new.trigger()
        assert w.project.path == tmp_path / "fresh.annot"
        assert w.document is None and w.stack.currentWidget() is w.placeholder
        assert not w.palette_bar.isEnabled()  # nothing to tag without a document
        file_menu.fill_recent(w)
        recent = [a.text() for a in w.recent_menu.actions()]
        assert recent[:2] == [str((tmp_path / "fresh.annot").resolve()),
                              str(project_path.resolve())]
        w.recent_menu.actions()[1].trigger()
        assert w.project.path.resolve() == project_path.resolve() and w.document is not None
    finally:
        w.close()
