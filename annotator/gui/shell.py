"""What the window's parts may know of the window: its widgets, actions and state.

:class:`Shell` is the main window without its wiring. The modules of :mod:`annotator.gui` that
build or drive parts of the window (panels, actions, projects, documents, editing…) take a
``Shell``; only :mod:`annotator.gui.main_window` (the wiring, imported by the app entry alone)
knows them all. So no part imports the main window, and there is no import cycle in the GUI
(both are import-linter contracts in ``pyproject.toml``).

The shown document, its spans and the selection live in the session's Qt-free
:class:`~annotator.workspace.Workspace`; :attr:`Shell.document`, :attr:`Shell.text` and
:attr:`Shell.spans` read them from there. The methods at the end are implemented by the main
window (they reach modules a part must not import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTableView,
    QWidget,
)

from annotator.core.model import Span
from annotator.core.project import Project
from annotator.gui.documents_panel import DocumentsPanel
from annotator.gui.models.document_model import DocumentFilter, DocumentModel
from annotator.gui.models.span_model import SpanFilter, SpanModel
from annotator.gui.session import ProjectSession
from annotator.gui.spans_panel import SpansPanel
from annotator.gui.tagging import Tagger
from annotator.gui.team_panel import TeamPanel
from annotator.gui.views.attribute_editor import AttributeEditor
from annotator.gui.views.doc_label_panel import DocumentLabelPanel
from annotator.gui.views.find_bar import FindBar
from annotator.gui.views.label_palette import LabelPalette
from annotator.gui.views.relation_panel import RelationPanel
from annotator.gui.views.text_view import SpanTextView
from annotator.gui.worker import Job, JobFn

if TYPE_CHECKING:
    from annotator.gui.views import dialogs


class SuggestionsPart(Protocol):
    """What the window's parts use of :class:`annotator.gui.suggestions.Suggestions` (which
    itself takes a :class:`Shell`, so is not imported here)."""

    dock: QDockWidget

    def start(self) -> object: ...
    def refresh(self) -> None: ...
    def spans_changed(self) -> None: ...
    def corpus_changed(self) -> None: ...
    def edit_lexicons(self) -> bool: ...
    def document_changed(self) -> None: ...
    def shutdown(self) -> None: ...


class Shell(QMainWindow):
    """The window's widgets, actions and state; see the module docstring."""

    jobDone = Signal(str)  # "finished", "failed" or "cancelled", after each job

    # built by panels.build_central
    view: SpanTextView
    tagger: Tagger
    palette_bar: LabelPalette
    find_bar: FindBar
    placeholder: QLabel
    stack: QStackedWidget
    # built by panels.build_docks
    documents_panel: DocumentsPanel
    doc_model: DocumentModel
    doc_filter: DocumentFilter
    doc_table: QTableView
    doc_search: QLineEdit
    doc_status: QComboBox
    doc_dock: QDockWidget
    editor: AttributeEditor
    editor_dock: QDockWidget
    spans_panel: SpansPanel
    span_model: SpanModel
    span_filter: SpanFilter
    span_table: QTableView
    span_layer: QComboBox
    spans_dock: QDockWidget
    relations: RelationPanel
    relations_dock: QDockWidget
    # built by the window: the Team dock (annotator.gui.team_panel)
    team: TeamPanel
    team_dock: QDockWidget
    # built by doc_labels.build
    doc_labels: DocumentLabelPanel
    doc_labels_dock: QDockWidget
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
    act_relabel: QAction
    act_split: QAction
    act_join: QAction
    act_bounds: list[QAction]  # Edit > Span boundaries
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
    annotators_menu: QMenu  # View > Annotators, filled by annotator_view

    suggestions: SuggestionsPart

    def __init__(self) -> None:
        super().__init__()
        self.session: ProjectSession | None = None
        self.hidden_layers: set[str] = set()
        self.shown_annotators: set[str] = set()  # other annotators whose spans are shown
        self.job: Job | None = None
        self._find_dialog: dialogs.ProjectFindDialog | None = None
        self._needs_layout = False
        self.review_windows: list[QWidget] = []  # kept alive while open

    # ----------------------------------------------------------------- state (the workspace's)
    @property
    def project(self) -> Project | None:
        """The open project (None without one)."""
        return self.session.project if self.session else None

    @property
    def document(self) -> int | None:
        """Key of the shown document (None: the placeholder is shown)."""
        return self.session.workspace.document if self.session else None

    @property
    def text(self) -> str:
        return self.session.workspace.text if self.session else ""

    @property
    def spans(self) -> list[Span]:
        """The shown document's spans in text order."""
        return self.session.workspace.spans if self.session else []

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
              ) -> QDockWidget:
        """Add ``widget`` as a movable, closable, floatable dock; ``name`` is its object name
        (the key of its place in the saved window state)."""
        d = QDockWidget(title, self)
        d.setObjectName(name)
        d.setWidget(widget)
        d.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                      | QDockWidget.DockWidgetFeature.DockWidgetClosable
                      | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, d)
        return d

    def say(self, message: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(message, ms)

    def show_annotator(self) -> None:
        """Show who annotates the open project (status bar; File > Annotator name… changes)."""
        name = self.project.annotator if self.project is not None else ""
        self.annotator_label.setText(f"  Annotator: {name or '(not set)'}  ")
        self.annotator_label.setVisible(self.project is not None)

    # ----------------------------------------------------------------- implemented by the window
    def open_project(self, path: str | Path) -> bool:
        raise NotImplementedError

    def set_project(self, project: Project) -> None:
        raise NotImplementedError

    def close_project(self) -> None:
        raise NotImplementedError

    def open_document(self, pk: int | None) -> None:
        raise NotImplementedError

    def step_document(self, delta: int) -> None:
        raise NotImplementedError

    def set_status(self, status: str) -> None:
        raise NotImplementedError

    def select_span(self, pk: int | None) -> None:
        raise NotImplementedError

    def refresh_spans(self) -> None:
        raise NotImplementedError

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        raise NotImplementedError

    def _tagset_changed(self) -> None:
        raise NotImplementedError

    def import_paths(self, paths: Sequence[str | Path]) -> Job | None:
        raise NotImplementedError

    def export_to(self, choice: dialogs.ExportChoice) -> Job | None:
        raise NotImplementedError

    def run_job(self, fn: JobFn, title: str, done: Callable[[Any], object]
                ) -> Job | None:
        raise NotImplementedError
