"""A project holding several annotators' spans: the text view shows the project annotator's by
default, another's after View > Annotators > name is checked (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said the plan seems fine."


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="one", text=TEXT, spans=[
            SpanRecord("s1", "hedging", "hedge", (at("seems"),)),  # alice's (the project's)
            SpanRecord("s2", "hedging", "booster", (at("fine"),), annotator="bob"),
            SpanRecord("s3", "attribution", "source", (at("Officials"),), annotator="carol")])])
    return path


def menu_entry(window, name: str):  # type: ignore[no-untyped-def]
    window.annotators_menu.aboutToShow.emit()
    return next(a for a in window.annotators_menu.actions() if a.text() == name)


def test_others_spans_hidden_until_their_toggle_is_checked(window) -> None:  # type: ignore[no-untyped-def]
    view = window.view
    by = {s.annotator: s for s in window.spans}
    assert set(by) == {"alice", "bob", "carol"}
    assert view.span_at_cp(at("seems")[0]) == [by["alice"].pk]
    assert view.span_at_cp(at("fine")[0]) == []  # bob's: hidden by default
    assert [a.text() for a in window.annotators_menu.actions()] == []  # filled on opening
    bob = menu_entry(window, "bob")
    assert not bob.isChecked()
    assert [a.text() for a in window.annotators_menu.actions()] == ["alice (you)", "bob", "carol"]
    bob.setChecked(True)
    assert view.span_at_cp(at("fine")[0]) == [by["bob"].pk]
    assert view.span_at_cp(at("Officials")[0]) == []  # carol's stays hidden
    assert "bob's 1 span(s) shown" in window.statusBar().currentMessage()
    menu_entry(window, "bob").setChecked(False)
    assert view.span_at_cp(at("fine")[0]) == []


def test_tab_steps_over_hidden_annotators_spans(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.select_span(None)
    window.view.setFocus()
    seen = {window.tagger.step_span(+1) for _ in range(4)}
    alice = next(s.pk for s in window.spans if s.annotator == "alice")
    assert seen == {alice}


def test_a_document_without_own_spans_shows_everyones(qtbot, tmp_path, messages) -> None:  # type: ignore[no-untyped-def]
    """An imported corpus whose spans all name another annotator (the bundled sample is one)
    is not shown empty."""
    from annotator.gui.main_window import MainWindow

    path = tmp_path / "imported.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="one", text=TEXT, spans=[
            SpanRecord("s1", "hedging", "hedge", (at("seems"),), annotator="sample")])])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_project(path)
    assert w.view.span_at_cp(at("seems")[0]) == [w.spans[0].pk]
    w.close_project()


def test_hidden_spans_are_announced(window) -> None:  # type: ignore[no-untyped-def]
    window.open_document(window.document)
    assert "2 by other annotators are hidden" in window.statusBar().currentMessage()
