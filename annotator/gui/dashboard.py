"""The corpus at a glance: a window of charts over the open project, with a concordance below.

Self-contained, like the concordance: :class:`DashboardWindow` takes a function returning the
open project and a callback ``open_at(document_key, span_key)``. The numbers come from
:mod:`annotator.core.corpus_figures` (read once per Refresh); the charts are matplotlib's
(QtAgg). Clicking a bar runs its query in the concordance under the charts; a row there opens
the document at the span. A tab is drawn when it is first shown after a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import corpus_figures as cf
from annotator.core.errors import AnnotatorError
from annotator.gui.concordance import ConcordancePanel, OpenAt
from annotator.gui.dashboard_chart import ChartView

TABS = (("labels", "Labels"), ("hedging", "Hedging per 1,000 words"),
        ("sources", "Attributed sources"), ("stance", "Stance by holder and target"))


class DashboardWindow(QWidget):
    def __init__(self, project: Callable[[], Any], open_at: OpenAt,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Corpus at a glance")
        self.setObjectName("dashboard")
        self._project = project
        self.summary: cf.CorpusSummary | None = None
        self.group_by = QComboBox()
        self.group_by.setToolTip("Group documents: one bar each, or by a metadata key "
                                 "(dates by month)")
        self.layer = QComboBox()
        self.layer.setToolTip("Count the spans of every layer, or the labels of one")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.group_by.currentIndexChanged.connect(self._options_changed)
        self.layer.currentIndexChanged.connect(self._options_changed)
        self.tabs = QTabWidget()
        self.charts: dict[str, ChartView] = {}
        for key, title in TABS:
            self.charts[key] = ChartView(self.show_concordance)
            self.tabs.addTab(self.charts[key], title)
        self._dirty: set[str] = set()
        self.tabs.currentChanged.connect(lambda _: self._draw_current())
        self.concordance = ConcordancePanel(project, open_at)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(self.concordance)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(QLabel("Group by:"))
        top.addWidget(self.group_by)
        top.addWidget(QLabel("Spans of:"))
        top.addWidget(self.layer)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.resize(1000, 760)

    # ----------------------------------------------------------------- data
    def refresh(self) -> bool:
        """Read the project's numbers again and redraw; False (after a message) on failure."""
        project = self._project()
        if project is None:
            return False
        try:
            self.summary = cf.summarise(project)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Corpus at a glance", str(exc))
            return False
        keep_by, keep_layer = self.group_by.currentData(), self.layer.currentData()
        for combo in (self.group_by, self.layer):
            combo.blockSignals(True)
            combo.clear()
        self.group_by.addItem("document", "document")
        for key in self.summary.meta_keys():
            self.group_by.addItem(key, key)
        self.layer.addItem("all layers", None)
        for layer in self.summary.layers:
            self.layer.addItem(layer, layer)
        for combo, keep in ((self.group_by, keep_by), (self.layer, keep_layer)):
            i = combo.findData(keep)
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)
        self._options_changed()
        return True

    def figure(self, key: str) -> cf.Figure:
        """The figure of tab ``key`` for the current options."""
        assert self.summary is not None
        by = self.group_by.currentData() or "document"
        if key == "labels":
            return cf.label_counts(self.summary, by, self.layer.currentData())
        if key == "hedging":
            return cf.hedging_density(self.summary, by)
        if key == "sources":
            return cf.source_ranking(self.summary)
        return cf.stance_by_holder_target(self.summary)

    def _options_changed(self) -> None:
        self._dirty = {key for key, _ in TABS}
        self._draw_current()

    def _draw_current(self) -> None:
        key = TABS[self.tabs.currentIndex()][0]
        if self.summary is not None and key in self._dirty:
            self._dirty.discard(key)
            self.charts[key].show_figure(self.figure(key))

    def draw_all(self) -> None:
        """Draw every tab now (not only the shown one)."""
        if self.summary is None:
            return
        for key, _ in TABS:
            self._dirty.discard(key)
            self.charts[key].show_figure(self.figure(key))

    def show_concordance(self, query: str) -> None:
        self.concordance.show_query(query)


def open_dashboard(existing: DashboardWindow | None, project: Callable[[], Any],
                   open_at: OpenAt, parent: QWidget | None = None) -> DashboardWindow:
    """Show the dashboard (made on first use), read afresh."""
    window = existing or DashboardWindow(project, open_at, parent)
    window.show()
    window.raise_()
    window.activateWindow()
    window.refresh()
    return window
