"""The tree of the tagset editor: layers at the top with their labels under them, then a
"Relation types" row with the relation types under it. Each row holds the definition it edits
and the name it had when the editor opened, so renames can be told from new definitions."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from annotator.core.tagset import PALETTE, LabelDef, LayerDef, RelationTypeDef, Tagset

Node = LayerDef | LabelDef | RelationTypeDef
NodeT = TypeVar("NodeT", LayerDef, LabelDef, RelationTypeDef)


class TagsetItem(QTreeWidgetItem):
    """A tree row and the definition it edits; ``original`` is its name when the dialog
    opened (None for a new one): (layer, label) for labels, the name for relation types."""

    def __init__(self, node: Node | None, original: Any = None) -> None:
        super().__init__()
        self.node = node
        self.original = original


def node_of(item: TagsetItem, kind: type[NodeT]) -> NodeT:
    """The definition ``item`` edits, which the tree's shape says is a ``kind`` (layers at the
    top, labels under them, relation types under the "Relation types" row)."""
    node = item.node
    if not isinstance(node, kind):
        raise TypeError(f"tree row {item.text(0)!r} holds {type(node).__name__}, "
                        f"not {kind.__name__}")
    return node


def children_of(item: QTreeWidgetItem) -> list[TagsetItem]:
    """The rows under ``item`` (every row of the tree is a :class:`TagsetItem`)."""
    children = (item.child(i) for i in range(item.childCount()))
    return [child for child in children if isinstance(child, TagsetItem)]


class TagsetTree(QTreeWidget):
    """The rows of a tagset being edited. ``original_labels`` (layer, label) and
    ``original_relations`` are those of the project's tagset: a row showing one of them keeps
    it as its ``original``."""

    def __init__(self, original_labels: set[tuple[str, str]],
                 original_relations: set[str]) -> None:
        super().__init__()
        self.original_labels = original_labels
        self.original_relations = original_relations
        self.relations_root = TagsetItem(None)  # replaced by fill()
        self.setHeaderLabels(["Name", "Key"])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)

    def fill(self, ts: Tagset) -> None:
        """Show the definitions of ``ts`` (edited in place: pass a copy)."""
        self.clear()
        for layer in ts.layers:
            item = self.layer_item(layer)
            for lab in layer.labels:
                item.addChild(self.label_item(lab, (layer.name, lab.name)))
        self.relations_root = TagsetItem(None)
        self.relations_root.setText(0, "Relation types")
        self.addTopLevelItem(self.relations_root)
        for rt in ts.relation_types:
            self.relations_root.addChild(self.relation_item(rt))
        self.expandAll()

    def layer_item(self, layer: LayerDef) -> TagsetItem:
        """A row for ``layer``, inserted above the "Relation types" row."""
        item = TagsetItem(layer, layer.name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if layer.enabled else Qt.CheckState.Unchecked)
        item.setText(0, layer.name)
        n = self.topLevelItemCount()
        has_root = n and self.topLevelItem(n - 1) is self.relations_root
        self.insertTopLevelItem(n - 1 if has_root else n, item)
        return item

    def label_item(self, lab: LabelDef, original: tuple[str, str] | None) -> TagsetItem:
        item = TagsetItem(lab, original if original in self.original_labels else None)
        self.refresh_item(item)
        return item

    def relation_item(self, rt: RelationTypeDef) -> TagsetItem:
        item = TagsetItem(rt, rt.name if rt.name in self.original_relations else None)
        item.setText(0, rt.name)
        return item

    def refresh_item(self, item: TagsetItem) -> None:
        """Show the name (and for a label its key and colour) of the definition of ``item``."""
        node = item.node
        item.setText(0, getattr(node, "name", ""))
        if isinstance(node, LabelDef):
            item.setText(1, node.key)
            pix = QPixmap(12, 12)
            pix.fill(QColor(node.color))
            item.setIcon(0, QIcon(pix))

    def layer_items(self) -> list[TagsetItem]:
        items = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        return [i for i in items if isinstance(i, TagsetItem) and isinstance(i.node, LayerDef)]

    def find_item(self, layer: str, label: str | None = None) -> TagsetItem | None:
        """The tree item of a layer, or of a label of it."""
        for item in self.layer_items():
            if node_of(item, LayerDef).name != layer:
                continue
            if label is None:
                return item
            for child in children_of(item):
                if node_of(child, LabelDef).name == label:
                    return child
        return None

    # ----------------------------------------------------------------- adding, removing
    def new_layer(self) -> TagsetItem:
        """Add a layer named layer<n> and make it current."""
        names = {node_of(i, LayerDef).name for i in self.layer_items()}
        n = 1
        while f"layer{n}" in names:
            n += 1
        item = self.layer_item(LayerDef(name=f"layer{n}"))
        self.setCurrentItem(item)
        return item

    def new_label(self) -> TagsetItem | None:
        """Add a label to the current layer (the last one when none is current) and make it
        current; None when there is no layer."""
        cur = self.currentItem()
        if isinstance(cur, TagsetItem) and isinstance(cur.node, LabelDef):
            cur = cur.parent()
        if not (isinstance(cur, TagsetItem) and isinstance(cur.node, LayerDef)):
            layers = self.layer_items()
            if not layers:
                return None
            cur = layers[-1]
        count = sum(i.childCount() for i in self.layer_items())
        names = {child.text(0) for child in children_of(cur)}
        n = 1
        while f"label{n}" in names:
            n += 1
        item = self.label_item(LabelDef(name=f"label{n}", color=PALETTE[count % len(PALETTE)]),
                               None)
        cur.addChild(item)
        cur.setExpanded(True)
        self.setCurrentItem(item)
        return item

    def new_relation_type(self) -> TagsetItem:
        """Add a relation type named relation<n> and make it current."""
        root = self.relations_root
        item = self.relation_item(RelationTypeDef(name=f"relation{root.childCount() + 1}"))
        root.addChild(item)
        root.setExpanded(True)
        self.setCurrentItem(item)
        return item

    def remove_current(self) -> bool:
        """Remove the current layer, label or relation type; False when there is none."""
        cur = self.currentItem()
        if not isinstance(cur, TagsetItem) or cur.node is None:
            return False
        parent = cur.parent()
        if parent is None:
            self.takeTopLevelItem(self.indexOfTopLevelItem(cur))
        else:
            parent.removeChild(cur)
        return True

    # ----------------------------------------------------------------- reading back
    def edited(self) -> tuple[list[LayerDef], list[RelationTypeDef]]:
        """Copies of the layers (with their labels) and relation types, in tree order."""
        layers = [copy.deepcopy(node_of(i, LayerDef)) for i in self.layer_items()]
        for item, layer in zip(self.layer_items(), layers, strict=True):
            layer.labels = [copy.deepcopy(node_of(child, LabelDef))
                            for child in children_of(item)]
        relations = [copy.deepcopy(node_of(child, RelationTypeDef))
                     for child in children_of(self.relations_root)]
        return layers, relations

    def renames(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Labels of the project's tagset whose layer or name changed: old → new."""
        out = {}
        for item in self.layer_items():
            layer = node_of(item, LayerDef).name
            for child in children_of(item):
                new = (layer, node_of(child, LabelDef).name)
                if child.original and child.original != new:
                    out[child.original] = new
        return out

    def layer_renames(self) -> dict[str, str]:
        """Layers whose name changed since their row was made: old → new."""
        out = {}
        for item in self.layer_items():
            name = node_of(item, LayerDef).name
            if item.original and item.original != name:
                out[item.original] = name
        return out

    def relation_originals(self) -> set[Any]:
        """The ``original`` of every relation type row (None for new ones)."""
        return {child.original for child in children_of(self.relations_root)}
