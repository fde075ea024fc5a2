"""The dashboard as a user drives it: Corpus ▸ Corpus at a glance (Ctrl+Shift+D), charts of the
small corpus counted by hand, group by outlet, click a bar to see its concordance, save a chart
as PNG and SVG and its data as CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from query.query_data import make_project, small_corpus

from annotator.gui.dashboard import DashboardWindow
from annotator.gui.dashboard_chart import ChartView


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "small.annot", small_corpus())


def open_dashboard(window, qtbot) -> DashboardWindow:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dash = window.corpus_tools.dashboard
    assert isinstance(dash, DashboardWindow)
    qtbot.waitExposed(dash)
    return dash


def click_bar(chart: ChartView, qtbot, category: int, series: int) -> None:  # type: ignore[no-untyped-def]
    """Click the middle of a bar as drawn (matplotlib counts pixels from the bottom)."""
    ax = chart.mpl.axes[0]
    bar = ax.containers[series][category]
    box = bar.get_window_extent()
    ratio = chart.canvas.device_pixel_ratio
    x = (box.x0 + box.x1) / 2 / ratio
    y = chart.canvas.height() - (box.y0 + box.y1) / 2 / ratio
    qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def test_charts_show_the_counts_and_a_bar_opens_its_concordance(window, qtbot,  # type: ignore[no-untyped-def]
                                                                messages) -> None:
    dash = open_dashboard(window, qtbot)
    chart = dash.charts["labels"]
    fig = chart.figure
    assert fig is not None and fig.categories == ["a", "b", "c"]
    assert [s.name for s in fig.series] == ["attribution", "hedging", "stance"]
    ax = chart.mpl.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert [r.get_width() for r in ax.containers[1]] == [3, 1, 0]  # hedging per document
    click_bar(chart, qtbot, category=0, series=1)  # doc a, hedging: 3 spans
    panel = dash.concordance
    assert panel.query_edit.text() == 'hedging:* where doc.id = "a"'
    assert [panel.model.hit(r).text for r in range(panel.model.rowCount())] == [
        "may", "reportedly", "could"]
    index = panel.model.index(1, 2)
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.table.visualRect(index).center())
    assert window.tagger.selected() == panel.model.hit(1).span
    assert messages == []


def test_group_by_outlet_and_month_and_the_other_tabs(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dash = open_dashboard(window, qtbot)
    dash.group_by.setCurrentIndex(dash.group_by.findData("outlet"))
    dash.layer.setCurrentIndex(dash.layer.findData("hedging"))
    fig = dash.charts["labels"].figure
    assert fig is not None and fig.categories == ["Gazette", "Herald"]
    assert {s.name: s.values for s in fig.series} == {"hedge": [3, 0], "booster": [0, 1]}
    dash.group_by.setCurrentIndex(dash.group_by.findData("date"))
    dash.tabs.setCurrentIndex(1)
    fig = dash.charts["hedging"].figure
    assert fig is not None and fig.categories == ["2021-09", "2021-10"]
    assert fig.series[0].values == [250.0, 0.0]
    click_bar(dash.charts["hedging"], qtbot, category=0, series=0)
    assert dash.concordance.query_edit.text() == r"hedging:hedge where doc.date ~ /^2021\-09/"
    assert dash.concordance.model.rowCount() == 3
    dash.tabs.setCurrentIndex(2)
    assert dash.charts["sources"].figure.categories == ["Critics", "Officials", "The council"]  # type: ignore[union-attr]
    dash.tabs.setCurrentIndex(3)
    stance = dash.charts["stance"]
    assert stance.figure.categories == ["(not set) → bridge", "Officials → plan"]  # type: ignore[union-attr]
    click_bar(stance, qtbot, category=1, series=0)  # against
    assert dash.concordance.query_edit.text() == (
        'stance:stance where holder = "Officials" and target = "plan" and polarity = "against"')
    assert dash.concordance.model.rowCount() == 1


def test_save_chart_as_png_and_svg_and_data_as_csv(window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   messages) -> None:
    dash = open_dashboard(window, qtbot)
    chart = dash.charts["labels"]
    chart.save_chart(tmp_path / "labels.png")
    chart.save_chart(tmp_path / "labels.svg")
    chart.save_data(tmp_path / "labels.csv")
    assert (tmp_path / "labels.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "labels.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Spans per layer, per document" in svg
    rows = list(csv.reader((tmp_path / "labels.csv").open(encoding="utf-8")))
    assert rows[0] == ["category", "series", "value", "query"]
    assert ["a", "hedging", "3", 'hedging:* where doc.id = "a"'] in rows
    assert len(rows) == 1 + 3 * 3
    chart._saving(str(tmp_path / "labels.gif"), chart.save_chart)
    assert messages == [("warning", "Save", f"{tmp_path / 'labels.gif'}: choose a name ending "
                         "in .png or .svg")]
    assert not (tmp_path / "labels.gif").exists()
