"""The workspace window, driven the way a user drives it (pytest-qt, offscreen).

Every check of what was saved opens the project file again (read-only) with the core, so the
tests see the file, not the window's memory.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.core.project import Project

# the text of tests/conftest.py's mixed_document (checked by the first test)
MIXED_TEXT = ("Officials said 👍🏽 the plan was “not fully confirmed”. "
              "قال المتحدث إن الخطة جيدة. Café owners (cafe\u0301) seem unconvinced.")


def saved_spans(path: Path) -> list:  # type: ignore[type-arg]
    with Project.open(path, readonly=True) as p:
        doc = p.documents()[0]
        return p.spans(doc.pk)


def saved(path: Path):  # type: ignore[no-untyped-def]
    """(documents, spans of the first, relations of the first) read afresh from the file."""
    with Project.open(path, readonly=True) as p:
        docs = p.documents()
        return docs, p.spans(docs[0].pk), p.relations(docs[0].pk)


def at(s: str) -> tuple[int, int]:
    i = MIXED_TEXT.index(s)
    return i, i + len(s)


def span_of(window, layer: str, label: str, text: str):  # type: ignore[no-untyped-def]
    first = at(text)
    return next(s for s in window.spans if (s.layer, s.label, s.fragments[0])
                == (layer, label, first))


def test_opens_project_with_documents_and_spans(window) -> None:  # type: ignore[no-untyped-def]
    assert window.document is not None
    assert window.view.text() == MIXED_TEXT
    assert window.span_model.rowCount() == 8
    assert window.doc_model.rowCount() == 1
    assert "8 spans" in window.doc_counts.text()
    assert "0 / 1 documents done" in window.project_counts.text()
    assert window.palette_bar.buttons[("hedging", "hedge")].text() == "hedge  h"


def test_label_key_tags_selection_snapped_to_words(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    start, end = at("owners")
    window.view.setFocus()
    window.view.set_selection_cp(start + 1, end - 2)  # "wne" inside "owners"
    qtbot.keyClick(window.view, Qt.Key.Key_B)  # booster
    added = [s for s in saved_spans(project_path) if s.label == "booster"]
    assert [(s.layer, s.fragments) for s in added] == [("hedging", ((start, end),))]
    assert window.view.selected_span() == added[0].pk
    assert window.editor.badge.text() == "hedging · booster"


def test_shift_key_tags_exact_selection_after_emoji(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    start, end = at("the plan")
    window.view.set_selection_cp(start + 1, end)  # "he plan", after the astral emoji
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ShiftModifier)
    added = [s for s in saved_spans(project_path) if s.label == "source"
             and s.start == start + 1]
    assert len(added) == 1
    assert MIXED_TEXT[added[0].start:added[0].end] == "he plan"
    assert added[0].attributes == {}  # unset: the default tagset declares no defaults


def test_arabic_span_and_plus_adds_fragment(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    a0, a1 = at("المتحدث")
    window.view.set_selection_cp(a0, a1)
    qtbot.keyClick(window.view, Qt.Key.Key_G)  # stance:target
    pk = window.view.selected_span()
    b0, b1 = at("الخطة")
    window.view.set_selection_cp(b0, b1)
    qtbot.keyClick(window.view, Qt.Key.Key_Plus)
    span = next(s for s in saved_spans(project_path) if s.pk == pk)
    assert span.fragments == ((a0, a1), (b0, b1))
    assert window.spans == saved_spans(project_path)
    assert window.session.undo_stack.undoText() == "edit span"


def test_delete_undo_redo(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    seem = span_of(window, "hedging", "hedge", "seem")
    window.select_span(seem.pk)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert seem.pk not in {s.pk for s in saved_spans(project_path)}
    assert window.span_model.rowCount() == 7
    window.act_undo.trigger()
    restored = next(s for s in saved_spans(project_path) if s.pk == seem.pk)
    assert restored.fragments == seem.fragments
    window.act_redo.trigger()
    assert seem.pk not in {s.pk for s in saved_spans(project_path)}
    assert window.span_model.rowCount() == 7
    window.act_undo.trigger()
    # the window updates its spans from the edits alone; they match the file
    assert window.spans == saved_spans(project_path)
    assert set(window.view.span_at_cp(seem.start)) == {seem.pk}


def test_undo_of_deleted_span_restores_its_relations(window, project_path) -> None:  # type: ignore[no-untyped-def]
    content = span_of(window, "attribution", "content", "the plan was “not fully confirmed”")
    window.select_span(content.pk)
    window.act_delete.trigger()
    _, _, rels = saved(project_path)
    assert rels == []
    window.act_undo.trigger()
    _, _, rels = saved(project_path)
    assert {r.type for r in rels} == {"attributed_to", "cue_of"}


def test_link_key_then_click_adds_relation(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    s0, s1 = at("unconvinced")
    window.view.set_selection_cp(s0, s1)
    qtbot.keyClick(window.view, Qt.Key.Key_K)  # hedging:scope
    scope = window.view.selected_span()
    seem = span_of(window, "hedging", "hedge", "seem")
    window.select_span(seem.pk)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert window.tagger.link_source == seem.pk
    window.view.spanClicked.emit(scope, Qt.KeyboardModifier.NoModifier)
    _, _, rels = saved(project_path)
    assert [(r.type, r.source, r.target) for r in rels if r.type == "scope_of"] == [
        ("scope_of", seem.pk, scope)]
    assert "scope_of" in [window.relations.tree.topLevelItem(1).child(i).text(0)
                          for i in range(window.relations.tree.topLevelItem(1).childCount())]
    window.act_undo.trigger()
    _, _, rels = saved(project_path)
    assert "scope_of" not in {r.type for r in rels}


def test_link_asks_when_several_types_fit(window, monkeypatch, project_path) -> None:  # type: ignore[no-untyped-def]
    asked: list[list[str]] = []

    def choose(types: list[str]) -> str:
        asked.append(types)
        return types[-1]

    monkeypatch.setattr(window.tagger, "choose_relation_type", choose)
    stance = span_of(window, "stance", "stance", "قال المتحدث")
    target = span_of(window, "stance", "target", "cafe\u0301")
    hedge = span_of(window, "hedging", "hedge", "seem")
    window.select_span(stance.pk)
    window.relations.linkRequested.emit()
    window.view.spanClicked.emit(target.pk, Qt.KeyboardModifier.NoModifier)
    window.select_span(hedge.pk)
    window.tagger.start_link()
    window.view.spanClicked.emit(stance.pk, Qt.KeyboardModifier.NoModifier)  # nothing fits
    _, _, rels = saved(project_path)
    types = {(r.type, r.source, r.target) for r in rels}
    assert ("targets", stance.pk, target.pk) in types  # the only type that fits: no question
    assert len(asked) == 1 and len(asked[0]) > 1  # no fit: the user picks among all
    assert (asked[0][-1], hedge.pk, stance.pk) in types


def test_relation_panel_navigates_and_deletes(window, project_path) -> None:  # type: ignore[no-untyped-def]
    source = span_of(window, "attribution", "source", "Officials")
    content = span_of(window, "attribution", "content", "the plan was “not fully confirmed”")
    window.select_span(source.pk)
    mine = window.relations.tree.topLevelItem(0)
    assert mine.childCount() == 1
    rel_pk = mine.child(0).data(0, Qt.ItemDataRole.UserRole + 1)
    window.relations.activate(rel_pk)
    assert window.view.selected_span() == content.pk
    window.relations.deleteRequested.emit(rel_pk)
    _, _, rels = saved(project_path)
    assert rel_pk not in {r.pk for r in rels}


def test_attribute_edits_each_one_undo_step(window, project_path) -> None:  # type: ignore[no-untyped-def]
    hedge = span_of(window, "hedging", "hedge", "not fully confirmed")
    window.select_span(hedge.pk)
    combo = window.editor.widgets["certainty"]
    combo.setCurrentIndex(combo.findData("probable"))
    combo.activated.emit(combo.currentIndex())
    negated = window.editor.widgets["negated"]
    negated.setCurrentIndex(negated.findData(True))
    negated.activated.emit(negated.currentIndex())
    window.editor.note.setText("check the ministry's figures")
    window.editor.note.editingFinished.emit()
    span = next(s for s in saved_spans(project_path) if s.pk == hedge.pk)
    assert span.attributes["certainty"] == "probable"
    assert span.attributes["negated"] is True
    assert span.note == "check the ministry's figures"
    assert window.session.undo_stack.count() == 3
    window.act_undo.trigger()
    window.act_undo.trigger()
    span = next(s for s in saved_spans(project_path) if s.pk == hedge.pk)
    assert span.attributes["certainty"] == "probable" and "negated" not in span.attributes
    assert span.note == ""


def test_text_attribute_completes_previous_values(window, project_path) -> None:  # type: ignore[no-untyped-def]
    stance = span_of(window, "stance", "stance", "قال المتحدث")
    window.select_span(stance.pk)
    edit = window.editor.widgets["target"]
    edit.setText("the plan 👍🏽")
    edit.editingFinished.emit()
    span = next(s for s in saved_spans(project_path) if s.pk == stance.pk)
    assert span.attributes["target"] == "the plan 👍🏽"
    window.select_span(stance.pk)
    completions = window.editor.widgets["target"].completer().model().stringList()
    assert "the plan 👍🏽" in completions


def test_label_change_from_side_panel(window, project_path) -> None:  # type: ignore[no-untyped-def]
    seem = span_of(window, "hedging", "hedge", "seem")
    window.select_span(seem.pk)
    combo = window.editor.label_combo
    combo.setCurrentIndex(combo.findData("hedging:booster"))
    combo.activated.emit(combo.currentIndex())
    span = next(s for s in saved_spans(project_path) if s.pk == seem.pk)
    assert (span.layer, span.label) == ("hedging", "booster")


def test_status_change_and_counts(window, project_path) -> None:  # type: ignore[no-untyped-def]
    window.act_status["done"].trigger()
    docs, _, _ = saved(project_path)
    assert docs[0].status == "done"
    assert "1 / 1 documents done" in window.project_counts.text()
    window.doc_status.setCurrentIndex(window.doc_status.findData("new"))
    assert window.doc_filter.rowCount() == 0
    window.act_undo.trigger()
    docs, _, _ = saved(project_path)
    assert docs[0].status == "in_progress"


def test_span_table_click_selects_span_and_layer_filter(window) -> None:  # type: ignore[no-untyped-def]
    window.span_layer.setCurrentIndex(window.span_layer.findData("stance"))
    assert window.span_filter.rowCount() == 2
    index = window.span_filter.index(0, 0)
    window.span_table.clicked.emit(index)
    pk = index.data(Qt.ItemDataRole.UserRole + 1)
    assert window.view.selected_span() == pk
    assert window.editor.span().pk == pk


def test_hidden_layer_is_not_drawn_and_not_offered(window) -> None:  # type: ignore[no-untyped-def]
    window.set_layer_visible("hedging", False)
    assert ("hedging", "hedge") not in window.palette_bar.buttons
    seem = span_of(window, "hedging", "hedge", "seem")
    assert seem.pk not in window.view.span_at_cp(seem.start)


def test_find_in_document_selects_matches(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.open_find()
    qtbot.keyClicks(window.find_bar.edit, "CAF")
    first, second = at("Caf")[0], at("cafe\u0301")[0]
    assert window.find_bar.matches == [(first, first + 3), (second, second + 3)]
    assert window.view.selection_cp() == window.find_bar.matches[0]
    window.find_bar.find_next()
    assert window.view.selection_cp() == window.find_bar.matches[1]
    assert window.find_bar.count.text() == "2 of 2"
    assert len(window.view.extraSelections()) == 2  # every match is highlighted
    window.find_bar.close_bar()
    assert window.view.extraSelections() == []


def test_find_in_project_opens_hit(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui import ops

    hits = ops.search_project(window.project, "المتحدث")
    assert len(hits) == 1 and "[المتحدث]" in hits[0].context
    window.open_project_find()
    dialog = window._find_dialog
    dialog.query.setText("المتحدث")
    dialog.run()
    assert dialog.table.rowCount() == 1
    dialog._clicked(0)
    assert window.view.selection_cp() == at("المتحدث")


def test_bad_file_shows_message_and_keeps_project(window, messages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notes.annot"
    bad.write_bytes(b"this is not a database\n" * 10)
    before = bad.read_bytes()
    assert window.open_project(bad) is False
    kind, _title, text = messages[-1]
    assert kind == "critical" and "notes.annot" in text and "Traceback" not in text
    assert bad.read_bytes() == before
    assert window.document is not None  # the open project stays


def test_second_window_falls_back_to_read_only(window, qtbot, messages, project_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.main_window import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_project(project_path)
    try:
        assert other.project.readonly
        assert messages[-1][0] == "warning" and "read-only" in messages[-1][2]
        assert not other.palette_bar.isEnabled()
        assert not other.act_delete.isEnabled()
        assert other.readonly_badge.isVisibleTo(other)
        start, end = at("owners")
        other.view.set_selection_cp(start, end)
        assert other.tagger.tag("hedging", "booster") is None
        assert messages[-1][0] == "critical"
        assert len(saved_spans(project_path)) == 8
    finally:
        other.close_project()


def test_import_runs_on_worker(window, qtbot, tmp_path, project_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "arabic.txt").write_text("قال المتحدث 👍🏽 إن الخطة جيدة.\n", encoding="utf-8")
    (folder / "second.txt").write_text("Officials said it may rain.\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:
        job = window.import_paths([folder])
        assert job is not None
        assert not window.session.editable  # no edits while the worker uses the project
        assert not window.palette_bar.isEnabled()
    assert blocker.args == ["finished"]
    assert window.session.editable
    docs, _, _ = saved(project_path)
    assert [d.name for d in docs] == ["mixed", "arabic", "second"]
    assert window.doc_model.rowCount() == 3
    assert "0 / 3 documents done" in window.project_counts.text()


def test_import_of_bad_file_reports_and_writes_nothing(window, qtbot, tmp_path, messages,
                                                       project_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:
        window.import_paths([bad])
    assert blocker.args == ["failed"]
    assert messages[-1][0] == "critical" and "empty.txt" in messages[-1][2]
    assert len(saved(project_path)[0]) == 1


def test_export_runs_on_worker(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from annotator.gui.views.dialogs import ExportChoice

    out = tmp_path / "out.jsonl"
    with qtbot.waitSignal(window.jobDone, timeout=20000) as blocker:
        window.export_to(ExportChoice("jsonl", out, layers=["stance"]))
    assert blocker.args == ["finished"]
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert line["text"] == MIXED_TEXT
    assert {s["layer"] for s in line["spans"]} == {"stance"}


def test_next_previous_document(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "b.txt"
    extra.write_text("Second article.\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        window.import_paths([extra])
    first = window.document
    window.act_next_doc.trigger()
    assert window.document != first and window.view.text() == "Second article.\n"
    window.act_prev_doc.trigger()
    assert window.document == first


def test_backup_now(window, gui_dirs) -> None:  # type: ignore[no-untyped-def]
    window.act_backup.trigger()
    assert list((gui_dirs / "backups").rglob("*.annot"))


def test_models_pass_qt_model_tester(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.doc_model)
    qtmodeltester.check(window.doc_filter)
    qtmodeltester.check(window.span_model)
    qtmodeltester.check(window.span_filter)


def test_shortcut_sheet_lists_label_keys(window) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.views.dialogs import shortcut_sheet

    html = shortcut_sheet(window.project.tagset)
    assert "hedging: hedge" in html and "<b>h</b>" in html
