"""The review window's per-document table: where the annotators differ most, worst first.

Contract: :meth:`DocumentTable.set_measures` takes an
:class:`annotator.review.measures.Measures` (one entry per matched document, in the order of
the review's documents) and shows one row per document: its name, its score (the mean alpha_U
of its layers) and, per layer, alpha_U, kappa and boundary F1 of that document. Sorted by score,
lowest first, when filled; every column sorts on a click of its header, numerically, undefined
values ("n/a") last. Activating a row (double click, Enter) emits :attr:`document_chosen` with
the document's index in the review. Read-only. Main thread only.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.review.measures import Measures

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


class _Number(QTableWidgetItem):
    """A cell sorting by its number; undefined sorts after every number either way."""

    def __init__(self, value: float | None) -> None:
        super().__init__("n/a" if value is None else f"{value:.3f}")
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if not isinstance(other, _Number):
            return super().__lt__(other)
        table = self.tableWidget()
        descending = (table is not None and table.horizontalHeader().sortIndicatorOrder()
                      == Qt.SortOrder.DescendingOrder)
        missing = math.inf if not descending else -math.inf
        a = missing if self.value is None else self.value
        b = missing if other.value is None else other.value
        return a < b


class DocumentTable(QTableWidget):
    """See the module docstring."""

    document_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setHorizontalHeaderLabels(["document", "score"])
        self.itemActivated.connect(self._activated)

    def set_measures(self, measures: Measures | None) -> None:
        self.setSortingEnabled(False)
        layers = list(measures.layers) if measures is not None else []
        heads = ["document", "score"]
        for layer in layers:
            heads += [f"{layer} alpha_U", f"{layer} kappa", f"{layer} F1 boundary"]
        self.setColumnCount(len(heads))
        self.setHorizontalHeaderLabels(heads)
        docs = measures.documents if measures is not None else []
        self.setRowCount(len(docs))
        for r, doc in enumerate(docs):
            name = QTableWidgetItem(doc.name)
            name.setData(INDEX_ROLE, r)
            self.setItem(r, 0, name)
            self.setItem(r, 1, _Number(doc.score))
            for k, layer in enumerate(layers):
                row = doc.layers.get(layer, {})
                for c, key in enumerate(("alpha_u", "kappa", "f1_boundary")):
                    self.setItem(r, 2 + 3 * k + c, _Number(row.get(key)))
        self.setSortingEnabled(True)
        self.sortItems(1, Qt.SortOrder.AscendingOrder)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.resizeColumnsToContents()

    def document_at(self, row: int) -> int:
        """The review index of the document shown in ``row``."""
        item = self.item(row, 0)
        return int(item.data(INDEX_ROLE)) if item is not None else -1

    def _activated(self, item: QTableWidgetItem) -> None:
        self.document_chosen.emit(self.document_at(item.row()))
