"""Background jobs (import, export) on a worker thread, reporting by signal.

A job is a plain function ``fn(progress, cancelled) -> result`` that touches no widget; it may
use the window's :class:`Project` because the window accepts no edit while a job runs (one
thread at a time). ``progress(done, total)`` may be called from the worker; the signal carries
it to the GUI thread. :meth:`Job.cancel` asks the job to stop; it raises :class:`Cancelled` at
its next progress call (or checks ``cancelled()`` itself).
"""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.errors import AnnotatorError, Cancelled

JobFn = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Job(QObject):
    """Runs ``fn`` on its own ``QThread``; emits exactly one of finished, failed, cancelled."""

    progress = Signal(int, int)
    message = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._stop = threading.Event()
        self._thread = QThread()
        # the plain QThread runs our function: no QThread subclass per job
        self._thread.run = self._run  # type: ignore[method-assign]  # deliberate override
        self._thread.finished.connect(self._thread.deleteLater)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)

    def _report(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise Cancelled()
        self.progress.emit(done, total)

    def _run(self) -> None:
        try:
            result = self._fn(self._report, self._stop.is_set)
        except Cancelled:
            self.cancelled.emit()
        except AnnotatorError as exc:
            if self._stop.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(str(exc))
        except Exception as exc:  # a bug: report it instead of killing the thread silently
            traceback.print_exc()
            self.failed.emit(f"Unexpected error: {exc}")
        else:
            if self._stop.is_set() and result is None:
                self.cancelled.emit()
            else:
                self.finished.emit(result)


_held = 0


def hold_collector() -> None:
    """Set the objects that exist now aside from Python's cyclic collector (``gc.freeze``)
    until :func:`release_collector`: for a long background wait (a training) during which the
    window's own objects neither change nor become garbage. A full collection would otherwise
    rescan every one of them (a few hundred thousand in a project window: 100-300 ms with the
    interpreter lock held, the event loop stopped) whenever a little new work piles up. Calls
    nest; new objects are collected as usual meanwhile."""
    global _held
    if _held == 0:
        gc.freeze()
    _held += 1


def release_collector() -> None:
    """Undo one :func:`hold_collector`; the last one hands the objects back to the collector."""
    global _held
    if _held > 0:
        _held -= 1
        if _held == 0:
            gc.unfreeze()
