"""The tagset editor: layers → labels, their attributes, and relation types, in one dialog.

The dialog edits a private copy of the tagset and checks it after every change (the core's
:func:`~annotator.core.tagset.tagset_from_dict` plus checks of names, keys, colours, relation
ends, and labels still in use); a problem is shown under the tree and OK stays disabled. It
writes nothing: after OK the caller applies :meth:`TagsetEditor.tagset` and
:meth:`TagsetEditor.renames` (labels whose name or layer changed: their spans follow).

Its parts live beside it: the tree of layers, labels and relation types
(:mod:`.tagset_tree`), the fields of the chosen one (:mod:`.tagset_details`), its attribute
rows (:mod:`.tagset_attributes`) and the checks (:mod:`.tagset_checks`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.tagset import LabelDef, LayerDef, Tagset, load_tagset
from annotator.gui.views.tagset_attributes import AttributeTable, format_default, parse_default
from annotator.gui.views.tagset_checks import check_tagset
from annotator.gui.views.tagset_details import DetailsPane
from annotator.gui.views.tagset_tree import TagsetItem, TagsetTree

__all__ = ["TOML_FILTER", "AttributeTable", "TagsetEditor", "format_default", "parse_default"]

TOML_FILTER = "Tagset (*.toml);;All files (*)"


class TagsetEditor(QDialog):
    """Edit a tagset. ``used`` counts spans per (layer, label) and ``used_relations``
    relations per type: such labels and types cannot be removed (labels may be renamed).
    Its Lexicons… button asks (:attr:`lexiconsRequested`) for the lexicon recommender's word
    lists, edited in their own dialog and stored at once (they are not part of the tagset)."""

    lexiconsRequested = Signal()

    def __init__(self, tagset: Tagset, *, used: dict[tuple[str, str], int] | None = None,
                 used_relations: dict[str, int] | None = None, editable: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tagset")
        self.resize(900, 620)
        self.used = dict(used or {})
        self.used_relations = dict(used_relations or {})
        self.editable = editable
        self.original_labels = {(lay.name, lab.name) for lay in tagset.layers
                                for lab in lay.labels}
        self.original_relations = {r.name for r in tagset.relation_types}
        self.name = tagset.name
        self.description = tagset.description
        self._result: Tagset | None = None
        self._loading = False
        self._build()
        self.load(tagset)

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        self.tree = TagsetTree(self.original_labels, self.original_relations)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show(cur))
        self.tree.itemChanged.connect(self._item_checked)
        add_layer = QPushButton("Add layer")
        add_layer.clicked.connect(self.add_layer)
        add_label = QPushButton("Add label")
        add_label.clicked.connect(self.add_label)
        add_rel = QPushButton("Add relation type")
        add_rel.clicked.connect(self.add_relation_type)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_current)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        grid = QHBoxLayout()
        for b in (add_layer, add_label, add_rel, self.remove_button):
            grid.addWidget(b)
        lay.addLayout(grid)

        self.stack = DetailsPane(self._set, self._changed, self.choose_color)
        stack = self.stack  # its fields, under the names the dialog has always had
        self.name_edit, self.description_edit = stack.name_edit, stack.description_edit
        self.key_edit, self.color_button = stack.key_edit, stack.color_button
        self.enabled_box = stack.enabled_box
        self.source_edit, self.target_edit = stack.source_edit, stack.target_edit
        self.form, self.details, self.attributes = stack.form, stack.details, stack.attributes

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b; font-weight: 600;")
        import_button = QPushButton("Import tagset…")
        import_button.clicked.connect(self.import_dialog)
        export_button = QPushButton("Export tagset…")
        export_button.clicked.connect(self.export_dialog)
        self.lexicons_button = QPushButton("Lexicons…")
        self.lexicons_button.setToolTip("The word lists the lexicon recommender suggests from "
                                        "(hedges, boosters, attribution cues)")
        self.lexicons_button.clicked.connect(self.lexiconsRequested.emit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(left, 2)
        body.addWidget(self.stack, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(import_button)
        bottom.addWidget(export_button)
        bottom.addWidget(self.lexicons_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self.problem)
        outer.addLayout(bottom)
        if not self.editable:
            self.problem.setText("The project is open read-only: the tagset can be exported "
                                 "but not changed.")

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # ----------------------------------------------------------------- tree
    def load(self, tagset: Tagset) -> None:
        """Show a copy of ``tagset``; a label keeps its identity (for renames) when the project's
        tagset had the same layer:label."""
        ts = copy.deepcopy(tagset)
        self._loading = True
        self.tree.fill(ts)
        self._loading = False
        self._show(None)
        self._changed()

    @property
    def relations_root(self) -> TagsetItem:
        """The "Relation types" row of the tree."""
        return self.tree.relations_root

    def _item_checked(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or not isinstance(item, TagsetItem) or \
                not isinstance(item.node, LayerDef):
            return
        on = item.checkState(0) == Qt.CheckState.Checked
        if item.node.enabled != on:
            item.node.enabled = on
            if self.tree.currentItem() is item:
                self.stack.show_enabled(on)
            self._changed()

    def layer_items(self) -> list[TagsetItem]:
        return self.tree.layer_items()

    def find_item(self, layer: str, label: str | None = None) -> TagsetItem | None:
        """The tree item of a layer, or of a label of it."""
        return self.tree.find_item(layer, label)

    def add_layer(self) -> TagsetItem:
        item = self.tree.new_layer()
        self._changed()
        return item

    def add_label(self) -> TagsetItem | None:
        item = self.tree.new_label()
        if item is not None:
            self._changed()
        return item

    def add_relation_type(self) -> TagsetItem:
        item = self.tree.new_relation_type()
        self._changed()
        return item

    def remove_current(self) -> None:
        if self.tree.remove_current():
            self._changed()

    # ----------------------------------------------------------------- details
    def _show(self, item: QTreeWidgetItem | None) -> None:
        node = item.node if isinstance(item, TagsetItem) else None
        self.stack.show_node(node, self.editable)

    def _set(self, field: str, value: Any) -> None:
        item = self.tree.currentItem()
        if not isinstance(item, TagsetItem) or item.node is None or \
                not hasattr(item.node, field):
            return
        setattr(item.node, field, value)
        if field == "enabled":
            item.setCheckState(0, Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        self.tree.refresh_item(item)
        self._changed()

    def choose_color(self) -> None:
        item = self.tree.currentItem()
        if not isinstance(item, TagsetItem) or not isinstance(item.node, LabelDef):
            return
        color = QColorDialog.getColor(QColor(item.node.color), self, "Label colour")
        if color.isValid():
            self.set_color(color.name())

    def set_color(self, color: str) -> None:
        self._set("color", color)
        self.stack.show_color(color)

    # ----------------------------------------------------------------- checking
    def _changed(self) -> None:
        if self._loading:
            return
        try:
            self._result = self._check()
            problem = ""
        except (AnnotatorError, ValueError) as exc:
            self._result = None
            problem = str(exc)
        if self.editable:
            self.problem.setText(problem)
        self.ok_button.setEnabled(self.editable and self._result is not None)

    def _check(self) -> Tagset:
        """The edited tagset, validated; raises with a message for people."""
        if self.attributes.error:
            raise ValueError(self.attributes.error)
        layers, relations = self.tree.edited()
        return check_tagset(self.name, self.description, layers, relations,
                            renames=self.renames(), layer_renames=self.tree.layer_renames(),
                            relation_originals=self.tree.relation_originals(),
                            used=self.used, used_relations=self.used_relations,
                            original_labels=self.original_labels,
                            original_relations=self.original_relations)

    def renames(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Labels of the project's tagset whose layer or name changed: old → new."""
        return self.tree.renames()

    def tagset(self) -> Tagset | None:
        """The edited tagset when it is valid, else None (and :attr:`problem` says why)."""
        return self._result

    def accept(self) -> None:
        if self.editable and self._result is not None:
            super().accept()

    # ----------------------------------------------------------------- files
    def import_file(self, path: str | Path) -> bool:
        try:
            ts = load_tagset(path)
        except AnnotatorError as exc:
            self.problem.setText(str(exc))
            return False
        self.name, self.description = ts.name, ts.description
        self.load(ts)
        return True

    def export_file(self, path: str | Path) -> bool:
        ts = self._result
        if ts is None:
            return False
        try:
            Path(path).write_text(ts.to_toml(), encoding="utf-8")
        except OSError as exc:
            self.problem.setText(f"{path}: {exc.strerror or exc}")
            return False
        return True

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import tagset", "", TOML_FILTER)
        if path:
            self.import_file(path)

    def export_dialog(self) -> None:
        if self._result is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export tagset", f"{self.name}.toml",
                                              TOML_FILTER)
        if path:
            self.export_file(path)
