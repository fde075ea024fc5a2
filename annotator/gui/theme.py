"""Light and dark palettes (Fusion style) and the editor font."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_LIGHT = {
    "Window": "#f3f4f6", "WindowText": "#1f2328", "Base": "#ffffff", "AlternateBase": "#f6f8fa",
    "Text": "#1f2328", "Button": "#eceef1", "ButtonText": "#1f2328", "Highlight": "#2f6fde",
    "HighlightedText": "#ffffff", "ToolTipBase": "#ffffe6", "ToolTipText": "#1f2328",
    "PlaceholderText": "#8a8f98", "Mid": "#8a8f98", "Link": "#2f6fde",
}
_DARK = {
    "Window": "#1f2226", "WindowText": "#e6e6e6", "Base": "#17191c", "AlternateBase": "#202328",
    "Text": "#e6e6e6", "Button": "#2b2f35", "ButtonText": "#e6e6e6", "Highlight": "#3d7be0",
    "HighlightedText": "#ffffff", "ToolTipBase": "#2b2f35", "ToolTipText": "#e6e6e6",
    "PlaceholderText": "#7d838c", "Mid": "#7d838c", "Link": "#6ea0ff",
}


def palette(dark: bool) -> QPalette:
    pal = QPalette()
    for name, color in (_DARK if dark else _LIGHT).items():
        pal.setColor(QPalette.ColorRole[name], QColor(color))
    disabled = QColor("#6b7078" if dark else "#a0a4aa")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def apply_theme(app: QApplication, dark: bool) -> None:
    """Fusion style with our light or dark palette."""
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
