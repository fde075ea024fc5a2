"""What the window shows of its state: which actions are enabled, the undo/redo texts, the
checked document status, and the span/document counts in the status bar.

Call :func:`set_editable` after anything that changes the session, the shown document or the
running job; :func:`update_counts` after the spans or document list changed. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def set_editable(w: Shell, *_: object) -> None:
    """Enable editing actions only with an editable project (not read-only, no job running)
    and a shown document; file actions only when no job runs."""
    has_project = w.session is not None
    editable = bool(w.session and w.session.editable)
    has_doc = w.document is not None
    for a in (w.act_delete, w.act_fragment, w.act_link, w.act_relabel, w.act_split,
              w.act_join, *w.act_bounds, *w.act_status.values()):
        a.setEnabled(editable and has_doc)
    for a in (w.act_import, w.act_import_folder):
        a.setEnabled(editable)
    idle = w.job is None
    for a in (w.act_export, w.act_find_project):
        a.setEnabled(has_project and idle)
    on_server = bool(w.project is not None and w.project.on_server)
    w.act_backup.setEnabled(has_project and idle and not on_server)  # the server backs up
    for a in (w.act_new, w.act_open):
        a.setEnabled(idle)
    stack = w.session.undo_stack if w.session else None
    w.act_undo.setEnabled(bool(editable and stack and stack.canUndo()))
    w.act_redo.setEnabled(bool(editable and stack and stack.canRedo()))
    if stack is not None:
        w.act_undo.setText(f"&Undo {stack.undoText()}".strip())
        w.act_redo.setText(f"&Redo {stack.redoText()}".strip())
    w.palette_bar.setEnabled(editable and has_doc)
    w.editor.set_editable(editable)
    w.relations.set_editable(editable)
    w.doc_labels.set_editable(editable and has_doc)
    w.doc_dock.setEnabled(idle)
    if w.project is not None and w.document is not None:
        current = next((d.status for d in w.doc_model.documents() if d.pk == w.document), "")
        if current in w.act_status:
            w.act_status[current].setChecked(True)


def update_counts(w: Shell) -> None:
    """Show "n spans · m relations" of the document and "done / all documents"; then
    :func:`set_editable`."""
    docs = w.doc_model.documents()
    done = sum(1 for d in docs if d.status == "done")
    w.project_counts.setText(f"  {done} / {len(docs)} documents done  ")
    if w.document is None:
        w.doc_counts.setText("")
    else:
        rels = len(w.relations.relation_pks())
        w.doc_counts.setText(f"  {len(w.spans)} spans · {rels} relations  ")
    set_editable(w)
