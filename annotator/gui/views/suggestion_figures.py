"""How good each recommender is: the evaluation table and the learning curve, drawn plainly.

:class:`LearningCurve` paints micro F1 against the number of training documents, one line per
recommender; :class:`EvaluationView` shows the ``suggest --evaluate`` document as a small
table (:func:`figure_rows` gives its rows). Both only show what they are given.

The table is a fixed-height item view, not rich text: a rich-text label lays its HTML out again
at every width the dock's layout tries, which after a training took 40-150 ms of the event loop
on a loaded machine; an item view lays out only the rows it shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLOURS = {"lexicon": "#888888", "string": "#1f77b4", "learned": "#d62728"}
Curves = dict[str, list[tuple[int, float | None]]]


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


NOT_TRAINED = ("Not trained yet: Train learns from your spans and measures each recommender on "
               "a held-out fifth of the documents.")
COLUMNS = ("recommender / label", "P", "R", "F1", "n")


Row = tuple[str, str, str, str, str]  # as COLUMNS


def figure_rows(evaluation: dict[str, Any]) -> list[tuple[Row, list[Row]]]:
    """One entry per recommender: its row (name, state and F1) and one row per label."""
    out: list[tuple[Row, list[Row]]] = []
    for name, rec in evaluation["recommenders"].items():
        state = "shown" if rec["active"] else "hidden"
        labels: list[Row] = [(str(key), _fmt(m["precision"]), _fmt(m["recall"]),
                              _fmt(m["f1"]), str(m["support"]))
                             for key, m in rec["labels"].items()]
        out.append(((f"{name} ({state})", "", "", _fmt(rec["f1"]), ""), labels))
    return out


def split_line(evaluation: dict[str, Any], threshold: float) -> str:
    sp = evaluation["split"]
    return (f"{sp['train']} training / {sp['test']} test documents (seed {sp['seed']}); "
            f"shown from F1 {threshold:.2f}")


class EvaluationView(QWidget):
    """A line saying what was measured (or why nothing is), above a table of precision, recall,
    F1 and support per recommender and label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(NOT_TRAINED)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table = QTreeWidget()
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(True)
        self.table.setUniformRowHeights(True)
        self.table.setMinimumHeight(70)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, 46)
        self.table.hide()
        self.rows: list[tuple[Row, list[Row]]] = []  # what the table shows
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.note)
        lay.addWidget(self.table)

    def setText(self, text: str) -> None:  # noqa: N802  (as QLabel's: a message, no table)
        self.note.setText(text)
        self.table.hide()

    def show_evaluation(self, evaluation: dict[str, Any] | None, threshold: float) -> None:
        if not evaluation:
            self.setText(NOT_TRAINED)
            self.table.clear()
            self.rows = []
            return
        self.rows = figure_rows(evaluation)
        self.note.setText(split_line(evaluation, threshold))
        self.table.setUpdatesEnabled(False)
        try:
            self.table.clear()
            for title, labels in self.rows:
                top = QTreeWidgetItem(list(title))
                font = top.font(0)
                font.setBold(True)
                top.setFont(0, font)
                top.setFont(3, font)
                for row in labels:
                    item = QTreeWidgetItem(list(row))
                    for col in range(1, len(COLUMNS)):
                        item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
                    top.addChild(item)
                top.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
                self.table.addTopLevelItem(top)
                top.setExpanded(True)
        finally:
            self.table.setUpdatesEnabled(True)
        self.table.show()

    def text(self) -> str:
        """Everything shown, as plain text: the note, then the table's rows (tab-separated)."""
        lines = [self.note.text()]
        if not self.table.isHidden():
            lines.append("\t".join(COLUMNS))
            for title, labels in self.rows:
                lines.extend("\t".join(row) for row in [title, *labels])
        return "\n".join(lines)


class LearningCurve(QWidget):
    """F1 (0–1, up) against training documents (log-spaced points, right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curves: Curves = {}
        self.setMinimumHeight(124)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Learning curve: F1 on the test documents after training on more "
                        "documents")

    def set_curves(self, curves: Curves) -> None:
        self.curves = curves
        self.setToolTip("\n".join(
            f"{name}: " + ", ".join(f"{n} docs → {_fmt(f)}" for n, f in pts)
            for name, pts in curves.items()) or "Learning curve")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(30, 22, -8, -18)  # the legend above the plot
        pen = QPen(self.palette().text().color())
        p.setPen(pen)
        p.drawLine(r.bottomLeft(), r.bottomRight())
        p.drawLine(r.bottomLeft(), r.topLeft())
        p.drawText(QRectF(0, r.top() - 6, 28, 12), Qt.AlignmentFlag.AlignRight, "1")
        p.drawText(QRectF(0, r.bottom() - 6, 28, 12), Qt.AlignmentFlag.AlignRight, "0")
        sizes = sorted({n for pts in self.curves.values() for n, _ in pts})
        if not sizes:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "no curve yet")
            p.end()
            return
        xs = {n: r.left() + (r.width() * (i + 0.5) / len(sizes)) for i, n in enumerate(sizes)}
        for n, x in xs.items():
            p.drawText(QRectF(x - 20, r.bottom() + 2, 40, 14), Qt.AlignmentFlag.AlignCenter,
                       str(n))
        legend_x = r.left() + 4
        for name, pts in self.curves.items():
            colour = QColor(COLOURS.get(name, "#2ca02c"))
            p.setPen(QPen(colour, 2))
            prev: QPointF | None = None
            for n, f in pts:
                if f is None:
                    prev = None
                    continue
                pt = QPointF(xs[n], r.bottom() - f * r.height())
                p.drawEllipse(pt, 2.5, 2.5)
                if prev is not None:
                    p.drawLine(prev, pt)
                prev = pt
            p.drawText(QPointF(legend_x, 14), name)
            legend_x += 8 + p.fontMetrics().horizontalAdvance(name)
        p.end()
