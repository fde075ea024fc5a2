"""Showing the current document's spans and relations, and which span is selected.

The window keeps the shown document's spans in ``w.spans``, sorted by
(start, end, layer, label, pk); the text view, the tagger, the Spans table and the Relations
panel are all fed from that list. After an edit only the changed spans are redrawn (see
:func:`refresh_spans`). Every function runs on the GUI thread.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex

from annotator.core.model import Relation, Span, span_text
from annotator.gui import tagset_view
from annotator.gui.models.document_model import PK_ROLE
from annotator.gui.models.span_model import format_attributes, short

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def span_order(span: Span) -> tuple[int, int, str, str, int]:
    """The sort key of ``w.spans``."""
    return (span.start, span.end, span.layer, span.label, span.pk)


def show_spans(w: MainWindow, spans: list[Span], relations: list[Relation]) -> None:
    """Reset the Spans table and Relations panel to ``spans``/``relations`` (a whole document);
    the spans' attribute values become choices in the attribute editor."""
    assert w.session is not None
    for s in spans:
        w.session.remember_values(s.attributes)
    w.editor.values = w.session.attribute_values
    w.span_model.reset(w.text, spans, tagset_view.colors(w))
    w.relations.set_data(w.text, spans, relations)


def refresh_spans(w: MainWindow, delta: tuple[list[Span], list[int]] | None = None) -> None:
    """Show the current document's spans again: only ``delta`` (changed spans, removed
    keys) when given, else everything re-read from the project. The selected span stays
    selected if it still exists."""
    if w.project is None or w.document is None:
        return
    selected = w.view.selected_span()
    if delta is None:
        spans = w.project.spans(w.document)
        w.view.set_spans(spans)
    else:
        changed, removed = delta
        gone = set(removed) | {s.pk for s in changed}
        known = {s.pk for s in w.spans}
        spans = [s for s in w.spans if s.pk not in gone]
        for span in changed:  # the list stays in (start, end, layer, label, pk) order
            bisect.insort(spans, span, key=span_order)
        for pk in removed:
            w.view.remove_span(pk)
        for span in changed:
            if span.pk in known:
                w.view.update_span(span)
            else:
                w.view.add_span(span)
    relations = w.project.relations(w.document)
    w.spans = spans
    w.view.set_relations(relations)
    w.tagger.set_spans(spans)
    if delta is None:
        show_spans(w, spans, relations)
    else:  # one edit: update the span table's rows instead of resetting 20,000 of them
        assert w.session is not None
        for s in delta[0]:
            w.session.remember_values(s.attributes)
        w.span_model.apply_delta(*delta)
        w.relations.set_data(w.text, spans, relations)
    keep = selected if any(s.pk == selected for s in spans) else None
    w.view.select_span(keep)
    span_selected(w, keep)


def select_span(w: MainWindow, pk: int | None) -> None:
    """Select span ``pk`` in the text (scrolling to it) and show it in the panels."""
    w.view.select_span(pk)
    span = next((s for s in w.spans if s.pk == pk), None)
    if span is not None:
        w.view.scroll_to_cp(span.start)
    span_selected(w, pk)


def span_selected(w: MainWindow, pk: int | None) -> None:
    """Show span ``pk`` (None: no span) in the Span editor, Relations panel and Spans table;
    the text view's selection is left as it is."""
    span = next((s for s in w.spans if s.pk == pk), None)
    w.editor.set_span(span, w.text)
    w.relations.set_selected_span(span.pk if span else None)
    row = w.span_model.row_of(pk) if pk is not None else -1
    if row >= 0:
        index = w.span_filter.mapFromSource(w.span_model.index(row, 0))
        if index.isValid():
            w.span_table.selectRow(index.row())
            w.span_table.scrollTo(index)
    else:
        w.span_table.clearSelection()


def span_row_clicked(w: MainWindow, index: QModelIndex) -> None:
    """A row of the Spans table was clicked or activated: select its span."""
    pk = index.data(PK_ROLE)
    if pk is not None:
        select_span(w, int(pk))


def span_hovered(w: MainWindow, pk: int) -> None:
    """Describe span ``pk`` in the status bar for a few seconds."""
    span = next((s for s in w.spans if s.pk == pk), None)
    if span is not None:
        attrs = format_attributes(span.attributes)
        w.say(f"{span.layer}:{span.label} — “{short(span_text(w.text, span.fragments), 60)}”"
              + (f" — {attrs}" if attrs else ""), 4000)
