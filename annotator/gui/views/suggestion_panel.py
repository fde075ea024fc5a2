"""The Suggestions panel: suggestions for the current document, to accept or reject, and how
good each recommender is (figures and a learning curve, in two tabs below the list).

The panel only shows rows and reports what the user asks for; the controller
(:mod:`annotator.gui.suggestions`) decides what the rows are and turns requests into edits.
Enter or a double-click on a row asks to accept it (:attr:`SuggestionPanel.acceptRequested`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.local_keys import DELETE_KEYS, ENTER_KEYS, claim_keys
from annotator.gui.models.span_model import short
from annotator.gui.views.suggestion_figures import EvaluationView, LearningCurve
from annotator.nlp.suggest import Suggestion

_Index = QModelIndex | QPersistentModelIndex


class SuggestionModel(QAbstractTableModel):
    """Rows of suggestions over one document text: text, layer:label, cue, score, recommender."""

    HEADERS = ("Text", "Label", "Cue", "Score", "By")

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
            if col == 3:
                return f"{s.score:.2f}"
            if col == 4:
                return s.recommender
            return f"{s.layer}:{s.label}" if col == 1 else s.cue
        if role == Qt.ItemDataRole.ToolTipRole:
            left = self.text[max(0, s.start - 40):s.start].replace("\n", " ")
            right = self.text[s.end:s.end + 40].replace("\n", " ")
            made = f"{s.recommender} {s.model_version}".strip()
            trained = f", trained on {s.training_size} documents" if s.training_size else ""
            return f"…{left}[{self.text[s.start:s.end]}]{right}…\n{made}{trained}"
        return None


class _Table(QTableView):
    """Enter accepts the current row (as does a double-click, through ``activated``); Delete
    and Backspace dismiss the selected rows (never the window's "Delete span")."""

    def __init__(self, panel: SuggestionPanel) -> None:
        super().__init__(panel)
        self.panel = panel  # not the parent once laid out (the list sits in a splitter)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.panel.dismissRequested.emit(self.panel.selected_rows())
            return
        super().keyPressEvent(event)


RECOMMENDERS = (("", "Recommenders good enough"), ("lexicon", "Lexicon"),
                ("string", "String matching"), ("learned", "Learned model"))


class SuggestionPanel(QWidget):
    """Table of suggestions with a layer filter, a recommender choice, Accept / Accept all /
    Reject, Train, Next uncertain passage, Lexicons…, and the figures of the last training."""

    acceptRequested = Signal(list)  # row numbers
    acceptAllRequested = Signal()
    dismissRequested = Signal(list)  # row numbers
    rowChosen = Signal(int)  # the current row changed to this one
    layerChanged = Signal(str)  # "" = all layers
    recommenderChanged = Signal(str)  # "" = every recommender whose F1 reaches the threshold
    thresholdChanged = Signal(float)
    trainRequested = Signal()
    uncertainRequested = Signal()
    lexiconsRequested = Signal()

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
        self.dismiss_button = QPushButton("Reject")
        self.dismiss_button.setToolTip("Reject the selected suggestions (Delete): not offered "
                                       "again, and learned from as a mistake")
        self.dismiss_button.clicked.connect(
            lambda: self.dismissRequested.emit(self.selected_rows()))
        self.recommender = QComboBox()
        for key, title in RECOMMENDERS:
            self.recommender.addItem(title, key)
        self.recommender.setToolTip("Which recommender's suggestions to list")
        self.recommender.currentIndexChanged.connect(
            lambda _i: self.recommenderChanged.emit(self.recommender.currentData() or ""))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.5)
        self.threshold.setPrefix("F1 ≥ ")
        self.threshold.setToolTip("A recommender is used when its F1 on the held-out "
                                  "documents reaches this")
        self.threshold.valueChanged.connect(self.thresholdChanged.emit)
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Learn from your spans now and measure each recommender "
                                     "(in the background)")
        self.train_button.clicked.connect(self.trainRequested.emit)
        self.uncertain_button = QPushButton("Next uncertain passage")
        self.uncertain_button.setToolTip("Go to the passage the learned model is least sure "
                                         "of, then the next")
        self.uncertain_button.clicked.connect(self.uncertainRequested.emit)
        self.lexicons_button = QPushButton("Lexicons…")
        self.lexicons_button.setToolTip("Edit the word lists of the lexicon recommender")
        self.lexicons_button.clicked.connect(self.lexiconsRequested.emit)
        self.figures = EvaluationView(self)
        self.curve = LearningCurve(self)
        top = QHBoxLayout()
        top.addWidget(self.layer, 1)
        top.addWidget(self.recommender, 1)
        buttons = QHBoxLayout()
        for b in (self.accept_button, self.accept_all_button, self.dismiss_button):
            buttons.addWidget(b)
        more = QHBoxLayout()
        for w in (self.train_button, self.threshold, self.uncertain_button, self.lexicons_button):
            more.addWidget(w)
        work = QWidget()  # the list and what acts on it, above the figures: a splitter
        lay = QVBoxLayout(work)  # between them lets the user give the list the room
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        lay.addLayout(more)
        measured = QTabWidget()  # the figures and the curve share the room below the list
        measured.setDocumentMode(True)
        measured.addTab(self.figures, "Figures")
        measured.addTab(self.curve, "Learning curve")
        self.measured = measured
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(work)
        self.splitter.addWidget(measured)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.splitter)
        self.set_layers([])

    def show_figures(self, evaluation: dict[str, Any] | None, curves: dict[str, Any]) -> None:
        self.figures.show_evaluation(evaluation, self.threshold.value())
        self.curve.set_curves(curves)

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
