"""The document list and the shown document.

The Documents panel (``w.documents_panel``, :mod:`annotator.gui.documents_panel`) lists the
project's documents and follows the session's changes itself; the session's workspace holds the
shown one (``w.document``, None: the placeholder
is shown; ``w.text``/``w.spans`` its text and spans). The list's current row follows the shown document
without re-opening it. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.gui import annotator_view, doc_labels, span_display, status, tagset_view
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def reload_documents(w: Shell) -> None:
    """Re-read the document list from the project (empty without one)."""
    w.documents_panel.reload()


def select_doc_row(w: Shell) -> None:
    """Make the shown document the list's current row (nothing re-opens)."""
    w.documents_panel.mark_current()


def open_document(w: Shell, pk: int | None) -> None:
    """Show document ``pk`` (None: the placeholder). After a read error a message is shown
    and the previous document stays."""
    if w.session is None:
        show_document(w)
        return
    try:
        w.session.workspace.open_document(pk)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot open document", str(exc))
        return
    show_document(w)


def show_document(w: Shell) -> None:
    """Draw the workspace's shown document whole (text, spans, relations, panels); the
    placeholder without one. Connected to the session's ``currentChanged`` too (undo of an
    edit made in another document shows that document)."""
    if w.document is None:
        w.stack.setCurrentWidget(w.placeholder)
        w.span_model.reset("", [], {})
        w.relations.set_data("", [], [])
        w.editor.set_span(None, "")
        w.view.set_document("", [], {})
        doc_labels.refresh(w)
        w.suggestions.document_changed()
        status.update_counts(w)
        return
    assert w.session is not None
    ws = w.session.workspace
    w.stack.setCurrentWidget(w.view)
    w.view.set_document(ws.text, ws.spans, tagset_view.colors(w))
    w.view.set_hidden_layers(set(w.hidden_layers))
    annotator_view.document_opened(w)
    w.view.set_relations(ws.relations)
    w.tagger.link_source = None
    w.find_bar.set_text(ws.text)
    span_display.show_spans(w)
    w.editor.set_span(None, ws.text)
    w.suggestions.document_changed()
    doc_labels.refresh(w)
    select_doc_row(w)
    status.update_counts(w)
    status.set_editable(w)


def step_document(w: Shell, delta: int) -> None:
    """Open the document ``delta`` rows below (above if negative) the shown one in the
    filtered list, stopping at its ends."""
    pk = w.documents_panel.step(delta)
    if pk is not None:
        open_document(w, pk)
