"""A read-only table model over a Python list of rows that each have a ``pk``: the row lookup,
counts and headers shared by the document and span tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class HasPk(Protocol):
    @property
    def pk(self) -> int: ...


class KeyedTableModel(QAbstractTableModel):
    """Subclasses set :attr:`HEADERS` and return their list from :meth:`rows`."""

    HEADERS: tuple[str, ...] = ()

    def rows(self) -> Sequence[HasPk]:
        raise NotImplementedError

    def row_of(self, pk: int) -> int:
        return next((i for i, r in enumerate(self.rows()) if r.pk == pk), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def valid_row(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self.rows())
