"""Where the spans of one text block are drawn: lanes and rectangles from its QTextLayout.

Used by :class:`annotator.gui.views.text_view.SpanTextView` for painting and hit testing. Works
on one block at a time so the cost follows what is visible, not the document size. Code point ↔
UTF-16 conversion goes through the view's :class:`annotator.core.offsets.OffsetMap` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextLine

from annotator.core.model import Span
from annotator.core.offsets import OffsetMap
from annotator.core.span_index import assign_lanes

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")

BAR_GAP = 1.0  # pixels between stacked bars
BAR_OFFSET = 1.5  # pixels between the baseline and the first bar


@dataclass(slots=True)
class Piece:
    """The part of one fragment on one visual line, in viewport coordinates."""

    x1: float
    x2: float
    top: float
    bottom: float
    baseline: float
    fragment: int  # index of the fragment in the span

    def rect(self) -> QRectF:
        return QRectF(self.x1, self.top, self.x2 - self.x1, self.bottom - self.top)

    def contains(self, p: QPointF) -> bool:
        return self.x1 <= p.x() <= self.x2 and self.top <= p.y() < self.bottom


@dataclass(slots=True)
class SpanGeometry:
    """One span as drawn in one block."""

    span: Span
    lane: int
    length: int  # code points covered in the whole span: smaller = more inner
    pieces: list[Piece] = field(default_factory=list)


@dataclass(slots=True)
class BlockGeometry:
    """All spans drawn in one block, and the bar metrics for the block's lane count."""

    spans: list[SpanGeometry]
    lanes: int
    pitch: float  # distance between bars
    thickness: float  # bar height

    def bar_y(self, piece: Piece, lane: int) -> float:
        """Top of the bar of ``lane`` under ``piece``."""
        return piece.baseline + BAR_OFFSET + lane * self.pitch


def bar_metrics(lanes: int, room: float) -> tuple[float, float]:
    """(pitch, thickness) of bars so that ``lanes`` of them fit in ``room`` pixels if possible."""
    if lanes <= 0:
        return 0.0, 0.0
    pitch = min(3.5, max(1.5, room / lanes))
    thickness = pitch - BAR_GAP if pitch >= 2.5 else max(1.0, pitch * 0.7)
    return pitch, thickness


def _cursor_x(line: QTextLine, pos: int) -> float:
    """The x of block-local UTF-16 position ``pos`` on ``line``. PySide6 returns ``(x, pos)``
    but its stubs type the result as ``object``."""
    return cast(tuple[float, int], line.cursorToX(pos))[0]


def _line_pieces(
    line: QTextLine, a: int, b: int, rtl: bool, origin: QPointF, frag: int, out: list[Piece]
) -> None:
    """Append the x extents of block-local UTF-16 range [a, b) on ``line``."""
    top = origin.y() + line.y()
    bottom = top + line.height()
    baseline = top + line.ascent()
    ox = origin.x()
    if not rtl:
        x1 = _cursor_x(line, a)
        x2 = _cursor_x(line, b)
        out.append(Piece(ox + min(x1, x2), ox + max(x1, x2), top, bottom, baseline, frag))
        return
    # bidirectional line: one visual run per stretch of characters whose edges touch
    runs: list[list[float]] = []
    prev = _cursor_x(line, a)
    for p in range(a + 1, b + 1):
        x = _cursor_x(line, p)
        lo, hi = min(prev, x), max(prev, x)
        prev = x
        if hi - lo < 0.01:
            continue
        for run in runs:
            if lo <= run[1] + 0.5 and hi >= run[0] - 0.5:
                run[0], run[1] = min(run[0], lo), max(run[1], hi)
                break
        else:
            runs.append([lo, hi])
    for lo, hi in runs:
        out.append(Piece(ox + lo, ox + hi, top, bottom, baseline, frag))


def block_geometry(
    block: QTextBlock, origin: QPointF, omap: OffsetMap, spans: list[Span], room: float
) -> BlockGeometry:
    """Lanes and pieces of ``spans`` (those touching ``block``) with the block drawn at ``origin``.

    ``room`` is the vertical space in pixels available for bars under the baseline.
    """
    layout = block.layout()
    pos16 = block.position()
    end16 = pos16 + block.length() - 1
    cp0 = omap.to_codepoint(pos16)
    cp1 = omap.to_codepoint(end16)
    rtl = bool(_RTL.search(block.text())) if spans else False
    extents: list[tuple[int, int]] = []
    result: list[SpanGeometry] = []
    for span in spans:
        pieces: list[Piece] = []
        lo, hi = cp1, cp0
        for k, (s, e) in enumerate(span.fragments):
            s, e = max(s, cp0), min(e, cp1)
            if s >= e:
                continue
            lo, hi = min(lo, s), max(hi, e)
            a = omap.to_utf16(s) - pos16
            b = omap.to_utf16(e) - pos16
            i = layout.lineForTextPosition(a).lineNumber()
            n = layout.lineCount()
            while 0 <= i < n:
                line = layout.lineAt(i)
                ls = line.textStart()
                if ls >= b:
                    break
                le = ls + line.textLength()
                if le > a:
                    _line_pieces(line, max(a, ls), min(b, le), rtl, origin, k, pieces)
                i += 1
        if not pieces:
            continue
        length = sum(e - s for s, e in span.fragments)
        result.append(SpanGeometry(span, 0, length, pieces))
        extents.append((lo, hi))
    lanes, count = assign_lanes(extents)
    for geo, lane in zip(result, lanes, strict=True):
        geo.lane = lane
    pitch, thickness = bar_metrics(count, room)
    return BlockGeometry(result, count, pitch, thickness)
