"""Finding text: the find bar under the document and the "Find in project" dialog.

The dialog is created on first use and kept as ``w._find_dialog``; its search runs
:func:`annotator.gui.ops.search_project` on the GUI thread. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.gui import documents, ops
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def open_find(w: Shell) -> None:
    """Open the find bar on the current document, seeded with a short selected text."""
    if w.document is None:
        return
    sel = w.view.selection_cp()
    initial = w.text[sel[0]:sel[1]] if sel and 0 < sel[1] - sel[0] < 80 else ""
    w.find_bar.set_text(w.text)
    w.find_bar.open_bar(initial)


def show_match(w: Shell, start: int, end: int) -> None:
    """Select code points ``start``–``end`` of the shown document and scroll to them."""
    w.view.set_selection_cp(start, end)
    w.view.scroll_to_cp(start)


def open_project_find(w: Shell) -> None:
    """Show (creating if needed) the "Find in project" dialog."""
    if w.project is None:
        return
    if w._find_dialog is None:
        w._find_dialog = dialogs.ProjectFindDialog(
            lambda q: ops.search_project(w.project, q) if w.project else [], w)
        w._find_dialog.openHit.connect(
            lambda document, start, end: open_hit(w, document, start, end))
    w._find_dialog.show()
    w._find_dialog.raise_()
    w._find_dialog.query.setFocus()


def open_hit(w: Shell, document: int, start: int, end: int) -> None:
    """Show a hit of the project search: open its document if needed, select the match."""
    if document != w.document:
        documents.open_document(w, document)
    show_match(w, start, end)
