"""How good each recommender is: the evaluation table and the learning curve, drawn plainly.

:class:`LearningCurve` paints micro F1 against the number of training documents, one line per
recommender; :func:`figures_html` turns the ``suggest --evaluate`` document into a small table.
Both only show what they are given.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = {"lexicon": "#888888", "string": "#1f77b4", "learned": "#d62728"}
Curves = dict[str, list[tuple[int, float | None]]]


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def figures_html(evaluation: dict[str, Any] | None, threshold: float = 0.5) -> str:
    """The evaluation as an HTML table: one row per recommender and label."""
    if not evaluation:
        return "Not trained yet: <i>Train</i> learns from your spans and measures each " \
               "recommender on a held-out fifth of the documents."
    sp = evaluation["split"]
    rows = [f"<b>{sp['train']}</b> training / <b>{sp['test']}</b> test documents "
            f"(seed {sp['seed']}); shown from F1 {threshold:.2f}",
            "<table cellspacing=0 cellpadding=2><tr><th align=left>recommender / label</th>"
            "<th>P</th><th>R</th><th>F1</th><th>n</th></tr>"]
    for name, rec in evaluation["recommenders"].items():
        state = "shown" if rec["active"] else "hidden"
        rows.append(f"<tr><td><b>{name}</b> ({state})</td><td></td><td></td>"
                    f"<td align=right><b>{_fmt(rec['f1'])}</b></td><td></td></tr>")
        for key, m in rec["labels"].items():
            rows.append(f"<tr><td>&nbsp;&nbsp;{key}</td><td align=right>{_fmt(m['precision'])}"
                        f"</td><td align=right>{_fmt(m['recall'])}</td><td align=right>"
                        f"{_fmt(m['f1'])}</td><td align=right>{m['support']}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


class LearningCurve(QWidget):
    """F1 (0–1, up) against training documents (log-spaced points, right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curves: Curves = {}
        self.setMinimumHeight(110)
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
        r = QRectF(self.rect()).adjusted(30, 8, -8, -18)
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
            p.drawText(QPointF(legend_x, r.top() + 10), name)
            legend_x += 8 + p.fontMetrics().horizontalAdvance(name)
        p.end()
