"""A small bar chart of F1 per label (exact and overlap), painted with QPainter.

Contract: :meth:`LabelChart.set_values` takes ``(name, f1_exact, f1_overlap)`` rows (None =
undefined, drawn as "n/a"); the widget paints them as horizontal bars scaled 0..1. No data
model, no extra dependency. Main thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

EXACT, OVERLAP = QColor("#2f6fde"), QColor("#9bbcf0")
ROW = 24


class LabelChart(QWidget):
    """Horizontal bars per label: F1 exact (dark) over F1 overlap (light)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float | None, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_values(self, rows: list[tuple[str, float | None, float | None]]) -> None:
        self._rows = list(rows)
        self.updateGeometry()
        self.update()

    def values(self) -> list[tuple[str, float | None, float | None]]:
        return list(self._rows)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(360, 28 + ROW * max(1, len(self._rows)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        text_color = self.palette().windowText().color()
        label_w = min(max([fm.horizontalAdvance(n) for n, _, _ in self._rows] + [60]) + 12,
                      self.width() // 2)
        bar_w = max(10, self.width() - label_w - 44)
        p.setPen(text_color)
        for i, (color, name) in enumerate(((EXACT, "F1 exact"), (OVERLAP, "F1 overlap"))):
            x = label_w + i * 100
            p.fillRect(QRectF(x, 6, 10, 10), color)
            p.drawText(QRectF(x + 14, 2, 90, 18), Qt.AlignmentFlag.AlignVCenter, name)
        if not self._rows:
            p.drawText(QRectF(0, 26, self.width(), ROW), Qt.AlignmentFlag.AlignCenter,
                       "No spans on either side")
        for i, (name, exact, overlap) in enumerate(self._rows):
            y = 26 + i * ROW
            p.setPen(text_color)
            p.drawText(QRectF(0, y, label_w - 8, ROW - 4),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(name, Qt.TextElideMode.ElideLeft, label_w - 8))
            for k, (value, color) in enumerate(((exact, EXACT), (overlap, OVERLAP))):
                w = 0.0 if value is None else bar_w * max(0.0, min(1.0, value))
                p.fillRect(QRectF(label_w, y + 2 + k * 9, w, 8), color)
            shown = "n/a" if exact is None else f"{exact:.2f}"
            p.drawText(QRectF(label_w + bar_w + 4, y, 40, ROW - 4),
                       Qt.AlignmentFlag.AlignVCenter, shown)
        p.end()
