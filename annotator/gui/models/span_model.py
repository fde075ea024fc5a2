"""The spans of the current document as a sortable table, filterable by layer."""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.core.model import Span, span_text
from annotator.gui.models.keyed_table import Index, KeyedTableModel

PK_ROLE = Qt.ItemDataRole.UserRole + 1


def format_attributes(attributes: dict[str, Any]) -> str:
    parts = []
    for k, v in attributes.items():
        if isinstance(v, list):
            v = ", ".join(map(str, v))
        parts.append(f"{k}={v}")
    return "; ".join(parts)


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def begin_filter(proxy: QSortFilterProxyModel) -> None:
    """Call before changing a filter's parameters (Qt ≥ 6.9; nothing before)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()


def refilter(proxy: QSortFilterProxyModel) -> None:
    """Re-run the filter after its parameters changed."""
    if hasattr(proxy, "endFilterChange"):
        proxy.endFilterChange()
    else:
        proxy.invalidateFilter()


def _order(span: Span) -> tuple[int, int, str, str, int]:
    return (span.start, span.end, span.layer, span.label, span.pk)


class SpanModel(KeyedTableModel):
    """Rows are :class:`Span` objects of one document; :meth:`reset` reloads them."""

    HEADERS = ("Text", "Layer", "Label", "Attributes", "Note")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spans: list[Span] = []
        self._by_pk: dict[int, Span] = {}
        self._text = ""
        self._colors: dict[tuple[str, str], str] = {}

    def reset(self, text: str, spans: list[Span], colors: dict[tuple[str, str], str]) -> None:
        self.beginResetModel()
        self._text, self._spans, self._colors = text, list(spans), dict(colors)
        self._by_pk = {sp.pk: sp for sp in self._spans}
        self.endResetModel()

    def row_of(self, pk: int) -> int:
        """The row of span ``pk`` (-1: none), found by its place in the order, not a scan."""
        span = self._by_pk.get(pk)
        if span is None:
            return -1
        i = bisect.bisect_left(self._spans, _order(span), key=_order)
        return i if i < len(self._spans) and self._spans[i].pk == pk else super().row_of(pk)

    def apply_delta(self, changed: list[Span], removed: list[int]) -> None:
        """Remove, update and insert rows for one edit, keeping (start, end, layer, label)
        order, without a reset: an edit in a 20,000-span document stays cheap."""
        for pk in removed:
            row = self.row_of(pk)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._spans[row]
                self.endRemoveRows()
            self._by_pk.pop(pk, None)
        for span in changed:
            row = self.row_of(span.pk)
            self._by_pk[span.pk] = span
            if row >= 0 and _order(self._spans[row]) == _order(span):
                self._spans[row] = span
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, self.columnCount() - 1))
                continue
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._spans[row]
                self.endRemoveRows()
            at = bisect.bisect_left(self._spans, _order(span), key=_order)
            self.beginInsertRows(QModelIndex(), at, at)
            self._spans.insert(at, span)
            self.endInsertRows()

    def span_at(self, row: int) -> Span:
        return self._spans[row]

    def rows(self) -> list[Span]:
        return self._spans

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        s = self._spans[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return short(span_text(self._text, s.fragments))
            return (None, s.layer, s.label, format_attributes(s.attributes), short(s.note))[col]
        if role == Qt.ItemDataRole.EditRole:
            return (s.start, s.layer, s.label, format_attributes(s.attributes), s.note)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            frags = ", ".join(f"[{a}, {b})" for a, b in s.fragments)
            return f"{span_text(self._text, s.fragments)}\n{s.layer}:{s.label} at {frags}"
        if role == Qt.ItemDataRole.DecorationRole and col == 2:
            return QColor(self._colors.get((s.layer, s.label), "#888888"))
        if role == PK_ROLE:
            return s.pk
        return None


class SpanFilter(QSortFilterProxyModel):
    """Shows the spans of one layer (or all), sorted by the column clicked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._layer = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_layer(self, layer: str) -> None:
        begin_filter(self)
        self._layer = layer
        refilter(self)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, SpanModel)
        return not self._layer or model._spans[row].layer == self._layer
