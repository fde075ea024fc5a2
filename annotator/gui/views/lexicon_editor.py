"""A dialog to edit the lexicons: one tab per word list, one entry per line.

It edits a copy and hands back new :class:`~annotator.nlp.suggest.Lexicon` values on OK
(:meth:`LexiconEditor.lexicons`); where they are kept is the caller's business.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.nlp.lexicon_store import parse_entries
from annotator.nlp.suggest import Lexicon


class LexiconEditor(QDialog):
    def __init__(self, lexicons: tuple[Lexicon, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit lexicons")
        self.resize(460, 520)
        self._source = lexicons
        self.tabs = QTabWidget(self)
        self.editors: list[QPlainTextEdit] = []
        for lex in lexicons:
            edit = QPlainTextEdit("\n".join(lex.entries) + "\n")
            edit.setObjectName(f"lexicon-{lex.layer}-{lex.label}")
            self.editors.append(edit)
            self.tabs.addTab(edit, f"{lex.layer}:{lex.label} ({len(lex.entries)})")
        note = QLabel("One entry per line, matched as whole words, case-insensitively; a "
                      "space matches any spaces or one line break. Kept in the project.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(buttons)

    def lexicons(self) -> tuple[Lexicon, ...]:
        return tuple(Lexicon(lex.layer, lex.label, parse_entries(edit.toPlainText()))
                     for lex, edit in zip(self._source, self.editors, strict=True))
