"""The thin Qt adapter of the workspace model: turns each :class:`Changes` into signals.

:class:`ProjectSession` owns one :class:`~annotator.workspace.Workspace` (the open project, the
shown document, the selection, the undo history; no Qt). Every operation goes through
:meth:`ProjectSession.run` (or :meth:`do` for a core :class:`~annotator.core.undo.Edit`):
the workspace applies it (the core commits at once) and returns what changed, which is
emitted as :attr:`changed` (the whole :class:`Changes`) and as one signal per part, so that
each panel listens to the part it shows. Changes made elsewhere (the team workflow) come in
through :meth:`apply_external` and go out the same way; on a server project a
:class:`~annotator.gui.live.LiveFeed` brings them in as they happen.

A refusal the user should just read (nothing selected, a boundary that cannot move) goes to
:attr:`message` (the status bar); an error of the project to :attr:`failed` (a message box).
Neither changes anything. While a background job runs (:attr:`busy`) no edit is accepted: the
worker uses the same :class:`Project`, one thread at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.undo import Edit
from annotator.gui import live
from annotator.workspace import NOTHING, Changes, Refused, Workspace
from annotator.workspace.history import History


class UndoStack:
    """The workspace history under the names of Qt's ``QUndoStack`` (what menus and older
    callers use); undo/redo go through the session so that their changes are shown."""

    def __init__(self, session: ProjectSession) -> None:
        self._session = session

    @property
    def _history(self) -> History:
        return self._session.workspace.history

    def count(self) -> int:
        return self._history.count()

    def canUndo(self) -> bool:  # noqa: N802 (Qt's name)
        return self._history.can_undo

    def canRedo(self) -> bool:  # noqa: N802
        return self._history.can_redo

    def undoText(self) -> str:  # noqa: N802
        return self._history.undo_text

    def redoText(self) -> str:  # noqa: N802
        return self._history.redo_text

    def undo(self) -> None:
        self._session.undo()

    def redo(self) -> None:
        self._session.redo()

    def clear(self) -> None:
        self._history.clear()
        self._session.publish(Changes(history=True))


class ProjectSession(QObject):
    """An open project's workspace and its change signals."""

    changed = Signal(object)  # every Changes, local or remote
    spansChanged = Signal(int, object)  # document key, SpanDelta
    relationsChanged = Signal(int)  # document key
    headersChanged = Signal(object)  # frozenset of document keys (status, counts)
    documentsChanged = Signal()  # documents added, removed or renamed
    currentChanged = Signal()  # another document is shown
    selectionChanged = Signal(object)  # the selected span's key or None
    tagsetChanged = Signal()
    annotatorsChanged = Signal()
    historyChanged = Signal()
    message = Signal(str)  # for the status bar
    failed = Signal(str)  # a message for people (a message box)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = Workspace(project)
        self.undo_stack = UndoStack(self)
        self.attribute_values: dict[str, set[str]] = {}
        # a project on a server: other people's changes arrive as they happen
        self.live = live.start(project, current=lambda: self.workspace.document,
                               apply=self.apply_external, parent=self)

    @property
    def project(self) -> Project:
        assert self.workspace.project is not None
        return self.workspace.project

    @property
    def busy(self) -> bool:
        return self.workspace.busy

    @busy.setter
    def busy(self, value: bool) -> None:
        self.workspace.busy = value

    @property
    def editable(self) -> bool:
        return self.workspace.editable

    # ----------------------------------------------------------------- operations
    def run(self, op: Callable[[], Changes]) -> Changes | None:
        """Run one workspace operation and emit what it changed; None when it was refused
        (:attr:`message`) or failed (:attr:`failed`): then nothing changed."""
        try:
            changes = op()
        except Refused as exc:
            self.message.emit(str(exc))
            return None
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return None
        self.publish(changes)
        return changes

    def do(self, edit: Edit) -> bool:
        """Apply ``edit`` as one undo step; False (and :attr:`failed`) on error."""
        return self.run(lambda: self.workspace.do(edit)) is not None

    def undo(self) -> None:
        self.run(self.workspace.undo)

    def redo(self) -> None:
        self.run(self.workspace.redo)

    def select(self, pk: int | None) -> None:
        """Record the selected span in the workspace (the views already show it)."""
        changes = self.workspace.select(pk)
        if changes is not NOTHING:
            self.selectionChanged.emit(self.workspace.selected)

    def apply_external(self, changes: Changes) -> Changes:
        """Changes made elsewhere (already in the file): the workspace takes them in and they
        are emitted like local ones (``remote`` set)."""
        result = self.workspace.apply_external(changes)
        self.publish(result)
        return result

    def publish(self, ch: Changes) -> None:
        """Emit ``ch`` as :attr:`changed` and then as the signal of every part it names."""
        if ch == NOTHING:
            return
        self.changed.emit(ch)
        if ch.documents:
            self.documentsChanged.emit()
        if ch.current:
            self.currentChanged.emit()
        if ch.tagset:
            self.tagsetChanged.emit()
        if ch.annotators:
            self.annotatorsChanged.emit()
        for doc, delta in ch.spans.items():
            self.spansChanged.emit(doc, delta)
        for doc in sorted(ch.relations):
            self.relationsChanged.emit(doc)
        if ch.headers or ch.status:
            self.headersChanged.emit(ch.headers | ch.status)
        if ch.selection:
            self.selectionChanged.emit(self.workspace.selected)
        if ch.history:
            self.historyChanged.emit()
        if ch.message:
            self.message.emit(ch.message)

    # ----------------------------------------------------------------- misc
    def remember_values(self, attributes: dict[str, object]) -> None:
        """Collect text attribute values for completers (e.g. stance targets)."""
        for name, value in attributes.items():
            if isinstance(value, str) and value.strip():
                self.attribute_values.setdefault(name, set()).add(value)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
        self.workspace.close()
