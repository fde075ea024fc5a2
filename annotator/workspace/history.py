"""The undo history of a workspace: applied core edits, newest last, and the undone ones.

Like :class:`annotator.core.undo.History` but the edit is applied by the caller before
:meth:`History.push`, and the history says what undo/redo would do (for menu entries). A
refused undo or redo (the edit raises) leaves the history as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.undo import Edit

if TYPE_CHECKING:
    from annotator.core.project import Project


class History:
    def __init__(self) -> None:
        self._done: list[Edit] = []
        self._undone: list[Edit] = []

    def push(self, edit: Edit) -> None:
        """Record ``edit`` (already applied); what was undone can no longer be redone."""
        self._done.append(edit)
        self._undone.clear()

    def undo(self, project: Project) -> Edit | None:
        if not self._done:
            return None
        edit = self._done[-1]
        edit.revert(project)
        self._undone.append(self._done.pop())
        return edit

    def redo(self, project: Project) -> Edit | None:
        if not self._undone:
            return None
        edit = self._undone[-1]
        edit.apply(project)
        self._done.append(self._undone.pop())
        return edit

    def drop_undo(self) -> None:
        """Forget the next edit to undo (it can never be undone: its span is gone)."""
        if self._done:
            self._done.pop()

    def drop_redo(self) -> None:
        """Forget the next edit to redo (it can never be redone: its span is gone)."""
        if self._undone:
            self._undone.pop()

    @property
    def next_undo(self) -> Edit | None:
        return self._done[-1] if self._done else None

    @property
    def next_redo(self) -> Edit | None:
        return self._undone[-1] if self._undone else None

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    def count(self) -> int:
        """How many edits the history holds, undone ones included (as ``QUndoStack.count``)."""
        return len(self._done) + len(self._undone)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""
