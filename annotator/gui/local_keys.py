"""Keys that belong to the focused widget win over the window's shortcuts.

Qt offers every key press first as a ``ShortcutOverride`` to the focused widget; when the widget
does not accept it, a window-wide shortcut with that key fires instead. Lists and combo boxes
do not claim keys such as Delete or Alt+Down, so without this the window's "Delete span" ran
while the user pressed Delete in the Suggestions list (and deleted the selected span instead of
dismissing the suggestion). :class:`LocalKeys` claims the given keys for the widgets it is
installed on; the widget's own ``keyPressEvent`` then gets them. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

Key = tuple[Qt.Key, Qt.KeyboardModifier]

_NONE = Qt.KeyboardModifier.NoModifier
_ALT = Qt.KeyboardModifier.AltModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier

DELETE_KEYS: tuple[Key, ...] = ((Qt.Key.Key_Delete, _NONE), (Qt.Key.Key_Backspace, _NONE))
ENTER_KEYS: tuple[Key, ...] = ((Qt.Key.Key_Return, _NONE), (Qt.Key.Key_Enter, _NONE))
COMBO_KEYS: tuple[Key, ...] = ((Qt.Key.Key_Down, _ALT), (Qt.Key.Key_Up, _ALT))


class LocalKeys(QObject):
    """Event filter claiming ``keys`` (key, modifiers) for the widgets it is installed on."""

    def __init__(self, keys: Iterable[Key], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = {(int(k.value), m.value) for k, m in keys}

    def claims(self, event: QKeyEvent) -> bool:
        mods = event.modifiers().value & ~_KEYPAD.value
        return (int(event.key()), mods) in self.keys

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self.claims(event):
            event.accept()  # the widget's keyPressEvent gets the key, not a window shortcut
            return True
        return False


def claim_keys(keys: Iterable[Key], *widgets: QWidget) -> LocalKeys:
    """Install one :class:`LocalKeys` for ``keys`` on ``widgets`` (owned by the first)."""
    keeper = LocalKeys(keys, widgets[0] if widgets else None)
    for w in widgets:
        w.installEventFilter(keeper)
    return keeper
