"""The tagset editor: layers → labels, their attributes, and relation types, in one dialog.

The dialog edits a private copy of the tagset and checks it after every change (the core's
:func:`~annotator.core.tagset.tagset_from_dict` plus checks of names, keys, colours, relation
ends, and labels still in use); a problem is shown under the tree and OK stays disabled. It
writes nothing: after OK the caller applies :meth:`TagsetEditor.tagset` and
:meth:`TagsetEditor.renames` (labels whose name or layer changed: their spans follow).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.tagset import (
    ATTRIBUTE_TYPES,
    PALETTE,
    AttributeDef,
    LabelDef,
    LayerDef,
    RelationTypeDef,
    Tagset,
    load_tagset,
    tagset_from_dict,
)

Node = LayerDef | LabelDef | RelationTypeDef
NodeT = TypeVar("NodeT", LayerDef, LabelDef, RelationTypeDef)
TOML_FILTER = "Tagset (*.toml);;All files (*)"


class _Item(QTreeWidgetItem):
    """A tree row and the definition it edits; ``original`` is its name when the dialog
    opened (None for a new one): (layer, label) for labels, the name for relation types."""

    def __init__(self, node: Node | None, original: Any = None) -> None:
        super().__init__()
        self.node = node
        self.original = original


def _node(item: _Item, kind: type[NodeT]) -> NodeT:
    """The definition ``item`` edits, which the tree's shape says is a ``kind`` (layers at the
    top, labels under them, relation types under the "Relation types" row)."""
    node = item.node
    if not isinstance(node, kind):
        raise TypeError(f"tree row {item.text(0)!r} holds {type(node).__name__}, "
                        f"not {kind.__name__}")
    return node


def _children(item: QTreeWidgetItem) -> list[_Item]:
    """The rows under ``item`` (every row of the tree is an :class:`_Item`)."""
    children = (item.child(i) for i in range(item.childCount()))
    return [child for child in children if isinstance(child, _Item)]


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def parse_default(type_: str, text: str) -> Any:
    """An attribute default typed in the table as the tagset stores it (None when empty)."""
    text = text.strip()
    if not text:
        return None
    if type_ == "bool":
        if text.lower() in ("true", "yes", "1"):
            return True
        if text.lower() in ("false", "no", "0"):
            return False
        raise ValueError(f"default {text!r} is not true or false")
    if type_ == "number":
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                raise ValueError(f"default {text!r} is not a number") from None
    if type_ == "multi":
        return _split(text)
    return text


def format_default(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class AttributeTable(QWidget):
    """Rows of attributes (name, type, values comma-separated, default) of one definition."""

    COLUMNS = ("Name", "Type", "Values (comma-separated)", "Default")

    def __init__(self, on_change: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self.attrs: list[AttributeDef] | None = None
        self.error = ""
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 120)
        header.resizeSection(1, 80)
        header.resizeSection(2, 220)
        self.table.itemChanged.connect(lambda _item: self._store())
        self.add_button = QPushButton("Add attribute")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove attribute")
        self.remove_button.clicked.connect(self.remove_row)
        row = QHBoxLayout()
        row.addWidget(QLabel("Attributes"), 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.table)

    def load(self, attrs: list[AttributeDef] | None) -> None:
        """Edit ``attrs`` in place (None: nothing to edit)."""
        self.attrs = attrs
        self.setEnabled(attrs is not None)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for a in attrs or []:
            self._append(a.name, a.type, ", ".join(a.values), format_default(a.default))
        self.table.blockSignals(False)

    def _append(self, name: str, type_: str, values: str, default: str) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(name))
        combo = QComboBox()
        combo.addItems(list(ATTRIBUTE_TYPES))
        combo.setCurrentText(type_)
        combo.currentIndexChanged.connect(lambda _i: self._store())
        self.table.setCellWidget(r, 1, combo)
        self.table.setItem(r, 2, QTableWidgetItem(values))
        self.table.setItem(r, 3, QTableWidgetItem(default))

    def add_row(self) -> None:
        if self.attrs is None:
            return
        self.table.blockSignals(True)
        self._append(f"attribute{self.table.rowCount() + 1}", "text", "", "")
        self.table.blockSignals(False)
        self._store()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if self.attrs is not None and row >= 0:
            self.table.removeRow(row)
            self._store()

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell (column 1: choose that type)."""
        if column == 1:
            combo = self.table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            combo.setCurrentText(text)
        else:
            item = self.table.item(row, column)
            if item is None:
                raise IndexError(f"no attribute cell at row {row}, column {column}")
            item.setText(text)

    def _store(self) -> None:
        if self.attrs is None:
            return
        out, self.error = [], ""
        for r in range(self.table.rowCount()):
            def cell(c: int, r: int = r) -> str:
                item = self.table.item(r, c)
                return item.text() if item is not None else ""

            combo = self.table.cellWidget(r, 1)
            type_ = combo.currentText() if isinstance(combo, QComboBox) else "text"
            try:
                default = parse_default(type_, cell(3))
            except ValueError as exc:
                self.error = f"attribute {cell(0).strip()!r}: {exc}"
                default = None
            out.append(AttributeDef(name=cell(0).strip(), type=type_, values=_split(cell(2)),
                                    default=default))
        self.attrs[:] = out
        self._on_change()


