"""The Spans and Documents panels on their own: each is a widget class attached to a session,
redrawing from the session's changes (local edits, undo, changes made elsewhere) without the
main window pushing anything into it."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.core.undo import AddSpan, SetStatus, UpdateSpan
from annotator.gui.documents_panel import DocumentsPanel
from annotator.gui.session import ProjectSession
from annotator.gui.spans_panel import SpansPanel
from annotator.workspace import Changes, SpanDelta

TEXT = "Officials said the plan was not fully confirmed."


def session_on(tmp_path: Path) -> ProjectSession:
    project = Project.create(tmp_path / "p.annot", annotator="ann")
    project.import_documents([CorpusDocument(name=f"d{i}", text=TEXT + " " * (i - 1))
                             for i in (1, 2)])
    session = ProjectSession(project)
    session.workspace.open_document(project.documents()[0].pk)
    return session


def rows(panel: SpansPanel) -> list[tuple[str, str]]:
    return [(panel.model.span_at(r).layer, panel.model.span_at(r).label)
            for r in range(panel.model.rowCount())]


def test_the_spans_panel_follows_edits_undo_and_outside_changes(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = session_on(tmp_path)
    panel = SpansPanel()
    qtbot.addWidget(panel)
    panel.attach(session)
    panel.show_document()
    assert rows(panel) == []
    doc = session.workspace.document
    assert session.do(AddSpan(doc, "hedging", "hedge", ((27, 47),)))
    assert rows(panel) == [("hedging", "hedge")]
    pk = panel.model.span_at(0).pk
    assert session.do(UpdateSpan(pk, label="uncertainty"))
    assert rows(panel) == [("hedging", "uncertainty")]
    session.undo()
    session.undo()
    assert rows(panel) == []
    other = session.project.add_span(doc, "attribution", "source", ((0, 9),))  # elsewhere
    assert rows(panel) == []  # not told yet
    session.apply_external(Changes(spans={doc: SpanDelta(reload=True)}))
    assert rows(panel) == [("attribution", "source")]
    panel.select(other.pk)
    assert panel.table.selectionModel().selectedRows()[0].row() == 0
    chosen: list[int] = []
    panel.spanChosen.connect(chosen.append)
    panel.table.clicked.emit(panel.filter.index(0, 0))
    assert chosen == [other.pk]
    session.close()


def test_the_spans_panel_refills_its_layer_filter_on_a_new_tagset(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = session_on(tmp_path)
    panel = SpansPanel()
    qtbot.addWidget(panel)
    panel.attach(session)
    layers = [panel.layer.itemData(i) for i in range(panel.layer.count())]
    assert layers[0] == "" and "hedging" in layers and "genre_x" not in layers
    panel.layer.setCurrentIndex(panel.layer.findData("hedging"))
    tagset = session.project.tagset
    tagset.ensure_label("genre_x", "column")
    session.project.set_tagset(tagset)
    session.publish(Changes(tagset=True))
    layers = [panel.layer.itemData(i) for i in range(panel.layer.count())]
    assert "genre_x" in layers
    assert panel.layer.currentData() == "hedging"  # the choice is kept
    panel.attach(None)
    assert panel.model.rowCount() == 0
    session.close()


def test_the_documents_panel_follows_status_and_the_list(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = session_on(tmp_path)
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.attach(session)
    assert [d.name for d in panel.model.documents()] == ["d1", "d2"]
    doc = session.workspace.document
    assert session.do(SetStatus(doc, "done"))
    assert panel.model.documents()[0].status == "done"
    session.undo()
    assert panel.model.documents()[0].status == "new"
    session.project.import_documents([CorpusDocument(name="d3", text="Another one.")])
    session.publish(Changes(documents=True))
    assert [d.name for d in panel.model.documents()] == ["d1", "d2", "d3"]
    chosen: list[int] = []
    panel.documentChosen.connect(chosen.append)
    panel.table.setCurrentIndex(panel.filter.index(1, 0))
    assert chosen == [panel.model.documents()[1].pk]
    assert panel.step(1) == panel.model.documents()[1].pk  # from the shown (first) document
    panel.status.setCurrentIndex(panel.status.findData("done"))
    assert panel.filter.rowCount() == 0
    session.close()


def test_an_edit_in_a_big_project_reads_only_the_rows_in_view(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Tagging in a project of 3,000 documents redraws its one row: the column widths are
    measured over the rows in view, not over a thousand rows again (80 ms of every tag and
    delete in a 20,000-document project)."""
    project = Project.create(tmp_path / "big.annot", annotator="ann")
    project.import_documents([CorpusDocument(name=f"d{i}", text=f"{TEXT} ({i})")
                              for i in range(3000)])
    session = ProjectSession(project)
    session.workspace.open_document(project.documents()[0].pk)
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.resize(400, 300)
    panel.attach(session)
    panel.show()
    qtbot.waitExposed(panel)
    rows_read: set[int] = set()
    real = panel.model.data

    def counting(index, role=0):  # type: ignore[no-untyped-def]
        rows_read.add(index.row())
        return real(index, role)

    panel.model.data = counting  # type: ignore[method-assign]
    doc = session.workspace.document
    assert session.do(AddSpan(doc, "hedging", "hedge", ((27, 47),)))
    panel.repaint()
    assert panel.model.documents()[0].span_count == 1  # the row was updated
    assert 0 in rows_read and len(rows_read) < 100  # Qt's default: a thousand rows
    session.close()
