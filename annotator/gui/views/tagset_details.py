"""The right side of the tagset editor: the fields of the layer, label or relation type chosen in
the tree (name, description; a label's colour and key; a layer's enabled box; a relation type's
source and target ends) and its attributes, or a hint when nothing is chosen.

It shows a definition and reports what the user types (``on_field(field, value)``); the editor
stores it in the definition and checks the tagset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.tagset import LabelDef, LayerDef, RelationTypeDef
from annotator.gui.views.tagset_attributes import AttributeTable, split_list


class DetailsPane(QStackedWidget):
    """Page 0: a hint; page 1: the fields of one definition. ``on_attributes`` is called after
    each edit of the attribute table, ``on_choose_color`` when the colour button is clicked."""

    def __init__(self, on_field: Callable[[str, Any], None], on_attributes: Callable[[], None],
                 on_choose_color: Callable[[], None]) -> None:
        super().__init__()
        self.name_edit = QLineEdit()
        self.name_edit.textEdited.connect(lambda t: on_field("name", t.strip()))
        self.description_edit = QLineEdit()
        self.description_edit.textEdited.connect(lambda t: on_field("description", t))
        self.key_edit = QLineEdit()
        self.key_edit.setMaxLength(1)
        self.key_edit.setToolTip("One letter or digit that tags the selection with this label")
        self.key_edit.textEdited.connect(lambda t: on_field("key", t.strip().lower()))
        self.color_button = QPushButton()
        self.color_button.clicked.connect(on_choose_color)
        self.enabled_box = QCheckBox("Layer enabled (its labels are offered)")
        self.enabled_box.toggled.connect(lambda on: on_field("enabled", on))
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("layer:label, layer, … (empty: any span)")
        self.source_edit.textEdited.connect(lambda t: on_field("source", split_list(t)))
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("layer:label, layer, … (empty: any span)")
        self.target_edit.textEdited.connect(lambda t: on_field("target", split_list(t)))
        self.form = QFormLayout()
        self.form.addRow("Name", self.name_edit)
        self.form.addRow("Description", self.description_edit)
        self.form.addRow("Colour", self.color_button)
        self.form.addRow("Key", self.key_edit)
        self.form.addRow("", self.enabled_box)
        self.form.addRow("Source", self.source_edit)
        self.form.addRow("Target", self.target_edit)
        self.attributes = AttributeTable(on_attributes)
        self.details = QWidget()
        right = QVBoxLayout(self.details)
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(self.form)
        right.addWidget(self.attributes, 1)
        hint = QLabel("Choose a layer, label or relation type on the left.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(hint)
        self.addWidget(self.details)

    def show_node(self, node: LayerDef | LabelDef | RelationTypeDef | None,
                  editable: bool) -> None:
        """Show the fields of ``node`` (None: the hint); ``editable`` False greys them out."""
        if node is None:
            self.setCurrentIndex(0)
            self.attributes.load(None)
            return
        self.setCurrentIndex(1)
        is_label = isinstance(node, LabelDef)
        is_layer = isinstance(node, LayerDef)
        is_rel = isinstance(node, RelationTypeDef)
        for widget, shown in ((self.color_button, is_label), (self.key_edit, is_label),
                              (self.enabled_box, is_layer), (self.source_edit, is_rel),
                              (self.target_edit, is_rel)):
            self.form.setRowVisible(widget, shown)
        fields = (self.name_edit, self.description_edit, self.key_edit, self.enabled_box,
                  self.source_edit, self.target_edit)
        for w in fields:
            w.blockSignals(True)
        self.name_edit.setText(node.name)
        self.description_edit.setText(node.description)
        if isinstance(node, LabelDef):
            self.key_edit.setText(node.key)
            self.show_color(node.color)
        if isinstance(node, LayerDef):
            self.enabled_box.setChecked(node.enabled)
        if isinstance(node, RelationTypeDef):
            self.source_edit.setText(", ".join(node.source))
            self.target_edit.setText(", ".join(node.target))
        for w in fields:
            w.blockSignals(False)
        self.attributes.load(node.attributes)
        self.details.setEnabled(editable)

    def show_color(self, color: str) -> None:
        self.color_button.setText(color)
        self.color_button.setStyleSheet(f"background: {color};")

    def show_enabled(self, on: bool) -> None:
        """Tick the enabled box without reporting it (the layer's check box changed)."""
        self.enabled_box.blockSignals(True)
        self.enabled_box.setChecked(on)
        self.enabled_box.blockSignals(False)
