"""The workspace window: the wiring of the document list, text view, panels, menus and jobs.

Only the app entry (and tests, scripts) import this module. The window is a
:class:`~annotator.gui.shell.Shell` (its widgets, actions and state) whose parts are built and
driven by one module per job, each taking the shell and none importing this module:
:mod:`panels` builds the widgets, :mod:`actions` the actions and menus, :mod:`projects` opens
and closes projects, :mod:`documents` the document list and the shown document,
:mod:`span_display` the shown spans and selection, :mod:`editing` edits and which part redraws
on which change, :mod:`doc_labels` the Document labels dock, :mod:`annotator_view` whose spans
are shown, :mod:`tagset_view` layers and colours, :mod:`find` searching, :mod:`jobs`
import/export jobs, :mod:`status` enabled actions and counts, :mod:`window_settings` saved
preferences.

The window owns one :class:`~annotator.gui.session.ProjectSession` at a time: the Qt adapter of
the Qt-free :class:`~annotator.workspace.Workspace` (open project, shown document, selection,
undo history). Every operation returns a :class:`~annotator.workspace.Changes`; the session
emits it as signals and each part redraws what it names (nothing re-reads the document after
an edit). Long work (import, export) runs as a :class:`Job` while editing is switched off.
Everything runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QMessageBox,
)

from annotator.core.project import Project
from annotator.gui import (
    doc_labels,
    documents,
    editing,
    find,
    jobs,
    ops,
    panels,
    projects,
    span_display,
    status,
    tagset_view,
    window_settings,
)
from annotator.gui.actions import build_actions, build_menus
from annotator.gui.concordance_hook import install as install_corpus_tools
from annotator.gui.shell import Shell
from annotator.gui.suggestions import Suggestions
from annotator.gui.team_panel import TeamPanel
from annotator.gui.views import dialogs
from annotator.gui.worker import Job


class MainWindow(Shell):
    """The workspace; :attr:`jobDone` ("finished", "failed" or "cancelled") follows each job."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Annotator")
        self.setAcceptDrops(True)
        panels.build_central(self)
        panels.build_docks(self)
        doc_labels.build(self)
        self.team = TeamPanel()
        self.team_dock = self._dock("Team", "team", self.team,
                                    Qt.DockWidgetArea.RightDockWidgetArea)
        self.team_dock.hide()  # shown for team work (projects.set_project)
        self.suggestions = Suggestions(self)  # its dock, hidden until asked for
        build_actions(self)
        build_menus(self)
        self.corpus_tools = install_corpus_tools(self)  # Corpus menu: concordance, dashboard
        panels.build_status_bar(self)
        window_settings.restore_settings(self)
        status.set_editable(self)

    # ================================================================= layout and settings
    def default_layout(self) -> None:
        """Dock sizes for a first start (no saved window state)."""
        panels.default_layout(self)

    def save_settings(self) -> None:
        window_settings.save_settings(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._needs_layout:
            self._needs_layout = False
            QTimer.singleShot(0, self.default_layout)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        self.suggestions.shutdown()
        self.save_settings()
        self.close_project()
        event.accept()

    # ================================================================= projects
    def open_project(self, path: str | Path) -> bool:
        """Open ``path`` (read-only if another window holds it); False after an error message."""
        return projects.open_project(self, path)

    def set_project(self, project: Project) -> None:
        projects.set_project(self, project)

    def close_project(self) -> None:
        projects.close_project(self)

    def _colors(self) -> dict[tuple[str, str], str]:
        return tagset_view.colors(self)

    def _tagset_changed(self) -> None:
        tagset_view.tagset_changed(self)

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        tagset_view.set_layer_visible(self, layer, visible)

    # ================================================================= documents
    def reload_documents(self) -> None:
        documents.reload_documents(self)

    def open_document(self, pk: int | None) -> None:
        """Show document ``pk`` (None: the placeholder)."""
        documents.open_document(self, pk)

    def step_document(self, delta: int) -> None:
        documents.step_document(self, delta)

    def set_status(self, status: str) -> None:
        editing.set_status(self, status)

    # ================================================================= spans and edits
    def refresh_spans(self) -> None:
        """Read the shown document's spans and relations again and show them."""
        span_display.refresh_spans(self)

    def select_span(self, pk: int | None) -> None:
        """Select span ``pk`` in the text (scrolling to it) and show it in the panels."""
        span_display.select_span(self, pk)

    def _undo(self) -> None:
        editing.undo(self)

    def _redo(self) -> None:
        editing.redo(self)

    # ================================================================= find
    def open_find(self) -> None:
        find.open_find(self)

    def open_project_find(self) -> None:
        find.open_project_find(self)

    # ================================================================= import, export
    def import_paths(self, paths: Sequence[str | Path]) -> Job | None:
        """Import files/folders on a worker thread; returns the started job."""
        return jobs.import_paths(self, paths)

    def export_to(self, choice: dialogs.ExportChoice) -> Job | None:
        return jobs.export_to(self, choice)

    def run_job(self, fn: ops.JobFn, title: str, done: Callable[[Any], object]
                ) -> Job | None:
        return jobs.run_job(self, fn, title, done)

    # ================================================================= misc
    def _toggle_dark(self, on: bool) -> None:
        tagset_view.toggle_dark(self, on)

    def show_shortcuts(self) -> None:
        if self.project is None:
            return
        dialogs.ShortcutDialog(self.project.tagset, self).exec()

    def show_about(self) -> None:
        QMessageBox.about(self, "About Annotator", dialogs.about_text())

    # ================================================================= drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.session and self.session.editable:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.import_paths(paths))
