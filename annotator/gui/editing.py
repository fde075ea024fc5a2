"""Edits from the window's widgets, and the redraw after every edit.

Every change goes through ``w.session.do`` as one undoable :class:`~annotator.core.undo.Edit`;
:func:`edited` is connected to the session's ``changed`` signal and redraws what the edit (or
its undo/redo) touched. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.errors import AnnotatorError
from annotator.core.model import Attributes
from annotator.core.undo import DeleteRelation, Edit, SetStatus, UpdateSpan
from annotator.gui import documents, span_display, status, tagset_view
from annotator.gui.session import span_delta
from annotator.gui.tagging import duplicate_of

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def edited(w: MainWindow, edit: Edit, reverted: bool = False) -> None:
    """Redraw after an edit was applied or reverted (by undo/redo too): its document is
    shown, its spans redrawn, its row of the document list updated, the tagset re-read
    if its label count changed."""
    if w.project is None:
        return
    if edit.document and edit.document != w.document:
        documents.open_document(w, edit.document)
    else:
        span_display.refresh_spans(w, span_delta(w.project, edit, reverted))
    try:
        w.doc_model.update(w.project.document(edit.document or w.document or 0))
    except AnnotatorError:
        documents.reload_documents(w)
    if w.editor.label_combo.count() != sum(len(x.labels) for x in w.project.tagset.layers
                                           if not x.document_level):
        tagset_view.tagset_changed(w)
    w.suggestions.spans_changed()
    status.update_counts(w)


def update_selected(w: MainWindow, *, layer: str | None = None, label: str | None = None,
                    attributes: Attributes | None = None, note: str | None = None) -> None:
    """Change the selected span's label, attributes or note (one undo step); None leaves
    that part unchanged."""
    pk = w.tagger.selected()
    if w.session is None or pk is None:
        return
    if layer is not None and label is not None:
        span = next((s for s in w.spans if s.pk == pk), None)
        if span is not None and duplicate_of(w.spans, layer, label, span.fragments,
                                             exclude=pk) is not None:  # the label change would make an exact duplicate: refused, shown as it was
            w.say(f"Another {layer}:{label} span covers exactly this text; the label stays.")
            span_display.span_selected(w, pk)
            return
    if attributes is not None:
        w.session.remember_values(attributes)
    w.session.do(UpdateSpan(pk, layer=layer, label=label, attributes=attributes, note=note))


def delete_relation(w: MainWindow, pk: int) -> None:
    """Delete relation ``pk`` (one undo step)."""
    if w.session is not None:
        w.session.do(DeleteRelation(pk))


def set_status(w: MainWindow, value: str) -> None:
    """Set the shown document's status ("new", "in_progress", "done"; one undo step)."""
    if w.session is not None and w.document is not None:
        w.session.do(SetStatus(w.document, value))


def undo(w: MainWindow) -> None:
    """Undo the last edit, unless the project is read-only or a job is running."""
    if w.session is not None and w.session.editable:
        w.session.undo_stack.undo()


def redo(w: MainWindow) -> None:
    """Redo the last undone edit, unless the project is read-only or a job is running."""
    if w.session is not None and w.session.editable:
        w.session.undo_stack.redo()


def palette_chosen(w: MainWindow, layer: str, label: str) -> None:
    """Tag the selection from a palette click; Shift or Alt keeps its exact bounds."""
    mods = QApplication.keyboardModifiers()
    exact = bool(mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier))
    w.tagger.tag(layer, label, exact=exact)
    w.view.setFocus()
