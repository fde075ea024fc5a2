"""The workspace window: wiring of the document list, text view, panels, menus and jobs.

The window owns one :class:`ProjectSession` at a time. It holds no data of its own: after every
edit it re-reads the current document's spans and relations from the project and hands them to
the views. Long work (import, export) runs as a :class:`Job` while editing is switched off.

The work is done by one module per job, each a set of functions taking the window:
:mod:`panels` builds the widgets (set as attributes below), :mod:`actions` the actions and
menus, :mod:`projects` opens and closes projects, :mod:`documents` handles the document list,
:mod:`span_display` the shown spans and selection, :mod:`editing` edits and the redraw after
them, :mod:`tagset_view` layers and colours, :mod:`find` searching, :mod:`jobs` import/export
jobs, :mod:`status` enabled actions and counts, :mod:`window_settings` saved preferences. The
methods here are the window's public face (used by menus, other modules, tests and scripts).
Everything runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QWidget,
)

from annotator.core.model import Span
from annotator.core.project import Project
from annotator.gui import (
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
from annotator.gui.models.document_model import DocumentFilter, DocumentModel
from annotator.gui.models.span_model import SpanFilter, SpanModel
from annotator.gui.session import ProjectSession
from annotator.gui.suggestions import Suggestions
from annotator.gui.tagging import Tagger
from annotator.gui.views import dialogs
from annotator.gui.views.attribute_editor import AttributeEditor
from annotator.gui.views.find_bar import FindBar
from annotator.gui.views.label_palette import LabelPalette
from annotator.gui.views.relation_panel import RelationPanel
from annotator.gui.views.text_view import SpanTextView
from annotator.gui.worker import Job


class MainWindow(QMainWindow):
    """The workspace; :attr:`jobDone` ("finished", "failed" or "cancelled") follows each job."""

    jobDone = Signal(str)

    # built by panels.build_central
    view: SpanTextView
    tagger: Tagger
    palette_bar: LabelPalette
    find_bar: FindBar
    placeholder: QLabel
    stack: QStackedWidget
    # built by panels.build_docks
    doc_model: DocumentModel
    doc_filter: DocumentFilter
    doc_table: QTableView
    doc_search: QLineEdit
    doc_status: QComboBox
    doc_dock: QDockWidget
    editor: AttributeEditor
    editor_dock: QDockWidget
    span_model: SpanModel
    span_filter: SpanFilter
    span_table: QTableView
    span_layer: QComboBox
    spans_dock: QDockWidget
    relations: RelationPanel
    relations_dock: QDockWidget
    # built by panels.build_status_bar
    doc_counts: QLabel
    project_counts: QLabel
    readonly_badge: QLabel
    annotator_label: QLabel
    # built by actions.build_actions: File menu
    act_new: QAction
    act_open: QAction
    act_import: QAction
    act_import_folder: QAction
    act_export: QAction
    act_backup: QAction
    act_annotator: QAction
    act_review: QAction
    act_restore: QAction
    act_quit: QAction
    # Edit menu
    act_undo: QAction
    act_redo: QAction
    act_delete: QAction
    act_fragment: QAction
    act_link: QAction
    act_tagset: QAction
    act_find: QAction
    act_find_next: QAction
    act_find_prev: QAction
    act_find_project: QAction
    # View menu
    act_zoom_in: QAction
    act_zoom_out: QAction
    act_dark: QAction
    # Document menu: one checkable action per document status ("new", "in_progress", "done")
    act_status: dict[str, QAction]
    act_suggest: QAction
    act_next_doc: QAction
    act_prev_doc: QAction
    # Help menu
    act_shortcuts: QAction
    act_about: QAction
    # built by actions.build_menus: submenus filled on demand
    recent_menu: QMenu  # File > Open recent, filled by file_menu.fill_recent
    layers_menu: QMenu  # View > Layers, filled by tagset_view

    def __init__(self) -> None:
        super().__init__()
        self.session: ProjectSession | None = None
        self.document: int | None = None
        self.text = ""
        self.spans: list[Span] = []
        self.hidden_layers: set[str] = set()
        self.job: Job | None = None
        self._find_dialog: dialogs.ProjectFindDialog | None = None
        self._needs_layout = False
        self.review_windows: list[QWidget] = []  # kept alive while open
        self.setWindowTitle("Annotator")
        self.setAcceptDrops(True)
        panels.build_central(self)
        panels.build_docks(self)
        self.suggestions = Suggestions(self)  # its dock, hidden until asked for
        build_actions(self)
        build_menus(self)
        self.corpus_tools = install_corpus_tools(self)  # Corpus menu: concordance, dashboard
        panels.build_status_bar(self)
        window_settings.restore_settings(self)
        status.set_editable(self)

    @property
    def project(self) -> Project | None:
        """The open project (None without one)."""
        return self.session.project if self.session else None

    # ================================================================= layout and settings
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
              ) -> QDockWidget:
        return panels.dock(self, title, name, widget, area)

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
    def refresh_spans(self, delta: tuple[list[Span], list[int]] | None = None) -> None:
        """Show the current document's spans again: only ``delta`` (changed spans, removed
        keys) when given, else everything re-read from the project."""
        span_display.refresh_spans(self, delta)

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
    def show_annotator(self) -> None:
        """Show who annotates the open project (status bar; File > Annotator name… changes)."""
        name = self.project.annotator if self.project is not None else ""
        self.annotator_label.setText(f"  Annotator: {name or '(not set)'}  ")
        self.annotator_label.setVisible(self.project is not None)

    def say(self, message: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(message, ms)

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
