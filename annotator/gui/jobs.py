"""Running import and export as background jobs, with a progress dialog.

One job at a time (``w.job``). While it runs the session is busy (no edits are accepted) and
the file actions are off; its result, error or cancellation comes back to the GUI thread by
queued signal, after which ``w.jobDone`` emits "finished", "failed" or "cancelled". The job's
function touches no widget (see :mod:`annotator.gui.worker`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from annotator.gui import documents, ops, status, tagset_view
from annotator.gui.views import dialogs
from annotator.gui.worker import Job

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def run_job(w: Shell, fn: ops.JobFn, title: str, done: Callable[[Any], object]
            ) -> Job | None:
    """Start ``fn`` on a worker thread behind a modal progress dialog titled ``title``;
    ``done(result)`` runs on the GUI thread if it finishes. None (and a status message) if
    another job is still running. Needs an open project."""
    if w.job is not None:
        w.say("Another import or export is still running.")
        return None
    assert w.session is not None
    job = Job(fn, w)
    dialog = QProgressDialog(title, "Cancel", 0, 0, w)
    dialog.setWindowTitle("Annotator")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(job.cancel)

    def progress(n: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(n, total) if total else 0)

    def finish() -> None:
        dialog.canceled.disconnect(job.cancel)
        dialog.close()
        dialog.deleteLater()
        w.job = None
        if w.session is not None:
            w.session.busy = False
        status.set_editable(w)

    def ok(result: object) -> None:
        finish()
        done(result)
        w.jobDone.emit("finished")

    def failed(message: str) -> None:
        finish()
        dialogs.show_error(w, "Annotator", message)
        w.jobDone.emit("failed")

    def cancelled() -> None:
        finish()
        w.say("Cancelled; nothing was written.", 8000)
        w.jobDone.emit("cancelled")

    queued = Qt.ConnectionType.QueuedConnection  # handlers run on the GUI thread
    job.progress.connect(progress, queued)
    job.finished.connect(ok, queued)
    job.failed.connect(failed, queued)
    job.cancelled.connect(cancelled, queued)
    w.job = job
    w.session.busy = True
    status.set_editable(w)
    job.start()
    return job


def import_paths(w: Shell, paths: Sequence[str | Path]) -> Job | None:
    """Import files/folders on a worker thread; returns the started job (None without an
    editable project, after a warning if it is read-only)."""
    if w.project is None or w.session is None:
        return None
    if w.project.readonly:
        dialogs.show_warning(w, "Read-only", "This project is open read-only; "
                             "nothing can be imported into it.")
        return None
    return run_job(w, ops.import_job(w.project, paths), "Importing…",
                   lambda outcome: import_done(w, outcome))


def import_done(w: Shell, outcome: ops.ImportOutcome) -> None:
    """Show the imported documents (the first one if none was shown), new labels, a summary
    in the status bar and any warnings or skipped files in a message box."""
    r = outcome.result
    documents.reload_documents(w)
    w.suggestions.corpus_changed()  # new spans for string matching to learn from
    if w.document is None and r.added:
        added = w.project.document_by_name(r.added[0]) if w.project else None
        documents.open_document(w, added.pk if added else None)
    if r.labels_added:
        tagset_view.tagset_changed(w)
    w.say(f"Imported {len(r.added)} document(s), {r.spans} span(s), {r.relations} "
          f"relation(s); {len(r.skipped)} skipped.", 10000)
    notes = outcome.warnings + r.skipped
    if notes:
        QMessageBox.information(w, "Import", "\n".join(notes[:20])
                                + (f"\n… and {len(notes) - 20} more" if len(notes) > 20
                                   else ""))


def export_to(w: Shell, choice: dialogs.ExportChoice) -> Job | None:
    """Export the project as ``choice`` says on a worker thread; returns the started job."""
    if w.project is None:
        return None
    return run_job(w, ops.export_job(w.project, choice), "Exporting…",
                   lambda summary: w.say(
                       f"Exported {summary.documents} document(s), {summary.spans} "
                       f"span(s) to {choice.output}", 10000))
