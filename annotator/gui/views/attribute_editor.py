"""Side panel editing the selected span: label, attributes (by type) and note.

Each change emits one signal, which the window turns into one undoable ``UpdateSpan``. Widgets by
attribute type: choice → combo box, multi → checkable list, text → line edit completing earlier
values, number → spin box, bool → check box. Attributes the tagset does not define are kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Span, span_text
from annotator.core.tagset import AttributeDef, Tagset
from annotator.gui.models.span_model import short
from annotator.gui.views.label_palette import text_color_for


class AttributeEditor(QWidget):
    labelChanged = Signal(str, str)  # layer, label
    attributesChanged = Signal(dict)  # the span's complete new attributes
    noteChanged = Signal(str)
    deleteRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tagset = Tagset()
        self._span: Span | None = None
        self._loading = False
        self._editable = True
        self.values: dict[str, set[str]] = {}  # earlier values of text attributes
        self.widgets: dict[str, QWidget] = {}

        self.header = QLabel("No span selected")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setMinimumHeight(40)
        self.badge = QLabel()
        self.label_combo = QComboBox()
        self.label_combo.setToolTip("Change the label of the selected span")
        self.label_combo.activated.connect(self._label_picked)
        self.note = QLineEdit()
        self.note.setPlaceholderText("A note on this span")
        self.note.setClearButtonEnabled(True)
        self.note.editingFinished.connect(self._note_done)
        self.delete_button = QPushButton("Delete span")
        self.delete_button.setToolTip("Delete the selected span (Del)")
        self.delete_button.clicked.connect(self.deleteRequested)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.attr_form = QFormLayout()
        self.attr_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("Label", self.label_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.badge)
        layout.addWidget(self.header)
        layout.addLayout(self.form)
        layout.addLayout(self.attr_form)
        note_form = QFormLayout()
        note_form.addRow("Note", self.note)
        layout.addLayout(note_form)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.set_span(None, "")

    # ----------------------------------------------------------------- set-up
    def set_tagset(self, tagset: Tagset) -> None:
        self._tagset = tagset
        self.label_combo.clear()
        for layer in tagset.layers:
            for lab in layer.labels:
                self.label_combo.addItem(f"{layer.name}: {lab.name}", f"{layer.name}:{lab.name}")

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._apply_enabled()

    def _apply_enabled(self) -> None:
        on = self._editable and self._span is not None
        for w in (self.label_combo, self.note, self.delete_button, *self.widgets.values()):
            w.setEnabled(on)

    def span(self) -> Span | None:
        return self._span

    def set_span(self, span: Span | None, text: str) -> None:
        """Show ``span`` (None: nothing selected); ``text`` is the document's text."""
        self._loading = True
        try:
            self._span = span
            while self.attr_form.rowCount():
                self.attr_form.removeRow(0)
            self.widgets.clear()
            if span is None:
                self.header.setText("No span selected.\nSelect text and press a label's key, "
                                    "or click a highlighted span.")
                self.badge.hide()
                self.label_combo.setCurrentIndex(-1)
                self.note.clear()
            else:
                lab = self._tagset.label(span.layer, span.label)
                color = lab.color if lab else "#888888"
                self.badge.setText(f"{span.layer} · {span.label}")
                self.badge.setStyleSheet(
                    f"background: {color}; color: {text_color_for(color)}; border-radius: 4px;"
                    "padding: 2px 8px; font-weight: 600;")
                self.badge.show()
                frag = " (discontinuous)" if span.discontinuous else ""
                self.header.setText(f"“{short(span_text(text, span.fragments), 160)}”{frag}")
                i = self.label_combo.findData(f"{span.layer}:{span.label}")
                if i < 0:
                    self.label_combo.addItem(f"{span.layer}: {span.label}",
                                             f"{span.layer}:{span.label}")
                    i = self.label_combo.count() - 1
                self.label_combo.setCurrentIndex(i)
                self.note.setText(span.note)
                for attr in self._tagset.attributes_for(span.layer, span.label):
                    w = self._widget(attr, span.attributes.get(attr.name, attr.default))
                    self.widgets[attr.name] = w
                    name = attr.name.replace("_", " ")
                    label = QLabel(name.capitalize())
                    if attr.description:
                        label.setToolTip(attr.description)
                    self.attr_form.addRow(label, w)
        finally:
            self._loading = False
        self._apply_enabled()

    # ----------------------------------------------------------------- widgets by type
    def _widget(self, attr: AttributeDef, value: Any) -> QWidget:
        name = attr.name
        if attr.type == "choice":
            combo = QComboBox()
            combo.addItem("—", None)
            for v in attr.values:
                combo.addItem(v.replace("_", " "), v)
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
            combo.activated.connect(lambda _i, n=name, c=combo: self._set(n, c.currentData()))
            return combo
        if attr.type == "multi":
            items = QListWidget()
            chosen = set(value or [])
            for v in attr.values:
                item = QListWidgetItem(v.replace("_", " "))
                item.setData(Qt.ItemDataRole.UserRole, v)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if v in chosen
                                   else Qt.CheckState.Unchecked)
                items.addItem(item)
            items.setMaximumHeight(min(140, 22 * len(attr.values) + 6))
            items.itemChanged.connect(lambda _item, n=name, lw=items: self._set(n, _checked(lw)))
            return items
        if attr.type == "number":
            spin = QDoubleSpinBox()
            spin.setRange(-1e9, 1e9)
            spin.setDecimals(2)
            spin.setKeyboardTracking(False)
            spin.setValue(float(value) if isinstance(value, int | float) else 0.0)
            spin.valueChanged.connect(lambda v, n=name: self._set(n, int(v) if v == int(v) else v))
            return spin
        if attr.type == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            check.toggled.connect(lambda on, n=name: self._set(n, on))
            return check
        edit = QLineEdit(str(value) if value is not None else "")
        edit.setClearButtonEnabled(True)
        completer = QCompleter(edit)
        completer.setModel(QStringListModel(sorted(self.values.get(name, set())), completer))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        edit.editingFinished.connect(lambda n=name, le=edit: self._set(n, le.text()))
        return edit

    # ----------------------------------------------------------------- changes
    def _set(self, name: str, value: Any) -> None:
        if self._loading or self._span is None:
            return
        current = self._span.attributes.get(name)
        if current == value or (current is None and value in ("", None)):
            return
        attrs = dict(self._span.attributes)
        if value is None:
            attrs.pop(name, None)
        else:
            attrs[name] = value
        self.attributesChanged.emit(attrs)

    def _label_picked(self, index: int) -> None:
        data = self.label_combo.itemData(index)
        if self._loading or self._span is None or data is None:
            return
        layer, _, label = str(data).partition(":")
        if (layer, label) != (self._span.layer, self._span.label):
            self.labelChanged.emit(layer, label)

    def _note_done(self) -> None:
        if not self._loading and self._span is not None and self.note.text() != self._span.note:
            self.noteChanged.emit(self.note.text())


def _checked(w: QListWidget) -> list[str]:
    return [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
            if w.item(i).checkState() == Qt.CheckState.Checked]
