"""The Spans dock: the shown document's spans as a sortable table, filtered by layer.

:class:`SpansPanel` owns its table, model and layer filter, and redraws itself from the session's
changes (:meth:`attach`): a changed or removed span updates its row only (not 20,000 of them),
"read them all again" resets the table, a new tagset refills the layer filter and the colours.
A document shown whole is drawn by :meth:`show_document` (called by the window when it shows
one). Clicking or activating a row emits :attr:`spanChosen`; :meth:`select` marks the selected
span's row. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from annotator.core.tagset import Tagset
from annotator.gui.models.document_model import PK_ROLE
from annotator.gui.models.span_model import SpanFilter, SpanModel
from annotator.gui.session import ProjectSession
from annotator.workspace import Changes


def table_defaults(table: QTableView) -> None:
    """Whole-row single selection, read-only, compact rows without grid."""
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setShowGrid(False)
    table.setWordWrap(False)


def tagset_colors(tagset: Tagset | None) -> dict[tuple[str, str], str]:
    """(layer, label) → colour of every label of ``tagset`` ({} without one)."""
    if tagset is None:
        return {}
    return {(layer.name, lab.name): lab.color for layer in tagset.layers for lab in layer.labels}


class SpansPanel(QWidget):
    """The Spans table of the attached session's shown document."""

    spanChosen = Signal(int)  # a row was clicked or activated: its span's key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: ProjectSession | None = None
        self.model = SpanModel(self)
        self.filter = SpanFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.filter)
        table_defaults(self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((140, 76, 96, 170)):
            header.resizeSection(col, width)
        self.table.clicked.connect(self._row_chosen)
        self.table.activated.connect(self._row_chosen)
        self.layer = QComboBox()
        self.layer.setToolTip("Show the spans of one layer")
        self.layer.currentIndexChanged.connect(
            lambda _i: self.filter.set_layer(self.layer.currentData() or ""))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.layer)
        layout.addWidget(self.table)

    # ----------------------------------------------------------------- following a session
    def attach(self, session: ProjectSession | None) -> None:
        """Follow ``session``'s changes (None: show nothing). Attach before the parts that
        select spans after a change, so that a new span's row exists when it is selected."""
        if self._session is not None:
            self._session.changed.disconnect(self._changed)
            self._session.tagsetChanged.disconnect(self._tagset_changed)
        self._session = session
        if session is not None:
            session.changed.connect(self._changed)
            session.tagsetChanged.connect(self._tagset_changed)
            self._tagset_changed()
        else:
            self.model.reset("", [], {})

    def _tagset(self) -> Tagset | None:
        return self._session.project.tagset if self._session is not None else None

    def _changed(self, ch: Changes) -> None:
        ws = self._session.workspace if self._session is not None else None
        if ws is None or ws.document is None or ch.current:
            return  # a newly shown document is drawn whole (show_document)
        delta = ch.spans.get(ws.document)
        if delta is None:
            return
        if delta.reload:
            self.show_document()
        else:
            self.model.apply_delta(list(delta.changed), list(delta.removed))

    def _tagset_changed(self) -> None:
        """Refill the layer filter (keeping its choice if the layer still exists)."""
        tagset = self._tagset()
        self.layer.blockSignals(True)
        current = self.layer.currentData()
        self.layer.clear()
        self.layer.addItem("All layers", "")
        for layer in tagset.layers if tagset is not None else ():
            self.layer.addItem(layer.name, layer.name)
        self.layer.setCurrentIndex(max(0, self.layer.findData(current)))
        self.layer.blockSignals(False)
        self.filter.set_layer(self.layer.currentData() or "")

    # ----------------------------------------------------------------- drawing
    def show_document(self) -> None:
        """Draw the shown document's spans whole (none without one)."""
        ws = self._session.workspace if self._session is not None else None
        if ws is None or ws.document is None:
            self.model.reset("", [], {})
        else:
            self.model.reset(ws.text, ws.spans, tagset_colors(self._tagset()))

    def select(self, pk: int | None) -> None:
        """Mark span ``pk``'s row (scrolled to); no row for None or a span not listed."""
        row = self.model.row_of(pk) if pk is not None else -1
        if row >= 0:
            index = self.filter.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())
                self.table.scrollTo(index)
                return
        self.table.clearSelection()

    def _row_chosen(self, index: QModelIndex) -> None:
        pk = index.data(PK_ROLE)
        if pk is not None:
            self.spanChosen.emit(int(pk))
