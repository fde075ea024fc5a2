"""The review window: open two files, jump to a disagreement, accept by keyboard, save gold."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import T1, add_traps, fingerprint, make_pair  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui.review_window import ReviewWindow, open_review  # noqa: E402
from annotator.review.adjudicate import Decision  # noqa: E402


def open_window(qtbot, tmp_path: Path) -> tuple[ReviewWindow, Path, Path]:  # noqa: ANN001
    tmp_path.mkdir(exist_ok=True)
    a, b = make_pair(tmp_path)
    add_traps(b)
    before = fingerprint(a), fingerprint(b)
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitActive(w)  # window shortcuts need the active window
    assert (fingerprint(a), fingerprint(b)) == before
    return w, a, b


def test_open_jump_accept_by_keyboard_and_save(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    w, a, b = open_window(qtbot, tmp_path / "in")
    before = fingerprint(a), fingerprint(b)
    assert w.windowTitle() == "Review: alice vs bob"
    assert w.documents.count() == 2
    kinds = [it.kind for it in w._items()]
    assert sorted(kinds) == ["boundaries", "only_a", "only_b"]
    row = kinds.index("boundaries")
    w.select_disagreement(row)
    item = w.current_item()
    assert item is not None and item.kind == "boundaries"
    # both panes select their side of the disagreement
    assert w.panes.view_a.selected_span() == w.panes.pk_of(0, item.a)
    assert w.panes.view_b.selected_span() == w.panes.pk_of(1, item.b)
    assert w.panes.view_a.verticalScrollBar().value() == w.panes.view_b.verticalScrollBar().value()
    w.disagreements.setFocus()
    qtbot.keyClick(w.disagreements, Qt.Key.Key_B)
    assert item.decision is Decision.ACCEPT_B and item.by
    assert w.current_item() is not item  # moved on to the next undecided one
    assert w.accept_agreed() == 2  # "Officials" and "said"
    out = tmp_path / "out"
    out.mkdir()
    gold = out / "gold.annot"
    w.save_gold(gold)
    with Project.open(gold, readonly=True) as p:
        docs = {d.text: d for d in p.iter_corpus()}
    got = sorted((T1[s.start:s.end], s.label, s.annotator) for s in docs[T1].spans)
    assert ("may fail", "hedge", "bob") in got
    assert ("Officials", "source", "alice+bob") in got
    assert any(e["decision"] == "accept_b" for e in docs[T1].meta["adjudication"])
    assert (fingerprint(a), fingerprint(b)) == before
    w.close()


def test_reject_edit_and_chart(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QInputDialog

    w, _a, _b = open_window(qtbot, tmp_path)
    assert w.table.rowCount() > 4 and w.table.item(0, 0).text() == "attribution"
    assert ("hedging / hedge", 0.5, 1.0) in w.chart.values()
    kinds = [it.kind for it in w._items()]
    w.select_disagreement(kinds.index("only_a"))
    only_a = w.current_item()
    qtbot.keyClick(w.disagreements, Qt.Key.Key_R)
    assert only_a.decision is Decision.REJECT
    w.select_disagreement(kinds.index("only_b"))
    only_b = w.current_item()
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("stance", True)))
    w.panes.view_b.set_selection_cp(T1.index("plan"), T1.index("plan") + 4)
    qtbot.keyClick(w.disagreements, Qt.Key.Key_E)
    assert only_b.decision is Decision.EDIT
    assert only_b.edited.label == "stance"
    assert only_b.edited.fragments == ((T1.index("plan"), T1.index("plan") + 4),)
    w.documents.setCurrentIndex(1)
    assert sorted(it.kind for it in w._items()) == ["attributes", "label"]
    path = tmp_path / "review.png"  # docs/review.png comes from scripts/screenshots.py
    w.resize(1280, 820)
    w.documents.setCurrentIndex(0)
    w.select_disagreement(0)
    assert w.grab().save(str(path))
    w.close()


def test_decisions_are_undone_and_redone_from_the_keyboard(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    w, _a, _b = open_window(qtbot, tmp_path / "in")
    first = w.current_item()
    assert first is not None and not w.undo_action.isEnabled()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # Ctrl+Z is a window shortcut
    w.disagreements.setFocus()
    qtbot.keyClick(w.disagreements, Qt.Key.Key_R)
    assert first.decision is Decision.REJECT and w.current_item() is not first
    assert w.undo_action.isEnabled() and "reject" in w.undo_action.text()
    assert w.disagreements.item(0).text().startswith("✓ reject")
    qtbot.keyClick(w.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert first.decision is None and w.current_item() is first
    assert not w.disagreements.item(0).text().startswith("✓")
    qtbot.keyClick(w.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert first.decision is Decision.REJECT
    w.close()
