"""How spans look: colours from a label colour, tooltips, the text handed to Qt, draw order.

Pure helpers of :mod:`annotator.gui.views.text_view`; main thread only (they make Qt colours).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from annotator.core.model import Relation, Span

DEFAULT_COLOR = "#888888"


class Palette:
    """Bar, tint and outline colours derived from one label colour."""

    __slots__ = ("bar", "outline", "tint")

    def __init__(self, hex_color: str, base: QColor) -> None:
        bar = QColor(hex_color)
        if not bar.isValid():
            bar = QColor(DEFAULT_COLOR)
        self.bar = bar
        self.outline = bar.darker(150)
        t = 0.22  # share of the label colour in the (opaque) tint
        self.tint = QColor(
            round(base.red() * (1 - t) + bar.red() * t),
            round(base.green() * (1 - t) + bar.green() * t),
            round(base.blue() * (1 - t) + bar.blue() * t),
        )


def display_text(text: str) -> str:
    r"""``text`` as handed to Qt, one position per code point kept.

    Qt turns ``\r\n`` into one paragraph break, which would shift every later position by one
    against the stored text (kept byte-exact, interfaces.md). The ``\r`` of each pair is shown
    as a space at the line's end instead; a lone ``\r`` is one break already.
    """
    return text.replace("\r\n", " \n") if "\r\n" in text else text


def tooltip_html(spans: list[Span], palette_for: Callable[[Span], Palette]) -> str:
    """Tooltip text for ``spans`` (innermost first): label, layer, attributes, note."""
    parts = []
    for span in spans:
        color = palette_for(span).bar.name()
        lines = [
            f"<span style='color:{color}'>■</span> <b>{html.escape(span.label)}</b>"
            f" <i>({html.escape(span.layer)})</i>"
        ]
        for key, value in span.attributes.items():
            lines.append(f"{html.escape(str(key))}: {html.escape(str(value))}")
        if span.note:
            lines.append(f"<i>{html.escape(span.note)}</i>")
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)


def innermost_key(span: Span) -> tuple[int, int, int]:
    """Sort key: fewest code points first, then the later start, then pk."""
    return (sum(e - s for s, e in span.fragments), -span.start, span.pk)


def paint_links(painter: QPainter, color: QColor, relations: list[Relation], selected: int,
                anchors: dict[int, QPointF]) -> None:
    """Curved arrows from span ``selected`` to its related spans whose ``anchors`` (the top
    middle of a piece on screen) are known."""
    painter.setPen(QPen(color, 1.2))
    for rel in relations:
        if selected not in (rel.source, rel.target):
            continue
        src, dst = anchors.get(rel.source), anchors.get(rel.target)
        if src is None or dst is None or src == dst:
            continue
        lift = 10 + min(40.0, abs(dst.x() - src.x()) / 6)
        ctrl_y = min(src.y(), dst.y()) - lift
        path = QPainterPath(src)
        path.cubicTo(QPointF(src.x(), ctrl_y), QPointF(dst.x(), ctrl_y), dst)
        painter.drawPath(path)
        painter.setBrush(color)
        painter.drawPolygon([dst, dst + QPointF(-3.5, -6), dst + QPointF(3.5, -6)])
        painter.setBrush(Qt.BrushStyle.NoBrush)
