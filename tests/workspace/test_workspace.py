"""The workspace model driven without Qt: every operation returns what it changed, the cache
of the shown document follows, the file holds every edit at once, undo/redo restore it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument, Span, SpanRecord
from annotator.core.project import Project
from annotator.core.undo import AddSpan, DeleteSpan, SetStatus
from annotator.workspace import Changes, Refused, SpanDelta, Workspace, span_order

TEXT = "Officials said that the plan is clearly fine, and the mayor agreed. More text here."


def at(s: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(s)
    return (i, i + len(s))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "ws.annot"
    with Project.create(p, annotator="alice") as project:
        project.import_documents([
            CorpusDocument(name="one", text=TEXT, spans=[
                SpanRecord("s1", "attribution", "source", (at("Officials"),)),
                SpanRecord("s2", "hedging", "hedge", (at("the plan is clearly"),)),
                SpanRecord("s3", "stance", "stance", (at("the plan"), at("fine"))),
            ]),
            CorpusDocument(name="two", text="A second article.")])
    return p


@pytest.fixture
def ws(path: Path):  # type: ignore[no-untyped-def]
    w = Workspace(Project.open(path))
    assert w.project is not None
    doc = next(d for d in w.project.documents() if d.name == "one").pk
    w.open_document(doc)
    yield w
    w.close()


def saved(path: Path) -> list[tuple[str, str, tuple[tuple[int, int], ...]]]:
    with Project.open(path, readonly=True) as p:
        doc = next(d for d in p.documents() if d.name == "one").pk
        return sorted((s.layer, s.label, s.fragments) for s in p.spans(doc))


def pick(ws: Workspace, label: str) -> Span:
    span = next(s for s in ws.spans if s.label == label)
    ws.select(span.pk)
    return span


def test_open_document_fills_the_cache_in_text_order(ws: Workspace) -> None:
    assert [s.label for s in ws.spans] == ["source", "hedge", "stance"]
    assert ws.spans == sorted(ws.spans, key=span_order)
    assert ws.text == TEXT and ws.selected is None


def test_select_reports_a_selection_change_once(ws: Workspace) -> None:
    pk = ws.spans[0].pk
    assert ws.select(pk).selection
    assert ws.select(pk) == Changes()  # nothing new
    assert ws.select(999999).selection and ws.selected is None


def test_move_end_by_word_commits_at_once_and_says_which_span(ws: Workspace, path: Path) -> None:
    hedge = pick(ws, "hedge")
    ch = ws.move_boundary("end", +1)
    assert set(ch.spans) == {ws.document} and ch.history
    (changed,) = ch.spans[ws.document].changed
    assert changed.pk == hedge.pk and changed.fragments == (at("the plan is clearly fine"),)
    assert ("hedging", "hedge", (at("the plan is clearly fine"),)) in saved(path)
    assert ws.span(hedge.pk) == changed and ws.selected == hedge.pk
    ws.move_boundary("end", -1)
    ws.move_boundary("end", -1)
    assert ws.span(hedge.pk).fragments == (at("the plan is"),)  # type: ignore[union-attr]


def test_move_start_by_word_and_by_character(ws: Workspace) -> None:
    hedge = pick(ws, "hedge")
    ws.move_boundary("start", +1)
    assert ws.span(hedge.pk).fragments == (at("plan is clearly"),)  # type: ignore[union-attr]
    ws.move_boundary("start", -1, "char")
    assert ws.span(hedge.pk).fragments == (at(" plan is clearly"),)  # type: ignore[union-attr]
    ws.move_boundary("start", -1)
    assert ws.span(hedge.pk).fragments == (at("the plan is clearly"),)  # type: ignore[union-attr]
    ws.move_boundary("end", -1, "char")
    assert ws.span(hedge.pk).fragments == (at("the plan is clearl"),)  # type: ignore[union-attr]


def test_a_boundary_never_empties_the_span(ws: Workspace, path: Path) -> None:
    pick(ws, "source")
    before = saved(path)
    with pytest.raises(Refused):
        ws.move_boundary("end", -1)
    with pytest.raises(Refused):
        ws.move_boundary("start", -1)  # already at the text's start
    assert saved(path) == before and ws.history.count() == 0


def test_undo_and_redo_of_a_boundary_move(ws: Workspace, path: Path) -> None:
    hedge = pick(ws, "hedge")
    before = saved(path)
    ws.move_boundary("end", +1)
    after = saved(path)
    ch = ws.undo()
    assert ch.spans[ws.document].changed[0].fragments == hedge.fragments
    assert saved(path) == before and ws.span(hedge.pk) == hedge
    ws.redo()
    assert saved(path) == after and ws.history.undo_text == "edit span"


def test_relabel_in_place_and_refuse_a_duplicate(ws: Workspace, path: Path) -> None:
    hedge = pick(ws, "hedge")
    ws.relabel("hedging", "booster")
    assert ws.span(hedge.pk).label == "booster"  # type: ignore[union-attr]
    assert ("hedging", "booster", hedge.fragments) in saved(path)
    ws.do(AddSpan(ws.document or 0, "hedging", "hedge", hedge.fragments))
    ws.select(hedge.pk)
    with pytest.raises(Refused, match="covers exactly"):
        ws.relabel("hedging", "hedge")
    assert ws.span(hedge.pk).label == "booster"  # type: ignore[union-attr]


def test_split_at_a_space_and_join_again(ws: Workspace, path: Path) -> None:
    hedge = pick(ws, "hedge")
    cut = TEXT.index(" is clearly")
    ch = ws.split(cut)
    assert ch.spans[ws.document].changed[0].fragments == (at("the plan"), at("is clearly"))
    assert ("hedging", "hedge", (at("the plan"), at("is clearly"))) in saved(path)
    ws.join()
    assert ws.span(hedge.pk).fragments == hedge.fragments  # type: ignore[union-attr]
    ws.undo()
    ws.undo()
    assert ws.span(hedge.pk).fragments == hedge.fragments  # type: ignore[union-attr]


def test_split_leaves_out_a_selected_part(ws: Workspace) -> None:
    hedge = pick(ws, "hedge")
    ws.split(*at("is "))
    assert ws.span(hedge.pk).fragments == (at("the plan "), at("clearly"))  # type: ignore[union-attr]


def test_split_and_join_refusals(ws: Workspace) -> None:
    pick(ws, "source")
    with pytest.raises(Refused):
        ws.split(3)  # inside a word, nothing selected
    with pytest.raises(Refused, match="one fragment"):
        ws.join()
    ws.select(None)
    with pytest.raises(Refused, match="Select a span"):
        ws.move_boundary("end", 1)


def test_set_boundary_as_a_drag_ends(ws: Workspace, path: Path) -> None:
    stance = pick(ws, "stance")
    ws.set_boundary(stance.pk, "end", TEXT.index("fine") + 2)
    assert ws.span(stance.pk).fragments == (at("the plan"), (at("fine")[0], at("fine")[0] + 2))  # type: ignore[union-attr]
    with pytest.raises(Refused):
        ws.set_boundary(stance.pk, "end", TEXT.index("fine"))  # would empty the last fragment


def test_delete_and_undo_report_removed_and_restored(ws: Workspace) -> None:
    source = pick(ws, "source")
    ch = ws.do(DeleteSpan(source.pk))
    assert ch.spans[ws.document].removed == (source.pk,) and ch.selection
    assert ws.span(source.pk) is None and ws.selected is None
    ch = ws.undo()
    assert ch.spans[ws.document].changed == (source,)
    assert [s.label for s in ws.spans] == ["source", "hedge", "stance"]


def test_status_change_names_the_document(ws: Workspace) -> None:
    ch = ws.do(SetStatus(ws.document or 0, "done"))
    assert ch.status == {ws.document} and not ch.spans


def test_read_only_workspace_refuses_edits_and_keeps_the_file(path: Path) -> None:
    before = path.read_bytes()
    ws = Workspace(Project.open(path, readonly=True))
    assert ws.project is not None
    ws.open_document(ws.project.documents()[0].pk)
    ws.select(ws.spans[0].pk)
    with pytest.raises(AnnotatorError, match="read-only"):
        ws.move_boundary("end", 1)
    ws.close()
    assert path.read_bytes() == before


def test_external_changes_arrive_as_the_same_objects(ws: Workspace, path: Path) -> None:
    """Another writer (here: a second Project on the same file, as the team workflow would)
    adds a span; the workspace takes it in from a Changes naming it."""
    assert ws.project is not None and ws.document is not None
    ws.project.close()
    other = Project.open(path)
    new = other.add_span(ws.document, "hedging", "hedge", (at("seem") if "seem" in TEXT
                                                          else at("agreed"),))
    other.close()
    ws.project = Project.open(path)
    ch = ws.apply_external(Changes(spans={ws.document: SpanDelta((new,))},
                                   headers=frozenset({ws.document})))
    assert ch.remote and ws.span(new.pk) == new
    assert ws.spans == sorted(ws.spans, key=span_order)
    ch = ws.apply_external(Changes(spans={ws.document: SpanDelta(reload=True)}))
    assert ws.span(new.pk) == new and ws.document in ch.relations


def test_changes_merge_keeps_the_latest_span_state() -> None:
    a = Span(1, 7, "l", "x", ((0, 1),))
    b = Span(1, 7, "l", "x", ((0, 2),))
    merged = Changes(spans={7: SpanDelta((a,))}) | Changes(spans={7: SpanDelta((b,))})
    assert merged.spans[7].changed == (b,)
    gone = Changes(spans={7: SpanDelta((a,))}) | Changes(spans={7: SpanDelta(removed=(1,))})
    assert gone.spans[7] == SpanDelta((), (1,))


def test_undo_shows_the_document_the_edit_changed(ws: Workspace, path: Path) -> None:
    one = ws.document
    hedge = pick(ws, "hedge")
    ws.move_boundary("end", +1)
    assert ws.project is not None
    two = next(d for d in ws.project.documents() if d.name == "two").pk
    ws.open_document(two)
    ch = ws.undo()
    assert ch.current and ws.document == one
    assert ws.span(hedge.pk) == hedge and saved(path).count(
        ("hedging", "hedge", hedge.fragments)) == 1


@pytest.fixture
def doc_ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A workspace on a project with the shipped tagset (article_stance and genre are
    document-level layers)."""
    p = tmp_path / "doc.annot"
    with Project.create(p, annotator="alice") as project:
        project.import_documents([CorpusDocument(name="one", text=TEXT)])
    w = Workspace(Project.open(p))
    assert w.project is not None
    w.open_document(w.project.documents()[0].pk)
    yield w, p
    w.close()


