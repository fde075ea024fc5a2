"""Attributes the annotator never set stay unset: nothing is stored, the editor says "(not set)",
a set value can be cleared, and only an explicit tagset default is written on a new span."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.core.resources import resource_path
from annotator.core.tagset import AttributeDef, default_tagset, tagset_from_dict
from annotator.gui.views.attribute_editor import NOT_SET

TEXT = "An official, who asked not to be named, said the deal may collapse."


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "unset.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="d", title="D", text=TEXT)])
    return path


def stored(path: Path) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with Project.open(path, readonly=True) as p:
        return [(s.label, s.attributes) for s in p.spans(p.documents()[0].pk)]


def test_shipped_tagset_declares_no_default() -> None:
    raw = tomllib.loads(resource_path("tagsets", "default.toml").read_text(encoding="utf-8"))
    for layer in raw["layers"]:
        for label in layer.get("labels", []):
            for attr in label.get("attributes", []):
                assert "default" not in attr, (label["name"], attr["name"])
    ts = default_tagset()
    assert all(a.default is None for lay in ts.layers for lab in lay.labels
               for a in lab.attributes)


def test_explicit_default_is_read_and_written_back() -> None:
    ts = tagset_from_dict({"layers": [{"name": "l", "labels": [{"name": "x", "attributes": [
        {"name": "kind", "type": "choice", "values": ["a", "b"], "default": "b"},
        {"name": "free", "type": "choice", "values": ["a", "b"]}]}]}]})
    kind, free = ts.label("l", "x").attributes  # type: ignore[union-attr]
    assert (kind.default, free.default) == ("b", None)
    again = tomllib.loads(ts.to_toml())["layers"][0]["labels"][0]["attributes"]
    assert again[0]["default"] == "b" and "default" not in again[1]


def test_new_span_stores_no_attribute_and_editor_shows_not_set(window, qtbot,  # type: ignore[no-untyped-def]
                                                              project_path) -> None:
    window.view.setFocus()
    window.view.set_selection_cp(*at("An official"))
    qtbot.keyClick(window.view, Qt.Key.Key_S)  # attribution:source, an anonymous one
    assert stored(project_path) == [("source", {})]  # not source_type=person
    combo = window.editor.widgets["source_type"]
    assert combo.currentText() == NOT_SET and combo.currentData() is None
    assert not window.editor.clear_buttons["source_type"].isEnabled()
    combo.setCurrentIndex(combo.findData("anonymous"))
    combo.activated.emit(combo.currentIndex())
    assert stored(project_path) == [("source", {"source_type": "anonymous"})]
    clear = window.editor.clear_buttons["source_type"]
    assert clear.isEnabled()
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert stored(project_path) == [("source", {})]  # cleared: absent again, not ""
    assert window.editor.widgets["source_type"].currentText() == NOT_SET


def test_every_type_can_be_cleared(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    window.view.set_selection_cp(*at("may"))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H)  # hedging:hedge (cue_type, certainty, negated)
    assert stored(project_path) == [("hedge", {})]
    negated = window.editor.widgets["negated"]
    assert negated.currentText() == NOT_SET  # a bool that was never set is not "no"
    negated.setCurrentIndex(negated.findData(False))
    negated.activated.emit(negated.currentIndex())
    assert stored(project_path) == [("hedge", {"negated": False})]
    negated = window.editor.widgets["negated"]
    negated.setCurrentIndex(0)
    negated.activated.emit(0)
    assert stored(project_path) == [("hedge", {})]


def test_explicit_default_is_written_on_new_spans(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    ts = window.project.tagset
    ts.label("attribution", "source").attributes = [
        AttributeDef("source_type", "choice", ["person", "anonymous"], default="anonymous")]
    window.project.set_tagset(ts)
    window._tagset_changed()
    window.view.setFocus()
    window.view.set_selection_cp(*at("An official"))
    qtbot.keyClick(window.view, Qt.Key.Key_S)
    assert stored(project_path) == [("source", {"source_type": "anonymous"})]
    assert window.editor.widgets["source_type"].currentData() == "anonymous"
    tips = [label.toolTip() for label in window.editor.findChildren(QLabel)]
    assert any("Tagset default: anonymous" in t for t in tips)


def test_number_and_text_unset_are_empty_with_placeholder(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.model import Span
    from annotator.core.tagset import LabelDef, LayerDef, Tagset
    from annotator.gui.views.attribute_editor import AttributeEditor

    ts = Tagset(layers=[LayerDef("l", labels=[LabelDef("x", attributes=[
        AttributeDef("score", "number"), AttributeDef("who", "text"),
        AttributeDef("tags", "multi", ["p", "q"])])])])
    editor = AttributeEditor()
    qtbot.addWidget(editor)
    editor.set_tagset(ts)
    emitted: list = []  # type: ignore[type-arg]
    editor.attributesChanged.connect(emitted.append)
    editor.set_span(Span(1, 1, "l", "x", ((0, 2),), {"score": 4, "who": "me", "tags": ["p"]}),
                    "abc")
    score, who, tags = (editor.widgets[n] for n in ("score", "who", "tags"))
    assert (score.text(), who.text()) == ("4", "me")
    score.setText("")
    score.editingFinished.emit()
    assert emitted[-1] == {"who": "me", "tags": ["p"]}
    score.setText("lots")  # not a number: nothing changes
    score.editingFinished.emit()
    assert len(emitted) == 1 and score.text() == "4"
    tags.item(0).setCheckState(Qt.CheckState.Unchecked)  # none checked: not set, not []
    assert emitted[-1] == {"score": 4, "who": "me"}
    editor.set_span(Span(1, 1, "l", "x", ((0, 2),), {}), "abc")
    assert editor.widgets["score"].text() == "" and \
        editor.widgets["score"].placeholderText() == NOT_SET
    assert editor.widgets["who"].placeholderText() == NOT_SET
