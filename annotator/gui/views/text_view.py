"""The document text with its spans drawn as tints and stacked underline bars.

Contract:

* The text is read-only. Offsets in and out of this widget are code points; Qt's UTF-16 positions
  are converted only through one :class:`annotator.core.offsets.OffsetMap` per document.
* Spans live in a :class:`annotator.core.span_index.SpanIndex`, never in the QTextDocument: the
  document is never re-formatted, so adding or removing a span costs an index update plus a
  repaint of the blocks it touches. ``paintEvent`` draws only the visible blocks.
* Each span gets a lane per block (greedy interval colouring); its bar is drawn in its label's
  colour under the text, lane 0 nearest the baseline. The innermost span at each character (fewest
  code points) gets a light tint behind the text. The selected span is outlined and its bar is
  drawn thick; the spans related to it (see :meth:`SpanTextView.set_relations`) get a dashed
  outline and a link from the selected span.
* Spans of hidden layers or of annotators not shown are neither drawn nor found by clicks or
  :meth:`span_at_cp`.
* Signals are emitted for user actions only (clicks, hovering, text selection), not for calls of
  the setters, except ``selectionChangedCp`` which follows Qt's text selection.

Main thread only, as every widget.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.core.model import Relation, Span
from annotator.core.offsets import OffsetMap
from annotator.core.span_index import SpanIndex
from annotator.gui.views import span_style
from annotator.gui.views.boundary_drag import BoundaryDrag
from annotator.gui.views.span_geometry import BlockGeometry, SpanGeometry, block_geometry

MIN_ZOOM, MAX_ZOOM = 6.0, 48.0


class SpanTextView(QPlainTextEdit):
    """Read-only text view drawing spans; see the module docstring for the contract."""

    spanClicked = Signal(int, object)  # span pk, Qt.KeyboardModifiers
    spanHovered = Signal(int)  # pk or -1
    selectionChangedCp = Signal(int, int)  # text selection in code points, (-1, -1) if none
    selectedSpanChanged = Signal(int)  # pk or -1, when a click changes the selected span
    boundaryDragged = Signal(int, str, int)  # span pk, "start"/"end", new code point

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._text = ""
        self._omap = OffsetMap("")
        self._index = SpanIndex()
        self._spans: dict[int, Span] = {}
        self._colors: dict[tuple[str, str], str] = {}
        self._palettes: dict[tuple[str, str], span_style.Palette] = {}
        self._hidden: set[str] = set()
        self._annotators: set[str] | None = None  # whose spans are shown (None: everyone's)
        self._selected: int | None = None
        self._hovered = -1
        self._relations: list[Relation] = []
        self._press_pos: QPoint | None = None
        self.selectionChanged.connect(self._emit_selection)
        self.boundary_drag = BoundaryDrag(self, self.boundaryDragged.emit, self)  # drag an end

    # -- document and spans ---------------------------------------------------------------
    def set_document(
        self, text: str, spans: list[Span], colors: dict[tuple[str, str], str]
    ) -> None:
        """Show ``text`` with ``spans``; ``colors`` maps (layer, label) to "#rrggbb"."""
        self._text = text
        self._omap = OffsetMap(text)
        self._selected = None
        self._hovered = -1
        self._relations = []
        self.set_colors(colors)
        self._load_spans(spans)
        self.setPlainText(span_style.display_text(text))
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def text(self) -> str:
        """The document text as given to :meth:`set_document`."""
        return self._text

    def _load_spans(self, spans: Iterable[Span]) -> None:
        self._spans = {s.pk: s for s in spans}
        self._index.rebuild((pk, s.fragments) for pk, s in self._spans.items())

    def set_spans(self, spans: list[Span]) -> None:
        """Replace all spans, keeping the text and the scroll position."""
        self._load_spans(spans)
        if self._selected not in self._spans:
            self._selected = None
        self.viewport().update()

    def spans(self) -> list[Span]:
        """The spans shown (hidden layers included)."""
        return list(self._spans.values())

    def span(self, pk: int) -> Span | None:
        return self._spans.get(pk)

    def add_span(self, span: Span) -> None:
        """Add a span (or replace the one with its pk)."""
        old = self._spans.get(span.pk)
        self._spans[span.pk] = span
        self._index.add(span.pk, span.fragments)
        self._update_cp_range(span.start, span.end)
        if old is not None:
            self._update_cp_range(old.start, old.end)

    def update_span(self, span: Span) -> None:
        """Replace the span with ``span.pk`` (added when unknown)."""
        self.add_span(span)

    def remove_span(self, pk: int) -> None:
        """Remove span ``pk``; unknown pks are ignored."""
        span = self._spans.pop(pk, None)
        if span is None:
            return
        self._index.remove(pk)
        if self._selected == pk:
            self._selected = None
        self._update_cp_range(span.start, span.end)

    def set_colors(self, colors: dict[tuple[str, str], str]) -> None:
        """Set label colours: (layer, label) -> "#rrggbb"; unknown labels are grey."""
        self._colors = dict(colors)
        self._palettes = {}
        self.viewport().update()

    def set_hidden_layers(self, layers: set[str]) -> None:
        """Hide the spans of these layers (drawing, clicks and :meth:`span_at_cp`)."""
        self._hidden = set(layers)
        self.viewport().update()

    def hidden_layers(self) -> set[str]:
        return set(self._hidden)

    def set_shown_annotators(self, names: set[str] | None) -> None:
        """Show only spans made by these annotators (None: everyone's); like hidden layers."""
        self._annotators = None if names is None else set(names)
        self.viewport().update()

    def is_shown(self, span: Span) -> bool:
        """Whether ``span`` is drawn (its layer is not hidden, its annotator is shown)."""
        return span.layer not in self._hidden and (
            self._annotators is None or span.annotator in self._annotators)

    def set_relations(self, relations: list[Relation]) -> None:
        """Relations of the document; those of the selected span are drawn."""
        self._relations = list(relations)
        self.viewport().update()

    # -- span selection -------------------------------------------------------------------
    def select_span(self, pk: int | None) -> None:
        """Show span ``pk`` as selected (None: no span) and scroll it into view."""
        if pk is not None and pk not in self._spans:
            pk = None
        previous, self._selected = self._selected, pk
        for old in (previous, pk):
            if old is not None and old in self._spans:
                self._update_cp_range(self._spans[old].start, self._spans[old].end)
        if self._relations:
            self.viewport().update()
        if pk is not None:
            self.scroll_to_cp(self._spans[pk].start)

    def selected_span(self) -> int | None:
        """Pk of the selected span, or None."""
        return self._selected

    def span_at_cp(self, pos: int) -> list[int]:
        """Pks of visible spans covering code point ``pos``, innermost (fewest code points) first."""
        if not 0 <= pos < len(self._text):
            return []
        spans = [self._spans[pk] for pk in self._index.covering(pos)]
        spans = [s for s in spans if self.is_shown(s)]
        spans.sort(key=span_style.innermost_key)
        return [s.pk for s in spans]

    # -- text selection and scrolling -----------------------------------------------------
    def cursor_cp(self) -> int:
        """The text cursor's position in code points."""
        return self._omap.to_codepoint(self.textCursor().position())

    def selection_cp(self) -> tuple[int, int] | None:
        """The text selection in code points, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._omap.to_codepoint(cursor.selectionStart())
        end = self._omap.to_codepoint(cursor.selectionEnd(), round_up=True)
        return (start, end) if start < end else None

    def set_selection_cp(self, start: int, end: int) -> None:
        """Select code points [start, end) (an empty range clears the selection)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_utf16(start))
        cursor.setPosition(self._omap.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def scroll_to_cp(self, pos: int) -> None:
        """Scroll so that code point ``pos`` is visible (about a third down when it was not)."""
        pos = max(0, min(pos, self._omap.length))
        u16 = self._omap.to_utf16(pos)
        block = self.document().findBlock(u16)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.setPosition(u16)
        rect = self.cursorRect(cursor)
        if self.viewport().rect().contains(rect):
            return
        layout = block.layout()
        line = layout.lineForTextPosition(u16 - block.position()) if layout else None
        line_no = block.firstLineNumber() + (line.lineNumber() if line and line.isValid() else 0)
        visible_lines = max(1, self.viewport().height() // max(1, self.fontMetrics().height()))
        self.verticalScrollBar().setValue(max(0, line_no - visible_lines // 3))

    def cp_at(self, point: QPoint) -> int:
        """The code point boundary nearest viewport ``point``."""
        return self._omap.to_codepoint(self.cursorForPosition(point).position())

    def cp_rect(self, pos: int) -> QRect:
        """Viewport rectangle of the cursor before code point ``pos`` (for tests and popups)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_utf16(pos))
        return self.cursorRect(cursor)

    def _emit_selection(self) -> None:
        sel = self.selection_cp()
        self.selectionChangedCp.emit(*(sel if sel else (-1, -1)))

    # -- zoom -----------------------------------------------------------------------------
    def zoom(self) -> float:
        """Font size in points."""
        return self.font().pointSizeF()

    def set_zoom(self, points: float) -> None:
        """Set the font size in points (clamped to 6..48)."""
        font = QFont(self.font())
        font.setPointSizeF(max(MIN_ZOOM, min(MAX_ZOOM, float(points))))
        self.setFont(font)
        self.viewport().update()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() - 1)

    # -- geometry -------------------------------------------------------------------------
    def _palette_for(self, span: Span) -> span_style.Palette:
        key = (span.layer, span.label)
        pal = self._palettes.get(key)
        if pal is None:
            base = self.palette().base().color()
            pal = self._palettes[key] = span_style.Palette(self._colors.get(key, span_style.DEFAULT_COLOR), base)
        return pal

    def _bar_room(self) -> float:
        """Pixels under the baseline usable for bars: the descent plus the unused top of the
        next line (above capitals)."""
        fm = self.fontMetrics()
        return fm.descent() + max(2.0, fm.ascent() - fm.capHeight() - 1.0)

    def _block_geometry(self, block: QTextBlock, origin: QPointF) -> BlockGeometry:
        pos16 = block.position()
        cp0 = self._omap.to_codepoint(pos16)
        cp1 = self._omap.to_codepoint(pos16 + block.length() - 1)
        spans = [self._spans[pk] for pk in self._index.overlapping(cp0, max(cp1, cp0 + 1))]
        spans = [s for s in spans if self.is_shown(s)]
        return block_geometry(block, origin, self._omap, spans, self._bar_room())

    def _visible_geometries(self, area: QRect) -> list[BlockGeometry]:
        result: list[BlockGeometry] = []
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            rect = self.blockBoundingGeometry(block).translated(offset)
            if rect.top() > area.bottom() + 1:
                break
            if block.isVisible() and rect.bottom() >= area.top() - 8:
                result.append(self._block_geometry(block, rect.topLeft()))
            block = block.next()
        return result

    def _update_cp_range(self, start: int, end: int) -> None:
        """Repaint the visible blocks that code points [start, end) touch (their lanes may move)."""
        doc = self.document()
        first = doc.findBlock(self._omap.to_utf16(max(0, min(start, self._omap.length))))
        last = doc.findBlock(self._omap.to_utf16(max(0, min(end, self._omap.length))))
        if not first.isValid():
            return
        if not last.isValid():
            last = doc.lastBlock()
        offset = self.contentOffset()
        top = self.blockBoundingGeometry(first).translated(offset).top()
        bottom = self.blockBoundingGeometry(last).translated(offset).bottom()
        view = self.viewport().rect()
        rect = QRect(0, int(top) - 2, view.width(), int(bottom - top) + 12).intersected(view)
        if not rect.isEmpty():
            self.viewport().update(rect)

    def _spans_at_point(self, point: QPoint) -> list[int]:
        """Pks of visible spans drawn under viewport ``point``, innermost first."""
        block = self.cursorForPosition(point).block()
        if not block.isValid():
            return []
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        p = QPointF(point)
        hits = [
            geo
            for geo in self._block_geometry(block, origin).spans
            if any(piece.contains(p) for piece in geo.pieces)
        ]
        hits.sort(key=lambda g: span_style.innermost_key(g.span))
        return [g.span.pk for g in hits]

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        geometries = self._visible_geometries(event.rect()) if self._spans else []
        if geometries:
            painter = QPainter(self.viewport())
            self._paint_tints(painter, geometries)
            painter.end()
        super().paintEvent(event)
        if geometries:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_bars(painter, geometries)
            self._paint_selection(painter, geometries)
            painter.end()

    def _paint_tints(self, painter: QPainter, geometries: list[BlockGeometry]) -> None:
        for block in geometries:
            # outer first, so the innermost span's tint is the one left visible
            for geo in sorted(block.spans, key=lambda g: -g.length):
                color = self._palette_for(geo.span).tint
                for piece in geo.pieces:
                    painter.fillRect(
                        QRectF(piece.x1, piece.top, piece.x2 - piece.x1, piece.baseline
                               - piece.top + self.fontMetrics().descent()),
                        color,
                    )

    def _paint_bars(self, painter: QPainter, geometries: list[BlockGeometry]) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for block in geometries:
            for geo in block.spans:
                pal = self._palette_for(geo.span)
                thick = block.thickness
                selected = geo.span.pk == self._selected
                if selected:
                    thick = max(thick + 1.0, 3.0)
                for piece in geo.pieces:
                    y = block.bar_y(piece, geo.lane)
                    painter.fillRect(
                        QRectF(piece.x1 + 0.5, y, piece.x2 - piece.x1 - 1.0, thick),
                        pal.bar,
                    )
                if geo.span.discontinuous:
                    self._paint_connectors(painter, block, geo, pal.bar)

    def _paint_connectors(
        self, painter: QPainter, block: BlockGeometry, geo: SpanGeometry, color: QColor
    ) -> None:
        """A thin dotted line joining consecutive fragments that share a visual line."""
        pen = QPen(color, 1.0, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        pieces = sorted(geo.pieces, key=lambda p: (p.top, p.fragment, p.x1))
        for a, b in zip(pieces, pieces[1:], strict=False):
            if a.top == b.top and a.fragment != b.fragment:
                y = block.bar_y(a, geo.lane) + block.thickness / 2
                left, right = (a, b) if a.x2 <= b.x1 else (b, a)
                painter.drawLine(QPointF(left.x2, y), QPointF(right.x1, y))
        painter.setPen(Qt.PenStyle.NoPen)

    def _paint_selection(self, painter: QPainter, geometries: list[BlockGeometry]) -> None:
        selected = self._selected
        hovered = self._hovered
        partners = self._partners(selected) if selected is not None else set()
        if selected is None and hovered < 0:
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        anchors: dict[int, QPointF] = {}
        for block in geometries:
            for geo in block.spans:
                pk = geo.span.pk
                pal = self._palette_for(geo.span)
                if pk == selected:
                    pen = QPen(pal.outline, 2.0)
                elif pk in partners:
                    pen = QPen(pal.outline, 1.5, Qt.PenStyle.DashLine)
                elif pk == hovered:
                    pen = QPen(pal.bar, 1.0)
                else:
                    continue
                painter.setPen(pen)
                for piece in geo.pieces:
                    bottom = block.bar_y(piece, geo.lane) + block.thickness + 1
                    painter.drawRoundedRect(
                        QRectF(piece.x1 - 1, piece.top, piece.x2 - piece.x1 + 2, bottom - piece.top),
                        2.0, 2.0,
                    )
                    if pk == selected or pk in partners:
                        anchors.setdefault(pk, QPointF((piece.x1 + piece.x2) / 2, piece.top))
        if selected in anchors:  # curved arrows to the related spans on screen
            span_style.paint_links(painter, self._palette_for(self._spans[selected]).outline,
                                   self._relations, selected, anchors)

    def _partners(self, pk: int) -> set[int]:
        return {
            r.target if r.source == pk else r.source
            for r in self._relations
            if pk in (r.source, r.target)
        }

    # -- mouse ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() > 3 or self.textCursor().hasSelection():
            return
        hits = self._spans_at_point(point)
        if hits:
            pk = hits[0]
            changed = pk != self._selected
            self.select_span(pk)
            self.spanClicked.emit(pk, event.modifiers())
            if changed:
                self.selectedSpanChanged.emit(pk)
        elif self._selected is not None:
            self.select_span(None)
            self.selectedSpanChanged.emit(-1)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        hits = self._spans_at_point(event.position().toPoint())
        pk = hits[0] if hits else -1
        if pk != self._hovered:
            old, self._hovered = self._hovered, pk
            for p in (old, pk):
                if p in self._spans:
                    self._update_cp_range(self._spans[p].start, self._spans[p].end)
            self.spanHovered.emit(pk)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        super().leaveEvent(event)
        if self._hovered != -1:
            old, self._hovered = self._hovered, -1
            if old in self._spans:
                self._update_cp_range(self._spans[old].start, self._spans[old].end)
            self.spanHovered.emit(-1)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hits = self._spans_at_point(event.pos())
            if hits:
                QToolTip.showText(event.globalPos(), self.tooltip_html(hits), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_html(self, pks: list[int]) -> str:
        """Tooltip text for spans ``pks`` (innermost first): label, layer, attributes, note."""
        return span_style.tooltip_html([self._spans[pk] for pk in pks], self._palette_for)
