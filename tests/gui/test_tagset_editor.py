"""Edit > Tagset…: the tagset editor, its checks, TOML import/export and applying it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from annotator.core.project import Project
from annotator.core.tagset import load_tagset
from annotator.gui.tagset_menu import apply_tagset, editor_for
from tests.conftest import MIXED_TEXT


def at(s: str) -> tuple[int, int]:
    i = MIXED_TEXT.index(s)
    return (i, i + len(s))


def type_into(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the text of a line edit the way a user does (textEdited fires)."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def open_editor(window, qtbot):  # type: ignore[no-untyped-def]
    dlg = editor_for(window)
    assert dlg is not None
    qtbot.addWidget(dlg)
    return dlg


def apply(window, dlg) -> None:  # type: ignore[no-untyped-def]
    assert dlg.ok_button.isEnabled(), dlg.problem.text()
    dlg.ok_button.click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert apply_tagset(window, dlg.tagset(), dlg.renames())


def saved_spans(path: Path):  # type: ignore[no-untyped-def]
    with Project.open(path, readonly=True) as p:
        return p.spans(p.documents()[0].pk)


def test_new_label_with_key_is_in_the_palette_and_its_key_tags(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    dlg = open_editor(window, qtbot)
    assert window.act_tagset.isEnabled()
    dlg.tree.setCurrentItem(dlg.find_item("hedging"))
    item = dlg.add_label()
    assert dlg.tree.currentItem() is item
    type_into(qtbot, dlg.name_edit, "rumour")
    type_into(qtbot, dlg.key_edit, "R")
    dlg.set_color("#6a3d9a")
    dlg.attributes.add_row()
    for col, text in enumerate(("via", "choice", "press, word of mouth", "press")):
        dlg.attributes.set_cell(0, col, text)
    assert item.text(0) == "rumour" and item.text(1) == "r"
    apply(window, dlg)
    with Project.open(project_path, readonly=True) as p:
        label = p.tagset.label("hedging", "rumour")
        assert label is not None and (label.key, label.color) == ("r", "#6a3d9a")
        assert [(a.name, a.values, a.default) for a in label.attributes] == [
            ("via", ["press", "word of mouth"], "press")]
    assert window.palette_bar.buttons[("hedging", "rumour")].text() == "rumour  r"
    assert window._colors()[("hedging", "rumour")] == "#6a3d9a"
    start, end = at("owners")
    window.view.setFocus()
    window.view.set_selection_cp(start, end)
    qtbot.keyClick(window.view, Qt.Key.Key_R)
    added = [s for s in saved_spans(project_path) if s.label == "rumour"]
    assert [(s.layer, s.fragments, s.attributes) for s in added] == [
        ("hedging", ((start, end),), {"via": "press"})]


def test_duplicate_key_cannot_be_applied(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = open_editor(window, qtbot)
    dlg.tree.setCurrentItem(dlg.find_item("stance"))
    dlg.add_label()
    assert dlg.ok_button.isEnabled()
    type_into(qtbot, dlg.key_edit, "h")  # hedging:hedge has it
    assert not dlg.ok_button.isEnabled()
    assert "key 'h'" in dlg.problem.text() and dlg.tagset() is None
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted
    type_into(qtbot, dlg.key_edit, "")
    assert dlg.ok_button.isEnabled() and dlg.problem.text() == ""


def test_empty_name_and_bad_default_are_refused(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = open_editor(window, qtbot)
    dlg.tree.setCurrentItem(dlg.find_item("stance", "target"))
    type_into(qtbot, dlg.name_edit, "")
    assert "has no name" in dlg.problem.text() and not dlg.ok_button.isEnabled()
    type_into(qtbot, dlg.name_edit, "target")
    assert dlg.ok_button.isEnabled()
    dlg.attributes.add_row()
    dlg.attributes.set_cell(0, 1, "number")
    dlg.attributes.set_cell(0, 3, "many")
    assert "not a number" in dlg.problem.text() and not dlg.ok_button.isEnabled()
    dlg.attributes.set_cell(0, 3, "2.5")
    assert dlg.ok_button.isEnabled()
    assert dlg.tagset().label("stance", "target").attributes[0].default == 2.5


def test_label_in_use_cannot_be_removed_but_can_be_renamed(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    dlg = open_editor(window, qtbot)
    dlg.tree.setCurrentItem(dlg.find_item("hedging", "hedge"))
    dlg.remove_current()
    assert "hedging:hedge is used by 2 span(s)" in dlg.problem.text()
    assert not dlg.ok_button.isEnabled()
    dlg.close()
    dlg = open_editor(window, qtbot)
    dlg.tree.setCurrentItem(dlg.find_item("hedging", "hedge"))
    type_into(qtbot, dlg.name_edit, "hedge_cue")
    assert dlg.renames() == {("hedging", "hedge"): ("hedging", "hedge_cue")}
    apply(window, dlg)
    labels = {s.label for s in saved_spans(project_path) if s.layer == "hedging"}
    assert labels == {"hedge_cue"}
    with Project.open(project_path, readonly=True) as p:
        assert p.tagset.label("hedging", "hedge_cue").key == "h"
        assert p.tagset.relation_type("scope_of").source == ["hedging:hedge_cue"]
    assert {s.label for s in window.spans if s.layer == "hedging"} == {"hedge_cue"}
    assert ("hedging", "hedge_cue") in window.palette_bar.buttons
    assert window.session.undo_stack.count() == 0


def test_unused_label_is_removed_and_layer_switched_off(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    dlg = open_editor(window, qtbot)
    dlg.tree.setCurrentItem(dlg.find_item("hedging", "booster"))
    dlg.remove_current()
    dlg.find_item("rhetoric").setCheckState(0, Qt.CheckState.Unchecked)
    apply(window, dlg)
    with Project.open(project_path, readonly=True) as p:
        assert p.tagset.label("hedging", "booster") is None
        assert p.tagset.layer("rhetoric").enabled is False
    assert ("hedging", "booster") not in window.palette_bar.buttons
    assert not any(layer == "rhetoric" for layer, _ in window.palette_bar.buttons)
    assert len(saved_spans(project_path)) == 8  # nothing lost


def test_export_import_toml_round_trip(window, qtbot, tmp_path, monkeypatch, project_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "mine.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    dlg = open_editor(window, qtbot)
    export = next(b for b in dlg.findChildren(type(dlg.ok_button))
                  if b.text() == "Export tagset…")
    export.click()
    assert load_tagset(out).to_dict() == window.project.tagset.to_dict()
    text = out.read_text(encoding="utf-8").replace('name = "booster"', 'name = "intensifier"')
    changed = tmp_path / "changed.toml"
    changed.write_text(text, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(changed), "")))
    other = open_editor(window, qtbot)
    next(b for b in other.findChildren(type(dlg.ok_button))
         if b.text() == "Import tagset…").click()
    assert other.find_item("hedging", "intensifier") is not None
    assert other.find_item("hedging", "booster") is None
    apply(window, other)
    assert window.project.tagset.to_dict() == load_tagset(changed).to_dict()
    with Project.open(project_path, readonly=True) as p:
        assert p.tagset.label("hedging", "intensifier").color == "#d62728"


def test_bad_toml_import_is_reported_in_the_dialog(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[layers]]\nname = "x"\n[[layers.labels]]\nname = "a"\nkey = "q"\n'
                   '[[layers.labels]]\nname = "b"\nkey = "q"\n', encoding="utf-8")
    dlg = open_editor(window, qtbot)
    assert not dlg.import_file(bad)
    assert "key 'q'" in dlg.problem.text()
    assert dlg.find_item("hedging") is not None  # the tagset shown is unchanged


def test_read_only_project_cannot_change_the_tagset(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    window.set_project(Project.open(project_path, readonly=True))
    dlg = open_editor(window, qtbot)
    assert not dlg.ok_button.isEnabled()
    assert "read-only" in dlg.problem.text()
