"""The concordance panel as a user drives it: Corpus ▸ Concordance (Ctrl+Shift+K), type a query,
Enter, click a row to open the document at the span, sort, export CSV; 10,000 hits load lazily."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from query.query_data import make_project, small_corpus

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.gui.concordance import ConcordancePanel
from annotator.gui.concordance_model import ROWS_PER_FETCH


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """The small corpus counted by hand (tests/query/query_data.py)."""
    return make_project(tmp_path / "small.annot", small_corpus())


def open_panel(window, qtbot) -> ConcordancePanel:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dock = window.corpus_tools.dock
    assert dock is not None and dock.isVisible()
    assert dock.panel.query_edit.hasFocus()
    return dock.panel


def type_query(panel: ConcordancePanel, qtbot, query: str) -> None:  # type: ignore[no-untyped-def]
    panel.query_edit.clear()
    qtbot.keyClicks(panel.query_edit, query)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)


def column(panel: ConcordancePanel, col: int) -> list[str]:
    m = panel.model
    return [m.data(m.index(r, col)) for r in range(m.rowCount())]


def test_query_click_opens_the_document_at_the_span(window, qtbot, messages) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(window, qtbot)
    type_query(panel, qtbot, "attribution:source")
    assert column(panel, 2) == ["Officials", "Critics", "The council"]
    assert column(panel, 0) == ["a", "a", "b"]
    assert column(panel, 3)[1] == "reportedly say it could work."
    assert panel.count.text() == "3 hit(s)"
    index = panel.model.index(2, 2)
    rect = panel.table.visualRect(index)
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    hit = panel.model.hit(2)
    assert window.document == hit.document_pk
    assert window.view.text().startswith("The council clearly said")
    assert window.tagger.selected() == hit.span
    assert messages == []


def test_columns_sort_left_by_the_nearest_word(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(window, qtbot)
    type_query(panel, qtbot, "hedging:*")
    assert column(panel, 2) == ["may", "reportedly", "could", "clearly"]
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_centre(header, 2))
    assert column(panel, 2) == ["clearly", "could", "may", "reportedly"]
    panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    # nearest words to the left: "council", "it", "plan", "Critics"
    assert column(panel, 2) == ["clearly", "reportedly", "could", "may"]


def _section_centre(header, col: int):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(col) + header.sectionSize(col) // 2,
                  header.height() // 2)


def test_bad_query_is_a_message_naming_the_position(window, qtbot, messages) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(window, qtbot)
    type_query(panel, qtbot, "hedging:hedge insde attribution:content")
    assert messages == [("warning", "Query", "query, position 15: expected 'where', 'and', "
                         "'inside', 'containing', 'overlapping', 'related to', '->' or the "
                         "end of the query, found 'insde'")]
    assert panel.model.rowCount() == 0


def test_model_passes_the_model_tester(window, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(window, qtbot)
    type_query(panel, qtbot, "*")
    assert panel.model.rowCount() == 13
    qtmodeltester.check(panel.model)


def test_no_two_actions_share_a_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()
    assert {"Ctrl+Shift+K", "Ctrl+Shift+D"} <= set(seen)


@pytest.fixture
def big_path(tmp_path: Path) -> Path:
    """200 articles with 50 hedges each: a 10,000-hit concordance."""
    words = ["may" if i % 3 == 0 else f"w{i}" for i in range(150)]
    text = " ".join(words)
    starts = [i for i, w in enumerate(words) if w == "may"][:50]
    docs = []
    for n in range(200):
        offsets = [sum(len(w) + 1 for w in words[:i]) for i in starts]
        docs.append(CorpusDocument(name=f"d{n:03}", text=text + f" {n}", spans=[
            SpanRecord(f"s{k}", "hedging", "hedge", ((o, o + 3),)) for k, o in
            enumerate(offsets)]))
    return make_project(tmp_path / "big.annot", docs)


def test_ten_thousand_hits_load_as_the_view_scrolls_and_export_as_the_cli(  # type: ignore[no-untyped-def]
        qtbot, big_path: Path, tmp_path: Path, capsys) -> None:
    from annotator.core.project import Project

    with Project.open(big_path, readonly=True) as project:
        opened: list[tuple[int, int]] = []
        panel = ConcordancePanel(lambda: project, lambda d, s: opened.append((d, s)))
        qtbot.addWidget(panel)
        panel.resize(900, 500)
        panel.show()
        qtbot.waitExposed(panel)
        panel.query_edit.setText("hedging:hedge")
        assert panel.run()
        first = panel.model.rowCount()
        assert ROWS_PER_FETCH <= first < 10_000
        assert "so far" in panel.count.text()
        bar = panel.table.verticalScrollBar()
        for _ in range(3):
            bar.setValue(bar.maximum())
            qtbot.wait(10)
        assert first < panel.model.rowCount() < 10_000
        out = tmp_path / "concordance.csv"
        assert panel.export_csv(out)
        assert panel.model.rowCount() == 10_000 and panel.count.text() == "10000 hit(s)"
    assert main(["query", str(big_path), "hedging:hedge", "--csv"]) == 0
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out
    assert len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))) == 10_001
