"""File menu dialogs: new, open, recent, backup, import and export choices.

Each function asks the user (file dialogs) and then calls the window's methods; the work itself
runs in the window (:meth:`Shell.import_paths`, :meth:`Shell.export_to`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.gui import annotator_view, identity, settings
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.shell import Shell
    from annotator.gui.worker import Job

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"


def new_project(w: Shell) -> None:
    path, _ = QFileDialog.getSaveFileName(w, "New project", str(Path.home()
                                          / "project.annot"), PROJECT_FILTER)
    if not path:
        return
    if not path.endswith(".annot"):
        path += ".annot"
    name = identity.user_name(w, why="The new project records who annotates it.")
    if name is None:
        return
    try:
        project = Project.create(path, annotator=name, overwrite=Path(path).exists())
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot create project", str(exc))
        return
    w.set_project(project)


def change_annotator(w: Shell) -> None:
    """File > Annotator name…: ask again; the open project (when editable) takes the name."""
    name = identity.ask_name(w)
    if name is None:
        return
    if w.project is not None and not w.project.readonly:
        try:
            w.project.set_annotator(name)
        except AnnotatorError as exc:
            dialogs.show_error(w, "Annotator name", str(exc))
    w.show_annotator()
    annotator_view.apply(w)  # the new name's spans are the project's own


def open_dialog(w: Shell) -> None:
    start = str(w.project.path.parent) if w.project else str(Path.home())
    path, _ = QFileDialog.getOpenFileName(w, "Open project", start, PROJECT_FILTER)
    if path:
        w.open_project(path)


def fill_recent(w: Shell) -> None:
    w.recent_menu.clear()
    recent = settings.recent_projects()
    if not recent:
        w.recent_menu.addAction("(none)").setEnabled(False)
    for p in recent:
        a = w.recent_menu.addAction(p)
        a.triggered.connect(lambda _=False, path=p: w.open_project(path))


def backup_now(w: Shell) -> None:
    if w.project is None or w.project.on_server:  # a server keeps its own backups
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


def import_dialog(w: Shell) -> None:
    paths, _ = QFileDialog.getOpenFileNames(
        w, "Import", str(Path.home()),
        "Articles and corpora (*.txt *.md *.html *.htm *.jsonl *.csv *.xmi *.tsv *.json *.zip);;"
        "All files (*)")
    if paths:
        w.import_paths(paths)


def import_folder_dialog(w: Shell) -> None:
    path = QFileDialog.getExistingDirectory(w, "Import folder", str(Path.home()))
    if path:
        w.import_paths([path])


def export_dialog(w: Shell) -> None:
    if w.project is None:
        return
    from annotator.formats.registry import all_formats

    writers = [(c.name, c.label, c.directory) for c in all_formats() if c.can_write]
    tagset = w.project.tagset
    layers = [lay.name for lay in tagset.layers]
    labels = [f"{lay.name}:{lab.name}" for lay in tagset.layers for lab in lay.labels]
    current = None
    if w.document is not None:
        current = (w.document, w.project.document(w.document).title)
    dialog = dialogs.ExportDialog(writers, layers, w.project.path, w, labels=labels,
                                  current_document=current)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    w.export_to(dialog.choice())


def review_dialog(w: Shell) -> None:
    """File > Review colleague's file…: this project is A, the chosen file B (read-only)."""
    if w.project is None:
        return
    path, _ = QFileDialog.getOpenFileName(w, "Review a colleague's project file",
                                          str(w.project.path.parent), PROJECT_FILTER)
    if path:
        open_review_of(w, path)


def open_review_of(w: Shell, other: str | Path) -> Job | None:
    """Compare this project (A) with ``other`` (B, read-only) on a worker thread, then open
    the review window; errors (not a project, damaged…) come as a message box."""
    from annotator.gui.review_window import review_job, show_review

    if w.project is None:
        return None

    name = identity.user_name(w, why="The review records who adjudicates.")
    if name is None:
        return None
    w.project.checkpoint()  # the review reads the file immutable: every edit must be in it

    def done(loaded: Any) -> None:
        w.review_windows.append(show_review(loaded, parent=w, adjudicator=name))

    return w.run_job(review_job([str(w.project.path), str(other)]),
                     "Comparing the project files…", done)


def restore_dialog(w: Shell) -> None:
    """File > Restore from backup…: pick a rolling backup; the current state is kept as one."""
    if w.project is None or w.project.readonly:
        return
    if w.project.on_server:
        dialogs.show_warning(w, "Restore from backup",
                          f"{w.project.path} is a shared project on a server: its backups are "
                          "the server's (ask whoever runs it).")
        return
    from annotator.core.storage.backup import backup_dir

    folder = backup_dir(w.project.path)
    path, _ = QFileDialog.getOpenFileName(w, "Restore from a backup", str(folder),
                                          PROJECT_FILTER)
    if path:
        restore_from(w, Path(path))


def restore_from(w: Shell, backup: Path) -> bool:
    from annotator.core.storage.backup import restore_backup
    from annotator.core.storage.engine import read_header

    if w.project is None:
        return False
    target = w.project.path
    try:
        read_header(backup)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot restore", str(exc))
        return False
    w.close_project()  # release the write lock first
    try:
        restore_backup(backup, target)
    except (AnnotatorError, OSError) as exc:
        dialogs.show_error(w, "Cannot restore", str(exc))
    return w.open_project(target)
