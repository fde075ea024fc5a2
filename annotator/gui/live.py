"""Other people's changes of a shared project, brought into the window as they happen.

A :class:`LiveFeed` listens on its own connection to the server (a plain thread that does
nothing but wait for PostgreSQL's notifications, :meth:`Project.subscribe`), gathers what
arrives within a tenth of a second into one batch, and hands the batch to the GUI thread
(a queued signal). There :func:`~annotator.workspace.remote.changes_from` says what to read
again and the session applies it as it applies a local edit's changes
(:meth:`ProjectSession.apply_external`): the same signals, the same panels redrawing. One's own
announcements are dropped. After the connection was lost and regained, everything shown is
read again and the status bar says so.

The thread never touches the project or a widget: it only passes the announcements on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.workspace import NOTHING, Changes
from annotator.workspace.remote import changes_from

BATCH_WAIT = 0.1  # seconds without a new announcement that end a batch
BATCH_MAX = 500  # announcements in one batch at most (a long burst still shows progress)


class LiveFeed(QObject):
    """Announcements of ``project`` (a project on a server) as :class:`Changes` for
    ``apply``; :meth:`stop` ends the thread (within :data:`BATCH_WAIT` while connected)."""

    arrived = Signal(object)  # a list of announcements, emitted from the listening thread
    reconnected = Signal()

    def __init__(self, subscription: Any, *, current: Callable[[], int | None],
                 apply: Callable[[Changes], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subscription = subscription
        self._current = current
        self._apply = apply
        self._stop = threading.Event()
        self.batches = 0  # batches applied (for the tests and the status bar)
        self.arrived.connect(self._take)
        self._thread = threading.Thread(target=self._listen, name="annotator-live",
                                        daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        try:
            while not self._stop.is_set():
                batch = []
                for note in self._subscription.changes(timeout=BATCH_WAIT):
                    batch.append(note)
                    if len(batch) >= BATCH_MAX or self._stop.is_set():
                        break
                if batch and not self._stop.is_set():
                    self.arrived.emit(batch)
        except Exception:  # noqa: BLE001 - a dead feed must not take the window with it
            if not self._stop.is_set():
                self.arrived.emit([_Lost()])
        finally:
            with suppress(Exception):
                self._subscription.close()

    def _take(self, batch: list[Any]) -> None:
        """On the GUI thread: what the batch calls for, applied like a local change."""
        if self._stop.is_set():
            return
        if any(isinstance(n, _Lost) for n in batch):
            self._apply(Changes(message="Live updates from the server stopped; reopen the "
                                        "project to see other people's changes."))
            return
        changes = changes_from(batch, current=self._current())
        if any(n.op == "reconnected" for n in batch):
            self.reconnected.emit()
            changes = changes.with_message("Reconnected to the server; everything shown was "
                                           "read again.")
        if changes != NOTHING:
            self.batches += 1
            self._apply(changes)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * BATCH_WAIT + 0.5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


class _Lost:
    """The listening thread failed for good (not a lost connection, which it retries)."""

    op = "lost"
    table = ""
    document = None
    by = ""
    own = False


def start(project: Any, *, current: Callable[[], int | None],
          apply: Callable[[Changes], object], parent: QObject | None = None) -> LiveFeed | None:
    """A feed for ``project`` when it is on a server (None for a project file, or when the
    server refuses to announce)."""
    if not getattr(project, "on_server", False):
        return None
    try:
        subscription = project.subscribe()
    except AnnotatorError:
        return None
    return LiveFeed(subscription, current=current, apply=apply, parent=parent)
