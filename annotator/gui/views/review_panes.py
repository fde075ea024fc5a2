"""Two read-only text panes, A above B, showing the same text with each annotator's spans.

Contract: :meth:`ReviewPanes.set_document` takes the text and the two sides' ``SpanRecord``
lists; each record becomes a :class:`annotator.core.model.Span` whose ``pk`` is its index in
its list (synthetic: these spans are not in any project). Scrolling one pane scrolls the other
to the same position. :meth:`show_pair` selects a span in each pane (or none) and scrolls both
to it; :meth:`chosen_selection` is a text selection the reviewer made (never one left from
another disagreement, nor the one that shows where a side has no span). Main thread only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QScrollBar, QVBoxLayout, QWidget

from annotator.core.model import Span, SpanRecord
from annotator.gui.views.text_view import SpanTextView


def to_spans(records: Sequence[SpanRecord]) -> list[Span]:
    """SpanRecords as Spans with pk = index."""
    return [Span(pk=i, document=0, layer=r.layer, label=r.label,
                 fragments=tuple((start, end) for start, end in r.fragments),
                 attributes=dict(r.attributes), note=r.note, annotator=r.annotator)
            for i, r in enumerate(records)]


class ReviewPanes(QWidget):
    """Annotator A's pane above annotator B's pane, scrolled together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_a, self.label_b = QLabel(), QLabel()
        self.view_a, self.view_b = SpanTextView(), SpanTextView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, view in ((self.label_a, self.view_a), (self.label_b, self.view_b)):
            label.setStyleSheet("font-weight: bold; padding: 2px 0;")
            layout.addWidget(label)
            layout.addWidget(view, 1)
        self._records: tuple[list[SpanRecord], list[SpanRecord]] = ([], [])
        self._syncing = False
        self._shown: dict[int, tuple[int, int]] = {}  # side -> selection show_pair made
        bar_a, bar_b = self.view_a.verticalScrollBar(), self.view_b.verticalScrollBar()
        bar_a.valueChanged.connect(lambda v: self._sync(bar_b, v))
        bar_b.valueChanged.connect(lambda v: self._sync(bar_a, v))

    def _sync(self, other: QScrollBar, value: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            other.setValue(value)
        finally:
            self._syncing = False

    def set_names(self, a: str, b: str) -> None:
        self.label_a.setText(f"A: {a}")
        self.label_b.setText(f"B: {b}")

    def set_document(self, text: str, spans_a: Sequence[SpanRecord],
                     spans_b: Sequence[SpanRecord], colors: dict[tuple[str, str], str]) -> None:
        self._records = (list(spans_a), list(spans_b))
        self._shown = {}
        self.view_a.set_document(text, to_spans(spans_a), colors)
        self.view_b.set_document(text, to_spans(spans_b), colors)

    def pk_of(self, side: int, record: SpanRecord | None) -> int | None:
        if record is None:
            return None
        for i, r in enumerate(self._records[side]):
            if r is record:
                return i
        return None

    def chosen_selection(self) -> tuple[int, int] | None:
        """The text selection the reviewer made (pane A first), in code points; None when
        there is none: a selection :meth:`show_pair` made to show where a span is missing is
        not one."""
        for side, view in ((0, self.view_a), (1, self.view_b)):
            sel = view.selection_cp()
            if sel is not None and sel != self._shown.get(side):
                return sel
        return None

    def show_pair(self, a: SpanRecord | None, b: SpanRecord | None, start: int, end: int) -> None:
        """Select ``a`` in pane A and ``b`` in pane B and scroll both to ``start``."""
        self._shown = {}
        for side, view, rec in ((0, self.view_a, a), (1, self.view_b, b)):
            pk = self.pk_of(side, rec)
            view.select_span(pk)
            if pk is None:  # no span on this side: the text selection shows where
                view.set_selection_cp(start, end)
                self._shown[side] = (start, end)
            else:  # no text selection left over from the disagreement shown before
                view.set_selection_cp(start, start)
        self.view_a.scroll_to_cp(start)
        self.view_b.verticalScrollBar().setValue(self.view_a.verticalScrollBar().value())
