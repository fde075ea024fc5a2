"""The attribute rows of one tagset definition (a layer, label or relation type) in the tagset
editor, and how an attribute default is typed in them (:func:`parse_default`,
:func:`format_default`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.tagset import ATTRIBUTE_TYPES, AttributeDef


def split_list(text: str) -> list[str]:
    """The comma-separated items of ``text``, stripped, empty ones dropped."""
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
        return split_list(text)
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
            out.append(AttributeDef(name=cell(0).strip(), type=type_, values=split_list(cell(2)),
                                    default=default))
        self.attrs[:] = out
        self._on_change()
