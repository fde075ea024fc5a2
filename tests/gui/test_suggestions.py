"""Lexicon suggestions in the workspace: computed on a worker, accepted as undoable spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = ("Officials said 👍🏽 it seems that the plan, reportedly approved, is clearly “fine”. "
        "قال المتحدث إن الخطة جيدة. Café (cafe\u0301) owners seem unconvinced.")


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """One document with hedges and cues; "said" is already tagged as an attribution cue."""
    path = tmp_path / "cues.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(
            name="cues", title="Cues", text=TEXT,
            spans=[SpanRecord("s1", "attribution", "cue", (at("said"),)),
                   SpanRecord("s2", "stance", "stance", (at("قال المتحدث"), at("جيدة")))])])
    return path


def saved(path: Path) -> set[tuple[str, str, tuple[tuple[int, int], ...]]]:
    with Project.open(path, readonly=True) as p:
        doc = p.documents()[0].pk
        return {(s.layer, s.label, s.fragments) for s in p.spans(doc)}


def suggest(window, qtbot) -> list:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.suggestions.ready, timeout=10000):
        window.act_suggest.trigger()
    return window.suggestions.shown


def row_of(window, layer: str, label: str, phrase: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, s in enumerate(window.suggestions.shown)
                if (s.layer, s.label, (s.start, s.end)) == (layer, label, at(phrase)))


def test_panel_is_hidden_until_asked_and_lists_suggestions(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert not window.suggestions.dock.isVisible()
    shown = suggest(window, qtbot)
    assert window.suggestions.dock.isVisible()
    found = {(s.layer, s.label, TEXT[s.start:s.end]) for s in shown}
    assert ("hedging", "hedge", "it seems that") in found
    assert ("attribution", "cue", "reportedly") in found
    assert ("hedging", "hedge", "reportedly") in found
    assert ("hedging", "booster", "clearly") in found
    assert ("attribution", "cue", "said") not in found  # coincides with an existing span
    model = window.suggestions.panel.model
    row = row_of(window, "hedging", "hedge", "it seems that")
    assert [model.index(row, c).data() for c in range(3)] == [
        "it seems that", "hedging:hedge", "it seems that"]
    assert "suggestion" in window.suggestions.panel.status.text()


def test_selecting_a_suggestion_selects_its_text(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    suggest(window, qtbot)
    row = row_of(window, "attribution", "cue", "reportedly")
    window.suggestions.panel.table.selectRow(row)
    assert window.view.selection_cp() == at("reportedly")  # code points, after the emoji


def test_accept_one_writes_span_and_undo_removes_it(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    suggest(window, qtbot)
    before = saved(project_path)
    row = row_of(window, "hedging", "hedge", "it seems that")
    table = window.suggestions.panel.table
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    new = ("hedging", "hedge", (at("it seems that"),))
    assert saved(project_path) == before | {new}
    with Project.open(project_path, readonly=True) as p:
        span = next(s for s in p.spans(p.documents()[0].pk) if s.label == "hedge")
        assert span.attributes == {}  # the default tagset declares no defaults: unset
    shown = {(s.layer, s.label, (s.start, s.end)) for s in window.suggestions.shown}
    assert ("hedging", "hedge", at("it seems that")) not in shown
    assert window.session.undo_stack.count() == 1
    window.act_undo.trigger()
    assert saved(project_path) == before
    shown = {(s.layer, s.label, (s.start, s.end)) for s in window.suggestions.shown}
    assert ("hedging", "hedge", at("it seems that")) in shown  # offered again


def test_double_click_accepts(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    suggest(window, qtbot)
    table = window.suggestions.panel.table
    row = row_of(window, "hedging", "booster", "clearly")
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ("hedging", "booster", (at("clearly"),)) in saved(project_path)
    assert window.session.undo_stack.count() == 1  # accepted once


def test_accept_all_is_one_undo_step(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    shown = suggest(window, qtbot)
    n = len(shown)
    assert n >= 4
    before = saved(project_path)
    window.suggestions.panel.accept_all_button.click()
    after = saved(project_path)
    assert len(after) == len(before) + n
    assert window.suggestions.shown == []
    assert len(window.spans) == len(after)
    assert window.session.undo_stack.count() == 1
    window.act_undo.trigger()
    assert saved(project_path) == before
    assert len(window.suggestions.shown) == n
    window.act_redo.trigger()
    assert saved(project_path) == after


def test_dismiss_and_layer_filter(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    shown = suggest(window, qtbot)
    n = len(shown)
    row = row_of(window, "hedging", "booster", "clearly")
    window.suggestions.panel.table.selectRow(row)
    window.suggestions.panel.dismiss_button.click()
    assert len(window.suggestions.shown) == n - 1
    combo = window.suggestions.panel.layer
    combo.setCurrentIndex(combo.findData("attribution"))
    assert {s.layer for s in window.suggestions.shown} == {"attribution"}
    before = saved(project_path)
    window.suggestions.panel.accept_all_button.click()  # only the shown ones
    added = saved(project_path) - before
    assert added and {layer for layer, _, _ in added} == {"attribution"}


def test_suggestions_are_not_written_and_go_with_the_document(window, qtbot, project_path) -> None:  # type: ignore[no-untyped-def]
    before = saved(project_path)
    suggest(window, qtbot)
    assert saved(project_path) == before
    window.open_document(None)
    assert window.suggestions.shown == []


def test_large_document_is_computed_on_a_worker(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = (TEXT + "\n") * (1_000_000 // (len(TEXT) + 1))
    src = tmp_path / "big.txt"
    src.write_text(big, encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=60000):
        window.import_paths([src])
    window.step_document(1)
    assert len(window.text) > 990_000
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        job = window.suggestions.start()
        assert job is not None and window.suggestions.job is job  # the GUI thread returned
        assert window.suggestions.shown == []
    assert len(window.suggestions.shown) > 10_000
