"""Accepting suggestions in the project: several documents in one transaction, provenance
with each span, no copies, no new labels, redo under the old keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.core.suggestion_store import Accepted

ORIGIN = {"recommender": "lexicon", "model_version": "", "training_size": 0, "score": 1.0}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "news.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="a", text="Officials said so."),
                            CorpusDocument(name="b", text="Critics may say no.")])
    return path


def test_several_documents_at_once_with_provenance(project: Path) -> None:
    with Project.open(project) as p:
        a, b = (p.document_by_name(n) for n in ("a", "b"))
        assert a is not None and b is not None
        rows = [Accepted(a.pk, "attribution", "cue", 10, 14, ORIGIN),
                Accepted(b.pk, "hedging", "hedge", 8, 11, ORIGIN, {"note": "x"}),
                Accepted(a.pk, "attribution", "cue", 10, 14, ORIGIN)]  # the same span again
        added = p.add_accepted(rows)
        assert [(s.document, s.label, s.start, s.end) for s in added] == [
            (a.pk, "cue", 10, 14), (b.pk, "hedge", 8, 11)]
        assert added[1].attributes == {"note": "x"} and added[0].annotator == "alice"
        assert p.span_origins() == {s.pk: ORIGIN for s in added}
        assert {d.name: d.status for d in p.documents()} == {"a": "in_progress",
                                                             "b": "in_progress"}
        assert p.add_accepted(rows) == []  # all there already: nothing added
        pks = [s.pk for s in added]
        p.delete_spans(pks)  # undo, then redo under the same keys
        again = p.add_accepted(rows[:2], pks=pks)
        assert [s.pk for s in again] == pks and len(p.span_origins()) == 2


def test_unknown_label_or_bad_offsets_write_nothing(project: Path) -> None:
    with Project.open(project) as p:
        a = p.document_by_name("a")
        assert a is not None
        good = Accepted(a.pk, "attribution", "cue", 10, 14, ORIGIN)
        with pytest.raises(AnnotatorError, match="no label attribution:nonsense"):
            p.add_accepted([good, Accepted(a.pk, "attribution", "nonsense", 0, 9, ORIGIN)])
        with pytest.raises(AnnotatorError):
            p.add_accepted([good, Accepted(a.pk, "attribution", "source", 0, 999, ORIGIN)])
        assert p.spans(a.pk) == [] and p.span_origins() == {}
        assert p.tagset.label("attribution", "nonsense") is None
