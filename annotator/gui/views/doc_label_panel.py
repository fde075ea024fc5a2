"""The Document labels panel: the shown document's labels as a whole, one row per
document-level layer of the tagset (e.g. ``article_stance`` with its ``target``, ``genre``).

Each layer has a combo box of its labels ("(none)": no label) and, once labelled, a field per
attribute (choice and yes/no as combo boxes, text and number as line edits, several values as
a comma-separated line). The panel shows and asks; it edits nothing itself: it emits
``labelChosen(layer, label)`` ("" for none) and ``attributesChanged(layer, attributes)``.
Labels other annotators gave the document are listed under the layer, read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import DocAnnotation
from annotator.core.tagset import AttributeDef, LayerDef, Tagset
from annotator.gui.local_keys import COMBO_KEYS, LocalKeys

NONE = "(none)"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class DocumentLabelPanel(QWidget):
    labelChosen = Signal(str, str)  # layer, label ("" = none)
    attributesChanged = Signal(str, object)  # layer, the whole attribute dict

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combos: dict[str, QComboBox] = {}
        self.fields: dict[tuple[str, str], QWidget] = {}  # (layer, attribute) -> widget
        self._own: dict[str, DocAnnotation] = {}
        self._defs: dict[tuple[str, str], AttributeDef] = {}
        self._editable = True
        self._keys = LocalKeys(COMBO_KEYS, self)  # Alt+Down opens a list, not the next document
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self._layout.addWidget(self.empty)

    def set_data(self, tagset: Tagset | None, annotations: Sequence[DocAnnotation],
                 me: str, *, has_document: bool) -> None:
        """Show ``tagset``'s document-level layers with the document's ``annotations``
        (``me``'s are editable; others' listed)."""
        while self._layout.count() > 1:
            item = self._layout.takeAt(1)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()  # gone at once, deleted when Qt gets to it
                old.deleteLater()
        self.combos.clear()
        self.fields.clear()
        self._defs.clear()
        layers = [lay for lay in tagset.layers if lay.document_level] if tagset else []
        self._own = {a.layer: a for a in annotations if a.annotator == me}
        if not has_document or not layers:
            self.empty.setText("No document is shown." if not has_document else
                               "The tagset has no document-level layers (a layer with "
                               "scope = \"document\" labels whole documents).")
            self.empty.show()
            return
        self.empty.hide()
        for layer in layers:
            others = [a for a in annotations if a.layer == layer.name and a.annotator != me]
            self._layout.addWidget(self._group(tagset, layer, others))  # type: ignore[arg-type]
        self._layout.addStretch(1)
        self.set_editable(self._editable)

    def _group(self, tagset: Tagset, layer: LayerDef, others: list[DocAnnotation]
               ) -> QGroupBox:
        box = QGroupBox(layer.name.replace("_", " "))
        box.setToolTip(layer.description)
        form = QFormLayout(box)
        combo = QComboBox()
        combo.addItem(NONE, "")
        for lab in layer.labels:
            combo.addItem(lab.name.replace("_", " "), lab.name)
        mine = self._own.get(layer.name)
        combo.setCurrentIndex(max(0, combo.findData(mine.label if mine else "")))
        combo.activated.connect(
            lambda _i, n=layer.name, c=combo: self.labelChosen.emit(n, c.currentData()))
        combo.installEventFilter(self._keys)
        self.combos[layer.name] = combo
        form.addRow("Label", combo)
        if mine is not None:
            for attr in tagset.attributes_for(layer.name, mine.label):
                widget = self._field(layer.name, attr, mine.attributes.get(attr.name))
                form.addRow(attr.name.replace("_", " ").capitalize(), widget)
        for a in others:
            extra = ", ".join(f"{k}={_shown(v)}" for k, v in sorted(a.attributes.items()))
            note = QLabel(f"{a.annotator or '(unnamed)'}: {a.label}"
                          + (f" ({extra})" if extra else ""))
            note.setStyleSheet("color: palette(mid);")
            form.addRow("Also", note)
        return box

    def _field(self, layer: str, attr: AttributeDef, value: Any) -> QWidget:
        self._defs[(layer, attr.name)] = attr
        widget: QWidget
        if attr.type in ("choice", "bool"):
            combo = QComboBox()
            combo.addItem("(not set)", None)
            options: list[Any] = [True, False] if attr.type == "bool" else list(attr.values)
            for v in options:
                combo.addItem(("yes" if v else "no") if attr.type == "bool" else str(v), v)
            found = next((i for i in range(1, combo.count()) if combo.itemData(i) == value
                          and type(combo.itemData(i)) is type(value)), 0)
            combo.setCurrentIndex(found)
            combo.activated.connect(lambda _i, n=layer: self._send(n))
            combo.installEventFilter(self._keys)
            widget = combo
        else:
            edit = QLineEdit(_shown(value))
            edit.setPlaceholderText("(not set)" if attr.type != "multi"
                                    else "values, separated by commas")
            edit.editingFinished.connect(lambda n=layer: self._send(n))
            widget = edit
        widget.setToolTip(attr.description)
        self.fields[(layer, attr.name)] = widget
        return widget

    def attributes_of(self, layer: str) -> dict[str, Any]:
        """The attribute values the fields of ``layer`` hold now (unset ones left out)."""
        mine = self._own.get(layer)
        out: dict[str, Any] = dict(mine.attributes) if mine else {}
        for (lay, name), widget in self.fields.items():
            if lay != layer:
                continue
            attr = self._defs[(lay, name)]
            value: Any
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                assert isinstance(widget, QLineEdit)
                text = widget.text().strip()
                value = text or None
                if text and attr.type == "number":
                    try:
                        value = float(text) if "." in text else int(text)
                    except ValueError:
                        value = mine.attributes.get(name) if mine else None  # kept as it was
                elif text and attr.type == "multi":
                    value = [v.strip() for v in text.split(",") if v.strip()]
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
        return out

    def _send(self, layer: str) -> None:
        values = self.attributes_of(layer)
        mine = self._own.get(layer)
        if mine is not None and values != mine.attributes:
            self.attributesChanged.emit(layer, values)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for widget in (*self.combos.values(), *self.fields.values()):
            widget.setEnabled(editable)
