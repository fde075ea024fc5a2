"""Showing the project's tagset: label colours, the palette, the Span editor's labels, the
View ▸ Layers menu (the Spans panel refills its own layer filter); and which layers are hidden.

``w.hidden_layers`` (a set of layer names, kept in the settings) is the one record of hidden
layers; the text view and the palette get copies of it. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from annotator.gui import doc_labels
from annotator.gui.spans_panel import tagset_colors
from annotator.gui.theme import apply_theme
from annotator.workspace import Changes

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def colors(w: Shell) -> dict[tuple[str, str], str]:
    """(layer, label) → colour of every label of the open project's tagset ({} without one)."""
    return tagset_colors(w.project.tagset if w.project is not None else None)


def tagset_changed(w: Shell) -> None:
    """The project's tagset changed (an import, the tagset editor, a new label): announced
    through the session, so that every part showing labels redraws (:func:`redraw` here,
    the Spans panel's layer filter there)."""
    if w.session is not None:
        w.session.publish(Changes(tagset=True))
    else:
        redraw(w)


def redraw(w: Shell) -> None:
    """Rebuild the palette, the Span editor's labels, View ▸ Layers and the colours from the
    project's current tagset (connected to the session's ``tagsetChanged``)."""
    if w.project is None:
        return
    tagset = w.project.tagset
    visible = {lay.name for lay in tagset.layers if lay.name not in w.hidden_layers}
    w.palette_bar.set_tagset(tagset, w.hidden_layers)
    w.editor.set_tagset(tagset)
    w.layers_menu.clear()
    for layer in tagset.layers:
        a = w.layers_menu.addAction(layer.name)
        a.setCheckable(True)
        a.setChecked(layer.name in visible)
        a.toggled.connect(lambda on, name=layer.name: w.set_layer_visible(name, on))
    w.view.set_colors(colors(w))
    w.view.set_hidden_layers(set(w.hidden_layers))
    doc_labels.refresh(w)


def set_layer_visible(w: Shell, layer: str, visible: bool) -> None:
    """Show or hide ``layer``'s spans in the text view and its labels in the palette."""
    if visible:
        w.hidden_layers.discard(layer)
    else:
        w.hidden_layers.add(layer)
    w.view.set_hidden_layers(set(w.hidden_layers))
    if w.project is not None:
        w.palette_bar.set_tagset(w.project.tagset, w.hidden_layers)


def toggle_dark(w: Shell, on: bool) -> None:
    """Switch the application's light/dark palette and re-mix the span tints with it."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, on)
    w.view.set_colors(colors(w))  # tints are mixed with the new background
