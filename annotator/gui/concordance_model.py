"""The concordance's item model: KWIC rows of a query's hits, fetched lazily.

The query runs over the project one batch of documents at a time (each batch is one short read
of the project: no read stays open between two fetches, so editing in the main window is never
held up). The view asks for more rows as it scrolls (``canFetchMore``/``fetchMore``); sorting or
exporting fetches the rest first. Cells are made when painted, never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from annotator.core.errors import AnnotatorError
from annotator.core.query import Hit, compile_query
from annotator.core.query.engine import Engine

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Document", "Left", "Match", "Right", "Label", "Annotator", "Start")
CONTEXT = 60
FIRST_BATCH = 20  # documents read at once, doubled (up to LAST_BATCH) while hits are sparse
LAST_BATCH = 640
ROWS_PER_FETCH = 200  # a fetch goes on until it has at least this many new rows (or the end)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _left_key(hit: Hit) -> list[str]:
    return [w.lower() for w in reversed(hit.left.split())]  # nearest word first, as KWIC does


SORT_KEYS: tuple[Callable[[Hit], Any], ...] = (
    lambda h: (h.document, h.start), _left_key, lambda h: _one_line(h.text).lower(),
    lambda h: [w.lower() for w in h.right.split()], lambda h: (h.layer, h.label),
    lambda h: h.annotator, lambda h: h.start)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_OTHER_ROLES = frozenset({int(Qt.ItemDataRole.TextAlignmentRole),
                          int(Qt.ItemDataRole.ToolTipRole)})


class ConcordanceModel(QAbstractTableModel):
    """Rows of hits; :meth:`run` starts a query (raises ``QueryError`` when it is bad).
    ``progress`` is emitted with (rows so far, done) after each fetch."""

    progress = Signal(int, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []
        self.query = ""
        self._fetch: Callable[[list[int]], Iterator[Hit]] | None = None
        self._pending: list[int] = []  # documents not read yet
        self._batch = FIRST_BATCH
        self._sorted: tuple[int, Qt.SortOrder] | None = None
        self.project: Any = None  # the project the hits are of
        self.error = ""  # why fetching stopped early, if it did
        self._cells: dict[int, tuple[object, ...]] = {}  # id(hit) -> its shown cells

    # ----------------------------------------------------------------- running
    def run(self, project: Any, query: str, documents: list[int]) -> None:
        """Start ``query`` over ``documents`` (keys, in project order) of ``project``."""
        engine: Engine = compile_query(query, project.tagset)
        self.beginResetModel()
        self.hits, self.query, self._sorted = [], query, None
        self._cells.clear()
        self.project, self.error = project, ""
        self._pending, self._batch = list(documents), FIRST_BATCH
        self._fetch = lambda docs: engine.hits(project, context=CONTEXT, documents=docs)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.beginResetModel()
        self.hits, self.query, self._pending, self._fetch = [], "", [], None
        self.project, self.error = None, ""
        self._cells.clear()
        self.endResetModel()

    @property
    def complete(self) -> bool:
        return not self._pending

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._pending) and self._fetch is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetch is None:
            return
        new: list[Hit] = []
        try:
            while self._pending and len(new) < ROWS_PER_FETCH:
                batch = self._pending[:self._batch]
                found = list(self._fetch(batch))
                new.extend(found)
                self._pending = self._pending[len(batch):]
                if len(found) < ROWS_PER_FETCH:
                    self._batch = min(2 * self._batch, LAST_BATCH)
        except AnnotatorError as exc:  # the project was closed, or is damaged: stop here
            self.error, self._pending = str(exc), []
        if new:
            first = len(self.hits)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.hits.extend(new)
            self.endInsertRows()
        self.progress.emit(len(self.hits), not self._pending)

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()
        if self._sorted is not None:
            self.sort(*self._sorted)

    # ----------------------------------------------------------------- model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _DISPLAY:  # asked for most (per cell, per paint): from a row cache
            row = index.row()
            if row < 0:  # an invalid index
                return None
            hit = self.hits[row]
            cells = self._cells.get(id(hit))
            if cells is None:
                if len(self._cells) > 2000:
                    self._cells.clear()
                cells = self._cells[id(hit)] = (
                    hit.document, _one_line(hit.left)[-CONTEXT:], _one_line(hit.text),
                    _one_line(hit.right)[:CONTEXT], f"{hit.layer}:{hit.label}", hit.annotator,
                    hit.start)
            return cells[index.column()]
        if role not in _OTHER_ROLES or not index.isValid():
            return None
        hit, col = self.hits[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == 2:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 3):
            attrs = ", ".join(f"{k}={v}" for k, v in sorted(hit.attributes.items()))
            return f"{hit.text}\n{hit.layer}:{hit.label}" + (f"\n{attrs}" if attrs else "")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every hit (the rest are fetched first): Left by the nearest word first."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sorted = None
        while self.canFetchMore():
            self.fetchMore()
        self.layoutAboutToBeChanged.emit()
        self.hits.sort(key=SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()
        self._sorted = (column, order)

    def hit(self, row: int) -> Hit:
        return self.hits[row]
