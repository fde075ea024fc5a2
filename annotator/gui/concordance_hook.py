"""The concordance dock and the dashboard in the workspace window: Corpus menu, two actions.

:func:`install` is the whole hook (one call from the window's constructor). The dock and the
dashboard are made on first use; they take the window's project and its "open document at
span" and nothing else of it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.gui.concordance import ConcordanceDock, open_at_in

CONCORDANCE_KEY = "Ctrl+Shift+K"  # K for KWIC; no other action uses it (tests/gui)
DASHBOARD_KEY = "Ctrl+Shift+D"


class CorpusTools:
    def __init__(self, w: Any) -> None:
        self.w = w
        self.dock: ConcordanceDock | None = None
        self.dashboard: Any = None  # DashboardWindow, imported when first opened (matplotlib)
        self.act_concordance = self._action("&Concordance…", self.open_concordance,
                                            CONCORDANCE_KEY,
                                            "Query the corpus: spans by layer, label, "
                                            "attributes, text and structure, in context")
        self.act_dashboard = self._action("Corpus at a &glance…", self.open_dashboard,
                                          DASHBOARD_KEY, "Charts of the whole corpus: labels "
                                          "per document or outlet, hedging, sources, stance")
        bar = w.menuBar()
        menu = QMenu("&Corpus", w)
        menu.addActions([self.act_concordance, self.act_dashboard])
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"),
                         None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)  # before Help, as menus go
        else:
            bar.addMenu(menu)

    def _action(self, text: str, slot: Any, key: str, tip: str) -> QAction:
        a = QAction(text, self.w)
        a.setShortcut(QKeySequence(key))
        a.setStatusTip(tip)
        a.triggered.connect(lambda _=False: slot())
        self.w.addAction(a)
        return a

    def open_concordance(self, query: str | None = None) -> ConcordanceDock:
        if self.dock is None:
            self.dock = ConcordanceDock(lambda: self.w.project, open_at_in(self.w), self.w)
            self.w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.open_with(query)
        return self.dock

    def open_dashboard(self) -> Any:
        from annotator.gui.dashboard import open_dashboard

        self.dashboard = open_dashboard(self.dashboard, lambda: self.w.project,
                                        open_at_in(self.w), self.w)
        return self.dashboard


def install(w: Any) -> CorpusTools:
    return CorpusTools(w)
