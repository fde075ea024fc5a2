"""The Document labels panel: an article's stance toward a target and its genre, edited in the
window (pytest-qt, offscreen), each choice one undo step saved at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import CorpusDocument
from annotator.core.project import Project


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "docs.annot"
    with Project.create(path, annotator="alice") as p:  # the shipped tagset
        p.import_documents([CorpusDocument(name="one", title="One", text="The council failed."),
                            CorpusDocument(name="two", title="Two", text="A second article.")])
        two = next(d for d in p.documents() if d.name == "two").pk
        p.add_doc_annotation(two, "genre", "news", annotator="bob")
    return path


def saved(path: Path, name: str = "one") -> list[tuple[str, str, dict, str]]:  # type: ignore[type-arg]
    with Project.open(path, readonly=True) as p:
        doc = next(d for d in p.documents() if d.name == name).pk
        return [(a.layer, a.label, a.attributes, a.annotator) for a in p.doc_annotations(doc)]


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def open_named(window, name: str) -> None:  # type: ignore[no-untyped-def]
    window.open_document(next(d.pk for d in window.project.documents() if d.name == name))


def test_stance_toward_a_target_and_genre_saved_and_undone(window, project_path) -> None:  # type: ignore[no-untyped-def]
    open_named(window, "one")
    panel = window.doc_labels
    assert set(panel.combos) == {"article_stance", "genre"}
    assert window.doc_labels_dock.toggleViewAction() in window.menuBar().actions()[2].menu().actions()
    choose(panel.combos["article_stance"], "against")
    assert saved(project_path) == [("article_stance", "against", {}, "alice")]
    target = panel.fields[("article_stance", "target")]  # shown once the layer is labelled
    target.setText("the council")
    target.editingFinished.emit()
    assert saved(project_path) == [("article_stance", "against", {"target": "the council"},
                                    "alice")]
    choose(panel.combos["genre"], "opinion")
    assert ("genre", "opinion", {}, "alice") in saved(project_path)
    choose(panel.combos["genre"], "")  # (none)
    assert [a[0] for a in saved(project_path)] == ["article_stance"]
    assert window.session.undo_stack.undoText() == "remove document label"
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert [a[:2] for a in saved(project_path)] == [("article_stance", "against")]
    assert panel.combos["genre"].currentData() == ""  # the panel follows undo
    window.act_undo.trigger()
    assert saved(project_path) == [("article_stance", "against", {}, "alice")]
    assert panel.fields[("article_stance", "target")].text() == ""


def test_each_document_shows_its_own_labels_and_others_are_listed(window, project_path) -> None:  # type: ignore[no-untyped-def]
    open_named(window, "one")
    choose(window.doc_labels.combos["genre"], "analysis")
    open_named(window, "two")
    assert window.doc_labels.combos["genre"].currentData() == ""  # alice has not labelled it
    texts = [w.text() for w in window.doc_labels.findChildren(type(window.doc_labels.empty))]
    assert any("bob: news" in t for t in texts)  # bob's label, read-only
    open_named(window, "one")
    assert window.doc_labels.combos["genre"].currentData() == "analysis"
    assert saved(project_path, "two") == [("genre", "news", {}, "bob")]


def test_read_only_project_panel_is_not_editable(qtbot, project_path, messages) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.main_window import MainWindow

    with Project.open(project_path):  # another program holds the file: opened read-only
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        assert w.open_project(project_path)
        assert w.project.readonly
        assert w.doc_labels.combos and not any(c.isEnabled()
                                               for c in w.doc_labels.combos.values())
        w.close_project()


def test_keyboard_in_the_panel_stays_in_the_document(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    """Alt+Down in a label list opens it (not the next document); arrow keys choose."""
    open_named(window, "one")
    doc = window.document
    combo = window.doc_labels.combos["genre"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    combo.hidePopup()
    assert window.document == doc
    combo = window.doc_labels.combos["genre"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # (none) -> news
    assert saved(project_path) == [("genre", "news", {}, "alice")]
