"""The Document labels dock: the shown document's document-level labels, edited in place.

The panel (:class:`~annotator.gui.views.doc_label_panel.DocumentLabelPanel`) shows the
project annotator's labels of the document as a whole and the others' (read-only); a choice
becomes one undo step of the workspace (:meth:`~annotator.workspace.Workspace.set_doc_label`,
``set_doc_attributes``), committed at once. It redraws when the shown document, the tagset or
the document's labels change (:func:`changed`). GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from annotator.gui.views.doc_label_panel import DocumentLabelPanel
from annotator.workspace import Changes

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def build(w: Shell) -> None:
    """Create ``w.doc_labels`` in a dock below the document list."""
    w.doc_labels = DocumentLabelPanel()
    w.doc_labels.labelChosen.connect(lambda layer, label: choose_label(w, layer, label))
    w.doc_labels.attributesChanged.connect(
        lambda layer, values: set_attributes(w, layer, values))
    w.doc_labels_dock = w._dock("Document labels", "doc_labels", w.doc_labels,
                                Qt.DockWidgetArea.LeftDockWidgetArea)
    refresh(w)


def refresh(w: Shell) -> None:
    """Show the shown document's labels (none without a document)."""
    ws = w.session.workspace if w.session else None
    w.doc_labels.set_data(w.project.tagset if w.project else None,
                          ws.doc_annotations if ws else [],
                          w.project.annotator if w.project else "",
                          has_document=w.document is not None)
    w.doc_labels.set_editable(bool(w.session and w.session.editable and w.document))


def changed(w: Shell, ch: Changes) -> None:
    """The session's ``changed``: redraw when the document's labels or the tagset changed."""
    if ch.tagset or ch.current or (w.document is not None and w.document in ch.doc_annotations):
        refresh(w)


def choose_label(w: Shell, layer: str, label: str) -> None:
    if w.session is not None:
        ws = w.session.workspace
        if w.session.run(lambda: ws.set_doc_label(layer, label or None)) is None:
            refresh(w)  # refused: the panel shows what is saved


def set_attributes(w: Shell, layer: str, values: dict[str, Any]) -> None:
    if w.session is not None:
        ws = w.session.workspace
        if w.session.run(lambda: ws.set_doc_attributes(layer, values)) is None:
            refresh(w)
