"""Buttons for every label of the tagset, grouped by layer, showing colour and key."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.core.tagset import Tagset
from annotator.gui.views.flow_layout import FlowLayout


def text_color_for(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    c = QColor(background)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#111111" if luminance > 150 else "#ffffff"


class LabelPalette(QWidget):
    """Emits :attr:`labelChosen` (layer, label) when a button is pressed."""

    labelChosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=5)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self.buttons: dict[tuple[str, str], QPushButton] = {}

    def set_tagset(self, tagset: Tagset, hidden_layers: AbstractSet[str] = frozenset()) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        for layer in tagset.layers:
            if (not layer.enabled or layer.name in hidden_layers or not layer.labels
                    or layer.document_level):  # documents, not passages
                continue
            group = QWidget()  # a layer's caption and buttons wrap as one piece
            row = QHBoxLayout(group)
            row.setContentsMargins(0, 0, 10, 0)
            row.setSpacing(4)
            caption = QLabel(layer.name.upper())
            caption.setToolTip(layer.description)
            caption.setStyleSheet("color: palette(mid); font-size: 8pt; font-weight: 600;"
                                  "letter-spacing: 1px; padding: 0 2px 0 0;")
            row.addWidget(caption)
            for lab in layer.labels:
                text = f"{lab.name}  {lab.key}" if lab.key else lab.name
                b = QPushButton(text)
                b.setToolTip(f"{layer.name}:{lab.name}"
                             + (f" — key {lab.key}" if lab.key else "")
                             + (f"\n{lab.description}" if lab.description else ""))
                fg = text_color_for(lab.color)
                b.setStyleSheet(
                    f"QPushButton {{ background: {lab.color}; color: {fg}; border: none;"
                    " border-radius: 4px; padding: 3px 9px; }"
                    "QPushButton:hover { border: 1px solid palette(text); }"
                    "QPushButton:disabled { background: palette(button); color: palette(mid); }")
                b.clicked.connect(lambda _=False, a=layer.name, c=lab.name:
                                  self.labelChosen.emit(a, c))
                row.addWidget(b)
                self.buttons[(layer.name, lab.name)] = b
            self._layout.addWidget(group)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout.heightForWidth(width)
