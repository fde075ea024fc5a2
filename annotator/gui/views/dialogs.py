"""Small dialogs: keyboard shortcuts (F1), about, export options, find in project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.tagset import Tagset


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """The one way the GUI reports a failure: a message for people, never a traceback."""
    QMessageBox.critical(parent, title, message)


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def shortcut_sheet(tagset: Tagset) -> str:
    """The F1 sheet as HTML: fixed keys plus the tagset's label keys."""
    rows = [
        ("Select text, then a label key", "Tag the selection (snaps to whole words)"),
        ("Shift or Alt + label key", "Tag exactly the selection, no snapping"),
        ("+", "Add the selected text as a further fragment of the selected span"),
        ("Click a highlighted span", "Select it and edit it in the Span panel"),
        ("Label key with a span selected (no text)", "Change the span's label in place"),
        ("Alt+Left / Alt+Right", "Move the selected span's start one word left / right"),
        ("Alt+Shift+Left / Alt+Shift+Right", "Move its end one word left / right"),
        ("… with Ctrl as well", "Move by one character instead of a word"),
        ("Alt+, / Alt+.", "Move the end one word left / right (where the desktop takes "
                          "Alt+Shift+arrows)"),
        ("Alt+[ / Alt+]  ·  Alt+; / Alt+'", "Move the start  ·  the end by one character "
                                            "(where the desktop takes Ctrl+Alt+arrows)"),
        ("Drag an end of the selected span", "Move that boundary with the mouse"),
        ("/", "Split the selected span at the cursor's spaces (or leave out the selected "
              "text)"),
        ("Ctrl+J", "Join the selected span's fragments into one"),
        ("F2", "Change the selected span's label from a list"),
        ("Tab / Shift+Tab", "Select the next / previous span"),
        ("L, then click a span", "Link the selected span to another (relation)"),
        ("Delete / Backspace", "Delete the selected span (in the text or the Spans list); "
                               "in Suggestions it dismisses, in Relations it deletes the "
                               "relation"),
        ("Esc", "Clear the selection / cancel linking"),
        ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
        ("Ctrl+F, F3, Shift+F3", "Find in document, next, previous"),
        ("Ctrl+Shift+F", "Find in project"),
        ("Ctrl+Shift+S", "Suggest spans from the lexicons (hedges, boosters, cues); "
                         "Enter accepts, Delete dismisses"),
        ("Alt+Down / Alt+Up", "Next / previous document"),
        ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Mark document new / in progress / done"),
        ("Ctrl++ / Ctrl+-", "Zoom in / out"),
        ("Ctrl+O, Ctrl+N, Ctrl+I, Ctrl+E", "Open, new, import, export"),
    ]
    html = ["<h3>Keyboard shortcuts</h3><table cellspacing=0 cellpadding=4>"]
    html += [f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows]
    html.append("</table><h3>Label keys</h3><table cellspacing=0 cellpadding=4>")
    for layer in tagset.layers:
        for lab in layer.labels:
            if lab.key:
                html.append(f"<tr><td><b>{lab.key}</b></td><td><span style='background:"
                            f"{lab.color}'>&nbsp;&nbsp;&nbsp;</span> {layer.name}: {lab.name}"
                            "</td></tr>")
    html.append("</table>")
    return "".join(html)


class ShortcutDialog(QDialog):
    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        browser = QTextBrowser()
        browser.setHtml(shortcut_sheet(tagset))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.resize(560, 560)


@dataclass
class ExportChoice:
    format: str
    output: Path
    layers: list[str] = field(default_factory=list)  # empty = all
    statuses: list[str] = field(default_factory=list)  # empty = all
    labels: list[str] = field(default_factory=list)  # "layer:label"; empty = all
    documents: list[int] = field(default_factory=list)  # document keys; empty = all
    scheme: str = "BIO"  # CoNLL tags: BIO or BIOES


