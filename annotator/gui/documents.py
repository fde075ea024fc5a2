"""The document list and the shown document.

``w.doc_model`` lists the project's documents (``w.doc_filter`` filters them by title and
status); ``w.document`` is the key of the shown one (None: the placeholder is shown) and
``w.text``/``w.spans`` its text and spans. The list's current row follows the shown document
without re-opening it. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex

from annotator.core.errors import AnnotatorError
from annotator.gui import span_display, status, tagset_view
from annotator.gui.models.document_model import PK_ROLE
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def reload_documents(w: MainWindow) -> None:
    """Re-read the document list from the project (empty without one)."""
    if w.project is None:
        w.doc_model.reset([])
    else:
        w.doc_model.reset(w.project.documents())
    select_doc_row(w)
    status.update_counts(w)


def select_doc_row(w: MainWindow) -> None:
    """Make the shown document the list's current row (signals blocked: nothing re-opens)."""
    row = w.doc_model.row_of(w.document) if w.document is not None else -1
    sm = w.doc_table.selectionModel()
    if row < 0:
        sm.clearSelection()
        return
    index = w.doc_filter.mapFromSource(w.doc_model.index(row, 0))
    if index.isValid():
        sm.blockSignals(True)
        sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)
        sm.blockSignals(False)
        w.doc_table.viewport().update()
        w.doc_table.scrollTo(index)


def row_changed(w: MainWindow, current: QModelIndex) -> None:
    """The user moved to another row of the list: open its document."""
    if current.isValid():
        pk = current.data(PK_ROLE)
        if pk != w.document:
            open_document(w, int(pk))


def open_document(w: MainWindow, pk: int | None) -> None:
    """Show document ``pk`` (None: the placeholder). After a read error a message is shown
    and the previous document stays."""
    if w.project is None or pk is None:
        w.document, w.text, w.spans = None, "", []
        w.tagger.set_document(None, "", [])
        w.stack.setCurrentWidget(w.placeholder)
        w.span_model.reset("", [], {})
        w.relations.set_data("", [], [])
        w.editor.set_span(None, "")
        w.suggestions.document_changed()
        status.update_counts(w)
        return
    try:
        text = w.project.text(pk)
        spans = w.project.spans(pk)
        relations = w.project.relations(pk)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot open document", str(exc))
        return
    w.document, w.text, w.spans = pk, text, spans
    w.stack.setCurrentWidget(w.view)
    w.view.set_document(text, spans, tagset_view.colors(w))
    w.view.set_hidden_layers(set(w.hidden_layers))
    w.view.set_relations(relations)
    w.tagger.set_document(pk, text, spans)
    w.find_bar.set_text(text)
    span_display.show_spans(w, spans, relations)
    w.editor.set_span(None, text)
    w.suggestions.document_changed()
    select_doc_row(w)
    status.update_counts(w)
    status.set_editable(w)


def step_document(w: MainWindow, delta: int) -> None:
    """Open the document ``delta`` rows below (above if negative) the shown one in the
    filtered list, stopping at its ends."""
    rows = w.doc_filter.rowCount()
    if not rows:
        return
    current = -1
    if w.document is not None:
        src = w.doc_model.index(w.doc_model.row_of(w.document), 0)
        current = w.doc_filter.mapFromSource(src).row()
    row = min(max(current + delta, 0), rows - 1)
    open_document(w, int(w.doc_filter.index(row, 0).data(PK_ROLE)))
