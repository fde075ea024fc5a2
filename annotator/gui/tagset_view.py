"""Showing the project's tagset: label colours, the palette, the Span editor's labels, the
View ▸ Layers menu and the Spans table's layer filter; and which layers are hidden.

``w.hidden_layers`` (a set of layer names, kept in the settings) is the one record of hidden
layers; the text view and the palette get copies of it. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from annotator.gui import doc_labels
from annotator.gui.theme import apply_theme

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def colors(w: Shell) -> dict[tuple[str, str], str]:
    """(layer, label) → colour of every label of the open project's tagset ({} without one)."""
    if w.project is None:
        return {}
    return {(layer.name, lab.name): lab.color for layer in w.project.tagset.layers
            for lab in layer.labels}


def tagset_changed(w: Shell) -> None:
    """Rebuild everything that lists layers or labels from the project's current tagset;
    the Spans table's layer filter keeps its choice if the layer still exists."""
    if w.project is None:
        return
    tagset = w.project.tagset
    visible = {lay.name for lay in tagset.layers if lay.name not in w.hidden_layers}
    w.palette_bar.set_tagset(tagset, w.hidden_layers)
    w.editor.set_tagset(tagset)
    w.layers_menu.clear()
    w.span_layer.blockSignals(True)
    current = w.span_layer.currentData()
    w.span_layer.clear()
    w.span_layer.addItem("All layers", "")
    for layer in tagset.layers:
        a = w.layers_menu.addAction(layer.name)
        a.setCheckable(True)
        a.setChecked(layer.name in visible)
        a.toggled.connect(lambda on, name=layer.name: w.set_layer_visible(name, on))
        w.span_layer.addItem(layer.name, layer.name)
    w.span_layer.setCurrentIndex(max(0, w.span_layer.findData(current)))
    w.span_layer.blockSignals(False)
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