def saved_doc_labels(path: Path) -> list[tuple[str, str, dict, str]]:  # type: ignore[type-arg]
    with Project.open(path, readonly=True) as p:
        return [(a.layer, a.label, a.attributes, a.annotator)
                for a in p.doc_annotations(p.documents()[0].pk)]


def test_document_labels_set_change_clear_each_one_undo_step(doc_ws) -> None:  # type: ignore[no-untyped-def]
    ws, path = doc_ws
    ch = ws.set_doc_label("article_stance", "against")
    assert ch.doc_annotations == {ws.document} and ch.history
    assert saved_doc_labels(path) == [("article_stance", "against", {}, "alice")]
    ws.set_doc_attributes("article_stance", {"target": "the council"})
    ws.set_doc_label("article_stance", "favour")  # changed, the target kept
    ws.set_doc_label("genre", "opinion")
    assert sorted(saved_doc_labels(path)) == [
        ("article_stance", "favour", {"target": "the council"}, "alice"),
        ("genre", "opinion", {}, "alice")]
    assert ws.set_doc_label("genre", "opinion") == Changes()  # nothing to do
    ws.set_doc_label("genre", None)
    assert [a.layer for a in ws.doc_annotations] == ["article_stance"]
    for _ in range(4):
        ws.undo()
    assert saved_doc_labels(path) == [("article_stance", "against", {}, "alice")]
    ws.undo()
    assert saved_doc_labels(path) == [] and ws.doc_annotations == []
    ws.redo()
    assert saved_doc_labels(path) == [("article_stance", "against", {}, "alice")]


def test_a_span_layer_is_not_a_document_label(doc_ws) -> None:  # type: ignore[no-untyped-def]
    ws, path = doc_ws
    with pytest.raises(Refused, match="not a document-level layer"):
        ws.set_doc_label("hedging", "hedge")
    with pytest.raises(Refused, match="first"):
        ws.set_doc_attributes("genre", {"x": 1})
    assert saved_doc_labels(path) == []


def test_the_model_loads_without_qt(path: Path) -> None:
    """The workspace and its edits run in a process that never imports Qt."""
    import subprocess
    import sys

    code = ("import sys\nfrom annotator.core.project import Project\n"
            "from annotator.workspace import Workspace\n"
            f"ws = Workspace(Project.open({str(path)!r}))\n"
            "ws.open_document(ws.project.documents()[0].pk)\n"
            "ws.select(ws.spans[1].pk); ws.move_boundary('end', 1); ws.undo(); ws.close()\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "ok"
