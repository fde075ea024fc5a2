"""Editing a span's boundaries, label and fragments in the real window, from the keyboard and
the mouse (pytest-qt, offscreen). What was saved is read from the file each time."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said that the plan is clearly fine, and the mayor agreed today."
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "edit.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="one", title="One", text=TEXT, spans=[
            SpanRecord("s1", "attribution", "source", (at("Officials"),)),
            SpanRecord("s2", "hedging", "hedge", (at("is clearly"),))])])
    return path


def saved(path: Path) -> set[tuple[str, str, tuple[tuple[int, int], ...]]]:
    with Project.open(path, readonly=True) as p:
        return {(s.layer, s.label, s.fragments) for s in p.spans(p.documents()[0].pk)}


def select(window, label: str):  # type: ignore[no-untyped-def]
    span = next(s for s in window.spans if s.label == label)
    window.select_span(span.pk)
    window.view.setFocus()
    return span


def test_alt_arrows_move_start_and_end_by_word_each_saved_at_once(window, qtbot,  # type: ignore[no-untyped-def]
                                                                  project_path) -> None:
    hedge = select(window, "hedge")
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT | SHIFT)  # end one word right
    assert ("hedging", "hedge", (at("is clearly fine"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Left, ALT)  # start one word left
    assert ("hedging", "hedge", (at("plan is clearly fine"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT | SHIFT | CTRL)  # end one character
    assert ("hedging", "hedge", (at("plan is clearly fine,"),)) in saved(project_path)
    assert window.tagger.selected() == hedge.pk  # still selected, ready for the next move
    assert window.view.span(hedge.pk).fragments == (at("plan is clearly fine,"),)
    assert window.session.undo_stack.count() == 3
    for _ in range(3):
        window.act_undo.trigger()
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)
    assert window.view.span(hedge.pk).fragments == (at("is clearly"),)


def test_alt_punctuation_moves_the_same_where_the_desktop_takes_the_arrows(window, qtbot,  # type: ignore[no-untyped-def]
                                                                         project_path) -> None:
    """Openbox takes Alt+Shift+arrows, GNOME/KDE/Xfce Ctrl+Alt+arrows: Alt+, . [ ] ; ' do
    the same moves (tried by hand under Openbox, where Alt+Shift+Right moved the window)."""
    select(window, "hedge")
    qtbot.keyClick(window.view, Qt.Key.Key_Period, ALT)  # end one word right
    assert ("hedging", "hedge", (at("is clearly fine"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Comma, ALT)  # end one word left
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight, ALT)  # start one character right
    assert ("hedging", "hedge", (at("s clearly"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft, ALT)  # start one character left
    qtbot.keyClick(window.view, Qt.Key.Key_Semicolon, ALT)  # end one character left
    assert ("hedging", "hedge", (at("is clearl"),)) in saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Apostrophe, ALT)  # end one character right
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)
    assert window.session.undo_stack.count() == 6


def test_a_move_that_would_empty_the_span_is_refused_with_a_message(window, qtbot,  # type: ignore[no-untyped-def]
                                                                    project_path) -> None:
    select(window, "source")
    before = saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Left, ALT | SHIFT)  # end left: nothing would stay
    assert saved(project_path) == before
    assert "cannot" in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 0


def test_without_a_selected_span_alt_arrows_change_nothing(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    window.select_span(None)
    window.view.setFocus()
    before = saved(project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT | SHIFT)
    assert saved(project_path) == before and window.session.undo_stack.count() == 0


def test_label_key_on_a_selected_span_changes_its_label_in_place(window, qtbot,  # type: ignore[no-untyped-def]
                                                                 project_path) -> None:
    hedge = select(window, "hedge")
    assert window.view.selection_cp() is None
    qtbot.keyClick(window.view, Qt.Key.Key_B)  # booster's key
    assert ("hedging", "booster", (at("is clearly"),)) in saved(project_path)
    assert ("hedging", "hedge", (at("is clearly"),)) not in saved(project_path)
    assert window.view.span(hedge.pk).label == "booster"
    assert window.editor.label_combo.currentText().startswith("booster") or \
        "booster" in window.editor.label_combo.currentText()
    window.act_undo.trigger()
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)


def test_f2_offers_the_labels_and_relabels(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    select(window, "hedge")
    offered: list[list[tuple[str, str]]] = []

    def choose(choices):  # type: ignore[no-untyped-def]
        offered.append(choices)
        return ("stance", "stance")

    window.tagger.choose_label_from = choose
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    assert ("hedging", "booster") in offered[0]
    assert ("stance", "stance", (at("is clearly"),)) in saved(project_path)


def test_slash_splits_at_the_cursor_and_ctrl_j_joins(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    hedge = select(window, "hedge")
    space = TEXT.index(" clearly")
    window.view.set_selection_cp(space, space)  # the cursor on the space, no text selected
    window.select_span(hedge.pk)
    qtbot.keyClick(window.view, Qt.Key.Key_Slash)
    assert ("hedging", "hedge", (at("is"), at("clearly"))) in saved(project_path)
    assert window.view.span(hedge.pk).discontinuous
    qtbot.keyClick(window.view, Qt.Key.Key_J, CTRL)
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)
    window.act_undo.trigger()
    assert ("hedging", "hedge", (at("is"), at("clearly"))) in saved(project_path)


def test_dragging_the_end_of_the_selected_span_moves_it(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    hedge = select(window, "hedge")
    view = window.view
    end = view.cp_rect(hedge.end)
    target = view.cp_rect(at("fine")[1])
    grip = QPoint(end.center().x(), end.center().y())
    assert view.boundary_drag.grip_at(grip) is not None
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grip)
    QTest.mouseMove(vp, QPoint(target.center().x() - 20, target.center().y()))
    QTest.mouseMove(vp, QPoint(target.center().x(), target.center().y()))
    assert view.span(hedge.pk).fragments == (at("is clearly fine"),)  # shown while dragging
    assert ("hedging", "hedge", (at("is clearly"),)) in saved(project_path)  # not yet saved
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(target.center().x(), target.center().y()))
    assert ("hedging", "hedge", (at("is clearly fine"),)) in saved(project_path)
    assert window.session.undo_stack.count() == 1
    assert window.view.selection_cp() is None  # the drag selected no text


def test_dragging_the_start_of_the_selected_span_moves_it(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    hedge = select(window, "hedge")
    view = window.view
    start = view.cp_rect(hedge.start)
    target = view.cp_rect(at("plan")[0])
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     start.center())
    QTest.mouseMove(vp, target.center())
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       target.center())
    assert ("hedging", "hedge", (at("plan is clearly"),)) in saved(project_path)


def test_no_two_actions_share_a_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, str] = {}
    for action in window.findChildren(type(window.act_undo)):
        for seq in action.shortcuts():
            key = seq.toString(QKeySequence.SequenceFormat.PortableText)
            if not key:
                continue
            assert key not in seen, f"{key}: {seen[key]!r} and {action.text()!r}"
            seen[key] = action.text()
    assert {"Alt+Left", "Alt+Shift+Right", "Ctrl+Alt+Shift+Left", "Ctrl+J", "/", "F2"} <= set(seen)
