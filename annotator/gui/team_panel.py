"""The Team dock: who has coded how much, live on a shared project.

One row per annotator — documents assigned, new, in progress, done, and spans — of what the
user may read (a coder in blind mode sees their own row; a curator sees everyone's). The
panel owns its part: :meth:`TeamPanel.attach` connects it to a session's changes, and it
reads the figures again (once per burst, after :data:`SETTLE_MS`) whenever a change names a
status, an assignment, the document list or spans — local edits and other people's alike
(:mod:`annotator.gui.live`). The dock shows itself for a project on a server or one that
has assignments; View ▸ Team shows it for any project.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.session import ProjectSession
from annotator.workspace import Changes

COLUMNS = ("Annotator", "Docs", "New", "Doing", "Done", "Spans")
TIPS = ("", "Documents assigned", "Not started", "In progress", "Done", "Spans coded")
KEYS = ("assigned", "new", "in_progress", "done", "spans")
SETTLE_MS = 300


class TeamPanel(QWidget):
    """Per-annotator progress of the attached session's project."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: ProjectSession | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for col in range(1, len(COLUMNS)):
            header.resizeSection(col, 50)
        for col, tip in enumerate(TIPS):
            if tip and (head := self.table.horizontalHeaderItem(col)) is not None:
                head.setToolTip(tip)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self.rows: dict[str, dict[str, int]] = {}

    def attach(self, session: ProjectSession | None) -> None:
        """Show ``session``'s project (None: nothing) and follow its changes."""
        if self._session is not None:
            self._session.changed.disconnect(self._changed)
        self._session = session
        if session is not None:
            session.changed.connect(self._changed)
        self.refresh()

    def wanted(self) -> bool:
        """Whether the project is team work (on a server, or with assignments)."""
        if self._session is None:
            return False
        return self._session.project.on_server or any(
            entry["assigned"] for entry in self.rows.values())

    def _changed(self, ch: Changes) -> None:
        if ch.status or ch.documents or ch.spans or ch.headers or ch.project:
            self._timer.start()  # a burst of changes: read once when it settles

    def refresh(self) -> None:
        self._timer.stop()
        self.rows = {}
        if self._session is None:
            self._fill("No project open.")
            return
        project = self._session.project
        try:
            self.rows = project.progress()
        except AnnotatorError as exc:
            self._fill(f"Progress could not be read: {exc}")
            return
        me = project.annotator
        if not any(entry["assigned"] for entry in self.rows.values()):
            note = "No documents are assigned: everyone codes every document."
        elif project.on_server and set(self.rows) <= {me}:
            note = "Blind coding: you see your own progress only."
        else:
            note = "Live: updates as people code." if project.on_server else ""
        self._fill(note)

    def _fill(self, note: str) -> None:
        me = self._session.project.annotator if self._session is not None else ""
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for row, (who, entry) in enumerate(sorted(self.rows.items())):
            name = QTableWidgetItem(f"{who} (you)" if who == me else who)
            self.table.setItem(row, 0, name)
            for col, key in enumerate(KEYS, start=1):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, entry.get(key, 0))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.setSortingEnabled(True)
        self.note.setText(note)
        self.note.setVisible(bool(note))
