"""Relations of the current document: those of the selected span first, then all of them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Relation, Span, span_text
from annotator.gui.local_keys import DELETE_KEYS, claim_keys
from annotator.gui.models.span_model import short

PK_ROLE = Qt.ItemDataRole.UserRole + 1


class RelationPanel(QWidget):
    """Lists relations; double-click navigates to a relation's other end."""

    navigate = Signal(int)  # span pk to select
    deleteRequested = Signal(int)  # relation pk
    linkRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Relation", "From", "To"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.setToolTip("Double-click a relation to jump to its other end; Delete "
                             "deletes it")
        claim_keys(DELETE_KEYS, self.tree)  # Delete here is about the relation, not the span
        self.tree.installEventFilter(self)
        self.link_button = QPushButton("Link…")
        self.link_button.setToolTip("Link the selected span to another span (L, then click the "
                                    "target)")
        self.link_button.clicked.connect(self.linkRequested)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected relation")
        self.delete_button.clicked.connect(self._delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._spans: dict[int, Span] = {}
        self._text = ""
        self._selected: int | None = None
        self._relations: list[Relation] = []

    def set_data(self, text: str, spans: list[Span], relations: list[Relation]) -> None:
        self._text = text
        self._spans = {s.pk: s for s in spans}
        self._relations = list(relations)
        self._rebuild()

    def update_spans(self, changed: Iterable[Span], removed: Iterable[int]) -> None:
        """Spans changed (relations did not): redrawn only if a relation shows one of them."""
        touched = set(removed)
        for pk in touched:
            self._spans.pop(pk, None)
        for s in changed:
            self._spans[s.pk] = s
            touched.add(s.pk)
        if any(r.source in touched or r.target in touched for r in self._relations):
            self._rebuild()

    def set_selected_span(self, pk: int | None) -> None:
        self._selected = pk
        self._rebuild()

    def set_editable(self, editable: bool) -> None:
        self.link_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    def _describe(self, pk: int) -> str:
        s = self._spans.get(pk)
        if s is None:
            return f"#{pk}"
        return f"{s.label}: {short(span_text(self._text, s.fragments), 40)}"

    def _item(self, rel: Relation) -> QTreeWidgetItem:
        item = QTreeWidgetItem([rel.type, self._describe(rel.source), self._describe(rel.target)])
        item.setData(0, PK_ROLE, rel.pk)
        item.setToolTip(0, f"{self._describe(rel.source)}  →  {rel.type}  →  "
                           f"{self._describe(rel.target)}")
        return item

    def _rebuild(self) -> None:
        self.tree.clear()
        mine = [r for r in self._relations if self._selected in (r.source, r.target)]
        top = QTreeWidgetItem([f"Selected span ({len(mine)})"])
        top.addChildren([self._item(r) for r in mine])
        everything = QTreeWidgetItem([f"Document ({len(self._relations)})"])
        everything.addChildren([self._item(r) for r in self._relations])
        for group in (top, everything):
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
        self.tree.addTopLevelItems([top, everything])
        top.setExpanded(True)
        everything.setExpanded(True)
        self.tree.resizeColumnToContents(0)

    def relation_pks(self) -> list[int]:
        return [r.pk for r in self._relations]

    def activate(self, rel_pk: int) -> None:
        """Navigate as a double-click on relation ``rel_pk`` would."""
        rel = next((r for r in self._relations if r.pk == rel_pk), None)
        if rel is None:
            return
        other = rel.target if self._selected == rel.source else rel.source
        self.navigate.emit(other)

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        pk = item.data(0, PK_ROLE)
        if pk is not None:
            self.activate(int(pk))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.tree and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) \
                and self.delete_button.isEnabled():
            self._delete()
            return True
        return super().eventFilter(obj, event)

    def _delete(self) -> None:
        item = self.tree.currentItem()
        pk = item.data(0, PK_ROLE) if item else None
        if pk is not None:
            self.deleteRequested.emit(int(pk))
