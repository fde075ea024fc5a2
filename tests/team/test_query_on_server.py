"""Queries, the figures, the concordance and the dashboard on a project on a server, exactly as
on a project file holding the same corpus (the query reader goes through the project's
SQLAlchemy engine there), on a real PostgreSQL server the tests start."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from query.query_data import QUERIES, values_corpus
from teamkit import cli, sql

from annotator.core import corpus_figures as cf
from annotator.core.errors import DamagedProjectError
from annotator.core.project import Project
from annotator.core.query import run_query

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STRUCTURE = [
    "hedging:hedge inside attribution:content where source.source_type = organisation",
    "attribution:content containing hedging:*",
    "stance:stance overlapping attribution:source",  # a discontinuous one: "The council"
    "attribution:content ->attributed_to attribution:source",
    "attribution:source <-attributed_to attribution:content where quote_type = indirect",
    "attribution:cue related to attribution:content",
    "* where text ~ /^[Tt]he/ and doc.outlet = Gazette",
    "hedging:* where doc.date ~ /^2021-10/",
]


@pytest.fixture
def served(owner_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
           ) -> tuple[str, Path]:
    """The corpus of the query tests on a server project and in a project file (whose
    annotator, given to spans that name none, is the server's login role)."""
    code, _, err = cli(capsys, "server", "init", owner_url)
    assert code == 0, err
    with Project.open(owner_url) as p:
        p.import_documents(values_corpus())
        role = p.annotator
    path = tmp_path / "same.annot"
    with Project.create(path, annotator=role) as p:
        p.import_documents(values_corpus())
    return owner_url, path


def hits(ref: str | Path, query: str) -> list[dict[str, Any]]:
    with Project.open(ref, readonly=True) as p:
        return [h.as_json() for h in run_query(p, query)]


def test_every_query_gives_the_hits_it_gives_on_a_file(served: tuple[str, Path]) -> None:
    url, path = served
    with Project.open(url, readonly=True) as p:
        assert p.on_server
    found = {}
    for query in QUERIES + STRUCTURE:
        found[query] = hits(url, query)
        assert found[query] == hits(path, query), query
    assert all(found[q] for q in STRUCTURE)  # the comparison compares something
    assert sum(map(len, found.values())) > 80


def test_the_query_command_on_a_server_project(served: tuple[str, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url, path = served
    query = "hedging:hedge inside attribution:content where source.source_type = organisation"
    for form in ("--json", "--csv", None):
        args = [form] if form else []
        code, on_server, err = cli(capsys, "query", url, query, *args)
        assert code == 0, err
        code, on_file, err = cli(capsys, "query", str(path), query, *args)
        assert code == 0, err
        assert on_server == on_file
    assert [h["text"] for h in json.loads(cli(capsys, "query", url, query, "--json")[1])] == [
        "may"]


def test_a_damaged_span_on_the_server_is_reported(served: tuple[str, Path], pg_env: Any,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = served
    with sql(url, pg_env) as conn:
        pk = conn.execute("SELECT id FROM span WHERE layer = 'hedging' AND attributes LIKE "
                          "'%unknown%'").fetchone()[0]
        conn.execute("UPDATE span SET attributes = '{oops' WHERE id = %s", (pk,))
    with pytest.raises(DamagedProjectError, match=f"span {pk}: attributes is not valid JSON"):
        hits(url, "hedging:hedge where certainty = possible")
    code, out, err = cli(capsys, "query", url, "hedging:hedge where certainty != x")
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert line == (f"annotator: {url}: document 'a', span {pk}: attributes is not valid JSON "
                    "(Expecting property name enclosed in double quotes at character 1) "
                    f"(hint: list every problem with: annotator check {url})")


def test_the_figures_of_a_server_project(served: tuple[str, Path]) -> None:
    url, path = served
    with Project.open(url, readonly=True) as p:
        on_server = cf.summarise(p)
    with Project.open(path, readonly=True) as p:
        on_file = cf.summarise(p)
    assert on_server == on_file
    assert on_server.stances and on_server.sources
    assert [f.series for f in (cf.label_counts(on_server), cf.source_ranking(on_server))] == [
        f.series for f in (cf.label_counts(on_file), cf.source_ranking(on_file))]


def test_concordance_and_dashboard_of_a_server_project(qtbot: Any, served: tuple[str, Path],
                                                       gui_dirs: None) -> None:
    from PySide6.QtCore import Qt

    from annotator.gui.main_window import MainWindow

    url, path = served
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_project(url) and w.project.on_server
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    w.view.setFocus()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(w.view, Qt.Key.Key_K, both)
    panel = w.corpus_tools.dock.panel
    qtbot.keyClicks(panel.query_edit, "attribution:source")
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    assert panel.model.error == ""
    shown = [panel.model.hit(r) for r in range(panel.model.rowCount())]
    assert [(h.document, h.text) for h in shown] == [
        (h["document"], h["text"]) for h in hits(path, "attribution:source")]
    assert panel.count.text() == f"{len(shown)} hit(s)"
    qtbot.keyClick(w.view, Qt.Key.Key_D, both)
    dash = w.corpus_tools.dashboard
    qtbot.waitExposed(dash)
    chart = dash.charts["labels"]
    with Project.open(path, readonly=True) as p:
        on_file = cf.label_counts(cf.summarise(p))
    assert chart.figure == on_file and len(on_file.categories) == 4
    hedging = next(i for i, s in enumerate(on_file.series) if s.name == "hedging")
    ax = chart.mpl.axes[0]
    assert [r.get_width() for r in ax.containers[hedging]] == on_file.series[hedging].values
    assert sorted(on_file.series[hedging].values) == [0, 0, 1, 3]  # hedging per document
    dash.close()
    w.close()
