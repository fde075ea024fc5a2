"""Building the workspace's widgets: the central text area, the docks and the status bar.

Each function takes the :class:`~annotator.gui.main_window.Shell` and sets the widgets it
builds as attributes of it (``w.view``, ``w.doc_table``, ``w.span_model``, ``w.relations`` …),
which is what the rest of the GUI and the tests use. Signals are connected to the modules that
handle them (:mod:`documents`, :mod:`span_display`, :mod:`editing`, :mod:`find`); nothing here
reads the project. Run once, on the GUI thread, while the window is being constructed, in the
order :func:`build_central`, :func:`build_docks`, (actions, menus), :func:`build_status_bar`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui import documents, editing, find, span_display, status
from annotator.gui.documents_panel import DocumentsPanel
from annotator.gui.spans_panel import SpansPanel
from annotator.gui.tagging import Tagger
from annotator.gui.views.attribute_editor import AttributeEditor
from annotator.gui.views.find_bar import FindBar, highlight_matches
from annotator.gui.views.label_palette import LabelPalette
from annotator.gui.views.relation_panel import RelationPanel
from annotator.gui.views.text_view import SpanTextView

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def build_central(w: Shell) -> None:
    """The text view (``w.view``) with its ``w.tagger``, the label palette above it, the find
    bar below it, and the "No document open" ``w.placeholder`` in a ``w.stack``."""
    w.view = SpanTextView()
    w.tagger = Tagger(w.view, w)
    w.tagger.message.connect(w.say)
    w.tagger.spanSelected.connect(lambda pk: span_display.span_selected(w, pk))
    w.view.spanHovered.connect(lambda pk: span_display.span_hovered(w, pk))
    w.view.selectedSpanChanged.connect(
        lambda _pk: span_display.span_selected(w, w.view.selected_span()))
    w.palette_bar = LabelPalette()
    w.palette_bar.labelChosen.connect(
        lambda layer, label: editing.palette_chosen(w, layer, label))
    w.find_bar = FindBar()
    w.find_bar.hide()
    w.find_bar.matchSelected.connect(lambda start, end: find.show_match(w, start, end))
    w.find_bar.matchesChanged.connect(
        lambda matches: highlight_matches(w.view, w.text, matches))
    w.find_bar.closed.connect(w.view.setFocus)
    w.placeholder = QLabel(
        "<h2>No document open</h2><p>Import articles with <b>File ▸ Import…</b> "
        "(Ctrl+I),<br>or drop files and folders onto this window.</p>")
    w.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.placeholder.setStyleSheet("color: palette(mid);")
    w.view.document().setDocumentMargin(14)
    w.view.setFrameShape(QFrame.Shape.NoFrame)
    w.stack = QStackedWidget()
    w.stack.addWidget(w.placeholder)
    w.stack.addWidget(w.view)
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(w.palette_bar)
    layout.addWidget(w.stack, 1)
    layout.addWidget(w.find_bar)
    w.setCentralWidget(central)


def dock(w: Shell, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
         ) -> QDockWidget:
    """Add ``widget`` to ``w`` as a dock (see :meth:`Shell._dock`)."""
    return w._dock(title, name, widget, area)


def build_docks(w: Shell) -> None:
    """The Documents dock (left), and the Span, Spans and Relations docks (right; Spans and
    Relations share a place as tabs). Needs :func:`build_central` first (``w.tagger``)."""
    _documents_dock(w)
    _span_dock(w)
    _spans_dock(w)
    _relations_dock(w)
    w.tabifyDockWidget(w.spans_dock, w.relations_dock)
    w.spans_dock.raise_()


def _documents_dock(w: Shell) -> None:
    """The document list (``w.documents_panel``; its parts also as ``w.doc_model``,
    ``w.doc_filter``, ``w.doc_table``, ``w.doc_search``, ``w.doc_status``)."""
    w.documents_panel = DocumentsPanel()
    w.documents_panel.documentChosen.connect(lambda pk: documents.open_document(w, pk))
    w.documents_panel.listChanged.connect(lambda: status.update_counts(w))
    p = w.documents_panel
    w.doc_model, w.doc_filter, w.doc_table = p.model, p.filter, p.table
    w.doc_search, w.doc_status = p.search, p.status
    w.doc_dock = dock(w, "Documents", "documents", p, Qt.DockWidgetArea.LeftDockWidgetArea)


def _span_dock(w: Shell) -> None:
    """The selected span's label, attributes and note (``w.editor``)."""
    w.editor = AttributeEditor()
    w.editor.labelChanged.connect(
        lambda layer, label: editing.update_selected(w, layer=layer, label=label))
    w.editor.attributesChanged.connect(
        lambda attrs: editing.update_selected(w, attributes=attrs))
    w.editor.noteChanged.connect(lambda note: editing.update_selected(w, note=note))
    w.editor.deleteRequested.connect(w.tagger.delete_selected)
    w.editor_dock = dock(w, "Span", "span", w.editor, Qt.DockWidgetArea.RightDockWidgetArea)


def _spans_dock(w: Shell) -> None:
    """The table of the document's spans, filtered by layer (``w.spans_panel``; its parts
    also as ``w.span_model``, ``w.span_filter``, ``w.span_table``, ``w.span_layer``)."""
    w.spans_panel = SpansPanel()
    w.spans_panel.spanChosen.connect(lambda pk: span_display.select_span(w, pk))
    w.span_model, w.span_filter = w.spans_panel.model, w.spans_panel.filter
    w.span_table, w.span_layer = w.spans_panel.table, w.spans_panel.layer
    w.spans_dock = dock(w, "Spans", "spans", w.spans_panel,
                        Qt.DockWidgetArea.RightDockWidgetArea)


def _relations_dock(w: Shell) -> None:
    w.relations = RelationPanel()
    w.relations.navigate.connect(w.select_span)
    w.relations.deleteRequested.connect(lambda pk: editing.delete_relation(w, pk))
    w.relations.linkRequested.connect(w.tagger.start_link)
    w.relations_dock = dock(w, "Relations", "relations", w.relations,
                            Qt.DockWidgetArea.RightDockWidgetArea)


def build_status_bar(w: Shell) -> None:
    """Permanent status-bar widgets: the READ-ONLY badge and the document/project counts."""
    w.doc_counts = QLabel()
    w.project_counts = QLabel()
    w.readonly_badge = QLabel("READ-ONLY")
    w.readonly_badge.setStyleSheet("color: white; background: #c0392b; padding: 1px 6px;"
                                   "border-radius: 3px; font-weight: 600;")
    w.readonly_badge.hide()
    w.annotator_label = QLabel()
    w.annotator_label.setToolTip("Your spans are saved under this name (File ▸ Annotator name…)")
    w.annotator_label.hide()
    bar = w.statusBar()
    bar.addPermanentWidget(w.readonly_badge)
    bar.addPermanentWidget(w.annotator_label)
    bar.addPermanentWidget(w.doc_counts)
    bar.addPermanentWidget(w.project_counts)


def default_layout(w: Shell) -> None:
    """Dock sizes for a first start (no saved window state)."""
    w.resizeDocks([w.doc_dock, w.editor_dock], [270, 360], Qt.Orientation.Horizontal)
    w.resizeDocks([w.editor_dock, w.spans_dock], [250, 520], Qt.Orientation.Vertical)
    w.resizeDocks([w.doc_dock, w.doc_labels_dock], [480, 320], Qt.Orientation.Vertical)
