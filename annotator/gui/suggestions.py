"""Suggestions in the workspace: computed and trained off the GUI thread, accepted as edits.

:class:`Suggestions` owns the "Suggestions" dock (hidden until the user asks for suggestions).

* :meth:`Suggestions.start` lists suggestions for the current document on a worker
  (:class:`~annotator.gui.worker.Job`): the lexicon, string matching over the project's spans
  (read through a read-only connection of the job's own, so editing goes on meanwhile) and the
  learned model once trained. Without a chosen recommender, the recommenders whose F1 on the
  held-out documents reached the threshold are used (the lexicon until a training says
  otherwise). A result for a document that is no longer shown is dropped.
* :meth:`Suggestions.train` (the Train button, or by itself after every :data:`TRAIN_EVERY`
  edits once trained) evaluates every recommender, draws the learning curve and trains the
  learned model, in a child process (:func:`annotator.nlp.train_job.train_in_process`) waited
  for on a worker thread: the window never stalls. The training process reads a project file
  itself (this process builds nothing meanwhile), and the window's objects are set aside from
  the cyclic collector until it ends (:func:`~annotator.gui.worker.hold_collector`; so too while
  suggestions are computed). The models are then stored in the project on a worker
  (:func:`~annotator.gui.model_saving.save_models`).
* Accepting is an :class:`AcceptSuggestions` edit through the session (one undo step) whose
  spans record their provenance (``Span.origin``). Rejecting records the suggestion in the
  project (never offered again, a negative example for the next training).

Shown are the suggestions whose label is in the tagset, of an enabled layer, not rejected, and
not overlapping an existing span of their layer; undoing an accepted one shows it again.

Threading: every method runs on the GUI thread; jobs' results arrive by queued signal.
Re-hooking: the window calls :meth:`document_changed`, :meth:`spans_changed` (the shown
document's spans), :meth:`corpus_changed` (any document's),
:meth:`refresh` (tagset changed) and :meth:`shutdown`; nothing else reaches in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog

from annotator.gui.accept_edit import AcceptSuggestions
from annotator.gui.model_saving import save_models
from annotator.gui.tagging import default_attributes
from annotator.gui.views.lexicon_editor import LexiconEditor
from annotator.gui.views.suggestion_panel import SuggestionPanel
from annotator.gui.worker import Job, hold_collector, release_collector
from annotator.nlp import crf, lexicon_store, recommend
from annotator.nlp.string_match import StringMatcher
from annotator.nlp.suggest import Suggestion
from annotator.nlp.suggest_cli import stored_models
from annotator.nlp.train_job import Trained, train_in_process
from annotator.nlp.training import project_docs

if TYPE_CHECKING:
    from annotator.gui.shell import Shell as MainWindow

TRAIN_EVERY = 25  # edits between two trainings, once the user has trained
# a suggestion job's result: the suggestions, the learned model's doubts, the string matcher
Computed = tuple[list[Suggestion], list[Any], "StringMatcher | None"]


def _read_docs(path: Path) -> list[Any]:
    """The project's training documents, through a read-only connection of the caller's."""
    from annotator.core.project import Project

    with Project.open(path, readonly=True) as p:
        return project_docs(p)


class Suggestions(QObject):
    """Controller of the Suggestions dock; :attr:`ready` follows each computed result,
    :attr:`trained` each finished training (with the :class:`Trained` result or None)."""

    ready = Signal(int)  # how many suggestions are shown
    trained = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.panel = SuggestionPanel()
        self.dock = window._dock("Suggestions", "suggestions", self.panel,
                                 Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.relations_dock, self.dock)  # a tab beside the spans
        self.dock.hide()
        self.job: Job | None = None
        self.train_job: Job | None = None
        self.save_job: Job | None = None  # storing the trained models
        self.document: int | None = None  # the document the suggestions are for
        self.text = ""
        self.all: list[Suggestion] = []
        self.shown: list[Suggestion] = []
        self.dismissed: set[Suggestion] = set()
        self.layer = ""
        self.choice = ""  # "" = the recommenders good enough, else one name
        self.threshold = 0.5
        self.result: Trained | None = None
        self.learned: crf.CrfRecommender | None = None
        self.margins: list[tuple[int, int, float]] = []  # current document, least sure first
        self._uncertain = -1
        self._edits = 0
        self._generation = 0
        self._project_key: object = None
        self._held: set[int] = set()  # jobs for which the collector is held
        # string matching trained on the project's spans, until any of them changes
        self._matcher: StringMatcher | None = None
        self._corpus_stamp = 0
        p = self.panel
        p.acceptRequested.connect(self.accept_rows)
        p.acceptAllRequested.connect(self.accept_all)
        p.dismissRequested.connect(self.dismiss_rows)
        p.rowChosen.connect(self.show_row)
        p.layerChanged.connect(self._set_layer)
        p.recommenderChanged.connect(self._set_choice)
        p.thresholdChanged.connect(self._set_threshold)
        p.trainRequested.connect(self.train)
        p.uncertainRequested.connect(self.next_uncertain)
        p.lexiconsRequested.connect(self.edit_lexicons)

    # ----------------------------------------------------------------- state per project
    def _sync_project(self) -> None:
        """A new project: forget the old one's models; load the stored ones."""
        project = self.w.project
        key = id(project) if project is not None else None
        if key == self._project_key:
            return
        self._project_key = key
        self.result, self.learned, self.margins = None, None, []
        self.corpus_changed()
        if project is not None:
            models = stored_models(project)
            if models:
                self.learned = crf.CrfRecommender()
                self.learned.models = models
        self.panel.show_figures(None, {})
        if self.learned is not None:
            self.panel.figures.setText(
                "The learned model stored in the project is used (trained on "
                f"{self.learned.training_size} documents); Train measures every recommender "
                "again.")

    def _names(self) -> list[str]:
        if self.choice:
            return [self.choice]
        if self.result is None:
            return ["lexicon"] + (["learned"] if self.learned is not None else [])
        recs = self.result.evaluation["recommenders"]
        return [n for n in recommend.NAMES
                if n in recs and recs[n]["f1"] is not None and recs[n]["f1"] >= self.threshold]

    # ----------------------------------------------------------------- computing
    def start(self) -> Job | None:
        """Compute suggestions for the current document on a worker thread; shows the dock."""
        w = self.w
        if w.project is None or w.document is None:
            return None
        self._sync_project()
        self.dock.show()
        self.dock.raise_()
        if self.job is not None:
            self.job.cancel()  # its result is dropped by the generation check
        self._generation += 1
        generation, document, text = self._generation, w.document, w.text
        self.document, self.text, self.all, self.dismissed = document, text, [], set()
        names = self._names()
        project = w.project
        path = project.path
        lexicons = lexicon_store.project_lexicons(project)
        existing = [(s.layer, s.label, s.start, s.end) for s in w.spans]
        rejected_of = getattr(project, "rejected_suggestions", None)
        rejected = ([(r.layer, r.label, r.start, r.end) for r in rejected_of(document)]
                    if rejected_of is not None else [])
        allowed = recommend.allowed_labels(project.tagset)
        learned = self.learned
        matcher, stamp = self._matcher, self._corpus_stamp

        def compute(_progress: Any, _cancelled: Any) -> Computed:
            nonlocal matcher
            recs: list[Any] = []
            if "lexicon" in names:
                recs.append(recommend.LexiconRecommender(lexicons))
            if "string" in names:
                if matcher is None:  # the project's spans changed since the last one
                    matcher = StringMatcher()
                    matcher.train(_read_docs(path))
                recs.append(matcher)
            extra: list[Suggestion] = []
            margins: list[tuple[int, int, float]] = []
            if learned is not None:  # its suggestions and its doubts in one pass
                extra, margins = learned.analyse(text, existing, suggest="learned" in names)
                margins.sort(key=lambda m: m[2])
            found = recommend.suggestions(recs, text, existing=existing, rejected=rejected,
                                          allowed=allowed, extra=extra)
            return found, margins, matcher

        self.panel.show_rows(text, [], f"Looking for suggestions ({', '.join(names) or 'none'})…")
        job = Job(compute, self)
        queued = Qt.ConnectionType.QueuedConnection
        job.finished.connect(lambda result: self._done(generation, stamp, result), queued)
        job.failed.connect(lambda message: self._failed(generation, message), queued)
        job.cancelled.connect(lambda: self._failed(generation, "cancelled"), queued)
        self.job = job
        self._hold(job)
        job.start()
        return job

    def _done(self, generation: int, stamp: int, result: Computed) -> None:
        found, margins, matcher = result
        if stamp == self._corpus_stamp and matcher is not None:
            self._matcher = matcher  # trained on the spans as they still are: kept
        if generation != self._generation:
            return
        self.job = None
        if self.document != self.w.document:
            return
        self.all, self.margins = found, margins
        self._uncertain = -1
        self.refresh(current=0)
        self.ready.emit(len(self.shown))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.job = None
            self.panel.status.setText(f"No suggestions: {message}")

    # ----------------------------------------------------------------- training
    def train(self) -> Job | None:
        """Evaluate, draw the curve and train the learned model; nothing waits for it."""
        w = self.w
        if w.project is None or self.train_job is not None:
            return None
        self._sync_project()
        self.dock.show()
        path = w.project.path
        local = not getattr(w.project, "on_server", False)
        allowed = recommend.allowed_labels(w.project.tagset)
        lexicons = lexicon_store.project_lexicons(w.project)
        threshold = self.threshold

        def run(_progress: Any, cancelled: Any) -> Trained:
            # a project file is read by the training process itself: this process builds
            # nothing meanwhile, so its collector never pauses the window
            if local:
                return train_in_process(project=str(path), allowed=allowed,
                                        lexicons=lexicons, threshold=threshold,
                                        cancelled=cancelled)
            return train_in_process(_read_docs(path), allowed=allowed, lexicons=lexicons,
                                    threshold=threshold, cancelled=cancelled)

        self.panel.train_button.setEnabled(False)
        self.panel.figures.setText("Training in the background…")
        job = Job(run, self)
        queued = Qt.ConnectionType.QueuedConnection
        key = self._project_key
        job.finished.connect(lambda result: self._trained(key, result), queued)
        job.failed.connect(lambda message: self._train_failed(message), queued)
        job.cancelled.connect(lambda: self._train_failed("cancelled"), queued)
        self.train_job = job
        self._hold(job)
        job.start()
        return job

    def _end_training(self) -> None:
        self.train_job = None

    def _hold(self, job: Job) -> None:
        """The window's objects are set aside from the collector until ``job`` ends (exactly
        one of its three signals comes): they do not change while it works."""
        hold_collector()
        key = id(job)
        self._held.add(key)
        queued = Qt.ConnectionType.QueuedConnection
        job.finished.connect(lambda _r: self._release(key), queued)
        job.failed.connect(lambda _m: self._release(key), queued)
        job.cancelled.connect(lambda: self._release(key), queued)

    def _release(self, key: int) -> None:
        if key in self._held:
            self._held.discard(key)
            release_collector()

    def _trained(self, key: object, result: Trained) -> None:
        self._end_training()
        self.panel.train_button.setEnabled(True)
        self._edits = 0
        if key != self._project_key:
            return
        self.result = result
        self.learned = crf.CrfRecommender()
        self.learned.models = result.models
        self.panel.show_figures(result.evaluation, result.curves)
        session = self.w.session

        def stored(problem: str) -> None:
            self.save_job = None
            if problem:
                self.panel.status.setText(f"The model is used but not stored: {problem}")
            if key != self._project_key or self.w.session is not session:
                return
            self.trained.emit(result)
            if self.document is not None and self.document == self.w.document:
                QTimer.singleShot(0, self.start)

        if session is not None and session.editable and result.models:
            f1 = result.evaluation["recommenders"].get("learned", {}).get("f1")
            self.save_job = save_models(session.project, result.models, f1, self, stored)
        else:
            stored("")

    def _train_failed(self, message: str) -> None:
        self._end_training()
        self.panel.train_button.setEnabled(True)
        self.panel.figures.setText(f"Training failed: {message}")
        self.trained.emit(None)

    def shutdown(self) -> None:
        """Stop running jobs (window closing): their threads must end before the window."""
        self._generation += 1
        for job in (self.job, self.train_job):
            if job is not None:
                job.cancel()
                job.wait(120000)
        if self.save_job is not None:  # not cancelled: a model being stored is kept
            self.save_job.wait(120000)
        self.job = self.save_job = None
        self._end_training()
        for key in list(self._held):  # their signals will not be handled any more
            self._release(key)

    # ----------------------------------------------------------------- showing
    def document_changed(self) -> None:
        """The window shows another document (or none): suggestions of the old one go."""
        if self.w.document != self.document:
            self._generation += 1
            self.document, self.text, self.all, self.dismissed = None, "", [], set()
            self.margins = []
            self.refresh()

    def refresh(self, current: int | None = None) -> None:
        """Recompute the shown rows (after an edit, a rejection, a filter or tagset change)."""
        w = self.w
        shown: list[Suggestion] = []
        if w.project is not None and self.document is not None and self.document == w.document:
            allowed = recommend.allowed_labels(w.project.tagset)
            existing = [(s.layer, s.start, s.end) for s in w.spans if len(s.fragments) == 1]
            shown = [s for s in self.all
                     if (s.layer, s.label) in allowed and s not in self.dismissed
                     and (not self.layer or s.layer == self.layer)
                     and not any(lay == s.layer and a < s.end and s.start < b
                                 for lay, a, b in existing)]
            self.panel.set_layers(sorted({lay for lay, _ in allowed}))
        if current is None:
            rows = self.panel.selected_rows()
            current = rows[0] if rows else -1
        self.shown = shown
        if self.document is None:
            status = "Document ▸ Suggest spans (Ctrl+Shift+S) lists hedges, boosters, " \
                     "attribution cues and what you tagged elsewhere."
        else:
            status = f"{len(shown)} suggestion{'s' if len(shown) != 1 else ''}"
        self.panel.show_rows(self.text, shown, status, current)
        self.panel.set_editable(bool(w.session and w.session.editable))

    def _set_layer(self, layer: str) -> None:
        self.layer = layer
        self.refresh(current=0)

    def _set_choice(self, name: str) -> None:
        self.choice = name
        if self.w.document is not None:
            self.start()

    def _set_threshold(self, value: float) -> None:
        self.threshold = value

    def show_row(self, row: int) -> None:
        """Select and scroll to the suggestion in row ``row`` of the text view."""
        if 0 <= row < len(self.shown) and self.document == self.w.document:
            s = self.shown[row]
            self.w.view.set_selection_cp(s.start, s.end)
            self.w.view.scroll_to_cp(s.start)

    def next_uncertain(self) -> tuple[int, int] | None:
        """Select the next passage of the document the learned model is least sure of."""
        if not self.margins or self.document != self.w.document:
            self.w.say("Train first: the learned model says where it is least sure.")
            return None
        self._uncertain = (self._uncertain + 1) % len(self.margins)
        s, e, margin = self.margins[self._uncertain]
        self.w.view.set_selection_cp(s, e)
        self.w.view.scroll_to_cp(s)
        self.w.say(f"Passage {self._uncertain + 1} of {len(self.margins)} by uncertainty "
                   f"(margin {margin:.2f})")
        return s, e

    # ----------------------------------------------------------------- accepting, rejecting
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
        edit = AcceptSuggestions(self.document, chosen, [
            default_attributes(tagset, s.layer, s.label) for s in chosen])
        if not w.session.do(edit):  # the window redraws and calls spans_changed
            return False
        w.say(f"Accepted {len(chosen)} suggestion{'s' if len(chosen) != 1 else ''}.")
        return True

    def dismiss_rows(self, rows: list[int]) -> None:
        """Reject: gone from the list, recorded in the project when it can be written."""
        chosen = [self.shown[r] for r in rows if 0 <= r < len(self.shown)]
        self.dismissed.update(chosen)
        session = self.w.session
        if session is not None and session.editable and self.document is not None:
            for s in chosen:
                session.project.reject_suggestion(self.document, s.layer, s.label, s.start,
                                                  s.end)
        self.refresh(current=min(rows) if rows else None)
        if rows and self.shown:
            self.show_row(min(min(rows), len(self.shown) - 1))

    def corpus_changed(self) -> None:
        """Spans of some document changed (here or, on a shared project, by someone else):
        string matching is trained again when next asked for."""
        self._matcher = None
        self._corpus_stamp += 1

    def spans_changed(self) -> None:
        """The document's spans changed (edit, undo, redo): re-filter; train now and then."""
        if self.document is not None:
            self.refresh()
        self._edits += 1
        if self.result is not None and self._edits >= TRAIN_EVERY and self.train_job is None:
            self.train()

    # ----------------------------------------------------------------- lexicons
    def edit_lexicons(self) -> bool:
        """The lexicon editor; OK stores the lists in the project (when it can be written)."""
        w = self.w
        if w.project is None:
            return False
        dialog = LexiconEditor(lexicon_store.project_lexicons(w.project), w)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.set_lexicons(dialog.lexicons())

    def set_lexicons(self, lexicons: Any) -> bool:
        session = self.w.session
        if session is None or not session.editable:
            self.w.say("The project is read-only: the lexicons are not changed.")
            return False
        lexicon_store.save_project_lexicons(session.project, lexicons)
        if self.w.document is not None:
            self.start()
        return True
