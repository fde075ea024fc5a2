"""The Documents dock: the project's documents, searchable by title and filtered by status.

:class:`DocumentsPanel` owns its table, model, search field and status filter, and follows the
session (:meth:`attach`): the list is read again when documents were added, removed or renamed
(``documentsChanged``), only the rows whose status or counts changed otherwise
(``headersChanged``), and its current row follows the shown document (:meth:`mark_current`)
without re-opening it. A row the user moves to is announced as :attr:`documentChosen`.
A document that can no longer be read one by one makes the whole list be read again.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.models.document_model import PK_ROLE, DocumentFilter, DocumentModel
from annotator.gui.session import ProjectSession
from annotator.gui.spans_panel import table_defaults

STATUS_CHOICES = (("All", ""), ("New", "new"), ("In progress", "in_progress"), ("Done", "done"))


class DocumentsPanel(QWidget):
    """The document list of the attached session's project."""

    documentChosen = Signal(int)  # the user moved to another row: its document's key
    listChanged = Signal()  # rows were read again (for the counts in the status bar)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: ProjectSession | None = None
        self.model = DocumentModel(self)
        self.filter = DocumentFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.filter)
        table_defaults(self.table)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # sized to the rows in view: Qt's default measures a thousand rows again after every
        # edit's row update (80 ms of a tag in a 20,000-document project)
        header.setResizeContentsPrecision(0)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_changed(current))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter.set_search)
        self.status = QComboBox()
        for text, value in STATUS_CHOICES:
            self.status.addItem(text, value)
        self.status.setToolTip("Show documents of one status")
        self.status.currentIndexChanged.connect(
            lambda _i: self.filter.set_status(self.status.currentData()))
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.table)

    # ----------------------------------------------------------------- following a session
    def attach(self, session: ProjectSession | None) -> None:
        """Follow ``session`` (None: an empty list) and read its documents."""
        if self._session is not None:
            self._session.documentsChanged.disconnect(self.reload)
            self._session.headersChanged.disconnect(self.update_headers)
            self._session.currentChanged.disconnect(self.mark_current)
        self._session = session
        if session is not None:
            session.documentsChanged.connect(self.reload)
            session.headersChanged.connect(self.update_headers)
            session.currentChanged.connect(self.mark_current)
        self.reload()

    def _current(self) -> int | None:
        return self._session.workspace.document if self._session is not None else None

    def reload(self) -> None:
        """Read the document list again."""
        if self._session is None:
            self.model.reset([])
        else:
            self.model.reset(self._session.project.documents())
        self.mark_current()
        self.listChanged.emit()

    def update_headers(self, documents: frozenset[int]) -> None:
        """Read again the rows of ``documents`` (their status or counts changed)."""
        if self._session is None:
            return
        try:
            for pk in documents:
                self.model.update(self._session.project.document(pk))
        except AnnotatorError:  # gone, or not readable alone any more: read them all
            self.reload()
            return
        self.listChanged.emit()

    def mark_current(self) -> None:
        """Make the shown document the current row (signals blocked: nothing re-opens)."""
        current = self._current()
        row = self.model.row_of(current) if current is not None else -1
        sm = self.table.selectionModel()
        if row < 0:
            sm.clearSelection()
            return
        index = self.filter.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            sm.blockSignals(True)
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
            sm.blockSignals(False)
            self.table.viewport().update()
            self.table.scrollTo(index)

    def step(self, delta: int) -> int | None:
        """The document ``delta`` rows below (above if negative) the shown one in the filtered
        list, stopping at its ends; None for an empty list."""
        rows = self.filter.rowCount()
        if not rows:
            return None
        current = -1
        shown = self._current()
        if shown is not None:
            src = self.model.index(self.model.row_of(shown), 0)
            current = self.filter.mapFromSource(src).row()
        row = min(max(current + delta, 0), rows - 1)
        return int(self.filter.index(row, 0).data(PK_ROLE))

    def _row_changed(self, current: QModelIndex) -> None:
        if current.isValid():
            pk = current.data(PK_ROLE)
            if pk != self._current():
                self.documentChosen.emit(int(pk))
