"""`annotator merge` keeps the document labels both annotators gave alike (article stance,
genre…), as the review window's gold does (it dropped every one before), and with --prefer a|b
that side's own labels too (they were left out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXT = "Officials said the plan may fail."


def coder(path: Path, name: str, stance: str, genre: str) -> Path:
    with Project.create(path, annotator=name) as p:
        p.import_documents([CorpusDocument(name="a1", text=TEXT, spans=[
            SpanRecord("s1", "attribution", "source", ((0, 9),))])])
        pk = p.documents()[0].pk
        p.add_doc_annotation(pk, "article_stance", stance)
        p.add_doc_annotation(pk, "genre", genre)
    return path


@pytest.mark.parametrize("prefer", ["agreed", "a", "b"])
def test_merge_keeps_the_document_labels_both_gave(tmp_path: Path, prefer: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    a = coder(tmp_path / "alice.annot", "alice", "against", "opinion")
    b = coder(tmp_path / "bob.annot", "bob", "favour", "opinion")  # stance differs
    out = tmp_path / "gold.annot"
    assert main(["merge", str(a), str(b), "-o", str(out), "--prefer", prefer]) == 0, \
        capsys.readouterr().err
    with Project.open(out, readonly=True) as p:
        (doc,) = list(p.iter_corpus())
    own = {"agreed": [], "a": [("article_stance", "against", "alice")],
           "b": [("article_stance", "favour", "bob")]}[prefer]
    assert [(x.layer, x.label, x.annotator) for x in doc.doc_annotations] == [
        ("genre", "opinion", "alice+bob"), *own]
    assert [(s.layer, s.label) for s in doc.spans] == [("attribution", "source")]


@pytest.mark.parametrize("prefer, left_out", [("agreed", 2), ("a", 1), ("b", 1)])
def test_the_document_labels_left_out_are_counted(tmp_path: Path, prefer: str,
                                                  left_out: int) -> None:
    """--prefer a|b keeps that side's own document labels (as it keeps that side of every span
    disagreement); what neither preference keeps is counted."""
    from annotator.review.adjudicate import automatic
    from annotator.review.sources import load_review

    a = coder(tmp_path / "alice.annot", "alice", "against", "opinion")
    b = coder(tmp_path / "bob.annot", "bob", "favour", "opinion")
    adj = automatic(load_review([a, b]), prefer)
    assert adj.doc_labels_left_out() == left_out