class TagsetEditor(QDialog):
    """Edit a tagset. ``used`` counts spans per (layer, label) and ``used_relations``
    relations per type: such labels and types cannot be removed (labels may be renamed)."""

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
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Name", "Key"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
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

        self.name_edit = QLineEdit()
        self.name_edit.textEdited.connect(lambda t: self._set("name", t.strip()))
        self.description_edit = QLineEdit()
        self.description_edit.textEdited.connect(lambda t: self._set("description", t))
        self.key_edit = QLineEdit()
        self.key_edit.setMaxLength(1)
        self.key_edit.setToolTip("One letter or digit that tags the selection with this label")
        self.key_edit.textEdited.connect(lambda t: self._set("key", t.strip().lower()))
        self.color_button = QPushButton()
        self.color_button.clicked.connect(self.choose_color)
        self.enabled_box = QCheckBox("Layer enabled (its labels are offered)")
        self.enabled_box.toggled.connect(lambda on: self._set("enabled", on))
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("layer:label, layer, … (empty: any span)")
        self.source_edit.textEdited.connect(lambda t: self._set("source", _split(t)))
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("layer:label, layer, … (empty: any span)")
        self.target_edit.textEdited.connect(lambda t: self._set("target", _split(t)))
        self.form = QFormLayout()
        self.form.addRow("Name", self.name_edit)
        self.form.addRow("Description", self.description_edit)
        self.form.addRow("Colour", self.color_button)
        self.form.addRow("Key", self.key_edit)
        self.form.addRow("", self.enabled_box)
        self.form.addRow("Source", self.source_edit)
        self.form.addRow("Target", self.target_edit)
        self.attributes = AttributeTable(self._changed)
        self.details = QWidget()
        right = QVBoxLayout(self.details)
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(self.form)
        right.addWidget(self.attributes, 1)
        self.stack = QStackedWidget()
        hint = QLabel("Choose a layer, label or relation type on the left.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(hint)
        self.stack.addWidget(self.details)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b; font-weight: 600;")
        import_button = QPushButton("Import tagset…")
        import_button.clicked.connect(self.import_dialog)
        export_button = QPushButton("Export tagset…")
        export_button.clicked.connect(self.export_dialog)
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
        self.tree.clear()
        for layer in ts.layers:
            item = self._layer_item(layer)
            for lab in layer.labels:
                item.addChild(self._label_item(lab, (layer.name, lab.name)))
        self.relations_root = _Item(None)
        self.relations_root.setText(0, "Relation types")
        self.tree.addTopLevelItem(self.relations_root)
        for rt in ts.relation_types:
            self.relations_root.addChild(self._relation_item(rt))
        self.tree.expandAll()
        self._loading = False
        self._show(None)
        self._changed()

    def _layer_item(self, layer: LayerDef) -> _Item:
        item = _Item(layer, layer.name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if layer.enabled else Qt.CheckState.Unchecked)
        item.setText(0, layer.name)
        n = self.tree.topLevelItemCount()
        has_root = n and self.tree.topLevelItem(n - 1) is getattr(self, "relations_root", None)
        self.tree.insertTopLevelItem(n - 1 if has_root else n, item)
        return item

    def _label_item(self, lab: LabelDef, original: tuple[str, str] | None) -> _Item:
        item = _Item(lab, original if original in self.original_labels else None)
        self._refresh_item(item)
        return item

    def _relation_item(self, rt: RelationTypeDef) -> _Item:
        item = _Item(rt, rt.name if rt.name in self.original_relations else None)
        item.setText(0, rt.name)
        return item

    def _refresh_item(self, item: _Item) -> None:
        node = item.node
        item.setText(0, getattr(node, "name", ""))
        if isinstance(node, LabelDef):
            item.setText(1, node.key)
            pix = QPixmap(12, 12)
            pix.fill(QColor(node.color))
            item.setIcon(0, QIcon(pix))

    def _item_checked(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or not isinstance(item, _Item) or not isinstance(item.node, LayerDef):
            return
        on = item.checkState(0) == Qt.CheckState.Checked
        if item.node.enabled != on:
            item.node.enabled = on
            if self.tree.currentItem() is item:
                self.enabled_box.blockSignals(True)
                self.enabled_box.setChecked(on)
                self.enabled_box.blockSignals(False)
            self._changed()

    def layer_items(self) -> list[_Item]:
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [i for i in items if isinstance(i, _Item) and isinstance(i.node, LayerDef)]

    def find_item(self, layer: str, label: str | None = None) -> _Item | None:
        """The tree item of a layer, or of a label of it."""
        for item in self.layer_items():
            if _node(item, LayerDef).name != layer:
                continue
            if label is None:
                return item
            for child in _children(item):
                if _node(child, LabelDef).name == label:
                    return child
        return None

    def add_layer(self) -> _Item:
        names = {_node(i, LayerDef).name for i in self.layer_items()}
        n = 1
        while f"layer{n}" in names:
            n += 1
        item = self._layer_item(LayerDef(name=f"layer{n}"))
        self.tree.setCurrentItem(item)
        self._changed()
        return item

    def add_label(self) -> _Item | None:
        cur = self.tree.currentItem()
        if isinstance(cur, _Item) and isinstance(cur.node, LabelDef):
            cur = cur.parent()
        if not (isinstance(cur, _Item) and isinstance(cur.node, LayerDef)):
            layers = self.layer_items()
            if not layers:
                return None
            cur = layers[-1]
        count = sum(i.childCount() for i in self.layer_items())
        names = {child.text(0) for child in _children(cur)}
        n = 1
        while f"label{n}" in names:
            n += 1
        item = self._label_item(LabelDef(name=f"label{n}", color=PALETTE[count % len(PALETTE)]),
                                None)
        cur.addChild(item)
        cur.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._changed()
        return item

    def add_relation_type(self) -> _Item:
        item = self._relation_item(RelationTypeDef(name=f"relation{self.relations_root.childCount() + 1}"))
        self.relations_root.addChild(item)
        self.relations_root.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._changed()
        return item

    def remove_current(self) -> None:
        cur = self.tree.currentItem()
        if not isinstance(cur, _Item) or cur.node is None:
            return
        parent = cur.parent()
        if parent is None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(cur))
        else:
            parent.removeChild(cur)
        self._changed()

    # ----------------------------------------------------------------- details
    def _show(self, item: QTreeWidgetItem | None) -> None:
        node = item.node if isinstance(item, _Item) else None
        if node is None:
            self.stack.setCurrentIndex(0)
            self.attributes.load(None)
            return
        self.stack.setCurrentIndex(1)
        is_label = isinstance(node, LabelDef)
        is_layer = isinstance(node, LayerDef)
        is_rel = isinstance(node, RelationTypeDef)
        for widget, shown in ((self.color_button, is_label), (self.key_edit, is_label),
                              (self.enabled_box, is_layer), (self.source_edit, is_rel),
                              (self.target_edit, is_rel)):
            self.form.setRowVisible(widget, shown)
        for w in (self.name_edit, self.description_edit, self.key_edit, self.enabled_box,
                  self.source_edit, self.target_edit):
            w.blockSignals(True)
        self.name_edit.setText(node.name)
        self.description_edit.setText(node.description)
        if isinstance(node, LabelDef):
            self.key_edit.setText(node.key)
            self._show_color(node.color)
        if isinstance(node, LayerDef):
            self.enabled_box.setChecked(node.enabled)
        if isinstance(node, RelationTypeDef):
            self.source_edit.setText(", ".join(node.source))
            self.target_edit.setText(", ".join(node.target))
        for w in (self.name_edit, self.description_edit, self.key_edit, self.enabled_box,
                  self.source_edit, self.target_edit):
            w.blockSignals(False)
        self.attributes.load(node.attributes)
        self.details.setEnabled(self.editable)

    def _show_color(self, color: str) -> None:
        self.color_button.setText(color)
        self.color_button.setStyleSheet(f"background: {color};")

    def _set(self, field: str, value: Any) -> None:
        item = self.tree.currentItem()
        if not isinstance(item, _Item) or item.node is None or not hasattr(item.node, field):
            return
        setattr(item.node, field, value)
        if field == "enabled":
            item.setCheckState(0, Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        self._refresh_item(item)
        self._changed()

    def choose_color(self) -> None:
        item = self.tree.currentItem()
        if not isinstance(item, _Item) or not isinstance(item.node, LabelDef):
            return
        color = QColorDialog.getColor(QColor(item.node.color), self, "Label colour")
        if color.isValid():
            self.set_color(color.name())

    def set_color(self, color: str) -> None:
        self._set("color", color)
        self._show_color(color)

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
        layers = [copy.deepcopy(_node(i, LayerDef)) for i in self.layer_items()]
        for item, layer in zip(self.layer_items(), layers, strict=True):
            layer.labels = [copy.deepcopy(_node(child, LabelDef)) for child in _children(item)]
        relations = [copy.deepcopy(_node(child, RelationTypeDef))
                     for child in _children(self.relations_root)]
        renames = self.renames()
        ends = {f"{a}:{b}": f"{c}:{d}" for (a, b), (c, d) in renames.items()}
        for item in self.layer_items():  # a renamed layer: ends naming it follow it too
            name = _node(item, LayerDef).name
            if item.original and item.original != name:
                ends[item.original] = name
        for rt in relations:  # ends naming a renamed label follow it
            rt.source = [ends.get(e, e) for e in rt.source]
            rt.target = [ends.get(e, e) for e in rt.target]
        ts = Tagset(name=self.name, description=self.description, layers=layers,
                    relation_types=relations)
        for layer in layers:
            if not layer.name:
                raise ValueError("a layer has no name")
            for lab in layer.labels:
                where = f"{layer.name}:{lab.name}"
                if not lab.name:
                    raise ValueError(f"a label of layer {layer.name!r} has no name")
                if lab.key and not (lab.key.isascii() and lab.key.isalnum()):
                    raise ValueError(f"the key of {where} must be a letter or digit")
                if not QColor.isValidColorName(lab.color):
                    raise ValueError(f"the colour {lab.color!r} of {where} is not a colour")
            owners: list[LayerDef | LabelDef] = [layer, *layer.labels]
            for owner in owners:
                _check_attributes(owner.attributes, f"{owner.name!r}")
        kept = {old for old in renames} | {(lay.name, lab.name) for lay in layers
                                           for lab in lay.labels}
        for (layer_name, label), n in sorted(self.used.items()):
            if n and (layer_name, label) in self.original_labels and \
                    (layer_name, label) not in kept:
                raise ValueError(f"{layer_name}:{label} is used by {n} span(s): it cannot be "
                                 "removed (rename it instead)")
        names = set()
        labels = {f"{lay.name}:{lab.name}" for lay in layers for lab in lay.labels}
        for rt in relations:
            if not rt.name:
                raise ValueError("a relation type has no name")
            if rt.name in names:
                raise ValueError(f"relation type {rt.name!r} is defined twice")
            names.add(rt.name)
            for end in rt.source + rt.target:
                if end not in labels and ts.layer(end) is None:
                    raise ValueError(f"relation type {rt.name!r}: no layer or label {end!r}")
            _check_attributes(rt.attributes, f"relation {rt.name!r}")
        present = {child.original for child in _children(self.relations_root)}
        for rt_name, n in sorted(self.used_relations.items()):
            if n and rt_name in self.original_relations and (
                    rt_name not in present or ts.relation_type(rt_name) is None):
                raise ValueError(f"relation type {rt_name!r} is used by {n} relation(s): it "
                                 "cannot be removed or renamed")
        return tagset_from_dict(ts.to_dict())  # the core's checks (duplicates, keys, types)

    def renames(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Labels of the project's tagset whose layer or name changed: old → new."""
        out = {}
        for item in self.layer_items():
            layer = _node(item, LayerDef).name
            for child in _children(item):
                new = (layer, _node(child, LabelDef).name)
                if child.original and child.original != new:
                    out[child.original] = new
        return out

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


def _check_attributes(attrs: list[AttributeDef], where: str) -> None:
    names = set()
    for a in attrs:
        if not a.name:
            raise ValueError(f"an attribute of {where} has no name")
        if a.name in names:
            raise ValueError(f"attribute {a.name!r} of {where} is defined twice")
        names.add(a.name)
        if a.type == "choice" and a.default is not None and a.default not in a.values:
            raise ValueError(f"default {a.default!r} of attribute {a.name!r} of {where} is not "
                             "one of its values")
