"""Restoring and saving the window's geometry, dock layout and view preferences
(zoom, dark palette, hidden layers) in the application settings (:mod:`settings`).

Unreadable or missing values fall back to the defaults; a window without a saved dock
layout gets :func:`annotator.gui.panels.default_layout` when first shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from annotator.gui import settings

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def restore_settings(w: Shell) -> None:
    """Apply the saved settings to a newly built window (actions must exist: ``act_dark``);
    sets ``w._needs_layout`` when no dock layout was saved."""
    s = settings.settings()
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        w.restoreGeometry(geometry)
    else:
        w.resize(1400, 860)
    state = s.value("window/state")
    w._needs_layout = not (isinstance(state, QByteArray) and not state.isEmpty()
                           and w.restoreState(state))
    raw_zoom = s.value("view/zoom", 12.0)
    try:
        zoom = float(raw_zoom) if isinstance(raw_zoom, (str, int, float)) else 12.0
    except ValueError:
        zoom = 12.0
    w.view.set_zoom(zoom)
    dark = str(s.value("view/dark", "false")).lower() == "true"
    w.act_dark.setChecked(dark)
    w.hidden_layers = set(settings.string_list(s.value("view/hidden_layers", [])))
    w.hidden_layers.discard("")


def save_settings(w: Shell) -> None:
    """Write the window's geometry, dock layout and view preferences, and sync them."""
    s = settings.settings()
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState())
    s.setValue("view/dark", w.act_dark.isChecked())
    s.setValue("view/zoom", w.view.zoom())
    s.setValue("view/hidden_layers", sorted(w.hidden_layers))
    s.sync()
