"""Side panel editing the selected span: label, attributes (by type) and note.

Each change emits one signal, which the window turns into one undoable ``UpdateSpan``. Widgets by
attribute type: choice → combo box, multi → checkable list, text → line edit completing earlier
values, number → line edit for numbers, bool → combo box (yes / no). Attributes the tagset does
not define are kept.

An attribute the annotator never set is absent from the span's attributes and shown as
"(not set)" with a greyed name: never as the tagset's first value or its default (an explicit
tagset default is written when the span is made, and named in the row's tooltip). Every row has
a clear button (×) that makes the attribute unset again; so does choosing "(not set)",
unchecking every value of a multi, or emptying a text or number.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Span, span_text
from annotator.core.tagset import AttributeDef, Tagset
from annotator.gui.local_keys import COMBO_KEYS, LocalKeys
from annotator.gui.models.span_model import short
from annotator.gui.views.label_palette import text_color_for

NOT_SET = "(not set)"


class ComboKeys(LocalKeys):
    """:class:`LocalKeys` for the editor's combo boxes, installed as they are made."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(COMBO_KEYS, parent)

    def install(self, widget: QWidget) -> None:
        if isinstance(widget, QComboBox):
            widget.installEventFilter(self)


def format_value(value: Any) -> str:
    """An attribute value as shown in a line edit or tooltip (2.0 as "2", True as "yes")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def parse_number(text: str) -> int | float | None:
    """A number typed in the editor (None when empty or not a number); whole numbers as int."""
    try:
        v = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(v):
        return None
    return int(v) if v == int(v) else v


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
        self.clear_buttons: dict[str, QToolButton] = {}
        self.keys = ComboKeys(self)  # Alt+Down opens an attribute's list, not the next document

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
            if layer.document_level:  # labels of whole documents, not of spans
                continue
            for lab in layer.labels:
                self.label_combo.addItem(f"{layer.name}: {lab.name}", f"{layer.name}:{lab.name}")

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._apply_enabled()

    def _apply_enabled(self) -> None:
        on = self._editable and self._span is not None
        for w in (self.label_combo, self.note, self.delete_button, *self.widgets.values()):
            w.setEnabled(on)
        span = self._span
        for name, button in self.clear_buttons.items():
            button.setEnabled(on and span is not None and name in span.attributes)

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
            self.clear_buttons.clear()
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
                    self._row(attr, span.attributes.get(attr.name))  # unset stays unset
        finally:
            self._loading = False
        self._apply_enabled()

    # ----------------------------------------------------------------- widgets by type
    def _row(self, attr: AttributeDef, value: Any) -> None:
        """One attribute row: its name, its widget and a clear button; an unset attribute
        shows "(not set)" and a greyed name, distinct from any value."""
        widget = self._widget(attr, value)
        self.widgets[attr.name] = widget
        is_set = value is not None and value != [] and value != ""
        label = QLabel(attr.name.replace("_", " ").capitalize())
        tip = attr.description
        if attr.default is not None:
            tip = (tip + "\n" if tip else "") + f"Tagset default: {format_value(attr.default)}"
        label.setToolTip(tip or ("Set" if is_set else "Not set"))
        if not is_set:
            label.setStyleSheet("color: palette(mid); font-style: italic;")
        clear = QToolButton()
        clear.setText("×")
        clear.setAutoRaise(True)
        clear.setToolTip(f"Clear {attr.name} (not set)")
        clear.setEnabled(is_set)
        clear.clicked.connect(lambda _=False, n=attr.name: self._set(n, None))
        self.clear_buttons[attr.name] = clear
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget, 1)
        box.addWidget(clear, 0, Qt.AlignmentFlag.AlignTop)
        self.attr_form.addRow(label, row)
        self.keys.install(widget)

    def _widget(self, attr: AttributeDef, value: Any) -> QWidget:
        name = attr.name
        if attr.type in ("choice", "bool"):
            combo = QComboBox()
            combo.addItem(NOT_SET, None)
            combo.setItemData(0, QBrush(QColor("#8a8f98")), Qt.ItemDataRole.ForegroundRole)
            if attr.type == "bool":
                combo.addItem("yes", True)
                combo.addItem("no", False)
            for v in attr.values if attr.type == "choice" else ():
                combo.addItem(v.replace("_", " "), v)
            found = -1 if value is None else next(
                (i for i in range(1, combo.count()) if combo.itemData(i) == value
                 and type(combo.itemData(i)) is type(value)), -1)
            combo.setCurrentIndex(max(0, found))
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
            items.setToolTip("None checked: not set")
            items.setMaximumHeight(min(140, 22 * len(attr.values) + 6))
            items.itemChanged.connect(
                lambda _item, n=name, lw=items: self._set(n, _checked(lw) or None))
            return items
        edit = QLineEdit("" if value is None else format_value(value))
        edit.setPlaceholderText(NOT_SET)
        edit.setClearButtonEnabled(True)
        if attr.type == "number":
            edit.editingFinished.connect(lambda n=name, le=edit: self._number_done(n, le))
            return edit
        completer = QCompleter(edit)
        completer.setModel(QStringListModel(sorted(self.values.get(name, set())), completer))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        edit.editingFinished.connect(lambda n=name, le=edit: self._set(n, le.text() or None))
        return edit

    # ----------------------------------------------------------------- changes
    def _set(self, name: str, value: Any) -> None:
        """Emit the span's attributes with ``name`` set to ``value`` (None: not set)."""
        if self._loading or self._span is None:
            return
        current = self._span.attributes.get(name)
        if current == value and type(current) is type(value):
            return
        attrs = dict(self._span.attributes)
        if value is None:
            if name not in attrs:
                return
            attrs.pop(name)
        else:
            attrs[name] = value
        self.attributesChanged.emit(attrs)

    def _number_done(self, name: str, edit: QLineEdit) -> None:
        text = edit.text().strip()
        value = parse_number(text)
        if text and value is None:  # not a number: the stored value stays, and is shown again
            old = self._span.attributes.get(name) if self._span else None
            edit.setText("" if old is None else format_value(old))
            return
        self._set(name, value)

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
