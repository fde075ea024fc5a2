"""Edit > Tagset…: open the tagset editor and apply its result to the open project.

Applying renames the spans of renamed labels first (:meth:`Project.rename_labels`), then stores
the tagset. The undo history is cleared after a rename (its edits name the old labels); a
change without renames keeps it. Labels and relation types still in use cannot be removed: the
editor refuses before OK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.tagset import Tagset
from annotator.gui.views import dialogs
from annotator.gui.views.tagset_editor import TagsetEditor

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def editor_for(w: Shell) -> TagsetEditor | None:
    """A tagset editor on the window's project (not shown yet)."""
    if w.project is None or w.session is None:
        return None
    stats = w.project.stats()
    used = {(layer, label): n for layer, entry in stats["layers"].items()
            for label, n in entry["labels"].items()}
    editor = TagsetEditor(w.project.tagset, used=used, used_relations=stats["relation_types"],
                          editable=w.session.editable, parent=w)
    editor.lexiconsRequested.connect(w.suggestions.edit_lexicons)
    return editor


def edit_tagset(w: Shell) -> None:
    dlg = editor_for(w)
    if dlg is None:
        return
    if dlg.exec() and (tagset := dlg.tagset()) is not None:
        apply_tagset(w, tagset, dlg.renames())
    dlg.deleteLater()


def apply_tagset(w: Shell, tagset: Tagset,
                 renames: dict[tuple[str, str], tuple[str, str]] | None = None) -> bool:
    """Store ``tagset`` in the project (spans of renamed labels follow) and redraw."""
    if w.project is None or w.session is None:
        return False
    if not w.session.editable:
        dialogs.show_warning(w, "Tagset", "The tagset cannot be changed now (read-only "
                             "project, or an import or export is running).")
        return False
    try:
        # spans and tagset change in one transaction
        done = w.project.rename_labels(renames or {}, tagset=tagset)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot change the tagset", str(exc))
        return False
    if renames:
        w.session.undo_stack.clear()
    w._tagset_changed()
    w.refresh_spans()  # re-read: labels may have changed
    w.suggestions.refresh()
    merged = f", {done.merged} identical span(s) merged" if done.merged else ""
    w.say("Tagset saved" + (f"; {done.moved} span(s) relabelled{merged} (undo history cleared)"
                            if renames else "") + ".", 8000)
    return True
