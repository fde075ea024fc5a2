"""The Suggestions panel: lexicon suggestions for the current document, to accept or dismiss.

The panel only shows rows and reports what the user asks for; the controller
(:mod:`annotator.gui.suggestions`) decides what the rows are and turns requests into edits.
Enter or a double-click on a row asks to accept it (:attr:`SuggestionPanel.acceptRequested`).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.local_keys import DELETE_KEYS, ENTER_KEYS, claim_keys
from annotator.gui.models.span_model import short
from annotator.nlp.suggest import Suggestion

_Index = QModelIndex | QPersistentModelIndex


class SuggestionModel(QAbstractTableModel):
    """Rows of suggestions over one document text: text, layer:label, cue."""

    HEADERS = ("Text", "Label", "Cue")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.rows: list[Suggestion] = []

    def reset(self, text: str, rows: list[Suggestion]) -> None:
        self.beginResetModel()
        self.text, self.rows = text, rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        s = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return short(self.text[s.start:s.end], 60)
            return f"{s.layer}:{s.label}" if col == 1 else s.cue
        if role == Qt.ItemDataRole.ToolTipRole:
            left = self.text[max(0, s.start - 40):s.start].replace("\n", " ")
            right = self.text[s.end:s.end + 40].replace("\n", " ")
            return f"…{left}[{self.text[s.start:s.end]}]{right}…"
        return None


class _Table(QTableView):
    """Enter accepts the current row (as does a double-click, through ``activated``); Delete
    and Backspace dismiss the selected rows (never the window's "Delete span")."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            panel = self.parent()
            if isinstance(panel, SuggestionPanel):
                panel.dismissRequested.emit(panel.selected_rows())
                return
        super().keyPressEvent(event)


class SuggestionPanel(QWidget):
    """Table of suggestions with a layer filter and Accept / Accept all / Dismiss buttons."""

    acceptRequested = Signal(list)  # row numbers
    acceptAllRequested = Signal()
    dismissRequested = Signal(list)  # row numbers
    rowChosen = Signal(int)  # the current row changed to this one
    layerChanged = Signal(str)  # "" = all layers

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SuggestionModel(self)
        self.table = _Table(self)
        self.table.setModel(self.model)
        claim_keys(DELETE_KEYS + ENTER_KEYS, self.table)  # over the window's "Delete span"
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        header.resizeSection(1, 120)
        self.table.activated.connect(lambda index: self.acceptRequested.emit([index.row()]))
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.rowChosen.emit(cur.row()) if cur.isValid() else None)
        self.layer = QComboBox()
        self.layer.setToolTip("Show the suggestions of one layer")
        self.layer.currentIndexChanged.connect(
            lambda _i: self.layerChanged.emit(self.layer.currentData() or ""))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Add the selected suggestions as spans (Enter)")
        self.accept_button.clicked.connect(lambda: self.acceptRequested.emit(self.selected_rows()))
        self.accept_all_button = QPushButton("Accept all shown")
        self.accept_all_button.setToolTip("Add every suggestion in the list as one undo step")
        self.accept_all_button.clicked.connect(self.acceptAllRequested.emit)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Drop the selected suggestions from the list (Delete)")
        self.dismiss_button.clicked.connect(
            lambda: self.dismissRequested.emit(self.selected_rows()))
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.accept_all_button, self.dismiss_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.layer)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.set_layers([])

    def set_layers(self, layers: list[str]) -> None:
        current = self.layer.currentData() or ""
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.addItem("All layers", "")
        for name in layers:
            self.layer.addItem(name, name)
        self.layer.setCurrentIndex(max(0, self.layer.findData(current)))
        self.layer.blockSignals(False)

    def show_rows(self, text: str, rows: list[Suggestion], status: str, current: int = -1
                  ) -> None:
        """Show ``rows`` and make row ``current`` (clamped) current if >= 0, without
        emitting :attr:`rowChosen` (the text view's selection stays where it is)."""
        self.blockSignals(True)
        try:
            self.model.reset(text, rows)
            if rows and current >= 0:
                self.table.selectRow(min(current, len(rows) - 1))
        finally:
            self.blockSignals(False)
        self.status.setText(status)

    def set_editable(self, editable: bool) -> None:
        for b in (self.accept_button, self.accept_all_button):
            b.setEnabled(editable)

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return rows
