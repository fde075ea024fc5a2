"""Edits from the window's widgets, and the redraw after every edit.

Every change goes through the session (``w.session.do`` or ``w.session.run``) as one undoable
step of the workspace; :func:`connect` hands each of the session's signals to the part of the
window that shows it, which redraws what the change (or its undo/redo) touched. GUI thread
only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Attributes
from annotator.core.undo import DeleteRelation, SetStatus, UpdateSpan
from annotator.gui import annotator_view, doc_labels, documents, span_display, status, tagset_view
from annotator.gui.session import ProjectSession
from annotator.gui.tagging import duplicate_of
from annotator.gui.views import dialogs
from annotator.workspace import Changes

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def connect(w: Shell, session: ProjectSession) -> None:
    """Each part of the window listens to the session's signal for the part it shows."""
    session.changed.connect(lambda ch: span_display.show_changes(w, ch))
    session.changed.connect(lambda ch: _spans_changed(w, ch))
    session.changed.connect(lambda ch: doc_labels.changed(w, ch))
    session.currentChanged.connect(lambda: documents.show_document(w))
    session.tagsetChanged.connect(lambda: tagset_view.redraw(w))
    session.annotatorsChanged.connect(w.show_annotator)
    session.annotatorsChanged.connect(lambda: annotator_view.apply(w))
    session.historyChanged.connect(lambda: status.set_editable(w))
    session.message.connect(w.say)
    session.failed.connect(lambda msg: dialogs.show_error(w, "Edit failed", msg))


def _spans_changed(w: Shell, ch: Changes) -> None:
    """After spans of the shown document changed: suggestions and counts follow, and the
    tagset is read again if an edit added a label to it."""
    if ch.spans or ch.documents or ch.project:  # what string matching learns from
        w.suggestions.corpus_changed()
    if w.project is None or w.document is None or w.document not in ch.spans:
        return
    if w.editor.label_combo.count() != sum(len(x.labels) for x in w.project.tagset.layers
                                           if not x.document_level):
        tagset_view.tagset_changed(w)
    w.suggestions.spans_changed()
    status.update_counts(w)


def update_selected(w: Shell, *, layer: str | None = None, label: str | None = None,
                    attributes: Attributes | None = None, note: str | None = None) -> None:
    """Change the selected span's label, attributes or note (one undo step); None leaves
    that part unchanged."""
    pk = w.tagger.selected()
    if w.session is None or pk is None:
        return
    if layer is not None and label is not None:
        span = w.session.workspace.span(pk)
        if span is not None and duplicate_of(w.spans, layer, label, span.fragments,
                                             exclude=pk) is not None:  # the label change would make an exact duplicate: refused, shown as it was
            w.say(f"Another {layer}:{label} span covers exactly this text; the label stays.")
            span_display.span_selected(w, pk)
            return
    if attributes is not None:
        w.session.remember_values(attributes)
    w.session.do(UpdateSpan(pk, layer=layer, label=label, attributes=attributes, note=note))


def delete_relation(w: Shell, pk: int) -> None:
    """Delete relation ``pk`` (one undo step)."""
    if w.session is not None:
        w.session.do(DeleteRelation(pk))


def set_status(w: Shell, value: str) -> None:
    """Set the shown document's status ("new", "in_progress", "done"; one undo step)."""
    if w.session is not None and w.document is not None:
        w.session.do(SetStatus(w.document, value))


def undo(w: Shell) -> None:
    """Undo the last edit, unless the project is read-only or a job is running."""
    if w.session is not None and w.session.editable:
        w.session.undo()


def redo(w: Shell) -> None:
    """Redo the last undone edit, unless the project is read-only or a job is running."""
    if w.session is not None and w.session.editable:
        w.session.redo()


def palette_chosen(w: Shell, layer: str, label: str) -> None:
    """Tag the selection from a palette click; Shift or Alt keeps its exact bounds."""
    mods = QApplication.keyboardModifiers()
    exact = bool(mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier))
    w.tagger.tag(layer, label, exact=exact)
    w.view.setFocus()
