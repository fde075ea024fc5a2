"""The find bar under the text (Ctrl+F): case-insensitive search, next/previous, a count."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from annotator.core.offsets import OffsetMap

MAX_HIGHLIGHTS = 2000  # Qt repaints every extra selection per block; keep them few


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Code point ranges of every case-insensitive occurrence of ``query``."""
    if not query:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(query), text, re.IGNORECASE)]


def highlight_matches(view: QPlainTextEdit, text: str, matches: list[tuple[int, int]]) -> None:
    """Show ``matches`` (code points) as find highlights behind the text of ``view``."""
    omap = OffsetMap(text)
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    color = QColor("#8a7000" if dark else "#ffe36e")
    selections = []
    for start, end in matches[:MAX_HIGHLIGHTS]:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(omap.to_utf16(start))
        cursor.setPosition(omap.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format.setBackground(color)
        selections.append(sel)
    view.setExtraSelections(selections)


def _tool_button(text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class FindBar(QWidget):
    """Emits :attr:`matchSelected` (start, end) for the current match and :attr:`matchesChanged`
    with all matches, to be highlighted by the text view."""

    matchSelected = Signal(int, int)
    matchesChanged = Signal(list)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(self.find_next)
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        prev_b = _tool_button("▲", "Previous match (Shift+Enter, Shift+F3)", self.find_previous)
        next_b = _tool_button("▼", "Next match (Enter, F3)", self.find_next)
        close_b = _tool_button("✕", "Close (Esc)", self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Shift+Return"), self.edit, self.find_previous,
                  context=Qt.ShortcutContext.WidgetShortcut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(prev_b)
        layout.addWidget(next_b)
        layout.addWidget(self.count)
        layout.addWidget(close_b)
        self._text = ""
        self.matches: list[tuple[int, int]] = []
        self.current = -1

    def set_text(self, text: str) -> None:
        self._text = text
        if self.isVisible():
            self._search(self.edit.text())

    def open_bar(self, initial: str = "") -> None:
        self.show()
        if initial:
            self.edit.setText(initial)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.matches = []
        self.matchesChanged.emit([])
        self.closed.emit()

    def _search(self, query: str) -> None:
        self.matches = find_all(self._text, query)
        self.current = -1
        self.matchesChanged.emit(list(self.matches))
        if self.matches:
            self.find_next()
        else:
            self.count.setText("no matches" if query else "")

    def _go(self, i: int) -> None:
        if not self.matches:
            return
        self.current = i % len(self.matches)
        self.count.setText(f"{self.current + 1} of {len(self.matches)}")
        self.matchSelected.emit(*self.matches[self.current])

    def find_next(self) -> None:
        self._go(self.current + 1)

    def find_previous(self) -> None:
        self._go(self.current - 1 if self.current >= 0 else -1)
