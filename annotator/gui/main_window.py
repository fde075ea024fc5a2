"""The workspace window: wiring of the document list, text view, panels, menus and jobs.

The window owns one :class:`ProjectSession` at a time. It holds no data of its own: after every
edit it re-reads the current document's spans and relations from the project and hands them to
the views. Long work (import, export) runs as a :class:`Job` while editing is switched off.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.project import Project
from annotator.core.undo import DeleteRelation, Edit, SetStatus, UpdateSpan
from annotator.gui import ops, settings
from annotator.gui.actions import build_actions, build_menus
from annotator.gui.models.document_model import PK_ROLE, DocumentFilter, DocumentModel
from annotator.gui.models.span_model import SpanFilter, SpanModel
from annotator.gui.session import ProjectSession, span_delta
from annotator.gui.suggestions import Suggestions
from annotator.gui.tagging import Tagger, warm_up_tokenizer
from annotator.gui.theme import apply_theme
from annotator.gui.views import dialogs
from annotator.gui.views.attribute_editor import AttributeEditor
from annotator.gui.views.find_bar import FindBar, highlight_matches
from annotator.gui.views.label_palette import LabelPalette
from annotator.gui.views.relation_panel import RelationPanel
from annotator.gui.views.text_view import SpanTextView
from annotator.gui.worker import Job


def _span_order(span: Span) -> tuple[int, int, str, str, int]:
    return (span.start, span.end, span.layer, span.label, span.pk)


class MainWindow(QMainWindow):
    """The workspace; :attr:`jobDone` ("finished", "failed" or "cancelled") follows each job."""

    jobDone = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.session: ProjectSession | None = None
        self.document: int | None = None
        self.text = ""
        self.spans: list[Span] = []
        self.hidden_layers: set[str] = set()
        self.job: Job | None = None
        self._find_dialog: dialogs.ProjectFindDialog | None = None
        self.review_windows: list[QWidget] = []  # kept alive while open
        self.setWindowTitle("Annotator")
        self.setAcceptDrops(True)
        self._build_central()
        self._build_docks()
        self.suggestions = Suggestions(self)  # its dock, hidden until asked for
        build_actions(self)
        build_menus(self)
        self._build_status_bar()
        self._restore_settings()
        self._set_editable()

    # ================================================================= building
    def _build_central(self) -> None:
        self.view = SpanTextView()
        self.tagger = Tagger(self.view, self)
        self.tagger.message.connect(self.say)
        self.tagger.spanSelected.connect(self._span_selected)
        self.view.spanHovered.connect(self._span_hovered)
        self.view.selectedSpanChanged.connect(
            lambda _pk: self._span_selected(self.view.selected_span()))
        self.palette_bar = LabelPalette()
        self.palette_bar.labelChosen.connect(self._palette_chosen)
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.find_bar.matchSelected.connect(self._show_match)
        self.find_bar.matchesChanged.connect(
            lambda matches: highlight_matches(self.view, self.text, matches))
        self.find_bar.closed.connect(self.view.setFocus)
        self.placeholder = QLabel(
            "<h2>No document open</h2><p>Import articles with <b>File ▸ Import…</b> "
            "(Ctrl+I),<br>or drop files and folders onto this window.</p>")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(mid);")
        self.view.document().setDocumentMargin(14)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.palette_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
              ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        # documents
        self.doc_model = DocumentModel(self)
        self.doc_filter = DocumentFilter(self)
        self.doc_filter.setSourceModel(self.doc_model)
        self.doc_table = QTableView()
        self.doc_table.setModel(self.doc_filter)
        self._table_defaults(self.doc_table)
        self.doc_table.setSortingEnabled(False)
        header = self.doc_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.doc_table.selectionModel().currentRowChanged.connect(self._doc_row_changed)
        self.doc_search = QLineEdit()
        self.doc_search.setPlaceholderText("Search titles")
        self.doc_search.setClearButtonEnabled(True)
        self.doc_search.textChanged.connect(self.doc_filter.set_search)
        self.doc_status = QComboBox()
        for text, value in (("All", ""), ("New", "new"), ("In progress", "in_progress"),
                            ("Done", "done")):
            self.doc_status.addItem(text, value)
        self.doc_status.setToolTip("Show documents of one status")
        self.doc_status.currentIndexChanged.connect(
            lambda _i: self.doc_filter.set_status(self.doc_status.currentData()))
        docs = QWidget()
        row = QHBoxLayout()
        row.addWidget(self.doc_search, 1)
        row.addWidget(self.doc_status)
        lay = QVBoxLayout(docs)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row)
        lay.addWidget(self.doc_table)
        self.doc_dock = self._dock("Documents", "documents", docs,
                                   Qt.DockWidgetArea.LeftDockWidgetArea)
        # selected span
        self.editor = AttributeEditor()
        self.editor.labelChanged.connect(
            lambda layer, label: self._update_selected(layer=layer, label=label))
        self.editor.attributesChanged.connect(
            lambda attrs: self._update_selected(attributes=attrs))
        self.editor.noteChanged.connect(lambda note: self._update_selected(note=note))
        self.editor.deleteRequested.connect(self.tagger.delete_selected)
        self.editor_dock = self._dock("Span", "span", self.editor,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        # spans
        self.span_model = SpanModel(self)
        self.span_filter = SpanFilter(self)
        self.span_filter.setSourceModel(self.span_model)
        self.span_table = QTableView()
        self.span_table.setModel(self.span_filter)
        self._table_defaults(self.span_table)
        self.span_table.setSortingEnabled(True)
        self.span_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.span_table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((140, 76, 96, 170)):
            header.resizeSection(col, width)
        self.span_table.clicked.connect(self._span_row_clicked)
        self.span_table.activated.connect(self._span_row_clicked)
        self.span_layer = QComboBox()
        self.span_layer.setToolTip("Show the spans of one layer")
        self.span_layer.currentIndexChanged.connect(
            lambda _i: self.span_filter.set_layer(self.span_layer.currentData() or ""))
        spans = QWidget()
        lay = QVBoxLayout(spans)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.span_layer)
        lay.addWidget(self.span_table)
        self.spans_dock = self._dock("Spans", "spans", spans,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        # relations
        self.relations = RelationPanel()
        self.relations.navigate.connect(self.select_span)
        self.relations.deleteRequested.connect(self._delete_relation)
        self.relations.linkRequested.connect(self.tagger.start_link)
        self.relations_dock = self._dock("Relations", "relations", self.relations,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.spans_dock, self.relations_dock)
        self.spans_dock.raise_()

    def default_layout(self) -> None:
        """Dock sizes for a first start (no saved window state)."""
        self.resizeDocks([self.doc_dock, self.editor_dock], [270, 360],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.editor_dock, self.spans_dock], [250, 520],
                         Qt.Orientation.Vertical)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._needs_layout:
            self._needs_layout = False
            QTimer.singleShot(0, self.default_layout)

    @staticmethod
    def _table_defaults(table: QTableView) -> None:
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.setShowGrid(False)
        table.setWordWrap(False)

    def _build_status_bar(self) -> None:
        self.doc_counts = QLabel()
        self.project_counts = QLabel()
        self.readonly_badge = QLabel("READ-ONLY")
        self.readonly_badge.setStyleSheet("color: white; background: #c0392b; padding: 1px 6px;"
                                          "border-radius: 3px; font-weight: 600;")
        self.readonly_badge.hide()
        bar = self.statusBar()
        bar.addPermanentWidget(self.readonly_badge)
        bar.addPermanentWidget(self.doc_counts)
        bar.addPermanentWidget(self.project_counts)

    # ================================================================= settings
    def _restore_settings(self) -> None:
        s = settings.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = s.value("window/state")
        self._needs_layout = not (isinstance(state, QByteArray) and not state.isEmpty()
                                  and self.restoreState(state))
        try:
            zoom = float(s.value("view/zoom", 12.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            zoom = 12.0
        self.view.set_zoom(zoom)
        dark = str(s.value("view/dark", "false")).lower() == "true"
        self.act_dark.setChecked(dark)
        hidden = s.value("view/hidden_layers", [])
        self.hidden_layers = set([hidden] if isinstance(hidden, str) else hidden or [])
        self.hidden_layers.discard("")

    def save_settings(self) -> None:
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/dark", self.act_dark.isChecked())
        s.setValue("view/zoom", self.view.zoom())
        s.setValue("view/hidden_layers", sorted(self.hidden_layers))
        s.sync()

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
        try:
            project = Project.open(path, fallback_readonly=True)
        except AnnotatorError as exc:
            dialogs.show_error(self, "Cannot open project", str(exc))
            return False
        except OSError as exc:
            dialogs.show_error(self, "Cannot open project", f"{path}: {exc.strerror or exc}")
            return False
        self.set_project(project)
        if project.readonly:
            dialogs.show_warning(self, "Opened read-only",
                                 f"{project.path} is open read-only"
                                 + (f" because {project.readonly_reason}"
                                    if project.readonly_reason else "")
                                 + ".\nYou can read and export it, but not edit it.")
        elif project.upgraded_from is not None:
            self.say(f"Project upgraded from schema {project.upgraded_from}; backup at "
                     f"{project.upgrade_backup}")
        return True

    def set_project(self, project: Project) -> None:
        self.close_project()
        self.session = ProjectSession(project, self)
        self.session.changed.connect(self._edited)
        self.session.failed.connect(lambda msg: dialogs.show_error(self, "Edit failed", msg))
        self.session.undo_stack.canUndoChanged.connect(self._set_editable)
        self.session.undo_stack.canRedoChanged.connect(self._set_editable)
        self.tagger.session = self.session
        if not project.readonly:
            QTimer.singleShot(1500, warm_up_tokenizer)  # after the first paint, not during it
        settings.remember_project(project.path)
        self.setWindowTitle(f"{project.path.name} — Annotator"
                            + (" [read-only]" if project.readonly else ""))
        self.readonly_badge.setVisible(project.readonly)
        if project.readonly:
            self.readonly_badge.setToolTip(project.readonly_reason)
        self._tagset_changed()
        self.reload_documents()
        docs = self.doc_model.documents()
        first = next((d for d in docs if d.status != "done"), docs[0] if docs else None)
        self.open_document(first.pk if first else None)
        self._set_editable()

    def close_project(self) -> None:
        if self.session is None:
            return
        self.session.close()
        self.session.deleteLater()
        self.session = None
        self.tagger.session = None
        self.document = None

    @property
    def project(self) -> Project | None:
        return self.session.project if self.session else None

    def _colors(self) -> dict[tuple[str, str], str]:
        if self.project is None:
            return {}
        return {(layer.name, lab.name): lab.color for layer in self.project.tagset.layers
                for lab in layer.labels}

    def _tagset_changed(self) -> None:
        if self.project is None:
            return
        tagset = self.project.tagset
        visible = {lay.name for lay in tagset.layers if lay.name not in self.hidden_layers}
        self.palette_bar.set_tagset(tagset, self.hidden_layers)
        self.editor.set_tagset(tagset)
        self.layers_menu.clear()
        self.span_layer.blockSignals(True)
        current = self.span_layer.currentData()
        self.span_layer.clear()
        self.span_layer.addItem("All layers", "")
        for layer in tagset.layers:
            a = self.layers_menu.addAction(layer.name)
            a.setCheckable(True)
            a.setChecked(layer.name in visible)
            a.toggled.connect(lambda on, name=layer.name: self.set_layer_visible(name, on))
            self.span_layer.addItem(layer.name, layer.name)
        self.span_layer.setCurrentIndex(max(0, self.span_layer.findData(current)))
        self.span_layer.blockSignals(False)
        self.view.set_colors(self._colors())
        self.view.set_hidden_layers(set(self.hidden_layers))

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        if visible:
            self.hidden_layers.discard(layer)
        else:
            self.hidden_layers.add(layer)
        self.view.set_hidden_layers(set(self.hidden_layers))
        if self.project is not None:
            self.palette_bar.set_tagset(self.project.tagset, self.hidden_layers)

    # ================================================================= documents
    def reload_documents(self) -> None:
        if self.project is None:
            self.doc_model.reset([])
        else:
            self.doc_model.reset(self.project.documents())
        self._select_doc_row()
        self._update_counts()

    def _select_doc_row(self) -> None:
        row = self.doc_model.row_of(self.document) if self.document is not None else -1
        sm = self.doc_table.selectionModel()
        if row < 0:
            sm.clearSelection()
            return
        index = self.doc_filter.mapFromSource(self.doc_model.index(row, 0))
        if index.isValid():
            sm.blockSignals(True)
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
            sm.blockSignals(False)
            self.doc_table.viewport().update()
            self.doc_table.scrollTo(index)

    def _doc_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            pk = current.data(PK_ROLE)
            if pk != self.document:
                self.open_document(int(pk))

    def open_document(self, pk: int | None) -> None:
        """Show document ``pk`` (None: the placeholder)."""
        if self.project is None or pk is None:
            self.document, self.text, self.spans = None, "", []
            self.tagger.set_document(None, "", [])
            self.stack.setCurrentWidget(self.placeholder)
            self.span_model.reset("", [], {})
            self.relations.set_data("", [], [])
            self.editor.set_span(None, "")
            self.suggestions.document_changed()
            self._update_counts()
            return
        try:
            text = self.project.text(pk)
            spans = self.project.spans(pk)
            relations = self.project.relations(pk)
        except AnnotatorError as exc:
            dialogs.show_error(self, "Cannot open document", str(exc))
            return
        self.document, self.text, self.spans = pk, text, spans
        self.stack.setCurrentWidget(self.view)
        self.view.set_document(text, spans, self._colors())
        self.view.set_hidden_layers(set(self.hidden_layers))
        self.view.set_relations(relations)
        self.tagger.set_document(pk, text, spans)
        self.find_bar.set_text(text)
        self._show_spans(spans, relations)
        self.editor.set_span(None, text)
        self.suggestions.document_changed()
        self._select_doc_row()
        self._update_counts()
        self._set_editable()

    def _show_spans(self, spans: list[Span], relations: list) -> None:  # type: ignore[type-arg]
        assert self.session is not None
        for s in spans:
            self.session.remember_values(s.attributes)
        self.editor.values = self.session.attribute_values
        self.span_model.reset(self.text, spans, self._colors())
        self.relations.set_data(self.text, spans, relations)

    def step_document(self, delta: int) -> None:
        rows = self.doc_filter.rowCount()
        if not rows:
            return
        current = -1
        if self.document is not None:
            src = self.doc_model.index(self.doc_model.row_of(self.document), 0)
            current = self.doc_filter.mapFromSource(src).row()
        row = min(max(current + delta, 0), rows - 1)
        self.open_document(int(self.doc_filter.index(row, 0).data(PK_ROLE)))

    def set_status(self, status: str) -> None:
        if self.session is not None and self.document is not None:
            self.session.do(SetStatus(self.document, status))

    # ================================================================= edits
    def _edited(self, edit: Edit, reverted: bool = False) -> None:
        """Redraw after an edit was applied or reverted (by undo/redo too)."""
        if self.project is None:
            return
        if edit.document and edit.document != self.document:
            self.open_document(edit.document)
        else:
            self.refresh_spans(span_delta(self.project, edit, reverted))
        try:
            self.doc_model.update(self.project.document(edit.document or self.document or 0))
        except AnnotatorError:
            self.reload_documents()
        if self.editor.label_combo.count() != sum(len(x.labels)
                                                  for x in self.project.tagset.layers):
            self._tagset_changed()
        self.suggestions.spans_changed()
        self._update_counts()

    def refresh_spans(self, delta: tuple[list[Span], list[int]] | None = None) -> None:
        """Show the current document's spans again: only ``delta`` (changed spans, removed
        keys) when given, else everything re-read from the project."""
        if self.project is None or self.document is None:
            return
        selected = self.view.selected_span()
        if delta is None:
            spans = self.project.spans(self.document)
            self.view.set_spans(spans)
        else:
            changed, removed = delta
            gone = set(removed) | {s.pk for s in changed}
            known = {s.pk for s in self.spans}
            spans = [s for s in self.spans if s.pk not in gone]
            for span in changed:  # the list stays in (start, end, layer, label, pk) order
                bisect.insort(spans, span, key=_span_order)
            for pk in removed:
                self.view.remove_span(pk)
            for span in changed:
                if span.pk in known:
                    self.view.update_span(span)
                else:
                    self.view.add_span(span)
        relations = self.project.relations(self.document)
        self.spans = spans
        self.view.set_relations(relations)
        self.tagger.set_spans(spans)
        if delta is None:
            self._show_spans(spans, relations)
        else:  # one edit: update the span table's rows instead of resetting 20,000 of them
            assert self.session is not None
            for s in delta[0]:
                self.session.remember_values(s.attributes)
            self.span_model.apply_delta(*delta)
            self.relations.set_data(self.text, spans, relations)
        keep = selected if any(s.pk == selected for s in spans) else None
        self.view.select_span(keep)
        self._span_selected(keep)

    def _update_selected(self, **changes: object) -> None:
        pk = self.tagger.selected()
        if self.session is None or pk is None:
            return
        if "attributes" in changes:
            self.session.remember_values(changes["attributes"])  # type: ignore[arg-type]
        self.session.do(UpdateSpan(pk, **changes))  # type: ignore[arg-type]

    def _delete_relation(self, pk: int) -> None:
        if self.session is not None:
            self.session.do(DeleteRelation(pk))

    def _undo(self) -> None:
        if self.session is not None and self.session.editable:
            self.session.undo_stack.undo()

    def _redo(self) -> None:
        if self.session is not None and self.session.editable:
            self.session.undo_stack.redo()

    def _palette_chosen(self, layer: str, label: str) -> None:
        mods = QApplication.keyboardModifiers()
        exact = bool(mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier))
        self.tagger.tag(layer, label, exact=exact)
        self.view.setFocus()

    # ================================================================= selection
    def select_span(self, pk: int | None) -> None:
        """Select span ``pk`` in the text (scrolling to it) and show it in the panels."""
        self.view.select_span(pk)
        span = next((s for s in self.spans if s.pk == pk), None)
        if span is not None:
            self.view.scroll_to_cp(span.start)
        self._span_selected(pk)

    def _span_selected(self, pk: int | None) -> None:
        span = next((s for s in self.spans if s.pk == pk), None)
        self.editor.set_span(span, self.text)
        self.relations.set_selected_span(span.pk if span else None)
        row = self.span_model.row_of(pk) if pk is not None else -1
        if row >= 0:
            index = self.span_filter.mapFromSource(self.span_model.index(row, 0))
            if index.isValid():
                self.span_table.selectRow(index.row())
                self.span_table.scrollTo(index)
        else:
            self.span_table.clearSelection()

    def _span_row_clicked(self, index: QModelIndex) -> None:
        pk = index.data(PK_ROLE)
        if pk is not None:
            self.select_span(int(pk))

    def _span_hovered(self, pk: int) -> None:
        span = next((s for s in self.spans if s.pk == pk), None)
        if span is not None:
            from annotator.core.model import span_text
            from annotator.gui.models.span_model import format_attributes, short

            attrs = format_attributes(span.attributes)
            self.say(f"{span.layer}:{span.label} — “{short(span_text(self.text, span.fragments), 60)}”"
                     + (f" — {attrs}" if attrs else ""), 4000)

    # ================================================================= find
    def open_find(self) -> None:
        if self.document is None:
            return
        sel = self.view.selection_cp()
        initial = self.text[sel[0]:sel[1]] if sel and 0 < sel[1] - sel[0] < 80 else ""
        self.find_bar.set_text(self.text)
        self.find_bar.open_bar(initial)

    def _show_match(self, start: int, end: int) -> None:
        self.view.set_selection_cp(start, end)
        self.view.scroll_to_cp(start)

    def open_project_find(self) -> None:
        if self.project is None:
            return
        if self._find_dialog is None:
            self._find_dialog = dialogs.ProjectFindDialog(
                lambda q: ops.search_project(self.project, q) if self.project else [], self)
            self._find_dialog.openHit.connect(self._open_hit)
        self._find_dialog.show()
        self._find_dialog.raise_()
        self._find_dialog.query.setFocus()

    def _open_hit(self, document: int, start: int, end: int) -> None:
        if document != self.document:
            self.open_document(document)
        self._show_match(start, end)

    # ================================================================= file menu
    def import_paths(self, paths: list[str | Path]) -> Job | None:
        """Import files/folders on a worker thread; returns the started job."""
        if self.project is None or self.session is None:
            return None
        if self.project.readonly:
            dialogs.show_warning(self, "Read-only", "This project is open read-only; "
                                 "nothing can be imported into it.")
            return None
        return self.run_job(ops.import_job(self.project, paths), "Importing…",
                            self._import_done)

    def _import_done(self, outcome: ops.ImportOutcome) -> None:
        r = outcome.result
        self.reload_documents()
        if self.document is None and r.added:
            added = self.project.document_by_name(r.added[0]) if self.project else None
            self.open_document(added.pk if added else None)
        if r.labels_added:
            self._tagset_changed()
        self.say(f"Imported {len(r.added)} document(s), {r.spans} span(s), {r.relations} "
                 f"relation(s); {len(r.skipped)} skipped.", 10000)
        notes = outcome.warnings + r.skipped
        if notes:
            QMessageBox.information(self, "Import", "\n".join(notes[:20])
                                    + (f"\n… and {len(notes) - 20} more" if len(notes) > 20
                                       else ""))

    def export_to(self, choice: dialogs.ExportChoice) -> Job | None:
        if self.project is None:
            return None
        return self.run_job(ops.export_job(self.project, choice), "Exporting…",
                            lambda summary: self.say(
                                f"Exported {summary.documents} document(s), {summary.spans} "
                                f"span(s) to {choice.output}", 10000))

    # ================================================================= jobs
    def run_job(self, fn: ops.JobFn, title: str, done) -> Job | None:  # type: ignore[no-untyped-def]
        if self.job is not None:
            self.say("Another import or export is still running.")
            return None
        assert self.session is not None
        job = Job(fn, self)
        dialog = QProgressDialog(title, "Cancel", 0, 0, self)
        dialog.setWindowTitle("Annotator")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)

        def progress(n: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(n, total) if total else 0)

        def finish() -> None:
            dialog.canceled.disconnect(job.cancel)
            dialog.close()
            dialog.deleteLater()
            self.job = None
            if self.session is not None:
                self.session.busy = False
            self._set_editable()

        def ok(result: object) -> None:
            finish()
            done(result)
            self.jobDone.emit("finished")

        def failed(message: str) -> None:
            finish()
            dialogs.show_error(self, "Annotator", message)
            self.jobDone.emit("failed")

        def cancelled() -> None:
            finish()
            self.say("Cancelled; nothing was written.", 8000)
            self.jobDone.emit("cancelled")

        queued = Qt.ConnectionType.QueuedConnection  # handlers run on the GUI thread
        job.progress.connect(progress, queued)
        job.finished.connect(ok, queued)
        job.failed.connect(failed, queued)
        job.cancelled.connect(cancelled, queued)
        self.job = job
        self.session.busy = True
        self._set_editable()
        job.start()
        return job

    # ================================================================= state
    def _set_editable(self, *_: object) -> None:
        has_project = self.session is not None
        editable = bool(self.session and self.session.editable)
        has_doc = self.document is not None
        for a in (self.act_delete, self.act_fragment, self.act_link, *self.act_status.values()):
            a.setEnabled(editable and has_doc)
        for a in (self.act_import, self.act_import_folder):
            a.setEnabled(editable)
        idle = self.job is None
        for a in (self.act_export, self.act_backup, self.act_find_project):
            a.setEnabled(has_project and idle)
        for a in (self.act_new, self.act_open):
            a.setEnabled(idle)
        stack = self.session.undo_stack if self.session else None
        self.act_undo.setEnabled(bool(editable and stack and stack.canUndo()))
        self.act_redo.setEnabled(bool(editable and stack and stack.canRedo()))
        if stack is not None:
            self.act_undo.setText(f"&Undo {stack.undoText()}".strip())
            self.act_redo.setText(f"&Redo {stack.redoText()}".strip())
        self.palette_bar.setEnabled(editable and has_doc)
        self.editor.set_editable(editable)
        self.relations.set_editable(editable)
        self.doc_dock.setEnabled(idle)
        if self.project is not None and self.document is not None:
            status = next((d.status for d in self.doc_model.documents()
                           if d.pk == self.document), "")
            if status in self.act_status:
                self.act_status[status].setChecked(True)

    def _update_counts(self) -> None:
        docs = self.doc_model.documents()
        done = sum(1 for d in docs if d.status == "done")
        self.project_counts.setText(f"  {done} / {len(docs)} documents done  ")
        if self.document is None:
            self.doc_counts.setText("")
        else:
            rels = len(self.relations.relation_pks())
            self.doc_counts.setText(f"  {len(self.spans)} spans · {rels} relations  ")
        self._set_editable()

    def say(self, message: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(message, ms)

    def _toggle_dark(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, on)
        self.view.set_colors(self._colors())  # tints are mixed with the new background

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
