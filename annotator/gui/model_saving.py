"""Storing the models a training made, on a worker thread.

A model is some megabytes written in one transaction: on the GUI thread that stopped the event
loop for 35 ms and more (a loaded machine, a slow disk), right after the figures were drawn.
The job writes through the project's own engine, whose pool gives the worker thread a
connection of its own (SQLite serialises it with the window's edits; a server does as it
always does), and touches no widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from annotator.core.errors import AnnotatorError
from annotator.gui.worker import Job
from annotator.nlp import crf
from annotator.nlp.model_names import own_name

if TYPE_CHECKING:
    from annotator.core.project import Project


def save_models(project: Project, models: dict[str, crf.LayerModel], f1: float | None,
                parent: QObject, done: Callable[[str], None]) -> Job:
    """Start storing ``models`` (layer → model) as the user's learned models of ``project``;
    ``done(message)`` follows on the GUI thread: "" when every one is stored, else why not
    (the rest is not tried: e.g. a server refusing it)."""
    items = sorted(models.items())
    name = own_name(project, crf.NAME)

    def run(_progress: Any, _cancelled: Any) -> str:
        for layer, model in items:
            try:
                project.save_model(name, layer, model.to_bytes(),
                                   {"version": model.version,
                                    "training_size": model.training_size, "f1": f1})
            except AnnotatorError as exc:
                return str(exc)
        return ""

    job = Job(run, parent)
    queued = Qt.ConnectionType.QueuedConnection
    job.finished.connect(done, queued)
    job.failed.connect(done, queued)
    job.cancelled.connect(lambda: done("cancelled"), queued)
    job.start()
    return job
