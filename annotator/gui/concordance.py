"""The concordance: a query box over KWIC rows of its hits (left context, match, right context).

Self-contained: :class:`ConcordancePanel` takes a function returning the open project (or None)
and a callback ``open_at(document_key, span_key)`` called when a row is clicked;
:class:`ConcordanceDock` puts it in a dock widget. Columns sort (Left by the nearest word
first); Export CSV writes every hit with the columns of ``annotator query --csv``. A bad query is
a message box naming the position; nothing is written to the project, ever.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.query.rows import COLUMNS, hit_row, save_csv
from annotator.gui.concordance_model import ConcordanceModel

OpenAt = Callable[[int, int], object]
EXAMPLE = "hedging:hedge inside attribution:content where source.source_type = person"


class _ElideLeft(QStyledItemDelegate):
    """The left context loses its far end when narrow: the words next to the match stay."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class ConcordancePanel(QWidget):
    def __init__(self, project: Callable[[], Any], open_at: OpenAt,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project, self._open_at = project, open_at
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(EXAMPLE)
        self.query_edit.setToolTip(
            "LAYER:LABEL (either part may be *) [where ATTR = VALUE and …]\n"
            "  fields: an attribute, text, annotator, source.ATTR, doc.outlet, doc.id …\n"
            "  operators: =  !=  ~ /regex/[i]  !~ /regex/\n"
            "then optionally: inside | containing | overlapping | related to | ->TYPE | <-TYPE "
            "another pattern")
        self.query_edit.returnPressed.connect(self.run)
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self.export_dialog)
        self.count = QLabel("")
        self.model = ConcordanceModel(self)
        self.model.progress.connect(self._progress)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(col, mode)
        self.table.setItemDelegateForColumn(1, _ElideLeft(self.table))
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.run_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.export_button.setEnabled(False)

    # ----------------------------------------------------------------- running
    def show_query(self, query: str) -> bool:
        """Put ``query`` in the box and run it (the dashboard's bars call this)."""
        self.query_edit.setText(query)
        return self.run()

    def run(self) -> bool:
        """Run the query in the box; False (after a message box) when it is bad."""
        project = self._project()
        text = self.query_edit.text().strip()
        if project is None or not text:
            self.model.clear()
            self.count.setText("")
            self.export_button.setEnabled(False)
            return False
        self.table.horizontalHeader().setSortIndicatorShown(False)
        try:
            self.model.run(project, text, [d.pk for d in project.documents()])
        except AnnotatorError as exc:
            self.model.clear()
            self.count.setText("")
            self.export_button.setEnabled(False)
            QMessageBox.warning(self, "Query", str(exc))
            return False
        self.table.resizeColumnToContents(2)
        widest = max(80, self.table.viewport().width() // 4)
        if self.table.columnWidth(2) > widest:  # a long match leaves room for its context
            self.table.setColumnWidth(2, widest)
        self.export_button.setEnabled(True)
        return True

    def _progress(self, rows: int, done: bool) -> None:
        if self.model.error:
            self.count.setText(f"{rows} hit(s), then stopped: {self.model.error}")
        else:
            self.count.setText(f"{rows} hit(s)" if done else f"{rows} hits so far; more load "
                               "as you scroll")

    def _clicked(self, index: QModelIndex) -> None:
        if self.model.project is not self._project():  # another project is open now
            self.model.clear()
            self.count.setText("")
            return
        if index.isValid():
            hit = self.model.hit(index.row())
            self._open_at(hit.document_pk, hit.span)

    # ----------------------------------------------------------------- export
    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export concordance", "concordance.csv",
                                              "CSV (*.csv)")
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        try:
            self.model.fetch_all()
            save_csv(path, COLUMNS, (hit_row(h) for h in self.model.hits))
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Export concordance", str(exc))
            return False
        return True


class ConcordanceDock(QDockWidget):
    """The panel in a dock widget (object name ``concordance``, hidden until asked for)."""

    def __init__(self, project: Callable[[], Any], open_at: OpenAt,
                 parent: QWidget | None = None) -> None:
        super().__init__("Concordance", parent)
        self.setObjectName("concordance")
        self.panel = ConcordancePanel(project, open_at, self)
        self.setWidget(self.panel)

    def open_with(self, query: str | None = None) -> None:
        """Show the dock, focus the query box (running ``query`` when given)."""
        self.show()
        self.raise_()
        if query is not None:
            self.panel.show_query(query)
        self.panel.query_edit.setFocus()
        self.panel.query_edit.selectAll()


def open_at_in(w: Any) -> OpenAt:
    """The main window's "open document at span" for the panel (no import of the window)."""

    def open_at(document: int, span: int) -> None:
        if w.document != document:
            w.open_document(document)
        w.select_span(span)
        w.view.setFocus()

    return open_at
