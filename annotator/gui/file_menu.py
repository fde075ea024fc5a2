"""File menu dialogs: new, open, recent, backup, import and export choices.

Each function asks the user (file dialogs) and then calls the window's methods; the work itself
runs in the window (:meth:`MainWindow.import_paths`, :meth:`MainWindow.export_to`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.gui import settings
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"


def new_project(w: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(w, "New project", str(Path.home()
                                          / "project.annot"), PROJECT_FILTER)
    if not path:
        return
    if not path.endswith(".annot"):
        path += ".annot"
    try:
        project = Project.create(path, overwrite=Path(path).exists())
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot create project", str(exc))
        return
    w.set_project(project)


def open_dialog(w: MainWindow) -> None:
    start = str(w.project.path.parent) if w.project else str(Path.home())
    path, _ = QFileDialog.getOpenFileName(w, "Open project", start, PROJECT_FILTER)
    if path:
        w.open_project(path)


def fill_recent(w: MainWindow) -> None:
    w.recent_menu.clear()
    recent = settings.recent_projects()
    if not recent:
        w.recent_menu.addAction("(none)").setEnabled(False)
    for p in recent:
        a = w.recent_menu.addAction(p)
        a.triggered.connect(lambda _=False, path=p: w.open_project(path))


def backup_now(w: MainWindow) -> None:
    if w.project is None:
        return
    from annotator.core.storage.backup import make_backup

    try:
        dest = make_backup(w.project.path, force=True)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Backup failed", str(exc))
        return
    except OSError as exc:
        dialogs.show_error(w, "Backup failed", f"{exc.strerror or exc}")
        return
    w.say(f"Backup written to {dest}", 8000)


def import_dialog(w: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(
        w, "Import", str(Path.home()),
        "Articles and corpora (*.txt *.md *.html *.htm *.jsonl *.csv *.xmi *.tsv);;"
        "All files (*)")
    if paths:
        w.import_paths(paths)


def import_folder_dialog(w: MainWindow) -> None:
    path = QFileDialog.getExistingDirectory(w, "Import folder", str(Path.home()))
    if path:
        w.import_paths([path])


def export_dialog(w: MainWindow) -> None:
    if w.project is None:
        return
    from annotator.formats.registry import all_formats

    writers = [(c.name, c.label, c.directory) for c in all_formats() if c.can_write]
    layers = [lay.name for lay in w.project.tagset.layers]
    dialog = dialogs.ExportDialog(writers, layers, w.project.path, w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    w.export_to(dialog.choice())
