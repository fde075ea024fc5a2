"""The project's documents as a table (title, status, spans), with a status/search filter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.core.model import DocumentInfo
from annotator.gui.models.keyed_table import Index, KeyedTableModel
from annotator.gui.models.span_model import begin_filter, refilter

STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"new": "#8a8f98", "in_progress": "#d08a00", "done": "#2e9d4f"}
PK_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentModel(KeyedTableModel):
    """Rows are :class:`DocumentInfo` headers in import order; :meth:`reset` reloads them."""

    HEADERS = ("Title", "Status", "Spans")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentInfo] = []

    def reset(self, docs: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._docs = list(docs)
        self.endResetModel()

    def update(self, doc: DocumentInfo) -> None:
        """Replace the header of one document (after an edit)."""
        for row, d in enumerate(self._docs):
            if d.pk == doc.pk:
                self._docs[row] = doc
                self.dataChanged.emit(self.index(row, 0), self.index(row, 2))
                return

    def documents(self) -> list[DocumentInfo]:
        return list(self._docs)

    def rows(self) -> list[DocumentInfo]:
        return self._docs

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        d = self._docs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (d.title or d.name, STATUS_TEXT.get(d.status, d.status), d.span_count)[col]
        if role == Qt.ItemDataRole.EditRole:  # sort keys
            return ((d.title or d.name).casefold(), d.status, d.span_count)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{d.title or d.name}\n{d.name} · {d.length:,} characters · {d.span_count} spans"
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QColor(STATUS_COLOR.get(d.status, "#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PK_ROLE:
            return d.pk
        return None


class DocumentFilter(QSortFilterProxyModel):
    """Shows the documents of one status (or all) whose title or name contains the search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = ""
        self._search = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_status(self, status: str) -> None:
        begin_filter(self)
        self._status = status
        refilter(self)

    def set_search(self, text: str) -> None:
        begin_filter(self)
        self._search = text.strip().casefold()
        refilter(self)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DocumentModel)
        d = model._docs[row]
        if self._status and d.status != self._status:
            return False
        return not self._search or self._search in (d.title + "\n" + d.name).casefold()
