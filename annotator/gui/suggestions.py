"""Lexicon suggestions in the workspace: computed off the GUI thread, accepted as edits.

:class:`Suggestions` owns the "Suggestions" dock (hidden until the user asks for suggestions).
:meth:`Suggestions.start` runs :func:`annotator.nlp.suggest.suggest_spans` on the current
document's text as a :class:`~annotator.gui.worker.Job`; the job reads no project and touches no
widget, so editing goes on meanwhile. A result for a document that is no longer shown is
dropped. Suggestions live only in the panel: nothing is written until one is accepted, which is
an ``AddSpan`` (one suggestion) or ``AddSpans`` (several) edit through the session — one undo
step either way. Shown are the suggestions whose label is in the tagset, of an enabled layer,
not dismissed, and not coinciding with an existing span (same layer, label and fragments);
undoing an accepted one shows it again.

Threading: every method runs on the GUI thread; the job's result arrives by queued signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from annotator.core.undo import AddSpan, AddSpans
from annotator.gui.tagging import default_attributes
from annotator.gui.views.suggestion_panel import SuggestionPanel
from annotator.gui.worker import Job
from annotator.nlp.suggest import Suggestion, suggest_spans

if TYPE_CHECKING:
    from annotator.gui.shell import Shell as MainWindow


class Suggestions(QObject):
    """Controller of the Suggestions dock; :attr:`ready` follows each computed result."""

    ready = Signal(int)  # how many suggestions are shown

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.panel = SuggestionPanel()
        self.dock = window._dock("Suggestions", "suggestions", self.panel,
                                 Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.relations_dock, self.dock)  # a tab beside the spans
        self.dock.hide()
        self.job: Job | None = None
        self.document: int | None = None  # the document the suggestions are for
        self.text = ""
        self.all: list[Suggestion] = []
        self.shown: list[Suggestion] = []
        self.dismissed: set[Suggestion] = set()
        self.layer = ""
        self._generation = 0
        self.panel.acceptRequested.connect(self.accept_rows)
        self.panel.acceptAllRequested.connect(self.accept_all)
        self.panel.dismissRequested.connect(self.dismiss_rows)
        self.panel.rowChosen.connect(self.show_row)
        self.panel.layerChanged.connect(self._set_layer)

    # ----------------------------------------------------------------- computing
    def start(self) -> Job | None:
        """Compute suggestions for the current document on a worker thread; shows the dock."""
        w = self.w
        if w.project is None or w.document is None:
            return None
        self.dock.show()
        self.dock.raise_()
        if self.job is not None:
            self.job.cancel()  # its result is dropped by the generation check
        self._generation += 1
        generation, document, text = self._generation, w.document, w.text
        self.document, self.text, self.all, self.dismissed = document, text, [], set()
        self.panel.show_rows(text, [], "Looking for hedges, boosters and attribution cues…")
        job = Job(lambda _progress, _cancelled: suggest_spans(text), self)
        queued = Qt.ConnectionType.QueuedConnection
        job.finished.connect(lambda result: self._done(generation, result), queued)
        job.failed.connect(lambda message: self._failed(generation, message), queued)
        job.cancelled.connect(lambda: self._failed(generation, "cancelled"), queued)
        self.job = job
        job.start()
        return job

    def _done(self, generation: int, result: list[Suggestion]) -> None:
        if generation != self._generation:
            return
        self.job = None
        if self.document != self.w.document:
            return
        self.all = result
        self.refresh(current=0)
        self.ready.emit(len(self.shown))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.job = None
            self.panel.status.setText(f"No suggestions: {message}")

    def shutdown(self) -> None:
        """Stop a running job (window closing): its thread must end before the window."""
        self._generation += 1
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
            self.job = None

    # ----------------------------------------------------------------- showing
    def document_changed(self) -> None:
        """The window shows another document (or none): suggestions of the old one go."""
        if self.w.document != self.document:
            self._generation += 1
            self.document, self.text, self.all, self.dismissed = None, "", [], set()
            self.refresh()

    def refresh(self, current: int | None = None) -> None:
        """Recompute the shown rows (after an edit, a dismissal, a filter or tagset change)."""
        w = self.w
        shown: list[Suggestion] = []
        if w.project is not None and self.document is not None and self.document == w.document:
            tagset = w.project.tagset
            allowed = {(lay.name, lab.name) for lay in tagset.layers if lay.enabled
                       for lab in lay.labels}
            existing = {(s.layer, s.label, s.fragments) for s in w.spans}
            shown = [s for s in self.all
                     if (s.layer, s.label) in allowed and s not in self.dismissed
                     and (not self.layer or s.layer == self.layer)
                     and (s.layer, s.label, ((s.start, s.end),)) not in existing]
            self.panel.set_layers(sorted({lay for lay, _ in allowed}))
        if current is None:
            rows = self.panel.selected_rows()
            current = rows[0] if rows else -1
        self.shown = shown
        if self.document is None:
            status = "Document ▸ Suggest spans (Ctrl+Shift+S) lists hedges, boosters and " \
                     "attribution cues found by the lexicons."
        else:
            status = f"{len(shown)} suggestion{'s' if len(shown) != 1 else ''}"
        self.panel.show_rows(self.text, shown, status, current)
        self.panel.set_editable(bool(w.session and w.session.editable))

    def _set_layer(self, layer: str) -> None:
        self.layer = layer
        self.refresh(current=0)

    def show_row(self, row: int) -> None:
        """Select and scroll to the suggestion in row ``row`` of the text view."""
        if 0 <= row < len(self.shown) and self.document == self.w.document:
            s = self.shown[row]
            self.w.view.set_selection_cp(s.start, s.end)
            self.w.view.scroll_to_cp(s.start)

    # ----------------------------------------------------------------- accepting
    def accept_rows(self, rows: list[int]) -> bool:
        """Add the suggestions of ``rows`` as spans (one undo step); False if nothing added."""
        chosen = [self.shown[r] for r in rows if 0 <= r < len(self.shown)]
        if not self.accept(chosen):
            return False
        rows = self.panel.selected_rows()  # the next suggestion took the accepted one's row
        if rows:
            self.show_row(rows[0])
        return True

    def accept_all(self) -> bool:
        return self.accept(list(self.shown))

    def accept(self, chosen: list[Suggestion]) -> bool:
        w = self.w
        if not chosen or w.session is None or self.document is None:
            return False
        tagset = w.session.project.tagset
        chosen = list(dict.fromkeys(chosen))  # never the same span twice in one step
        if len(chosen) == 1:
            s = chosen[0]
            edit: AddSpan | AddSpans = AddSpan(
                self.document, s.layer, s.label, ((s.start, s.end),),
                attributes=default_attributes(tagset, s.layer, s.label))
        else:
            edit = AddSpans(self.document, [
                (s.layer, s.label, ((s.start, s.end),),
                 default_attributes(tagset, s.layer, s.label)) for s in chosen])
        if not w.session.do(edit):  # the window redraws and calls spans_changed
            return False
        w.say(f"Accepted {len(chosen)} suggestion{'s' if len(chosen) != 1 else ''}.")
        return True

    def dismiss_rows(self, rows: list[int]) -> None:
        self.dismissed.update(self.shown[r] for r in rows if 0 <= r < len(self.shown))
        self.refresh(current=min(rows) if rows else None)
        if rows and self.shown:
            self.show_row(min(min(rows), len(self.shown) - 1))

    def spans_changed(self) -> None:
        """The document's spans changed (edit, undo, redo): re-filter the list."""
        if self.document is not None:
            self.refresh()
