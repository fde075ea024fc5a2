"""The review window: compare two annotators' files, adjudicate, save a gold file.

Contract:

* :func:`open_review` reads the files with :func:`annotator.review.sources.load_review` (read-only,
  untrusted: the files are never written, their triggers never run) and shows a
  :class:`ReviewWindow`. Errors are :class:`AnnotatorError`, for the caller to show.
* The window shows, per matched document, A's spans above B's (two read-only panes scrolled
  together), the list of disagreements (only in A, only in B, label, boundaries, attributes),
  the agreement table, a per-label F1 chart and a sortable per-document table, worst first.
* Keyboard, on the selected disagreement: **A** accept A, **B** accept B, **O** accept both,
  **R** reject, **E** edit (the label, and the boundaries from a text selection in either pane);
  then the next undecided disagreement is selected. "Accept agreed" accepts every span both gave
  alike. **Ctrl+Z / Ctrl+Shift+Z** undo and redo decisions (back to where they were made). The
  state — shown document, selected disagreement, decisions, history — is a Qt-free
  :class:`annotator.workspace.review_model.ReviewModel`; every operation returns what changed
  and :meth:`ReviewWindow.apply` redraws that.
* "Save gold…" writes a NEW project file (:func:`write_gold`); "Report…" writes HTML or CSV.

Main thread only. Agreement is computed when the window opens (fine for hundreds of documents;
the CLI is the tool for very large corpora).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import SpanRecord
from annotator.gui import identity
from annotator.gui.views.review_chart import LabelChart
from annotator.gui.views.review_documents import DocumentTable
from annotator.gui.views.review_panes import ReviewPanes
from annotator.review.adjudicate import Adjudication, Decision, Item, write_gold
from annotator.review.agreement import AgreementResult, compute_agreement
from annotator.review.share import rows as agreement_rows
from annotator.review.share import write_report
from annotator.review.sources import ReviewSet, load_review
from annotator.workspace.review_model import ReviewChanges, ReviewModel, check_two

KEYS = (("A", Decision.ACCEPT_A, "Accept A"), ("B", Decision.ACCEPT_B, "Accept B"),
        ("O", Decision.ACCEPT_BOTH, "Both"), ("R", Decision.REJECT, "Reject"))
DECIDED_COLOR = {Decision.ACCEPT_A: "#2f6fde", Decision.ACCEPT_B: "#8a3ffc",
                 Decision.ACCEPT_BOTH: "#1a7f37", Decision.ACCEPT_COMMON: "#1a7f37",
                 Decision.EDIT: "#9a6700", Decision.REJECT: "#8a8f98"}


class ReviewWindow(QMainWindow):
    """See the module docstring."""

    def __init__(self, review: ReviewSet, *, adjudicator: str | None = None,
                 parent: QWidget | None = None, result: AgreementResult | None = None) -> None:
        """``result`` is the agreement of ``review`` when it was computed already (on a
        worker, see :func:`review_job`); otherwise it is computed here."""
        super().__init__(parent)
        self.review = review
        self.model = ReviewModel(review, adjudicator=adjudicator or identity.remembered()
                                 or "reviewer")
        self.result: AgreementResult = result if result is not None else agreement_of(review)
        self.gold_path: Path | None = None
        a, b = review.annotators[0], review.annotators[1]
        self.setWindowTitle(f"Review: {a} vs {b}")
        tagset = review.sides[0].tagset
        self._colors = {(lay.name, lab.name): lab.color for lay in tagset.layers
                        for lab in lay.labels}
        self._build(a, b)
        self._fill_agreement()
        for n, doc in enumerate(self.adjudication.documents):
            count = len(self.adjudication.disagreements(n))
            self.documents.addItem(f"{doc.title or doc.name}  ({count} disagreements)", n)
        self.documents.currentIndexChanged.connect(
            lambda _i: self.apply(self.model.open_document(self.current_document())))
        self.apply(self.model.open_document(0))
        self.apply(ReviewChanges(items=True))

    @property
    def adjudication(self) -> Adjudication:
        return self.model.adjudication

    @property
    def adjudicator(self) -> str:
        return self.model.adjudicator

    # -- drawing what the model says changed ---------------------------------------------------
    def apply(self, ch: ReviewChanges) -> None:
        """Redraw what ``ch`` names (every operation goes through the model and here)."""
        if ch.document:
            self._show_document()
        if ch.items or ch.document:
            self._fill_list()
            self._update_status()
        if ch.selection or ch.items or ch.document:
            self._show_selection()
        if ch.history or ch.document:
            self.undo_action.setEnabled(bool(self.model.undo_text))
            self.redo_action.setEnabled(bool(self.model.redo_text))
            self.undo_action.setText(f"&Undo {self.model.undo_text}".strip())
            self.redo_action.setText(f"&Redo {self.model.redo_text}".strip())
        if ch.message:
            self.statusBar().showMessage(ch.message, 5000)

    # -- layout ------------------------------------------------------------------------------
    def _build(self, a: str, b: str) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        top = QHBoxLayout()
        self.documents = QComboBox()
        self.documents.setMinimumWidth(260)
        top.addWidget(QLabel("Document:"))
        top.addWidget(self.documents, 1)
        self.agreed_button = QPushButton("Accept agreed")
        self.agreed_button.setToolTip("Accept every span both annotators gave alike")
        self.agreed_button.clicked.connect(self.accept_agreed)
        self.save_button = QPushButton("Save gold…")
        self.save_button.clicked.connect(self._save_clicked)
        self.report_button = QPushButton("Report…")
        self.report_button.clicked.connect(self._report_clicked)
        self.adjudicator_label = QLabel()
        self.adjudicator_label.setToolTip("Decisions and the gold file are recorded under this "
                                          "name")
        self._show_adjudicator()
        top.addWidget(self.adjudicator_label)
        for w in (self.agreed_button, self.save_button, self.report_button):
            top.addWidget(w)
        outer.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.panes = ReviewPanes()
        self.panes.set_names(a, b)
        split.addWidget(self.panes)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Disagreements"))
        self.disagreements = QListWidget()
        self.disagreements.currentRowChanged.connect(self._item_selected)
        side_layout.addWidget(self.disagreements, 2)
        buttons = QHBoxLayout()
        self.decision_buttons: dict[Decision, QPushButton] = {}
        for key, decision, text in KEYS:
            btn = QPushButton(f"{text} ({key})")
            btn.clicked.connect(lambda _=False, d=decision: self.decide_current(d))
            buttons.addWidget(btn)
            self.decision_buttons[decision] = btn
        edit = QPushButton("Edit (E)")
        edit.clicked.connect(self.edit_current)
        buttons.addWidget(edit)
        side_layout.addLayout(buttons)

        tabs = QTabWidget()
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            ["layer / label", a, b, "F1 exact", "F1 overlap", "kappa", "alpha"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tabs.addTab(self.table, "Agreement")
        self.chart = LabelChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        tabs.addTab(scroll, "F1 per label")
        self.document_table = DocumentTable()
        self.document_table.document_chosen.connect(self._choose_document)
        tabs.addTab(self.document_table, "Documents")
        side_layout.addWidget(tabs, 2)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.setCentralWidget(central)
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda: self.apply(self.model.undo()))
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(lambda: self.apply(self.model.redo()))
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        self.addActions([self.undo_action, self.redo_action])  # also while the menu is hidden
        # plain letter keys decide; filtered before the list's keyboard search sees them
        self._keys: dict[Qt.Key, Callable[[], None]] = {
            Qt.Key[f"Key_{k}"]: partial(self.decide_current, d) for k, d, _ in KEYS}
        self._keys[Qt.Key.Key_E] = self.edit_current
        for widget in (self.disagreements, self.panes.view_a, self.panes.view_b, self.table):
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.ShiftModifier)
            action = self._keys.get(Qt.Key(event.key())) if plain else None
            if action is not None:
                action()
                return True
        return super().eventFilter(obj, event)

    def _choose_document(self, index: int) -> None:
        if (found := self.documents.findData(index)) >= 0:
            self.documents.setCurrentIndex(found)  # the model follows (currentIndexChanged)

    def _fill_agreement(self) -> None:
        self.document_table.set_measures(self.result.measures)
        rows = agreement_rows(self.result)
        self.table.setRowCount(len(rows))
        for r, (layer, label, *vals) in enumerate(rows):
            name = QTableWidgetItem(layer if not label else "    " + label)
            if not label:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
            self.table.setItem(r, 0, name)
            for c, v in enumerate(vals, start=1):
                text = "n/a" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.chart.set_values([(f"{layer} / {label}", lab.f1_exact, lab.f1_overlap)
                               for layer, la in self.result.layers.items()
                               for label, lab in la.labels.items()])

    def _show_adjudicator(self) -> None:
        self.adjudicator_label.setText(f"Adjudicator: <b>{html.escape(self.adjudicator)}</b>")

    # -- document and list -------------------------------------------------------------------
    def current_document(self) -> int:
        return int(self.documents.currentData() or 0)

    def _items(self) -> list[Item]:
        return self.model.items()

    def _show_document(self) -> None:
        n = self.model.document
        if n >= len(self.review.matched):
            return
        if self.current_document() != n:  # e.g. undo of a decision in another document
            self.documents.blockSignals(True)
            self.documents.setCurrentIndex(self.documents.findData(n))
            self.documents.blockSignals(False)
        da, db = self.review.documents(self.review.matched[n])[:2]
        self.panes.set_document(da.text, da.spans, db.spans, self._colors)

    def _fill_list(self) -> None:
        self.disagreements.blockSignals(True)
        self.disagreements.clear()
        for it in self._items():
            entry = QListWidgetItem(self.model.describe(it))
            if it.decision is not None:
                entry.setForeground(QBrush(QColor(DECIDED_COLOR[it.decision])))
            self.disagreements.addItem(entry)
        self.disagreements.blockSignals(False)

    def _show_selection(self) -> None:
        row = self.model.row
        if self.disagreements.currentRow() != row:
            self.disagreements.blockSignals(True)
            self.disagreements.setCurrentRow(row)
            self.disagreements.blockSignals(False)
        it = self.model.current()
        if it is not None:
            self.panes.show_pair(it.a, it.b, it.start, it.end)

    def _item_selected(self, row: int) -> None:
        self.apply(self.model.select(row))

    def select_disagreement(self, row: int) -> None:
        """Select disagreement ``row`` of the current document (selects and scrolls both panes)."""
        self.apply(self.model.select(row))

    def current_item(self) -> Item | None:
        return self.model.current()

    # -- deciding ----------------------------------------------------------------------------
    def decide_current(self, decision: Decision) -> None:
        self.apply(self.model.decide(decision))

    def edit_current(self) -> None:
        """Edit: a label for the span, its boundaries from a text selection in either pane."""
        it = self.current_item()
        if it is None:
            return
        base = it.a or it.b
        assert base is not None
        layer = self.review.sides[0].tagset.layer(base.layer)
        labels = [lab.name for lab in layer.labels] if layer else []
        for s in (it.a, it.b):
            if s is not None and s.label not in labels:
                labels.append(s.label)
        label, ok = QInputDialog.getItem(self, "Edit span", f"Label ({base.layer}):", labels,
                                         labels.index(base.label), False)
        if not ok:
            return
        chosen = self.panes.chosen_selection()  # one the reviewer made, not one shown
        fragments = (chosen,) if chosen is not None else base.fragments
        self.edit(it, replace(base, label=label, fragments=fragments))

    def edit(self, item: Item, span: SpanRecord) -> None:
        self.apply(self.model.show_item(item))
        self.apply(self.model.decide(Decision.EDIT, edited=span))

    def accept_agreed(self) -> int:
        n, changes = self.model.accept_agreed()
        self.apply(changes)
        return n

    def _update_status(self) -> None:
        self.statusBar().showMessage(self.model.status())

    # -- files -------------------------------------------------------------------------------
    def save_gold(self, path: str | Path, *, replace: bool = False) -> int:
        """Write the decisions to a gold project file; returns the number of spans.

        What both annotators gave alike is accepted first (it is shown as agreed, not as a
        disagreement to decide); undecided disagreements are left out. ``replace``: the user
        confirmed replacing an existing file (never one of the reviewed files)."""
        a, b = self.review.annotators[0], self.review.annotators[1]
        self.accept_agreed()
        spans = write_gold(path, self.model.gold(), tagset=self.review.sides[0].tagset,
                           annotator=f"{a}+{b} (adjudicated by {self.adjudicator})",
                           replace=replace, keep=[side.path for side in self.review.sides])
        self.gold_path = Path(path)
        self._update_status()
        left = self.adjudication.open_summary()
        labels = self.model.document_labels_left_out()
        self.statusBar().showMessage(
            f"gold file written: {path} ({spans} spans)"
            + (f"; left out, undecided: {left}" if left else "")
            + (f"; left out: {labels} document label(s) given by one annotator only"
               if labels else ""))
        return spans

    def confirm_leaving_out(self) -> bool:
        """Ask before a gold file leaves out undecided disagreements or documents only one
        file has; True to go on."""
        question = self.model.leaving_out_question()
        if not question:
            return True
        answer = QMessageBox.question(
            self, "Save gold", question,
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Save

    def _save_clicked(self) -> None:
        from annotator.gui.views.dialogs import show_error

        if not self.confirm_leaving_out():
            first = next(iter(self.adjudication.open_disagreements()), None)
            if first is not None:  # show the first undecided one
                self.apply(self.model.show_item(first))
            return
        start = str(self.gold_path or Path(self.review.sides[0].path).with_name("gold.annot"))
        path, _ = QFileDialog.getSaveFileName(self, "Save gold project", start,
                                              "Annotator projects (*.annot)")
        if not path:
            return
        confirmed = Path(path).exists()  # the dialog asked before an existing file was chosen
        if not path.endswith(".annot") and not confirmed:
            path += ".annot"  # a name the dialog did not ask about: ask here
            confirmed = Path(path).exists() and QMessageBox.question(
                self, "Save gold", f"{path} already exists. Replace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes
            if Path(path).exists() and not confirmed:
                return
        try:
            self.save_gold(path, replace=confirmed)
        except AnnotatorError as exc:
            show_error(self, "Save gold", str(exc))

    def _report_clicked(self) -> None:
        from annotator.gui.views.dialogs import show_error

        path, _ = QFileDialog.getSaveFileName(self, "Agreement report", "agreement.html",
                                              "HTML (*.html);;CSV (*.csv)")
        if not path:
            return
        try:
            write_report(path, self.result)
        except (AnnotatorError, OSError) as exc:
            show_error(self, "Report", str(exc))


def agreement_of(review: ReviewSet) -> AgreementResult:
    from annotator.review.measures import compute_measures  # for the tables and the report
    docs = review.matched_documents()
    result = compute_agreement(docs, annotators=review.annotators,
                               only_a=len(review.only[0]), only_b=len(review.only[1]))
    return replace(result, measures=compute_measures(result, docs))


def review_job(paths: Sequence[str]) -> Callable[[Callable[[int, int], None],
                                                   Callable[[], bool]],
                                                  tuple[ReviewSet, AgreementResult]]:
    """The slow part of opening a review (reading both files, computing agreement) as a job
    for a worker thread; touches no widget. The result goes to :func:`show_review`."""
    def run(progress: Callable[[int, int], None], cancelled: Callable[[], bool]
            ) -> tuple[ReviewSet, AgreementResult]:
        progress(0, 2)
        review = load_review(list(paths))
        progress(1, 2)
        result = agreement_of(review)
        progress(2, 2)
        return review, result

    return run


def show_review(loaded: tuple[ReviewSet, AgreementResult],
                parent: QWidget | None = None, adjudicator: str | None = None) -> ReviewWindow:
    """Build and show the window for what :func:`review_job` computed (GUI thread)."""
    review, result = loaded
    window = ReviewWindow(review, parent=parent, result=result, adjudicator=adjudicator)
    if parent is not None:
        window.setWindowFlag(Qt.WindowType.Window, True)
    window.resize(1280, 820)
    window.show()
    return window


def open_review(paths: Sequence[str], parent: QWidget | None = None,
                annotators: Sequence[str] | None = None) -> ReviewWindow:
    """Open the review window on ``paths`` (two project files; A first; or one project with
    several annotators' spans, ``annotators`` naming the two) and show it, computing on the
    calling thread (the command line; the workspace uses a job)."""
    return review_window_for(load_review(list(paths), annotators=annotators), parent)


def review_window_for(review: ReviewSet, parent: QWidget | None = None) -> ReviewWindow:
    """The review window on ``review``, shown (the adjudicator's name asked once)."""
    window = ReviewWindow(review, parent=parent, adjudicator=identity.user_name(
        parent, why="The review records who adjudicates."))
    if parent is not None:
        window.setWindowFlag(Qt.WindowType.Window, True)
    window.resize(1280, 820)
    window.show()
    return window


def run_review(paths: Sequence[str], annotators: Sequence[str] | None = None) -> int:
    """``annotator review A B``: the review window on its own; returns the exit code."""
    import sys

    review = load_review(list(paths), annotators=annotators)  # AnnotatorError goes to the
    check_two(review)  # CLI (one line, exit 1) before a window or Qt is started

    from PySide6.QtWidgets import QApplication

    from annotator.gui import settings
    from annotator.gui.qt_check import check_or_exit_code
    from annotator.gui.theme import apply_theme

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        code = check_or_exit_code()  # before Qt aborts for want of a system library
        if code is not None:
            return code
        app = QApplication(sys.argv[:1])
    app.setApplicationName(settings.APP)
    app.setOrganizationName(settings.ORG)
    apply_theme(app, str(settings.settings().value("view/dark", "false")).lower() == "true")
    window = review_window_for(review)
    window.raise_()
    return app.exec()
