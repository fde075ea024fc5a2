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
    QComboBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui import documents, editing, find, span_display
from annotator.gui.models.document_model import DocumentFilter, DocumentModel
from annotator.gui.models.span_model import SpanFilter, SpanModel
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


def table_defaults(table: QTableView) -> None:
    """Whole-row single selection, read-only, compact rows without grid."""
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setShowGrid(False)
    table.setWordWrap(False)


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
    w.doc_model = DocumentModel(w)
    w.doc_filter = DocumentFilter(w)
    w.doc_filter.setSourceModel(w.doc_model)
    w.doc_table = QTableView()
    w.doc_table.setModel(w.doc_filter)
    table_defaults(w.doc_table)
    w.doc_table.setSortingEnabled(False)
    header = w.doc_table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    w.doc_table.selectionModel().currentRowChanged.connect(
        lambda current, _previous: documents.row_changed(w, current))
    w.doc_search = QLineEdit()
    w.doc_search.setPlaceholderText("Search titles")
    w.doc_search.setClearButtonEnabled(True)
    w.doc_search.textChanged.connect(w.doc_filter.set_search)
    w.doc_status = QComboBox()
    for text, value in (("All", ""), ("New", "new"), ("In progress", "in_progress"),
                        ("Done", "done")):
        w.doc_status.addItem(text, value)
    w.doc_status.setToolTip("Show documents of one status")
    w.doc_status.currentIndexChanged.connect(
        lambda _i: w.doc_filter.set_status(w.doc_status.currentData()))
    docs = QWidget()
    row = QHBoxLayout()
    row.addWidget(w.doc_search, 1)
    row.addWidget(w.doc_status)
    lay = QVBoxLayout(docs)
    lay.setContentsMargins(4, 4, 4, 4)
    lay.addLayout(row)
    lay.addWidget(w.doc_table)
    w.doc_dock = dock(w, "Documents", "documents", docs, Qt.DockWidgetArea.LeftDockWidgetArea)


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
    """The table of the document's spans, filtered by layer (``w.span_layer``)."""
    w.span_model = SpanModel(w)
    w.span_filter = SpanFilter(w)
    w.span_filter.setSourceModel(w.span_model)
    w.span_table = QTableView()
    w.span_table.setModel(w.span_filter)
    table_defaults(w.span_table)
    w.span_table.setSortingEnabled(True)
    w.span_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    header = w.span_table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col, width in enumerate((140, 76, 96, 170)):
        header.resizeSection(col, width)
    w.span_table.clicked.connect(lambda index: span_display.span_row_clicked(w, index))
    w.span_table.activated.connect(lambda index: span_display.span_row_clicked(w, index))
    w.span_layer = QComboBox()
    w.span_layer.setToolTip("Show the spans of one layer")
    w.span_layer.currentIndexChanged.connect(
        lambda _i: w.span_filter.set_layer(w.span_layer.currentData() or ""))
    spans = QWidget()
    lay = QVBoxLayout(spans)
    lay.setContentsMargins(4, 4, 4, 4)
    lay.addWidget(w.span_layer)
    lay.addWidget(w.span_table)
    w.spans_dock = dock(w, "Spans", "spans", spans, Qt.DockWidgetArea.RightDockWidgetArea)


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
