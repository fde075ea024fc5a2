"""Dragging an end of the selected span in the text view moves that boundary.

An event filter on the view's viewport: a left press within a few pixels of the selected
span's start or end (the cursor becomes a horizontal-resize arrow there) starts a drag; while
the mouse moves the span is drawn with the boundary where the mouse is; on release the view
emits ``boundaryDragged(pk, side, position)`` and shows the span as it was until the edit (one
undo step, made by the tagger) redraws it. Esc is not needed: a drop where the boundary was
changes nothing. Positions are code points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from annotator.core.model import Span
from annotator.workspace.span_edits import Refused, Side, set_boundary


class DragView(Protocol):
    """What the drag uses of :class:`~annotator.gui.views.text_view.SpanTextView`."""

    def viewport(self) -> QWidget: ...
    def text(self) -> str: ...
    def selected_span(self) -> int | None: ...
    def span(self, pk: int) -> Span | None: ...
    def update_span(self, span: Span) -> None: ...
    def cp_at(self, point: QPoint) -> int: ...
    def cp_rect(self, pos: int) -> QRect: ...

GRIP = 4  # pixels either side of a boundary that grab it


class BoundaryDrag(QObject):
    def __init__(self, view: DragView, dropped: Callable[[int, str, int], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.dropped = dropped  # (pk, "start"/"end", code point)
        self.dragging: tuple[Span, Side] | None = None
        self._last = -1
        self._grip_cursor = False
        view.viewport().installEventFilter(self)

    def grip_at(self, point: QPoint) -> tuple[Span, Side] | None:
        """The selected span and which of its ends is under ``point``, if one is."""
        pk = self.view.selected_span()
        span = self.view.span(pk) if pk is not None else None
        if span is None:
            return None
        for side, pos in (("start", span.start), ("end", span.end)):
            r = self.view.cp_rect(pos)
            if abs(point.x() - r.center().x()) <= GRIP and r.top() - 2 <= point.y() <= \
                    r.bottom() + 6:
                return span, side  # type: ignore[return-value]
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                        QEvent.Type.MouseButtonRelease) or not isinstance(event, QMouseEvent):
            return False
        point = event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress:
            if event.button() != Qt.MouseButton.LeftButton:
                return False
            self.dragging = self.grip_at(point)
            self._last = -1
            return self.dragging is not None
        if kind == QEvent.Type.MouseMove:
            if self.dragging is None:
                self._hint(event.buttons() == Qt.MouseButton.NoButton
                           and self.grip_at(point) is not None)
                return False
            self._preview(self.view.cp_at(point))
            return True
        if self.dragging is None:
            return False
        span, side = self.dragging
        self.dragging = None
        pos = self.view.cp_at(point)
        self.view.update_span(span)  # as it was, until the edit redraws it
        if pos != (span.start if side == "start" else span.end):
            self.dropped(span.pk, side, pos)
        return True

    def _preview(self, pos: int) -> None:
        assert self.dragging is not None
        span, side = self.dragging
        if pos == self._last:
            return
        self._last = pos
        try:
            fragments = set_boundary(self.view.text(), span.fragments, side, pos)
        except Refused:
            return
        self.view.update_span(replace(span, fragments=fragments))

    def _hint(self, on: bool) -> None:
        if on == self._grip_cursor:
            return
        self._grip_cursor = on
        shape = Qt.CursorShape.SizeHorCursor if on else Qt.CursorShape.IBeamCursor
        self.view.viewport().setCursor(shape)
