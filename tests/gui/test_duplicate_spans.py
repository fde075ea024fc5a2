"""An exact duplicate span (same fragments, layer and label) is never made from the window:
tagging the same text again selects the existing span; a label change or an added fragment
that would make one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said the plan may fail, and it may."


def at(s: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(s, i + 1)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "dup.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="d", title="D", text=TEXT, spans=[
            SpanRecord("s1", "hedging", "hedge", (at("may"),)),
            SpanRecord("s2", "hedging", "booster", (at("may", 1),))])])
    return path


def stored(path: Path) -> list[tuple[str, str, tuple[tuple[int, int], ...]]]:
    with Project.open(path, readonly=True) as p:
        return sorted((s.layer, s.label, s.fragments) for s in p.spans(p.documents()[0].pk))


def test_tagging_the_same_text_again_selects_the_existing_span(window, qtbot,  # type: ignore[no-untyped-def]
                                                               project_path) -> None:
    before = stored(project_path)
    hedge = next(s for s in window.spans if s.label == "hedge")
    window.view.setFocus()
    window.view.set_selection_cp(*at("may"))
    qtbot.keyClick(window.view, Qt.Key.Key_H)  # hedging:hedge again
    assert stored(project_path) == before  # no second span
    assert window.session.undo_stack.count() == 0
    assert window.view.selected_span() == hedge.pk
    assert "Already tagged" in window.statusBar().currentMessage()
    window.view.set_selection_cp(*at("may"))
    qtbot.keyClick(window.view, Qt.Key.Key_B)  # another label on the same text is fine
    assert len(stored(project_path)) == len(before) + 1


def test_label_change_that_would_duplicate_is_refused(window, project_path) -> None:  # type: ignore[no-untyped-def]
    before = stored(project_path)
    window.view.set_selection_cp(*at("may", 1))
    window.tagger.tag("hedging", "hedge", exact=True)  # hedge + booster on the second "may"
    booster = next(s for s in window.spans if s.label == "booster")
    window.select_span(booster.pk)
    combo = window.editor.label_combo
    combo.setCurrentIndex(combo.findData("hedging:hedge"))
    combo.activated.emit(combo.currentIndex())
    after = stored(project_path)
    assert after == sorted([*before, ("hedging", "hedge", (at("may", 1),))])
    assert combo.currentData() == "hedging:booster"  # shown as it stays
    assert "exactly this text" in window.statusBar().currentMessage()


def test_added_fragment_that_would_duplicate_is_refused(window, project_path) -> None:  # type: ignore[no-untyped-def]
    window.view.set_selection_cp(at("may")[0], at("fail")[1])
    window.tagger.tag("hedging", "hedge", exact=True)  # "may fail"
    window.view.set_selection_cp(*at("may"))
    window.tagger.tag("hedging", "scope", exact=True)
    scope_may = window.view.selected_span()
    window.view.set_selection_cp(at("may")[0], at("fail")[1])
    window.tagger.tag("hedging", "scope", exact=True)  # scope "may fail"
    before = stored(project_path)
    window.select_span(scope_may)
    window.view.set_selection_cp(at("fail")[0] - 1, at("fail")[1])  # " fail": joins to "may fail"
    window.select_span(scope_may)
    window.tagger.add_fragment(exact=True)
    assert stored(project_path) == before
