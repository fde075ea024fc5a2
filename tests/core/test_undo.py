from pathlib import Path

from annotator.core.project import Project
from annotator.core.undo import AddRelation, AddSpan, DeleteSpan, History, SetStatus, UpdateSpan


def test_undo_redo_restores_spans_relations_and_keys(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        h = History(p)
        add = h.do(AddSpan(doc, "hedging", "booster", ((0, 9),)))
        pk = add.span.pk
        content = next(s for s in p.spans(doc) if s.label == "content")
        h.do(AddRelation("attributed_to", content.pk, pk))
        h.do(UpdateSpan(pk, attributes={"x": "1"}, note="n"))
        h.do(DeleteSpan(pk))
        assert pk not in {s.pk for s in p.spans(doc)}
        assert len(p.relations(doc)) == 2
        h.undo()  # delete
        restored = p.span(pk)
        assert restored.attributes == {"x": "1"} and restored.note == "n"
        assert len(p.relations(doc)) == 3
        h.undo()  # update
        assert p.span(pk).attributes == {} and p.span(pk).note == ""
        h.undo()  # relation
        h.undo()  # add
        assert len(p.spans(doc)) == 8 and len(p.relations(doc)) == 2
        for _ in range(4):
            h.redo()
        assert len(p.spans(doc)) == 8 and len(p.relations(doc)) == 2
        h.undo()
        assert p.span(pk).label == "booster"  # same key after redo
        s = h.do(SetStatus(doc, "done"))
        assert p.document(doc).status == "done" and s.previous == "in_progress"
        h.undo()
        assert p.document(doc).status == "in_progress"
