"""Showing the current document's spans and relations, and which span is selected.

The session's workspace holds the shown document's spans (``w.spans``, in text order), its
relations and the selected span; the text view, the Spans table and the Relations panel show
them. After an operation only what its :class:`~annotator.workspace.Changes` names is redrawn
(:func:`show_changes`). Every function runs on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import span_text
from annotator.gui.models.span_model import format_attributes, short
from annotator.workspace import Changes, SpanDelta

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def show_spans(w: Shell) -> None:
    """Reset the Spans table and Relations panel to the shown document's spans and relations;
    the spans' attribute values become choices in the attribute editor."""
    assert w.session is not None
    for s in w.spans:
        w.session.remember_values(s.attributes)
    w.editor.values = w.session.attribute_values
    w.spans_panel.show_document()
    w.relations.set_data(w.text, w.spans, w.session.workspace.relations)


def refresh_spans(w: Shell) -> None:
    """Read the shown document's spans and relations again (after a change the workspace
    was not told about, e.g. labels renamed in the tagset) and show them."""
    if w.session is None or w.document is None:
        return
    w.session.apply_external(Changes(spans={w.document: SpanDelta(reload=True)}))


def show_changes(w: Shell, ch: Changes) -> None:
    """Redraw the text view, the Spans table and the Relations panel from what ``ch`` says
    changed in the shown document (connected to the session's ``changed``). Only changed
    spans are redrawn; the selected span stays selected if it still exists."""
    doc = w.document
    if w.session is None or doc is None or ch.current:
        return  # a newly shown document is drawn whole (documents.show_document)
    ws = w.session.workspace
    delta = ch.spans.get(doc)
    if delta is not None:
        if delta.reload:
            w.view.set_spans(ws.spans)
        else:
            for pk in delta.removed:
                w.view.remove_span(pk)
            for span in delta.changed:
                w.view.update_span(span)
    if doc in ch.relations:
        w.view.set_relations(ws.relations)
    if delta is not None and delta.reload:  # (the Spans panel redraws itself from ch)
        for s in ws.spans:
            w.session.remember_values(s.attributes)
        w.relations.set_data(w.text, ws.spans, ws.relations)
    elif delta is not None:  # one edit: the changed spans only, not 20,000 of them
        for s in delta.changed:
            w.session.remember_values(s.attributes)
        if doc in ch.relations:
            w.relations.set_data(w.text, ws.spans, ws.relations)
        else:
            w.relations.update_spans(delta.changed, delta.removed)
    elif doc in ch.relations:
        w.relations.set_data(w.text, ws.spans, ws.relations)
    if delta is not None or ch.selection or doc in ch.relations:
        keep = ws.selected if ws.selected in ws.by_pk else None
        w.view.select_span(keep)
        span_selected(w, keep)


def select_span(w: Shell, pk: int | None) -> None:
    """Select span ``pk`` in the text (scrolling to it) and show it in the panels."""
    w.view.select_span(pk)
    span = w.session.workspace.span(pk) if w.session else None
    if span is not None:
        w.view.scroll_to_cp(span.start)
    span_selected(w, pk)


def span_selected(w: Shell, pk: int | None) -> None:
    """Show span ``pk`` (None: no span) in the Span editor, Relations panel and Spans table;
    the text view's selection is left as it is. The workspace records the selection."""
    span = w.session.workspace.span(pk) if w.session else None
    if w.session is not None:
        w.session.workspace.select(span.pk if span else None)
    w.editor.set_span(span, w.text)
    w.relations.set_selected_span(span.pk if span else None)
    w.spans_panel.select(pk)


def span_hovered(w: Shell, pk: int) -> None:
    """Describe span ``pk`` in the status bar for a few seconds."""
    span = w.session.workspace.span(pk) if w.session else None
    if span is not None:
        attrs = format_attributes(span.attributes)
        w.say(f"{span.layer}:{span.label} — “{short(span_text(w.text, span.fragments), 60)}”"
              + (f" — {attrs}" if attrs else ""), 4000)
