"""Attack round 5 on the workspace model: undo and redo after a change made elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.core.undo import AddSpan
from annotator.workspace import Changes, SpanDelta, Workspace

TEXT = "Officials said that the plan is clearly fine, and the mayor agreed."


def at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = tmp_path / "ws.annot"
    with Project.create(p, annotator="alice") as project:
        project.import_documents([CorpusDocument(name="one", text=TEXT, spans=[
            SpanRecord("s1", "attribution", "source", (at("Officials"),)),
            SpanRecord("s2", "hedging", "hedge", (at("the plan is clearly"),))])])
    w = Workspace(Project.open(p))
    assert w.project is not None
    w.open_document(w.project.documents()[0].pk)
    yield w
    w.close()


def deleted_elsewhere(ws: Workspace, pk: int) -> None:
    """A colleague deletes span ``pk`` (already in the file) and the window hears of it."""
    assert ws.project is not None and ws.document is not None
    ws.project.delete_span(pk)
    ws.apply_external(Changes(spans={ws.document: SpanDelta(reload=True)}))


def test_undo_of_an_edit_of_a_span_deleted_elsewhere_does_not_block_the_history(
        ws: Workspace) -> None:
    source = next(s for s in ws.spans if s.label == "source")
    hedge = next(s for s in ws.spans if s.label == "hedge")
    ws.select(source.pk)
    ws.move_boundary("end", 1)  # "Officials said"
    ws.select(hedge.pk)
    ws.move_boundary("start", 1)  # "plan is clearly"
    deleted_elsewhere(ws, hedge.pk)
    first = ws.undo()  # the hedge's step cannot be undone: it is dropped, and said so
    assert "deleted elsewhere" in first.message
    assert ws.history.undo_text == "edit span"  # the source's step is next
    ws.undo()  # and it can be undone: the history is not stuck on the gone span
    assert ws.span(source.pk) is not None
    assert ws.span(source.pk).fragments == (at("Officials"),)  # type: ignore[union-attr]
    assert not ws.history.can_undo


def test_undo_of_adding_a_span_deleted_elsewhere_is_dropped(ws: Workspace) -> None:
    assert ws.document is not None
    ws.do(AddSpan(ws.document, "stance", "stance", (at("the mayor"),)))
    added = next(s for s in ws.spans if s.label == "stance")
    deleted_elsewhere(ws, added.pk)
    changes = ws.undo()
    assert "deleted elsewhere" in changes.message
    assert not ws.history.can_undo and not ws.history.can_redo


def test_redo_of_an_edit_of_a_span_deleted_elsewhere_is_dropped(ws: Workspace) -> None:
    hedge = next(s for s in ws.spans if s.label == "hedge")
    ws.select(hedge.pk)
    ws.move_boundary("start", 1)
    ws.undo()
    deleted_elsewhere(ws, hedge.pk)
    changes = ws.redo()
    assert "deleted elsewhere" in changes.message
    assert not ws.history.can_redo
    assert ws.history.can_undo is False


def test_a_refused_undo_leaves_the_user_on_the_document_they_were_on(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo shows the document its step changes; when the step then fails (here the disk),
    nothing changed, and the window must not have moved to another document unannounced."""
    from annotator.core.errors import StorageError

    assert ws.project is not None
    ws.project.import_documents([CorpusDocument(name="two", text="Another article.")])
    one = ws.document
    two = next(d.pk for d in ws.project.documents() if d.name == "two")
    ws.do(AddSpan(document=one, layer="hedging", label="booster", fragments=(at("clearly"),)))
    ws.open_document(two)

    def full(*_a: object, **_k: object) -> None:
        raise StorageError("the disk is full; nothing was changed", path=ws.project.path)  # type: ignore[union-attr]

    monkeypatch.setattr(ws.project, "delete_span", full)
    with pytest.raises(StorageError):
        ws.undo()
    assert ws.document == two
    assert ws.history.undo_text == "add booster"  # still there, to try again
    monkeypatch.undo()
    ws.undo()
    assert ws.document == one
    assert not any(s.label == "booster" for s in ws.spans)
