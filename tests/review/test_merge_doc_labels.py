"""`annotator merge` keeps the document labels both annotators gave alike (article stance,
genre…), as the review window's gold does; it dropped every one before."""

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
    assert [(x.layer, x.label, x.annotator) for x in doc.doc_annotations] == [
        ("genre", "opinion", "alice+bob")]
    assert [(s.layer, s.label) for s in doc.spans] == [("attribution", "source")]