class ExportDialog(QDialog):
    """Choose a format (the registry's writers), layers, statuses and where to write."""

    def __init__(self, writers: list[tuple[str, str, bool]], layers: list[str],
                 suggested: Path, parent: QWidget | None = None, *,
                 labels: list[str] | None = None,
                 current_document: tuple[int, str] | None = None) -> None:
        """``labels`` are "layer:label" names offered as a filter; ``current_document`` (key,
        title) offers exporting that document alone."""
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._writers = writers  # (name, label, directory)
        self._suggested = suggested
        self.format = QComboBox()
        for name, label, directory in writers:
            self.format.addItem(f"{label or name}" + (" (folder)" if directory else ""), name)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.layers = QListWidget()
        for layer in layers:
            item = QListWidgetItem(layer)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.layers.addItem(item)
        self.layers.setMaximumHeight(120)
        self.labels = QListWidget()
        for name in labels or []:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.labels.addItem(item)
        self.labels.setMaximumHeight(120)
        self._current_doc = current_document
        self.only_current = QCheckBox(f"only the open document: {current_document[1]}"
                                      if current_document else "only the open document")
        self.only_current.setEnabled(current_document is not None)
        self.scheme = QComboBox()
        self.scheme.addItems(["BIO", "BIOES"])
        self.statuses: dict[str, QCheckBox] = {}
        status_row = QHBoxLayout()
        for status in ("new", "in_progress", "done"):
            box = QCheckBox(status.replace("_", " "))
            box.setChecked(True)
            self.statuses[status] = box
            status_row.addWidget(box)
        self.output = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Layers", self.layers)
        if labels:
            form.addRow("Labels", self.labels)
        form.addRow("Documents", status_row)
        form.addRow("", self.only_current)
        form.addRow("CoNLL tags", self.scheme)
        self._scheme_label = form.labelForField(self.scheme)
        form.addRow("Save to", out_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._format_changed()
        self.resize(520, 360)

    def _current(self) -> tuple[str, str, bool]:
        return self._writers[max(0, self.format.currentIndex())]

    def _format_changed(self) -> None:
        name, _label, directory = self._current()
        if hasattr(self, "_scheme_label"):
            self.scheme.setVisible(name == "conll")
            if self._scheme_label is not None:
                self._scheme_label.setVisible(name == "conll")
        base = self._suggested.with_suffix("")
        self.output.setText(str(base.parent / f"{base.name}-{name}") if directory
                            else str(base.with_suffix("." + _ext(name))))

    def _browse(self) -> None:
        _name, _label, directory = self._current()
        if directory:
            path = QFileDialog.getExistingDirectory(self, "Export into folder", self.output.text())
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to file", self.output.text())
        if path:
            self.output.setText(path)

    def choice(self) -> ExportChoice:
        layers = [self.layers.item(i).text() for i in range(self.layers.count())
                  if self.layers.item(i).checkState() == Qt.CheckState.Checked]
        if len(layers) == self.layers.count():
            layers = []
        statuses = [s for s, box in self.statuses.items() if box.isChecked()]
        if len(statuses) == len(self.statuses):
            statuses = []
        labels = [self.labels.item(i).text() for i in range(self.labels.count())
                  if self.labels.item(i).checkState() == Qt.CheckState.Checked]
        if len(labels) == self.labels.count():
            labels = []
        documents = ([self._current_doc[0]] if self._current_doc and self.only_current.isChecked()
                     else [])
        return ExportChoice(format=self._current()[0], output=Path(self.output.text()),
                            layers=layers, statuses=statuses, labels=labels,
                            documents=documents, scheme=self.scheme.currentText())


def _ext(fmt: str) -> str:
    return {"conll": "conll", "csv": "csv", "xlsx": "xlsx", "jsonl": "jsonl"}.get(fmt, fmt)


@dataclass
class Hit:
    document: int
    title: str
    start: int
    end: int
    context: str


class ProjectFindDialog(QDialog):
    """Find a string in every document; clicking a hit emits :attr:`openHit`."""

    openHit = Signal(int, int, int)  # document pk, start, end

    def __init__(self, search: Callable[[str], list[Hit]], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find in project")
        self._search = search
        self.query = QLineEdit()
        self.query.setPlaceholderText("Text to find in every document")
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        go = QPushButton("Find")
        go.setDefault(True)
        go.clicked.connect(self.run)
        self.summary = QLabel()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Document", "Context"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 200)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellClicked.connect(self._clicked)
        self.table.cellActivated.connect(self._clicked)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.hits: list[Hit] = []
        self.resize(760, 460)

    def run(self) -> None:
        self.hits = self._search(self.query.text())
        self.table.setRowCount(len(self.hits))
        for i, h in enumerate(self.hits):
            self.table.setItem(i, 0, QTableWidgetItem(h.title))
            self.table.setItem(i, 1, QTableWidgetItem(h.context))
        docs = len({h.document for h in self.hits})
        self.summary.setText(f"{len(self.hits)} match(es) in {docs} document(s)"
                             if self.query.text() else "")

    def _clicked(self, row: int, _col: int = 0) -> None:
        if 0 <= row < len(self.hits):
            h = self.hits[row]
            self.openHit.emit(h.document, h.start, h.end)


def about_text() -> str:
    from annotator import __version__ as version

    return (f"<h3>Annotator {version}</h3><p>Annotate stance, hedging, attribution and rhetoric "
            "in news and opinion articles.</p><p>Every edit is saved in the project file at "
            "once; there is no Save.</p>")
