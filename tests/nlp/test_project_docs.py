"""The training documents read in bulk are those read one document at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.nlp.training import TrainDoc, project_docs


def one_at_a_time(project: Project, *, annotated_only: bool = True,
                  layers: set[str] | None = None) -> list[TrainDoc]:
    """The reading this replaces: three queries a document."""
    out = []
    for info in project.documents():
        spans = tuple(sorted((s.layer, s.label, s.fragments[0][0], s.fragments[0][1])
                             for s in project.spans(info.pk)
                             if len(s.fragments) == 1 and (layers is None or s.layer in layers)))
        rejected = tuple(sorted((r.layer, r.label, r.start, r.end)
                                for r in project.rejected_suggestions(info.pk)
                                if layers is None or r.layer in layers))
        if annotated_only and not spans and not rejected and info.status != "done":
            continue
        out.append(TrainDoc(info.name, project.text(info.pk), spans, rejected))
    return out


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    text = "Officials said the plan may fail, “perhaps” – 👍 critics argued.\r\nIt seems so."
    docs = [
        CorpusDocument(name="spans", text=text, status="in_progress", spans=[
            SpanRecord("a", "attribution", "source", ((0, 9),)),
            SpanRecord("b", "attribution", "cue", ((10, 14),)),
            SpanRecord("c", "hedging", "hedge", ((24, 27),)),
            SpanRecord("d", "hedging", "hedge", ((24, 27), (34, 41))),  # two fragments
            SpanRecord("e", "attribution", "cue", ((57, 63),))]),
        CorpusDocument(name="empty but done", text="Nothing here.", status="done"),
        CorpusDocument(name="empty", text="Nothing either.", status="new"),
        CorpusDocument(name="only rejected", text="It may rain.", status="new"),
        CorpusDocument(name="rejected and spans", text="Police said so.", spans=[
            SpanRecord("a", "attribution", "source", ((0, 6),))]),
    ]
    with Project.create(path, annotator="ann") as p:
        p.import_documents(docs)
        pk = {d.name: d.pk for d in p.documents()}
        p.reject_suggestion(pk["only rejected"], "hedging", "hedge", 3, 6)
        p.reject_suggestion(pk["rejected and spans"], "attribution", "cue", 7, 11)
        p.reject_suggestion(pk["rejected and spans"], "hedging", "hedge", 0, 6)
    return path


@pytest.mark.parametrize("annotated_only", [True, False])
@pytest.mark.parametrize("layers", [None, {"hedging"}, {"attribution"}, set()])
def test_bulk_reading_gives_the_documents_read_one_at_a_time(
        project: Path, annotated_only: bool, layers: set[str] | None) -> None:
    with Project.open(project, readonly=True) as p:
        got = project_docs(p, annotated_only=annotated_only, layers=layers)
        assert got == one_at_a_time(p, annotated_only=annotated_only, layers=layers)
    names = [d.name for d in got]
    assert ("empty" in names) is (not annotated_only)
    if layers is None:
        assert names[:2] == ["spans", "empty but done"]
        assert got[0].spans[-1] == ("hedging", "hedge", 24, 27)  # the two-fragment one left out
        assert [d.rejected for d in got if d.name == "only rejected"] == [
            (("hedging", "hedge", 3, 6),)]
