"""Window-wide shortcuts never take a key that the focused list uses itself.

Driven as a user does: focus a list, press the key with ``qtbot.keyClick``, then read the
project file again to see what was written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said it seems that the plan is clearly fine."


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "keys.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([
            CorpusDocument(name="one", title="One", text=TEXT,
                           spans=[SpanRecord("s1", "attribution", "source", (at("Officials"),)),
                                  SpanRecord("s2", "attribution", "cue", (at("said"),)),
                                  SpanRecord("s3", "attribution", "content", (at("the plan"),))],
                           relations=[RelationRecord("r1", "attributed_to", "s3", "s1")]),
            CorpusDocument(name="two", title="Two", text="A second article.")])
    return path


def saved(path: Path) -> tuple[set[tuple[str, str, tuple[tuple[int, int], ...]]], int]:
    with Project.open(path, readonly=True) as p:
        doc = next(d for d in p.documents() if d.name == "one").pk
        return ({(s.layer, s.label, s.fragments) for s in p.spans(doc)},
                len(p.relations(doc)))


def test_delete_in_suggestions_dismisses_and_keeps_the_selected_span(window, qtbot,  # type: ignore[no-untyped-def]
                                                                     project_path) -> None:
    source = next(s for s in window.spans if s.label == "source")
    window.select_span(source.pk)  # a span is selected in the text…
    assert window.tagger.selected() == source.pk
    with qtbot.waitSignal(window.suggestions.ready, timeout=10000):
        window.act_suggest.trigger()
    shown = list(window.suggestions.shown)
    assert shown
    table = window.suggestions.panel.table
    table.setFocus()
    table.selectRow(0)
    first = window.suggestions.shown[0]
    before = saved(project_path)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # …and Delete is pressed in the suggestions list
    assert saved(project_path) == before  # the span is still in the file
    assert any(s.pk == source.pk for s in window.spans)
    assert first not in window.suggestions.shown  # the suggestion is gone
    assert len(window.suggestions.shown) == len(shown) - 1
    assert window.session.undo_stack.count() == 0  # nothing was edited
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    assert saved(project_path) == before
    assert len(window.suggestions.shown) == len(shown) - 2


def test_delete_in_relations_list_deletes_the_relation_not_the_span(window, qtbot,  # type: ignore[no-untyped-def]
                                                                    project_path) -> None:
    content = next(s for s in window.spans if s.label == "content")
    window.select_span(content.pk)
    tree = window.relations.tree
    mine = tree.topLevelItem(0)
    assert mine.childCount() == 1
    tree.setFocus()
    tree.setCurrentItem(mine.child(0))
    spans_before, _ = saved(project_path)
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    spans_after, relations = saved(project_path)
    assert spans_after == spans_before
    assert relations == 0


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_in_documents_list_or_attribute_list_deletes_no_span(window, qtbot,  # type: ignore[no-untyped-def]
                                                                    project_path, key) -> None:
    source = next(s for s in window.spans if s.label == "source")
    window.select_span(source.pk)
    before = saved(project_path)
    window.doc_table.setFocus()
    qtbot.keyClick(window.doc_table, key)
    assert saved(project_path) == before
    assert window.tagger.selected() == source.pk


def test_letters_in_lists_do_not_start_linking_or_add_fragments(window, qtbot,  # type: ignore[no-untyped-def]
                                                                project_path) -> None:
    source = next(s for s in window.spans if s.label == "source")
    window.select_span(source.pk)
    window.view.set_selection_cp(*at("plan"))
    window.select_span(source.pk)
    before = saved(project_path)
    window.doc_table.setFocus()
    qtbot.keyClick(window.doc_table, Qt.Key.Key_L)
    assert window.tagger.link_source is None
    qtbot.keyClick(window.doc_table, Qt.Key.Key_Plus)
    assert saved(project_path) == before


def test_alt_down_in_a_combo_box_stays_in_the_document(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document
    combo = window.span_layer
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    combo.hidePopup()
    assert window.document == doc


def test_keys_still_work_where_they_belong(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    """Delete in the text view and in the spans table deletes the selected span."""
    cue = next(s for s in window.spans if s.label == "cue")
    window.select_span(cue.pk)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    spans, _ = saved(project_path)
    assert ("attribution", "cue", (at("said"),)) not in spans
    source = next(s for s in window.spans if s.label == "source")
    window.select_span(source.pk)
    window.span_table.setFocus()
    qtbot.keyClick(window.span_table, Qt.Key.Key_Delete)
    spans, _ = saved(project_path)
    assert ("attribution", "source", (at("Officials"),)) not in spans
    qtbot.keyClick(window.doc_table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.view.text() == "A second article."
