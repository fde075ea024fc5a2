"""The open project as the GUI sees it: the core :class:`Project` plus a Qt undo stack.

Every change goes through :meth:`ProjectSession.do`, which applies a core
:class:`annotator.core.undo.Edit` (the core commits at once) and pushes it as one undo step.
Views listen to :attr:`ProjectSession.changed` (the edit, and whether it was reverted) and
redraw; :func:`span_delta` tells them which spans to add or drop without re-reading all.
An edit that fails is reported through :attr:`ProjectSession.failed` and is not pushed.
While a background job runs (:attr:`busy`) no edit is accepted: the worker uses the same
:class:`Project`, one thread at a time.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.project import Project
from annotator.core.undo import AddSpan, DeleteSpan, Edit, UpdateSpan


def span_delta(project: Project, edit: Edit, reverted: bool
               ) -> tuple[list[Span], list[int]] | None:
    """(spans now present or changed, span keys now gone) after ``edit``; None when the edit
    does not touch spans. Reads at most one span from the project."""
    if isinstance(edit, AddSpan) and edit.span is not None:
        return ([], [edit.span.pk]) if reverted else ([edit.span], [])
    if isinstance(edit, DeleteSpan) and edit.span is not None:
        return ([edit.span], []) if reverted else ([], [edit.span.pk])
    if isinstance(edit, UpdateSpan):
        return [project.span(edit.pk)], []
    return None


class EditCommand(QUndoCommand):
    """One core edit as one undo step; redo/undo call ``apply``/``revert``."""

    def __init__(self, session: ProjectSession, edit: Edit) -> None:
        super().__init__(edit.text)
        self.session = session
        self.edit = edit
        self._applied = True  # the session applies the edit before pushing

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.session.run(self.edit, revert=False)

    def undo(self) -> None:
        self.session.run(self.edit, revert=True)


class ProjectSession(QObject):
    """An open project, its undo stack and its change notifications."""

    changed = Signal(object, bool)  # the Edit, True when it was reverted (undo)
    failed = Signal(str)  # a message for people

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.busy = False
        self.attribute_values: dict[str, set[str]] = {}

    @property
    def editable(self) -> bool:
        return not self.project.readonly and not self.busy

    def do(self, edit: Edit) -> bool:
        """Apply ``edit`` and push it as one undo step; False (and :attr:`failed`) on error."""
        if self.project.readonly:
            self.failed.emit(f"{self.project.path}: open read-only"
                             + (f" ({self.project.readonly_reason})"
                                if self.project.readonly_reason else ""))
            return False
        if self.busy:
            self.failed.emit("Please wait until the import or export has finished.")
            return False
        if not self.run(edit, revert=False):
            return False
        self.undo_stack.push(EditCommand(self, edit))
        return True

    def run(self, edit: Edit, *, revert: bool) -> bool:
        try:
            if revert:
                edit.revert(self.project)
            else:
                edit.apply(self.project)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return False
        self.changed.emit(edit, revert)
        return True

    def remember_values(self, attributes: dict[str, object]) -> None:
        """Collect text attribute values for completers (e.g. stance targets)."""
        for name, value in attributes.items():
            if isinstance(value, str) and value.strip():
                self.attribute_values.setdefault(name, set()).add(value)

    def close(self) -> None:
        self.undo_stack.clear()
        self.project.close()
