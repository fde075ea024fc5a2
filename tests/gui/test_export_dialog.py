"""The export dialog's filters (layers, labels, status, the open document, CoNLL scheme) reach
the exported file."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.gui.views.dialogs import ExportChoice, ExportDialog


def _uncheck(widget, text: str) -> None:  # noqa: ANN001 - QListWidget
    for i in range(widget.count()):
        if widget.item(i).text() == text:
            widget.item(i).setCheckState(Qt.CheckState.Unchecked)


def test_dialog_choice_carries_every_filter(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    writers = [("conll", "CoNLL", False), ("jsonl", "JSON Lines", False)]
    dialog = ExportDialog(writers, ["hedging", "stance"], tmp_path / "p.annot",
                          labels=["hedging:hedge", "hedging:scope", "stance:stance"],
                          current_document=(7, "Mixed scripts"))
    qtbot.addWidget(dialog)
    assert dialog.scheme.isVisibleTo(dialog)  # CoNLL is first: its tag scheme is offered
    _uncheck(dialog.labels, "hedging:scope")
    dialog.only_current.setChecked(True)
    dialog.scheme.setCurrentText("BIOES")
    dialog.statuses["new"].setChecked(False)
    choice = dialog.choice()
    assert choice.format == "conll" and choice.scheme == "BIOES"
    assert choice.labels == ["hedging:hedge", "stance:stance"]
    assert choice.documents == [7] and choice.statuses == ["in_progress", "done"]
    assert choice.layers == []  # all layers
    dialog.format.setCurrentIndex(1)
    assert not dialog.scheme.isVisibleTo(dialog)


def test_label_and_document_filters_reach_the_file(window, qtbot, tmp_path: Path  # noqa: ANN001
                                                   ) -> None:
    extra = tmp_path / "b.txt"
    extra.write_text("Second article.\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        window.import_paths([extra])
    mixed = window.project.documents()[0].pk
    out = tmp_path / "out.jsonl"
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:
        window.export_to(ExportChoice("jsonl", out, labels=["hedging:hedge"],
                                      documents=[mixed]))
    assert blocker.args == ["finished"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1  # only the chosen document
    doc = json.loads(lines[0])
    assert {(s["layer"], s["label"]) for s in doc["spans"]} == {("hedging", "hedge")}
    conll = tmp_path / "out.conll"
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        window.export_to(ExportChoice("conll", conll, layers=["hedging"], documents=[mixed],
                                      scheme="BIOES"))
    tags = {line.split("\t")[3] for line in conll.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}
    assert "S-hedge" in tags or "E-hedge" in tags  # BIOES tags, not BIO
